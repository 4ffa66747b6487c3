import { A } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { finalStatuses } from "../../../../functions/core/model";
import { get, post } from "../../data/api";
import { community } from "../../data/session";
import type { Candidate, WishView } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { formatDistance, formatMinutes, locale, t } from "../../i18n";
import { Busy, createAction, Outcome } from "../../ui/action";
import { Field } from "../../ui/field";
import { TakeoverRequests } from "./claim-steps";
import { Stars } from "./owner-actions";

const measured = (c: WishView["claims"][number]) =>
  c.checkIn && c.checkOut ? Math.max(0, Math.floor((Date.parse(c.checkOut.at) - Date.parse(c.checkIn.at)) / 60_000)) : undefined;

/** Members to dispatch, best first as the API ranks them (skills matched, tasks in hand, nearness), or by what staff put first. */
function loadCandidates([id, skill, sort]: [string, string, string]) {
  const query = new URLSearchParams({ sort });
  if (skill) query.set("skill", skill);
  return get<{ items: Candidate[] }>(`/api/wishes/${id}/candidates?${query}`).then((r) => r.items);
}

/** Staff on a wish: review it, dispatch volunteers, confirm for a resident without a phone, verify hours, cancel. */
export default function StaffActions(props: { wish: WishView; onChange: (w: WishView) => void; onStale: () => void }) {
  const id = () => props.wish.id;
  const act = createAction();
  const done = async (path: string, body: unknown, message: string) => {
    const w = await act.run(() => post<WishView>(`/api/wishes/${id()}/${path}`, body), message);
    if (w) props.onChange(w);
    return w;
  };

  // Review
  const [slots, setSlots] = createSignal("1");
  const [estimate, setEstimate] = createSignal("60");
  const [deadline, setDeadline] = createSignal("");
  const [rejectReason, setRejectReason] = createSignal("");
  const [rejecting, setRejecting] = createSignal(false);

  // Dispatch
  const [skill, setSkill] = createSignal("");
  const [order, setOrder] = createSignal("skill");
  const [members] = createResource(
    () => (props.wish.status === "open" ? ([props.wish.id, skill(), order()] as [string, string, string]) : undefined),
    loadCandidates,
  );
  const [branch, setBranch] = createSignal("");
  const [picked, setPicked] = createSignal<string[]>([]);
  const free = () => props.wish.slots - props.wish.claimed;
  const branchName = (b?: string) => community()?.branches.find((x) => x.id === b)?.name ?? t("staff.noBranch");
  const candidates = createMemo(() =>
    (members() ?? []).filter((m) => !props.wish.claims.some((c) => c.memberId === m.id) && (!branch() || m.branchId === branch())),
  );

  // Confirm on behalf, verify, cancel
  const [rating, setRating] = createSignal(5);
  const [comment, setComment] = createSignal("");
  const [minutes, setMinutes] = createSignal<Record<string, string>>({});
  const [verifyReason, setVerifyReason] = createSignal("");
  const [staffRating, setStaffRating] = createSignal(0);
  const [served, setServed] = createSignal("");
  const [cancelReason, setCancelReason] = createSignal("");
  const [cancelling, setCancelling] = createSignal(false);

  const givenMinutes = () => {
    const out: Record<string, number> = {};
    for (const c of props.wish.claims) {
      const typed = minutes()[c.memberId];
      if (typed !== undefined && typed !== "" && Number(typed) !== measured(c)) out[c.memberId] = Number(typed);
    }
    return out;
  };

  return (
    <div class="actions">
      <Outcome action={act} />
      <TakeoverRequests wish={props.wish} onChange={props.onChange} onStale={props.onStale} />
      <Show when={props.wish.status === "submitted"}>
        <form
          class="panel"
          aria-labelledby="approve-title"
          onSubmit={(e) => {
            e.preventDefault();
            done(
              "approve",
              {
                slots: Number(slots()),
                estimatedMinutes: Number(estimate()),
                deadline: deadline() ? new Date(deadline()).toISOString() : undefined,
              },
              t("staff.approved"),
            );
          }}
        >
          <h2 id="approve-title">{t("staff.approveTitle")}</h2>
          <Field
            label={t("staff.slots")}
            type="number"
            inputmode="numeric"
            min={1}
            max={500}
            value={slots()}
            onValue={setSlots}
            problem={fieldProblem(act.error(), "slots")}
          />
          <Field
            label={t("staff.estimate")}
            hint={t("staff.estimateHint")}
            type="number"
            inputmode="numeric"
            min={5}
            max={1440}
            step={5}
            value={estimate()}
            onValue={setEstimate}
            problem={fieldProblem(act.error(), "estimatedMinutes")}
          />
          <Field
            label={t("staff.deadline")}
            type="datetime-local"
            value={deadline()}
            onValue={setDeadline}
            problem={fieldProblem(act.error(), "deadline")}
          />
          <button type="submit" class="primary wide" disabled={act.busy()} aria-busy={act.busy()}>
            <Busy when={act.busy()} working={t("working")} idle={t("staff.approve")} />
          </button>
        </form>
        <Show
          when={rejecting()}
          fallback={
            <button type="button" class="secondary wide" onClick={() => setRejecting(true)}>
              {t("staff.reject")}
            </button>
          }
        >
          <form
            class="panel"
            onSubmit={(e) => {
              e.preventDefault();
              done("reject", { reason: rejectReason().trim() }, t("staff.rejected"));
            }}
          >
            <Field
              label={t("staff.rejectReason")}
              hint={t("staff.rejectHint")}
              multiline
              required
              maxLength={500}
              value={rejectReason()}
              onValue={setRejectReason}
              problem={fieldProblem(act.error(), "reason")}
            />
            <button type="submit" class="danger wide" disabled={act.busy() || !rejectReason().trim()} aria-busy={act.busy()}>
              <Busy when={act.busy()} working={t("working")} idle={t("staff.rejectConfirm")} />
            </button>
          </form>
        </Show>
      </Show>

      <Show when={props.wish.status === "open"}>
        <form
          class="panel"
          aria-labelledby="dispatch-title"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await done("dispatch", { memberIds: picked() }, t("staff.dispatched"))) setPicked([]);
            else props.onStale();
          }}
        >
          <h2 id="dispatch-title">{t("staff.dispatchTitle")}</h2>
          <Show when={props.wish.location}>
            <A href={`/map?wish=${props.wish.id}`}>{t("map.openHere")}</A>
          </Show>
          <p class="hint">{t("staff.free", { free: free() })}</p>
          <div class="field">
            <label for="branch-filter">{t("staff.branch")}</label>
            <select id="branch-filter" value={branch()} onChange={(e) => setBranch(e.currentTarget.value)}>
              <option value="">{t("staff.allBranches")}</option>
              <For each={community()?.branches ?? []}>{(b) => <option value={b.id}>{b.name}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="skill-filter">{t("staff.skill")}</label>
            <select id="skill-filter" value={skill()} onChange={(e) => setSkill(e.currentTarget.value)}>
              <option value="">{t("staff.anySkill")}</option>
              <For each={community()?.skills ?? []}>{(s) => <option value={s.name}>{locale() === "en" ? s.en : s.name}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="dispatch-order">{t("staff.order")}</label>
            <select id="dispatch-order" value={order()} onChange={(e) => setOrder(e.currentTarget.value)}>
              <option value="skill">{t("staff.order.skill")}</option>
              <option value="distance">{t("staff.order.distance")}</option>
              <option value="load">{t("staff.order.load")}</option>
            </select>
          </div>
          <Show when={members.loading}>
            <p class="muted" role="status">
              {t("loading")}
            </p>
          </Show>
          <fieldset class="pick">
            <legend>{t("staff.members")}</legend>
            <For each={candidates()} fallback={<p class="muted">{members.loading ? "" : t("staff.noMembers")}</p>}>
              {(m) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={picked().includes(m.id)}
                    disabled={!picked().includes(m.id) && picked().length >= free()}
                    onChange={(e) => setPicked((p) => (e.currentTarget.checked ? [...p, m.id] : p.filter((x) => x !== m.id)))}
                  />
                  <span>
                    {m.name} <span class="muted">· {branchName(m.branchId)}</span>
                    <span class="muted"> · {m.tasksInHand ? t("staff.load", { n: m.tasksInHand }) : t("staff.free0")}</span>
                    <Show when={m.distanceMeters !== undefined}>
                      <span class="muted"> · {t("staff.near", { distance: formatDistance(m.distanceMeters!) })}</span>
                    </Show>
                    <Show when={m.matched.length}>
                      <span class="skills"> · {m.matched.join("、")}</span>
                    </Show>
                  </span>
                </label>
              )}
            </For>
          </fieldset>
          <button type="submit" class="primary wide" disabled={act.busy() || picked().length === 0} aria-busy={act.busy()}>
            <Busy when={act.busy()} working={t("working")} idle={t("staff.dispatch", { n: picked().length })} />
          </button>
        </form>
      </Show>

      <Show when={props.wish.status === "completed"}>
        <form
          class="panel"
          aria-labelledby="behalf-title"
          onSubmit={(e) => {
            e.preventDefault();
            done("confirm", { rating: rating(), comment: comment().trim() }, t("owner.confirmed"));
          }}
        >
          <h2 id="behalf-title">{t("staff.behalfTitle")}</h2>
          <Stars value={rating()} onValue={setRating} legend={t("owner.rating")} />
          <Field
            label={t("staff.behalfWhy")}
            multiline
            required
            maxLength={1000}
            value={comment()}
            onValue={setComment}
            problem={fieldProblem(act.error(), "comment")}
          />
          <button type="submit" class="primary wide" disabled={act.busy() || !comment().trim()} aria-busy={act.busy()}>
            <Busy when={act.busy()} working={t("working")} idle={t("owner.confirm")} />
          </button>
        </form>
      </Show>

      <Show when={props.wish.status === "confirmed"}>
        <form
          class="panel"
          aria-labelledby="verify-title"
          onSubmit={(e) => {
            e.preventDefault();
            const given = givenMinutes();
            done(
              "verify",
              {
                ...(Object.keys(given).length ? { minutes: given, reason: verifyReason().trim() } : {}),
                staffRating: staffRating() || undefined,
                peopleServed: served() ? Number(served()) : undefined,
              },
              t("staff.verified"),
            );
          }}
        >
          <h2 id="verify-title">{t("staff.verifyTitle")}</h2>
          <p class="hint">{t("staff.verifyHint")}</p>
          <For each={props.wish.claims}>
            {(c) => (
              <Field
                label={t("staff.minutesFor", { name: c.memberName })}
                hint={measured(c) !== undefined ? t("staff.measured", { d: formatMinutes(measured(c)!) }) : t("staff.noCheckout")}
                type="number"
                inputmode="numeric"
                min={0}
                max={1440}
                value={minutes()[c.memberId] ?? String(measured(c) ?? "")}
                onValue={(v) => setMinutes((m) => ({ ...m, [c.memberId]: v }))}
                problem={fieldProblem(act.error(), `minutes.${c.memberId}`, "minutes")}
              />
            )}
          </For>
          <Show when={Object.keys(givenMinutes()).length > 0}>
            <Field
              label={t("staff.verifyReason")}
              multiline
              required
              maxLength={500}
              value={verifyReason()}
              onValue={setVerifyReason}
              problem={fieldProblem(act.error(), "reason")}
            />
          </Show>
          <Stars value={staffRating()} onValue={setStaffRating} legend={t("staff.teamRating")} />
          <Field
            label={t("staff.served")}
            hint={t("staff.servedHint")}
            type="number"
            inputmode="numeric"
            min={1}
            value={served()}
            onValue={setServed}
            problem={fieldProblem(act.error(), "peopleServed")}
          />
          <button type="submit" class="primary wide" disabled={act.busy()} aria-busy={act.busy()}>
            <Busy when={act.busy()} working={t("working")} idle={t("staff.verify")} />
          </button>
        </form>
      </Show>

      <Show when={!finalStatuses.includes(props.wish.status)}>
        <Show
          when={cancelling()}
          fallback={
            <button type="button" class="secondary wide" onClick={() => setCancelling(true)}>
              {t("staff.cancel")}
            </button>
          }
        >
          <form
            class="panel"
            onSubmit={(e) => {
              e.preventDefault();
              done("cancel", { reason: cancelReason().trim() }, t("owner.cancelled"));
            }}
          >
            <Field
              label={t("owner.cancelReason")}
              multiline
              required
              maxLength={500}
              value={cancelReason()}
              onValue={setCancelReason}
              problem={fieldProblem(act.error(), "reason")}
            />
            <button type="submit" class="danger wide" disabled={act.busy() || !cancelReason().trim()} aria-busy={act.busy()}>
              <Busy when={act.busy()} working={t("working")} idle={t("owner.cancelConfirm")} />
            </button>
          </form>
        </Show>
      </Show>
    </div>
  );
}
