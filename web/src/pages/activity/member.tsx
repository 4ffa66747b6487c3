import { createSignal, For, Show } from "solid-js";
import { ApiError, post } from "../../data/api";
import { formatChinaTime } from "../../data/china-time";
import { currentPosition, GeoError } from "../../data/geo";
import type { ActivityView } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { formatDistance, formatMinutes, locale, t } from "../../i18n";
import { Busy, createAction, Outcome, type Action } from "../../ui/action";
import { Field } from "../../ui/field";
import { ta } from "../../i18n/activities";

const tokenKey = (id: string) => `mw.activity.${id}.t`;

export function rememberedToken(id: string): string | undefined {
  try {
    return localStorage.getItem(tokenKey(id)) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberToken(id: string, token: string) {
  try {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(token)) localStorage.setItem(tokenKey(id), token);
  } catch {
    // Kept in the link for this visit.
  }
}

/**
 * A fresh fix from the phone (never an older one, so a step closer counts); the phone's refusal
 * reads like the server's, and the server's fence refusals name the activity's place.
 */
async function attend<T>(step: "check-in" | "check-out", id: string, body: Record<string, unknown>) {
  let fix: Awaited<ReturnType<typeof currentPosition>>;
  try {
    fix = await currentPosition();
  } catch (err) {
    throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
  }
  return post<T>(`/api/activities/${id}/${step}`, { ...body, ...fix });
}

/** An outcome, with the fence's refusal naming the activity's place rather than a wish's. */
function Said(props: { action: Action }) {
  const far = () => {
    const err = props.action.error();
    if (!(err instanceof ApiError) || !err.code.endsWith(".too_far") || typeof err.data.distanceMeters !== "number") return undefined;
    const step = t(err.code.startsWith("checkin") ? "step.checkin" : "step.checkout");
    return ta("err.fence.farActivity", {
      step,
      distance: formatDistance(err.data.distanceMeters),
      radius: formatDistance(Number(err.data.radiusMeters)),
    });
  };
  return (
    <Show when={far()} fallback={<Outcome action={props.action} />}>
      <p class="notice error" role="alert">
        {far()}
      </p>
    </Show>
  );
}

/** A member on an activity: sign up (in a team) or withdraw before it starts; at the place, with the poster's code, check in and out. */
export function MemberPart(props: { activity: ActivityView; token?: string; onChange: (a: ActivityView) => void; onStale: () => void }) {
  const a = () => props.activity;
  const mine = () => a().mySignup;
  const [team, setTeam] = createSignal("");
  const [comment, setComment] = createSignal("");
  const signUp = createAction();
  const withdraw = createAction();
  const checkIn = createAction();
  const checkOut = createAction();
  const when = (iso: string) => formatChinaTime(iso, locale());
  const beforeStart = () => Date.now() < Date.parse(a().window.from);
  const full = () => a().places !== undefined && a().signedUp >= a().places!;

  const join = async (e: Event) => {
    e.preventDefault();
    const next = await signUp.run(
      () => post<ActivityView>(`/api/activities/${a().id}/signup`, { team: team() || undefined }),
      ta("activity.signedUp"),
    );
    if (next) props.onChange(next);
    else props.onStale();
  };
  const leave = async () => {
    const next = await withdraw.run(() => post<ActivityView>(`/api/activities/${a().id}/withdraw`), ta("activity.withdrawn"));
    if (next) props.onChange(next);
  };
  const arrive = async () => {
    const next = await checkIn.run(
      () => attend<ActivityView>("check-in", a().id, { token: props.token }),
      mine() ? ta("activity.checkedIn") : ta("activity.walkedIn"),
    );
    if (next) props.onChange(next);
  };
  const depart = async (e: Event) => {
    e.preventDefault();
    const next = await checkOut.run(
      () => attend<ActivityView>("check-out", a().id, { token: props.token, comment: comment().trim() || undefined }),
      ta("activity.checkedOut"),
    );
    if (next) props.onChange(next);
  };

  return (
    <div class="actions">
      <Outcome action={signUp} />
      <Outcome action={withdraw} />
      <Said action={checkIn} />
      <Said action={checkOut} />
      <Show when={mine()}>
        {(s) => (
          <section class="panel" aria-labelledby="my-signup-title">
            <h2 id="my-signup-title">{ta("activity.mine")}</h2>
            <p class="stamp">
              {s().walkIn ? ta("activity.walkIn") : ta("activity.signedUpAt", { at: when(s().signedAt) })}
              <Show when={s().team}> · {s().team}</Show>
            </p>
            <Show when={s().checkIn}>
              {(c) => (
                <p class="stamp">
                  {ta("activity.inAt", { at: when(c().at) })}
                  <Show when={c().distanceMeters !== undefined}> · {ta("activity.away", { d: formatDistance(c().distanceMeters!) })}</Show>
                </p>
              )}
            </Show>
            <Show when={s().checkOut}>{(c) => <p class="stamp">{ta("activity.outAt", { at: when(c().at) })}</p>}</Show>
            <Show when={s().comment}>
              <p class="pre">「{s().comment}」</p>
            </Show>
            <Show when={s().absentAt}>
              <p class="notice error">{ta("activity.absent")}</p>
            </Show>
            <Show when={s().creditedAt}>
              <p class="credited-note">{ta("activity.credited", { d: formatMinutes(s().creditedMinutes ?? 0) })}</p>
            </Show>
            <Show when={!s().checkIn && beforeStart() && a().status === "open"}>
              <button type="button" class="secondary wide" onClick={leave} disabled={withdraw.busy()} aria-busy={withdraw.busy()}>
                <Busy when={withdraw.busy()} working={t("working")} idle={ta("activity.withdraw")} />
              </button>
            </Show>
          </section>
        )}
      </Show>
      <Show when={!mine() && a().status === "open" && beforeStart()}>
        <form class="panel" onSubmit={join} aria-labelledby="signup-title">
          <h2 id="signup-title">{ta("activity.signUpTitle")}</h2>
          <Show when={a().teams?.length}>
            <fieldset class="chips">
              <legend>{ta("activity.pickTeam")}</legend>
              <For each={a().teams}>
                {(name) => (
                  <label class="chip">
                    <input type="radio" name="activity-team" value={name} checked={team() === name} onChange={() => setTeam(name)} />
                    <span>{name}</span>
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <Show when={full()}>
            <p class="hint">{ta("activity.full")}</p>
          </Show>
          <button
            type="submit"
            class="primary wide"
            disabled={signUp.busy() || full() || (Boolean(a().teams?.length) && !team())}
            aria-busy={signUp.busy()}
          >
            <Busy when={signUp.busy()} working={t("working")} idle={ta("activity.signUp")} />
          </button>
        </form>
      </Show>
      <Show when={a().status === "open" && !mine()?.checkIn}>
        <Show when={props.token} fallback={<p class="hint">{ta("activity.scanHint")}</p>}>
          <section class="panel" aria-labelledby="arrive-title">
            <h2 id="arrive-title">{ta("activity.arriveTitle")}</h2>
            <p class="hint">{mine() ? ta("activity.arriveHint") : ta("activity.walkInHint")}</p>
            <button type="button" class="primary wide" onClick={arrive} disabled={checkIn.busy()} aria-busy={checkIn.busy()}>
              <Busy when={checkIn.busy()} working={t("geo.locating")} idle={ta("activity.checkIn")} />
            </button>
          </section>
        </Show>
      </Show>
      <Show when={mine()?.checkIn && !mine()?.checkOut && a().status !== "verified"}>
        <Show when={props.token} fallback={<p class="hint">{ta("activity.scanToLeave")}</p>}>
          <form class="panel" onSubmit={depart} aria-labelledby="leave-title">
            <h2 id="leave-title">{ta("activity.leaveTitle")}</h2>
            <Field
              label={ta("activity.comment")}
              hint={ta("activity.commentHint")}
              multiline
              maxLength={1000}
              value={comment()}
              onValue={setComment}
              problem={fieldProblem(checkOut.error(), "comment")}
            />
            <button type="submit" class="primary wide" disabled={checkOut.busy()} aria-busy={checkOut.busy()}>
              <Busy when={checkOut.busy()} working={t("geo.locating")} idle={ta("activity.checkOut")} />
            </button>
          </form>
        </Show>
      </Show>
    </div>
  );
}
