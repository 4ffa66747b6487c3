import { createResource, createSignal, For, Show } from "solid-js";
import { apiBase, get, post } from "../data/api";
import { me } from "../data/session";
import type { Certificate, LedgerEntry } from "../data/types";
import { explain } from "../i18n/explain";
import { formatDate, formatMinutes, formatNumber, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { fieldProblem } from "../i18n/explain";
import { categoryName } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";
import { tHours } from "../i18n/hours";

/** Today as the service counts days: in China time (UTC+8), whatever the phone's clock zone. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A numbered certificate of the verified hours over a range of days, to print or show. */
function CertificateForm(props: { memberId: string }) {
  const [from, setFrom] = createSignal(`${today().slice(0, 4)}-01-01`);
  const [to, setTo] = createSignal(today());
  const [issued, setIssued] = createSignal<Certificate>();
  const issue = createAction();
  const send = async (e: Event) => {
    e.preventDefault();
    const c = await issue.run(
      () => post<Certificate>(`/api/members/${props.memberId}/certificates`, { from: from(), to: to() }),
      tHours("cert.issued"),
    );
    if (c) setIssued(c);
  };
  // The API answers with its own address; a deployed site calls the API on another origin.
  const printLink = (c: Certificate) => (apiBase ? c.printUrl : `/api/certificates/${c.number}/print`);
  return (
    <form class="panel" onSubmit={send} aria-labelledby="cert-title">
      <h2 id="cert-title">{tHours("cert.title")}</h2>
      <p class="hint">{tHours("cert.hint")}</p>
      <Field
        label={tHours("cert.from")}
        type="date"
        value={from()}
        onValue={setFrom}
        max={today()}
        problem={fieldProblem(issue.error(), "from")}
      />
      <Field label={tHours("cert.to")} type="date" value={to()} onValue={setTo} max={today()} problem={fieldProblem(issue.error(), "to")} />
      <button type="submit" class="primary wide" disabled={issue.busy()} aria-busy={issue.busy()}>
        <Busy when={issue.busy()} working={t("working")} idle={tHours("cert.issue")} />
      </button>
      <Outcome action={issue} />
      <Show when={issued()}>
        {(c) => (
          <p>
            {tHours("cert.number", { n: c().number, d: formatMinutes(c().totalMinutes) })}{" "}
            <a href={printLink(c())} target="_blank" rel="noopener" class="button secondary">
              {tHours("cert.open")}
            </a>
          </p>
        )}
      </Show>
    </form>
  );
}

/** The member's verified hours: the total and one line per wish, as staff verified them. */
export default function Hours() {
  const [hours, { refetch }] = createResource(
    () => me()?.id,
    (id) => get<{ totalMinutes: number; entries: LedgerEntry[] }>(`/api/members/${id}/hours`),
  );
  return (
    <section class="page" aria-labelledby="hours-title">
      <PageTitle id="hours-title">{tHours("hours.title")}</PageTitle>
      <Show when={hours.error}>
        <div class="notice error" role="alert">
          <p>{explain(hours.error)}</p>
          <button type="button" class="secondary" onClick={refetch}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={hours.latest}>
        {(h) => (
          <>
            <p class="total">
              <span class="figure">{formatNumber(h().totalMinutes / 60, { maximumFractionDigits: 1 })}</span>
              <span>{tHours("hours.totalUnit")}</span>
            </p>
            <p class="hint">{tHours("hours.totalHint", { n: h().entries.length, d: formatMinutes(h().totalMinutes) })}</p>
            <CertificateForm memberId={me()!.id} />
            <h2>{tHours("hours.entries")}</h2>
            <ul class="cards">
              <For each={h().entries}>
                {(e) => (
                  <li class="card">
                    <div class="card-head">
                      <span class="card-title">{e.content}</span>
                      <strong>{formatMinutes(e.minutes)}</strong>
                    </div>
                    <p class="meta">
                      <span>
                        {e.kind === "activity"
                          ? tHours("hours.kindActivity")
                          : `${tHours("hours.kindWish")} · ${categoryName(e.category ?? "")}`}
                      </span>
                      <Show when={e.place}>
                        <span>{e.place}</span>
                      </Show>
                      <span>{formatDate(e.start ?? e.verifiedAt)}</span>
                    </p>
                    <Show when={e.measuredMinutes !== undefined && e.measuredMinutes !== e.minutes}>
                      <p class="meta">
                        <span>{tHours("hours.measured", { m: formatMinutes(e.measuredMinutes!), d: formatMinutes(e.minutes) })}</span>
                      </p>
                    </Show>
                    <p class="meta">
                      <span>{tHours("hours.verifiedBy", { who: e.verifierName, at: formatDate(e.verifiedAt) })}</span>
                    </p>
                  </li>
                )}
              </For>
            </ul>
            <Show when={h().entries.length === 0}>
              <p class="empty">{tHours("hours.empty")}</p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
