import { useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, lazy, Match, on, Show, Switch } from "solid-js";
import { allows } from "../../../../functions/core/model";
import { get } from "../../data/api";
import { refreshOnReturn } from "../../data/freshness";
import { unread } from "../../data/notifications";
import { me, role } from "../../data/session";
import type { TimelineEvent, WishView } from "../../data/types";
import { explainLoad } from "../../i18n/explain";
import { formatDateTime, formatMinutes, formatPhone, t, type Key } from "../../i18n";
import { StatusBadge } from "../../ui/status-badge";
import { categoryName } from "../../ui/wish-card";
import { MemberActions } from "./member-actions";
import { OwnerActions } from "./owner-actions";
import { PageTitle } from "../../ui/page-title";

const StaffActions = lazy(() => import("./staff-actions"));

/** After verification: each volunteer's credited minutes, beside what was measured when it differs or was never measured. */
function Credited(props: { wish: WishView }) {
  const credits = () => {
    const verified = props.wish.timeline.filter((e) => e.kind === "verify").at(-1);
    return (verified?.data?.credits ?? []) as { memberId: string; minutes: number; measuredMinutes: number | null }[];
  };
  const claimOf = (id: string) => props.wish.claims.find((c) => c.memberId === id);
  const note = (c: { memberId: string; minutes: number; measuredMinutes: number | null }) => {
    if (c.measuredMinutes === null) return t(claimOf(c.memberId)?.checkIn ? "credit.noCheckOut" : "credit.noCheckIn");
    return c.measuredMinutes === c.minutes ? "" : t("credit.measured", { d: formatMinutes(c.measuredMinutes) });
  };
  return (
    <Show when={credits().length > 0}>
      <h2 id="credited-title">{t("credit.title")}</h2>
      <ul class="credited" aria-labelledby="credited-title">
        <For each={credits()}>
          {(c) => (
            <li classList={{ mine: c.memberId === me()?.id }}>
              <strong>{claimOf(c.memberId)?.memberName ?? t("wish.volunteers")}</strong>
              <span>
                {formatMinutes(c.minutes)}
                {note(c)}
              </span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** What a step's sentence names: who took it and, for the claim-expiry steps, whose claim, until when and after how long. */
function eventParams(e: TimelineEvent) {
  const d = e.data ?? {};
  const at = (d.releaseAt ?? d.until) as string | undefined;
  return {
    who: e.actorName === "system" ? t("event.system") : e.actorName,
    name: String(d.memberName ?? d.holderName ?? ""),
    at: at ? formatDateTime(at) : "",
    minutes: typeof d.minutes === "number" ? d.minutes : "",
  };
}

/** One wish: what, where and when, what the person may do now in their role, and its timeline. */
export default function WishPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const [wish, { mutate, refetch }] = createResource(
    () => params.id,
    (id) => get<WishView>(`/api/wishes/${encodeURIComponent(id)}`),
  );
  // What was shown last stays while a look again fails (offline), and the page says why beside it.
  const [shown, setShown] = createSignal<WishView>();
  createEffect(() => {
    if (wish.state === "ready") setShown(wish());
  });
  const current = () => (shown()?.id === params.id ? shown() : undefined);
  const update = (w: WishView) => mutate(w);
  const reload = () => refetch();
  refreshOnReturn(reload);
  // A new notification may well be about this wish: look again.
  createEffect(on(unread, (now, before) => before !== undefined && now > before && reload()));

  return (
    <section class="page" aria-labelledby="wish-title">
      {/* Read only through `state`: a resource that failed throws when read, and would take the page down with it. */}
      <Show when={wish.state === "errored" && wish.error}>
        <div class="notice error" role="alert">
          <p>{explainLoad(wish.error)}</p>
          <button type="button" class="secondary" onClick={reload}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={wish.state === "pending" || (wish.state === "refreshing" && !current())}>
        <p role="status" class="muted">
          {t("loading")}
        </p>
      </Show>
      <Show when={current()}>
        {(w) => (
          <>
            <Show when={search.posted && w().status === "submitted"}>
              <p class="notice ok" role="status">
                {t("wish.posted")}
              </p>
            </Show>
            <Show when={search.claimed && w().claims.some((c) => c.memberId === me()?.id)}>
              <p class="notice ok" role="status">
                {t("member.claimed")}
              </p>
            </Show>
            <div class="page-head">
              <PageTitle id="wish-title">{w().title}</PageTitle>
              <StatusBadge status={w().status} />
            </div>
            {/* The code is shown while volunteers may still come: the states a check-in may leave. */}
            <Show when={role() === "resident" && w().handshakeCode && allows("check-in", w().status)}>
              <section class="handshake" aria-labelledby="code-label">
                <p id="code-label">{t("wish.code")}</p>
                <p class="code">
                  <span aria-hidden="true">{w().handshakeCode}</span>
                  <span class="sr-only">{w().handshakeCode!.split("").join(" ")}</span>
                </p>
                <p class="hint">{t("wish.codeHint")}</p>
              </section>
            </Show>
            <dl class="details">
              <dt>{t("wish.category")}</dt>
              <dd>{categoryName(w().category)}</dd>
              <dt>{t("wish.description")}</dt>
              <dd class="pre">{w().description}</dd>
              <Show when={w().address}>
                <dt>{t("wish.address")}</dt>
                <dd>{w().address}</dd>
              </Show>
              <Show when={w().window}>
                <dt>{t("wish.window")}</dt>
                <dd>
                  {formatDateTime(w().window!.from)} – {formatDateTime(w().window!.to)}
                </dd>
              </Show>
              <Show when={w().status !== "submitted" && w().status !== "rejected"}>
                <dt>{t("wish.places")}</dt>
                <dd>{t("card.places", { taken: w().claimed, slots: w().slots })}</dd>
              </Show>
              <Show when={w().estimatedMinutes}>
                <dt>{t("wish.estimated")}</dt>
                <dd>{formatMinutes(w().estimatedMinutes!)}</dd>
              </Show>
              <Show when={w().deadline}>
                <dt>{t("wish.deadline")}</dt>
                <dd>{formatDateTime(w().deadline)}</dd>
              </Show>
              <dt>{t("wish.resident")}</dt>
              <dd>
                {w().ownerName}
                <Show when={w().contactPhone}>
                  {" · "}
                  <Show when={!w().contactPhone!.includes("*")} fallback={<span>{w().contactPhone}</span>}>
                    <a href={`tel:${w().contactPhone}`}>{formatPhone(w().contactPhone!)}</a>
                  </Show>
                </Show>
                <Show when={w().takenInBy}>{(by) => <span class="hint">{t("wish.takenInBy", { name: by().name })}</span>}</Show>
              </dd>
              <Show when={w().claims.length > 0}>
                <dt>{t("wish.volunteers")}</dt>
                <dd>
                  {w()
                    .claims.map((c) => c.memberName)
                    .join(t("list.sep"))}
                </dd>
              </Show>
              <Show when={w().rejectReason}>
                <dt>{t("wish.rejectReason")}</dt>
                <dd>{w().rejectReason}</dd>
              </Show>
              <Show when={w().cancelReason}>
                <dt>{t("wish.cancelReason")}</dt>
                <dd>{w().cancelReason}</dd>
              </Show>
              <Show when={w().rating}>
                <dt>{t("wish.rating")}</dt>
                <dd>
                  <span aria-hidden="true">{"★".repeat(w().rating!) + "☆".repeat(5 - w().rating!)}</span>
                  <span class="sr-only">{t("wish.stars", { n: w().rating! })}</span>
                  <Show when={w().comment}> · {w().comment}</Show>
                </dd>
              </Show>
            </dl>
            <Credited wish={w()} />
            <Switch>
              <Match when={role() === "resident" && w().ownerId === me()?.id}>
                <OwnerActions wish={w()} onChange={update} />
              </Match>
              <Match when={role() === "member"}>
                <MemberActions wish={w()} onChange={update} onStale={reload} />
              </Match>
              <Match when={role() === "staff"}>
                <StaffActions wish={w()} onChange={update} onStale={reload} />
              </Match>
            </Switch>
            <h2 id="timeline-title">{t("wish.timeline")}</h2>
            <ol class="timeline" aria-labelledby="timeline-title">
              <For each={w().timeline}>
                {(e) => (
                  <li>
                    <time datetime={e.at}>{formatDateTime(e.at)}</time>
                    <span>
                      {t(`event.${e.kind}` as Key, eventParams(e))}
                      <Show when={e.note}>: {e.note}</Show>
                    </span>
                  </li>
                )}
              </For>
            </ol>
          </>
        )}
      </Show>
    </section>
  );
}
