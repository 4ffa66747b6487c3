import { createSignal, lazy, Show } from "solid-js";
import { allows } from "../../../../functions/core/model";
import { ApiError, post } from "../../data/api";
import { currentPosition, distance, GeoError } from "../../data/geo";
import { me } from "../../data/session";
import type { WishView } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { formatDateTime, formatDistance, t } from "../../i18n";
import { Busy, createAction, Outcome, type Action } from "../../ui/action";
import { ConfirmDialog } from "../../ui/dialog";
import { Field } from "../../ui/field";

// Claims that stall are the exception: their steps load when a wish shows one.
const ExtendClaim = lazy(() => import("./claim-steps").then((m) => ({ default: m.ExtendClaim })));
const AskTakeover = lazy(() => import("./claim-steps").then((m) => ({ default: m.AskTakeover })));

/** The phone's position for a check-in or check-out; a refusal by the phone reads like one by the server. */
async function position() {
  try {
    return await currentPosition();
  } catch (err) {
    throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
  }
}

/** Claiming with a confirmation; shared by the hall and the wish page. */
export function ClaimButton(props: {
  wish: { id: string; title: string };
  action: Action;
  onClaimed: (w: WishView) => void;
  onRefused?: () => void;
}) {
  const [asking, setAsking] = createSignal(false);
  const claim = props.action;
  const go = async () => {
    setAsking(false);
    const w = await claim.run(() => post<WishView>(`/api/wishes/${props.wish.id}/claim`), t("member.claimed"));
    if (w) props.onClaimed(w);
    else props.onRefused?.();
  };
  return (
    <div class="claim">
      <button type="button" class="primary wide" onClick={() => setAsking(true)} disabled={claim.busy()} aria-busy={claim.busy()}>
        <Busy when={claim.busy()} working={t("member.claiming")} idle={t("member.claim")} />
      </button>
      <ConfirmDialog
        open={asking()}
        title={t("member.claimConfirmTitle")}
        confirmLabel={t("member.claimConfirm")}
        onConfirm={go}
        onClose={() => setAsking(false)}
      >
        <p>{t("member.claimConfirmBody", { title: props.wish.title })}</p>
      </ConfirmDialog>
    </div>
  );
}

/** A member on a wish: claim it; with a claim, arrive, leave with the resident's code, say it is done, or give it back. */
export function MemberActions(props: { wish: WishView; onChange: (w: WishView) => void; onStale: () => void }) {
  const mine = () => props.wish.claims.find((c) => c.memberId === me()?.id);
  const [code, setCode] = createSignal("");
  const [note, setNote] = createSignal("");
  const [releasing, setReleasing] = createSignal(false);
  const checkIn = createAction();
  const checkOut = createAction();
  const complete = createAction();
  const release = createAction();
  const claim = createAction();
  const id = () => props.wish.id;
  const away = (p: { lat: number; lng: number }) => (props.wish.location ? distance(p, props.wish.location) : undefined);

  const arrive = async () => {
    const w = await checkIn.run(async () => post<WishView>(`/api/wishes/${id()}/check-in`, await position()), t("member.checkedIn"));
    if (w) props.onChange(w);
  };
  const leave = async (e: Event) => {
    e.preventDefault();
    const w = await checkOut.run(
      async () => post<WishView>(`/api/wishes/${id()}/check-out`, { ...(await position()), code: code().trim() || undefined }),
      t("member.checkedOut"),
    );
    if (w) props.onChange(w);
  };
  const finish = async (e: Event) => {
    e.preventDefault();
    const w = await complete.run(() => post<WishView>(`/api/wishes/${id()}/complete`, { note: note().trim() }), t("member.completed"));
    if (w) props.onChange(w);
  };
  const giveBack = async () => {
    const kind = mine()?.dispatchedBy ? "decline" : "release";
    const w = await release.run(() => post<WishView>(`/api/wishes/${id()}/${kind}`), t("member.released"));
    setReleasing(false);
    if (w) props.onChange(w);
  };

  return (
    <div class="actions">
      {/* Outcomes stay outside the panels: a step that succeeds (or a wish that changed meanwhile) hides its panel, not the news. */}
      <Outcome action={claim} />
      <Outcome action={checkIn} />
      <Outcome action={checkOut} />
      <Outcome action={complete} />
      <Outcome action={release} />
      <Show when={!mine() && props.wish.window && props.wish.claims.some((c) => !c.checkIn)}>
        <AskTakeover wish={props.wish} onChange={props.onChange} />
      </Show>
      <Show when={!mine() && allows("claim", props.wish.status)}>
        <ClaimButton wish={props.wish} action={claim} onClaimed={props.onChange} onRefused={props.onStale} />
      </Show>
      <Show when={mine()}>
        {(c) => (
          <>
            <Show when={c().dispatchedBy}>
              <p class="notice">{t("member.dispatched")}</p>
            </Show>
            <Show when={c().checkIn}>
              {(s) => (
                <p class="stamp">
                  {t("member.inAt", { at: formatDateTime(s().at) })}
                  <Show when={away(s()) !== undefined}> · {t("hall.away", { d: formatDistance(away(s())!) })}</Show>
                </p>
              )}
            </Show>
            <Show when={c().checkOut}>
              {(s) => (
                <p class="stamp">
                  {t("member.outAt", { at: formatDateTime(s().at) })}
                  {s().signedByResident ? ` · ${t("member.signed")}` : ""}
                </p>
              )}
            </Show>
            <Show when={c().warnedAt || c().extendedAt}>
              <ExtendClaim wish={props.wish} claim={c()} onChange={props.onChange} />
            </Show>
            <Show when={!c().checkIn && allows("check-in", props.wish.status)}>
              <div class="panel">
                <h2>{t("member.arriveTitle")}</h2>
                <p class="hint">{t("member.arriveHint")}</p>
                <button type="button" class="primary wide" onClick={arrive} disabled={checkIn.busy()} aria-busy={checkIn.busy()}>
                  <Busy when={checkIn.busy()} working={t("geo.locating")} idle={t("member.checkIn")} />
                </button>
              </div>
              <Show
                when={releasing()}
                fallback={
                  <button type="button" class="secondary wide" onClick={() => setReleasing(true)}>
                    {c().dispatchedBy ? t("member.decline") : t("member.release")}
                  </button>
                }
              >
                <div class="panel">
                  <p>{t("member.releaseAsk")}</p>
                  <div class="row">
                    <button type="button" class="secondary" onClick={() => setReleasing(false)}>
                      {t("action.back")}
                    </button>
                    <button type="button" class="danger" onClick={giveBack} disabled={release.busy()} aria-busy={release.busy()}>
                      <Busy when={release.busy()} working={t("working")} idle={t("member.releaseConfirm")} />
                    </button>
                  </div>
                </div>
              </Show>
            </Show>
            <Show when={c().checkIn && !c().checkOut && props.wish.status === "in_progress"}>
              <form class="panel" onSubmit={leave}>
                <h2>{t("member.leaveTitle")}</h2>
                <Field
                  label={t("member.code")}
                  hint={t("member.codeHint")}
                  inputmode="numeric"
                  pattern="[0-9]*"
                  maxLength={4}
                  autocomplete="off"
                  value={code()}
                  onValue={setCode}
                  problem={fieldProblem(checkOut.error(), "code")}
                />
                <button type="submit" class="primary wide" disabled={checkOut.busy()} aria-busy={checkOut.busy()}>
                  <Busy when={checkOut.busy()} working={t("geo.locating")} idle={t("member.checkOut")} />
                </button>
              </form>
            </Show>
            <Show when={c().checkIn && props.wish.status === "in_progress"}>
              <form class="panel" onSubmit={finish}>
                <h2>{t("member.completeTitle")}</h2>
                <Field
                  label={t("member.note")}
                  multiline
                  required
                  maxLength={1000}
                  value={note()}
                  onValue={setNote}
                  problem={fieldProblem(complete.error(), "note")}
                />
                <button type="submit" class="primary wide" disabled={complete.busy() || !note().trim()} aria-busy={complete.busy()}>
                  <Busy when={complete.busy()} working={t("working")} idle={t("member.complete")} />
                </button>
              </form>
            </Show>
          </>
        )}
      </Show>
      <Show when={!mine() && !allows("claim", props.wish.status)}>
        <p class="muted">{t("member.notOpen")}</p>
      </Show>
    </div>
  );
}
