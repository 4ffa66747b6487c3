import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { get, post } from "../data/api";
import { refreshMe } from "../data/profile";
import { community, me } from "../data/session";
import type { Community, Invitation, Registration } from "../data/types";
import { explainLoad, fieldProblem } from "../i18n/explain";
import { formatDateTime, t } from "../i18n";
import { tJoin } from "../i18n/join";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { PageTitle } from "../ui/page-title";

type Key = Parameters<typeof tJoin>[0];

/**
 * 报到: a person asks to join the community the app serves them in (name, branch, note), sees
 * what its staff decided (with the reason, when turned down), and answers communities' invitations.
 */
export default function Join() {
  const [mine, { refetch: reloadMine }] = createResource(() => get<{ items: Registration[] }>("/api/me/registrations"));
  const [invitations, { refetch: reloadInvitations }] = createResource(() => get<{ items: Invitation[] }>("/api/me/invitations"));
  // The names of the communities asked, read once each (public).
  const [names] = createResource(
    () => [...new Set((mine.latest?.items ?? []).map((r) => r.communityId))].join(","),
    async (ids) => {
      const out: Record<string, string> = {};
      for (const c of await Promise.all(
        ids
          .split(",")
          .filter(Boolean)
          .map((id) => get<Community>(`/api/communities/${id}`)),
      )) {
        out[c.id] = c.name;
      }
      return out;
    },
  );
  const reread = () => refreshMe().catch(() => undefined);
  // A decision made since the app opened changes the person's roles: read them again.
  onMount(reread);

  const here = () => community();
  const memberHere = () => me()?.communities.some((m) => m.communityId === here()?.id && m.roles.includes("member"));
  const pendingHere = () => mine.latest?.items.some((r) => r.communityId === here()?.id && r.status === "pending");

  const [name, setName] = createSignal(me()?.named ? me()!.name : "");
  const [branchId, setBranchId] = createSignal("");
  const [note, setNote] = createSignal("");
  const send = createAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const c = here();
    if (!c) return;
    const body = { name: name().trim(), branchId: branchId() || undefined, note: note().trim() || undefined };
    if (await send.run(() => post<Registration>(`/api/communities/${encodeURIComponent(c.id)}/registrations`, body), tJoin("join.sent"))) {
      setNote("");
      reloadMine();
    }
  };

  const answer = createAction();
  const reply = async (i: Invitation, accept: boolean) => {
    const said = tJoin(accept ? "join.accepted" : "join.declined", { community: i.communityName });
    const verb = accept ? "accept" : "decline";
    if (await answer.run(() => post(`/api/me/invitations/${encodeURIComponent(i.communityId)}/${verb}`), said)) {
      reloadInvitations();
      reread();
    }
  };

  return (
    <section class="page narrow" aria-labelledby="join-title">
      <PageTitle id="join-title">{tJoin("join.title")}</PageTitle>

      <Show when={invitations.latest?.items.length}>
        <h2 id="invitations-title">{tJoin("join.invitations")}</h2>
        <ul class="cards" aria-labelledby="invitations-title">
          <For each={invitations.latest!.items}>
            {(i) => (
              <li class="card">
                <p>{tJoin("join.invited", { community: i.communityName, by: i.invitedByName, name: i.name })}</p>
                <div class="row">
                  <button type="button" class="secondary" disabled={answer.busy()} onClick={() => reply(i, false)}>
                    {tJoin("join.decline")}
                  </button>
                  <button type="button" class="primary" disabled={answer.busy()} onClick={() => reply(i, true)}>
                    {tJoin("join.accept")}
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Outcome action={answer} />

      <Show when={here()}>
        {(c) => (
          <Show
            when={!memberHere()}
            fallback={
              <p class="notice ok" role="status">
                {tJoin("join.member", { community: c().name })}
              </p>
            }
          >
            <Show
              when={!pendingHere()}
              fallback={
                <p class="notice" role="status">
                  {tJoin("join.waiting", { community: c().name })}
                </p>
              }
            >
              <p class="lead">{tJoin("join.lead", { community: c().name })}</p>
              <form onSubmit={submit} novalidate>
                <Field
                  label={tJoin("join.name")}
                  hint={tJoin("join.nameHint")}
                  autocomplete="name"
                  required
                  maxLength={40}
                  value={name()}
                  onValue={setName}
                  problem={fieldProblem(send.error(), "name")}
                />
                <Show when={c().branches.length}>
                  <div class="field">
                    <label for="join-branch">{tJoin("join.branch")}</label>
                    <select id="join-branch" value={branchId()} onChange={(e) => setBranchId(e.currentTarget.value)}>
                      <option value="">{tJoin("join.noBranch")}</option>
                      <For each={c().branches}>{(b) => <option value={b.id}>{b.name}</option>}</For>
                    </select>
                  </div>
                </Show>
                <Field
                  label={tJoin("join.note")}
                  hint={tJoin("join.noteHint")}
                  multiline
                  maxLength={200}
                  value={note()}
                  onValue={setNote}
                  problem={fieldProblem(send.error(), "note")}
                />
                <button type="submit" class="primary wide" disabled={send.busy()} aria-busy={send.busy()}>
                  <Busy when={send.busy()} working={t("working")} idle={tJoin("join.send")} />
                </button>
              </form>
            </Show>
          </Show>
        )}
      </Show>
      <Outcome action={send} />
      <p class="hint">{tJoin("join.other")}</p>

      <Show when={mine.error}>
        <p class="notice error" role="alert">
          {explainLoad(mine.error)}
        </p>
      </Show>
      <Show when={mine.latest?.items.length}>
        <h2 id="mine-title">{tJoin("join.mine")}</h2>
        <ul class="cards" aria-labelledby="mine-title">
          <For each={mine.latest!.items}>
            {(r) => (
              <li class="card">
                <p class="card-head">
                  <strong>{names.latest?.[r.communityId] ?? r.communityId}</strong>
                  <span class="badge">{tJoin(`join.status.${r.status}` as Key)}</span>
                </p>
                <p class="meta">
                  <span>{formatDateTime(r.createdAt)}</span>
                  <Show when={r.decidedAt}>{(at) => <span>{formatDateTime(at())}</span>}</Show>
                </p>
                <Show when={r.reason}>{(why) => <p>{tJoin("join.reason", { reason: why() })}</p>}</Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
