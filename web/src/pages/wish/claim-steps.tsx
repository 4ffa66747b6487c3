import { For, Show } from "solid-js";
import { post } from "../../data/api";
import { me } from "../../data/session";
import type { Claim, WishView } from "../../data/types";
import { formatDateTime, t } from "../../i18n";
import { Busy, createAction, Outcome } from "../../ui/action";

/** States in which a claim not checked in can stall (functions/core/claim-expiry.ts). */
const waiting = (w: WishView) => w.status === "open" || w.status === "claimed";
/** The latest event of a kind about a member, for the times the job and the extension wrote down. */
const latest = (w: WishView, kind: string, memberId: string) =>
  w.timeline.filter((e) => e.kind === kind && (e.data?.memberIds as string[] | undefined)?.includes(memberId)).at(-1);

/** The holder of a claim the job warned: it lapses at the time the warning named, unless they check in or extend it once. */
export function ExtendClaim(props: { wish: WishView; claim: Claim; onChange: (w: WishView) => void }) {
  const extend = createAction();
  const releaseAt = () => latest(props.wish, "warn", props.claim.memberId)?.data?.releaseAt as string | undefined;
  const until = () => latest(props.wish, "extend", props.claim.memberId)?.data?.until as string | undefined;
  const go = async () => {
    const w = await extend.run(() => post<WishView>(`/api/wishes/${props.wish.id}/extend`), t("claim.extended"));
    if (w) props.onChange(w);
  };
  return (
    <Show when={!props.claim.checkIn && waiting(props.wish)}>
      <Outcome action={extend} />
      <Show when={props.claim.warnedAt && !props.claim.extendedAt}>
        <div class="panel" role="group" aria-labelledby="extend-title">
          <h2 id="extend-title">{t("claim.lapsingTitle")}</h2>
          <p>{releaseAt() ? t("claim.lapsingAt", { at: formatDateTime(releaseAt()) }) : t("claim.lapsing")}</p>
          <button type="button" class="primary wide" onClick={go} disabled={extend.busy()} aria-busy={extend.busy()}>
            <Busy when={extend.busy()} working={t("working")} idle={t("claim.extend")} />
          </button>
        </div>
      </Show>
      <Show when={props.claim.extendedAt && until()}>
        <p class="notice">{t("claim.extendedUntil", { at: formatDateTime(until()) })}</p>
      </Show>
    </Show>
  );
}

/**
 * Another member on a wish whose window has started: each claim not checked in may be asked for;
 * staff decide. A request already made says so instead.
 */
export function AskTakeover(props: { wish: WishView; onChange: (w: WishView) => void }) {
  const ask = createAction();
  const stalled = () =>
    waiting(props.wish) && props.wish.window && Date.parse(props.wish.window.from) <= Date.now() && props.wish.ownerId !== me()?.id
      ? props.wish.claims.filter((c) => !c.checkIn && c.memberId !== me()?.id)
      : [];
  const asked = (holderId: string) => (props.wish.takeovers ?? []).some((r) => r.memberId === me()?.id && r.holderId === holderId);
  const go = async (holderId: string) => {
    const w = await ask.run(() => post<WishView>(`/api/wishes/${props.wish.id}/takeover`, { memberId: holderId }), t("takeover.asked"));
    if (w) props.onChange(w);
  };
  return (
    <Show when={stalled().length > 0}>
      <Outcome action={ask} />
      <div class="panel" role="group" aria-labelledby="takeover-title">
        <h2 id="takeover-title">{t("takeover.title")}</h2>
        <For each={stalled()}>
          {(c) => (
            <Show when={!asked(c.memberId)} fallback={<p class="notice">{t("takeover.waiting", { name: c.memberName })}</p>}>
              <p>{t("takeover.stalled", { name: c.memberName, at: formatDateTime(props.wish.window?.from) })}</p>
              <button type="button" class="primary wide" onClick={() => go(c.memberId)} disabled={ask.busy()} aria-busy={ask.busy()}>
                <Busy
                  when={ask.busy()}
                  working={t("working")}
                  idle={stalled().length > 1 ? t("takeover.askFor", { name: c.memberName }) : t("takeover.ask")}
                />
              </button>
            </Show>
          )}
        </For>
      </div>
    </Show>
  );
}

/** Staff: requests to take over a stalled claim, each handed over with one press. */
export function TakeoverRequests(props: { wish: WishView; onChange: (w: WishView) => void; onStale: () => void }) {
  const approve = createAction();
  const go = async (memberId: string) => {
    const w = await approve.run(
      () => post<WishView>(`/api/wishes/${props.wish.id}/takeover/${encodeURIComponent(memberId)}/approve`),
      t("takeover.approved"),
    );
    if (w) props.onChange(w);
    else props.onStale();
  };
  return (
    <>
      <Outcome action={approve} />
      <Show when={(props.wish.takeovers ?? []).length > 0}>
        <section class="panel" aria-labelledby="takeovers-title">
          <h2 id="takeovers-title">{t("takeover.requests")}</h2>
          <ul class="requests">
            <For each={props.wish.takeovers}>
              {(r) => (
                <li>
                  <p>{t("takeover.request", { name: r.memberName, holder: r.holderName, at: formatDateTime(r.at) })}</p>
                  <button
                    type="button"
                    class="primary wide"
                    onClick={() => go(r.memberId)}
                    disabled={approve.busy()}
                    aria-busy={approve.busy()}
                  >
                    <Busy when={approve.busy()} working={t("working")} idle={t("takeover.approve", { name: r.memberName })} />
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
    </>
  );
}
