/**
 * Claims that stall. A claim on a wish with a time window must be checked in by the window's
 * start plus the community's `claimGraceMinutes`: at half the grace its holder is warned, at the
 * grace the scheduled job releases it (event `lapse`, saying why), so a volunteer who claimed and
 * never came does not block the wish until staff notice. Before that, the holder may extend once,
 * by one more grace (check-in stays open that much longer for them). Once the window has started,
 * another member may ask to take over a claim not checked in, and staff hand it over.
 * A wish without a window has no time to be late for: its claims never lapse.
 */
import { getItem, getMany, queryAll, type Store } from "../store/client.js";
import * as claims from "../store/entities/claim.js";
import * as roles from "../store/entities/role.js";
import * as takeovers from "../store/entities/takeover.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, Wish } from "../store/entities/index.js";
import { unfinished } from "./claims.js";
import { fail } from "./errors.js";
import { hasRole, type Actor } from "./identity.js";
import type { Status } from "./model.js";
import * as Settings from "./settings.js";
import { write } from "./storage.js";
import { canSee, capacities, commit, eventItem, load, loadWithClaim, system, wishUpdate } from "./wish.js";

const minute = 60_000;
/** States in which a claim not checked in can stall: once anyone checked in, the team is fixed. */
const waiting: readonly Status[] = ["open", "claimed"];

/** When the claim lapses unless its holder checks in: the window's start plus the grace, twice the grace once extended. */
export function lapsesAt(wish: Wish, claim: Claim, graceMinutes: number): number | undefined {
  if (!wish.window) return undefined;
  return Date.parse(wish.window.from) + graceMinutes * minute * (claim.extendedAt ? 2 : 1);
}

/** When its holder is warned: half a grace before it lapses. */
export const warnsAt = (lapse: number, graceMinutes: number) => lapse - (graceMinutes * minute) / 2;

/** Minutes of check-in a claim's extension adds to the window's rule. */
export const extraCheckInMinutes = (claim: Claim | undefined, graceMinutes: number) => (claim?.extendedAt ? graceMinutes : 0);

const iso = (ms: number) => new Date(ms).toISOString();

type Step = (what: "warned" | "lapsed", wish: Wish, run: () => Promise<unknown>) => Promise<void>;

/**
 * The job's part: for the community's open and claimed wishes whose window has started, warn the
 * holders of claims not checked in at half the grace and release those claims at the grace. The
 * writes are conditional on the claim as read, so a holder who checks in or extends meanwhile keeps it.
 */
export async function lapseStalled(store: Store, communityId: string, candidates: Wish[], now: Date, step: Step) {
  const started = candidates.filter((w) => waiting.includes(w.status) && w.window && Date.parse(w.window.from) <= now.getTime());
  if (!started.length) return;
  const { claimGraceMinutes: grace } = await Settings.read(store, communityId);
  for (const wish of started) {
    const held = (await queryAll(store, claims.ofWish(wish.id))).map(claims.fromItem).filter((c) => !c.checkIn);
    for (const claim of held) {
      const lapse = lapsesAt(wish, claim, grace)!;
      if (now.getTime() >= lapse) await step("lapsed", wish, () => release(store, wish.id, claim, grace, now));
      else if (now.getTime() >= warnsAt(lapse, grace) && !claim.warnedAt)
        await step("warned", wish, () => warn(store, wish, claim, lapse, now));
    }
  }
}

class Lost extends Error {}
export const isLost = (err: unknown) => err instanceof Lost;

async function warn(store: Store, wish: Wish, claim: Claim, lapse: number, now: Date) {
  const at = now.toISOString();
  const outcome = await write(store, [
    wishes.stillIn(wish, waiting),
    claims.warned(claim, at),
    eventItem(wish, system, "warn", wish.status, at, {
      data: { memberIds: [claim.memberId], memberName: claim.memberName, releaseAt: iso(lapse) },
    }),
  ]);
  if (!outcome.ok) throw new Lost();
}

async function release(store: Store, id: string, claim: Claim, grace: number, now: Date) {
  // Read afresh: an earlier release in this run may have moved the wish.
  const wish = await load(store, id);
  if (!waiting.includes(wish.status)) throw new Lost();
  const at = now.toISOString();
  const minutes = grace * (claim.extendedAt ? 2 : 1);
  const outcome = await write(store, [
    wishUpdate(wish, "open", at, {}, { whenStatus: waiting, increment: { claimed: -1 } }),
    claims.lapse(claim),
    eventItem(wish, system, "lapse", "open", at, {
      data: { memberIds: [claim.memberId], memberName: claim.memberName, reason: "not_checked_in", minutes, extended: !!claim.extendedAt },
    }),
    ...unfinished(wish, claim, at),
  ]);
  if (!outcome.ok) throw new Lost();
}

/** The wish for someone acting on one of its claims: not there for those who may not see it. */
function visible(actor: Actor, wish: Wish, claim?: Claim) {
  if (!canSee(capacities(actor, wish, claim), wish)) fail("wish.not_found", `No wish ${wish.id} that you can see.`);
}

function stillWaiting(wish: Wish, what: string) {
  if (!waiting.includes(wish.status)) {
    fail("wish.wrong_state", `A wish that is ${wish.status} has no claim to ${what}: that is possible while it is open or claimed.`, {
      wishStatus: wish.status,
      allowedFrom: waiting,
    });
  }
}

/** The holder's one extension: the claim lapses a grace later, and check-in stays open that much longer for them. */
export async function extend(store: Store, actor: Actor, id: string, now = new Date()) {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  visible(actor, wish, claim);
  if (!claim) return fail("wish.forbidden", "You hold no claim on this wish.");
  if (claim.checkIn) fail("claim.checked_in", `You checked in already, at ${claim.checkIn.at}: there is nothing to extend.`);
  stillWaiting(wish, "extend");
  if (!wish.window) fail("claim.no_deadline", "This wish has no time window: a claim on it does not lapse, so there is nothing to extend.");
  if (claim.extendedAt) fail("claim.extended", `You extended this claim already, at ${claim.extendedAt}: a claim may be extended once.`);
  const { claimGraceMinutes: grace } = await Settings.read(store, wish.communityId);
  const lapse = lapsesAt(wish, claim, grace)!;
  if (now.getTime() >= lapse)
    fail("claim.lapsed", `Your claim lapsed at ${iso(lapse)}: it can no longer be extended.`, { lapsedAt: iso(lapse) });
  const until = lapse + grace * minute;
  const at = now.toISOString();
  await commit(
    store,
    wish,
    [
      wishes.stillIn(wish, waiting),
      claims.extend(id, actor.id, at),
      eventItem(wish, actor, "extend", wish.status, at, { data: { memberIds: [actor.id], until: iso(until), minutes: grace } }),
    ],
    () => fail("claim.extended", "Your claim was extended, checked in or released meanwhile: look again."),
  );
  return { until: iso(until) };
}

/**
 * A member asks to take over a stalled claim: one not checked in on a wish whose window has
 * started. `memberId` names whose; it may be left out when only one claim is stalled.
 */
export async function askTakeover(store: Store, actor: Actor, id: string, input: { memberId?: string }, now = new Date()) {
  const wish = await load(store, id);
  const held = (await queryAll(store, claims.ofWish(id))).map(claims.fromItem);
  const mine = held.find((c) => c.memberId === actor.id);
  visible(actor, wish, mine);
  if (!hasRole(actor, wish.communityId, "member")) fail("wish.forbidden", "Only members of this community may take over a claim.");
  if (wish.ownerId === actor.id) fail("wish.own_wish", "You posted this wish: someone else must take it.", { ownerId: wish.ownerId });
  const holderId = input.memberId ?? soleStalled(held, actor.id);
  if (holderId === actor.id) {
    fail("takeover.own_claim", "This is your own claim: check in, extend it or release it.", { field: "memberId" });
  }
  if (mine) fail("claim.exists", "You already hold a place on this wish.", { memberId: actor.id });
  const holder = held.find((c) => c.memberId === holderId);
  if (!holder)
    return fail("claim.not_found", `Nobody with the id ${holderId.slice(0, 64)} holds a claim on this wish.`, { field: "memberId" });
  if (holder.checkIn) fail("claim.checked_in", `${holder.memberName} checked in at ${holder.checkIn.at}: the claim is not stalled.`);
  stillWaiting(wish, "take over");
  if (!wish.window || Date.parse(wish.window.from) > now.getTime()) {
    const when = wish.window ? `until its start, ${wish.window.from}` : "without a time window";
    fail("takeover.not_stalled", `${holder.memberName}'s claim is not stalled: the wish has no time to be late for ${when}.`, {
      windowFrom: wish.window?.from,
    });
  }
  const membership = actor.communities.find((m) => m.communityId === wish.communityId);
  const at = now.toISOString();
  await commit(
    store,
    wish,
    [
      wishes.stillIn(wish, waiting),
      claims.stalled(holder),
      takeovers.create({
        wishId: id,
        communityId: wish.communityId,
        memberId: actor.id,
        memberName: actor.name,
        branchId: membership?.branchId,
        holderId: holder.memberId,
        holderName: holder.memberName,
        at,
      }),
      eventItem(wish, actor, "ask-takeover", wish.status, at, {
        data: { memberIds: [holder.memberId], holderName: holder.memberName, requesterId: actor.id },
      }),
    ],
    (index) =>
      index === 1
        ? fail("claim.checked_in", `${holder.memberName} checked in or gave the place back meanwhile: look again.`)
        : fail("takeover.asked", "You asked to take over a claim on this wish already: staff will decide."),
  );
  return { holderId: holder.memberId };
}

function soleStalled(held: Claim[], me: string): string {
  const others = held.filter((c) => c.memberId !== me && !c.checkIn);
  if (others.length === 1) return others[0].memberId;
  if (!others.length && held.some((c) => c.memberId === me)) return me;
  return fail(
    "wish.invalid",
    others.length
      ? "Several claims on this wish are not checked in: say whose you would take over (memberId)."
      : "No claim on this wish is stalled.",
    { field: "memberId" },
  );
}

/** Staff hand a stalled claim over to the member who asked: one transaction, the place never free in between. */
export async function approveTakeover(store: Store, actor: Actor, id: string, memberId: string) {
  const wish = await load(store, id);
  visible(actor, wish);
  if (!hasRole(actor, wish.communityId, "staff")) fail("wish.forbidden", "Only staff of this community may hand a claim over.");
  stillWaiting(wish, "hand over");
  const [request, role] = await Promise.all([
    getItem(store, takeovers.key(id, memberId)),
    getItem(store, roles.key(memberId, wish.communityId)),
  ]);
  if (!request) return fail("takeover.not_found", `Nobody with the id ${memberId.slice(0, 64)} asked to take over a claim on this wish.`);
  const ask = takeovers.fromItem(request);
  const found = await getMany(store, [claims.key(id, ask.holderId), claims.key(id, memberId)]);
  const holderItem = found.find((i) => i.memberId === ask.holderId);
  if (!holderItem) {
    fail("takeover.stale", `${ask.holderName} no longer holds a claim on this wish: ${ask.memberName} can claim the free place directly.`);
  }
  if (found.some((i) => i.memberId === memberId))
    fail("claim.exists", `${ask.memberName} already holds a place on this wish.`, { memberId });
  const holder = claims.fromItem(holderItem!);
  if (holder.checkIn) fail("claim.checked_in", `${holder.memberName} checked in at ${holder.checkIn.at}: the claim is not stalled.`);
  if (!role || !roles.fromItem(role).roles?.includes("member")) {
    fail("wish.invalid", `${ask.memberName} is no longer a member of this community.`, { field: "memberId" });
  }
  const at = new Date().toISOString();
  await commit(
    store,
    wish,
    [
      wishUpdate(wish, wish.status, at),
      claims.lapse(holder),
      claims.create({
        wishId: id,
        communityId: wish.communityId,
        memberId,
        memberName: ask.memberName,
        branchId: roles.fromItem(role!).branchId,
        claimedAt: at,
      }),
      takeovers.settle(id, memberId),
      eventItem(wish, actor, "takeover", wish.status, at, {
        note: `${holder.memberName} → ${ask.memberName}`,
        data: { memberIds: [memberId], fromMemberId: holder.memberId, fromMemberName: holder.memberName },
      }),
      ...unfinished(wish, holder, at),
    ],
    () =>
      fail("takeover.stale", `${holder.memberName} checked in or gave the place back meanwhile, or the request was settled: look again.`),
  );
  return wish;
}
