import { getMany, updateItem, type Store, type TransactItem } from "../store/client.js";
import * as branchTallies from "../store/entities/branch-tally.js";
import * as claims from "../store/entities/claim.js";
import * as memberTallies from "../store/entities/member-tally.js";
import * as monthStats from "../store/entities/month-stats.js";
import * as roles from "../store/entities/role.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, Wish } from "../store/entities/index.js";
import { checkArrival, checkDeparture, checkPlace, maxHandshakeTries, type Position } from "./attendance.js";
import { DomainError, fail } from "./errors.js";
import type { Actor } from "./identity.js";
import * as Photos from "./photos.js";
import type { PhotoBucket } from "./photos.js";
import { transitions } from "./model.js";
import { monthOf } from "./period.js";
import * as Settings from "./settings.js";
import { write } from "./storage.js";
import { authorize, commit, eventItem, load, loadWithClaim, wishUpdate } from "./wish.js";

export type { Position } from "./attendance.js";

const maxTries = 50;

type Volunteer = { id: string; name: string; branchId?: string };

/**
 * Takes `count` places on a wish for the given members in one transaction: the wish's counter
 * under a condition that it still has room, each claim under `attribute_not_exists`, and the event.
 * The counter's condition is exact when the wish fills up (so its status flips to `claimed` in the
 * same write) and a bound that leaves a place free otherwise (so concurrent claims on a large wish
 * do not all collide, and a claim that would fill it after all is retried on the exact path).
 */
async function takePlaces(store: Store, actor: Actor, read: Wish, members: Volunteer[], kind: "claim" | "dispatch"): Promise<Wish> {
  let wish = read;
  for (let attempt = 0; attempt < maxTries; attempt++) {
    // The caller's read serves the first try; a lost race reads the wish afresh.
    if (attempt > 0) wish = await load(store, wish.id);
    try {
      authorize(actor, wish, kind);
    } catch (err) {
      const full = err instanceof DomainError && err.code === "wish.wrong_state" && wish.status === "claimed";
      if (full) fail("wish.full", `All ${wish.slots} places on this wish are taken.`, { slots: wish.slots, free: 0 });
      throw err;
    }
    const free = wish.slots - wish.claimed;
    if (members.length > free) {
      fail(
        "wish.full",
        free === 0 ? `All ${wish.slots} places on this wish are taken.` : `Only ${free} of ${wish.slots} places are left.`,
        {
          slots: wish.slots,
          free,
        },
      );
    }
    const at = new Date().toISOString();
    const { item: counter, to } = wishes.takePlaces(wish, members.length, at);
    const dispatchedBy = kind === "dispatch" ? actor.id : undefined;
    const taken = members.map((m) =>
      claims.create({
        wishId: wish.id,
        communityId: wish.communityId,
        memberId: m.id,
        memberName: m.name,
        branchId: m.branchId,
        claimedAt: at,
        dispatchedBy,
      }),
    );
    const note = kind === "dispatch" ? members.map((m) => m.name).join("、") : undefined;
    const event = eventItem(wish, actor, kind, to, at, { note, data: { memberIds: members.map((m) => m.id) } });
    // The first volunteer ever stops the clock on the wish's time to claim, exactly once.
    const stats = wish.firstClaimedAt
      ? []
      : [monthStats.add(wish.communityId, monthOf(at), { claimed: 1 }, { toClaim: minutesBetween(wish.approvedAt ?? wish.createdAt, at) })];
    const outcome = await write(store, [counter, ...taken, event, ...stats]);
    if (outcome.ok) return { ...wish, status: to, claimed: wish.claimed + members.length, version: wish.version + 1, updatedAt: at };
    const claimFailed = outcome.failed.find((f) => f.index > 0 && f.index <= taken.length);
    if (claimFailed) {
      const who = members[claimFailed.index - 1];
      fail("claim.exists", kind === "claim" ? "You have already claimed this wish." : `${who.name} already holds a claim on this wish.`, {
        memberId: who.id,
      });
    }
  }
  return fail("wish.busy", "Many people are claiming this wish at once; try again.");
}

const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

/** A member takes a place. The one read of the wish serves both the member's branch and the first try. */
export async function claim(store: Store, actor: Actor, id: string) {
  const wish = await load(store, id);
  const membership = actor.communities.find((m) => m.communityId === wish.communityId);
  return takePlaces(store, actor, wish, [{ id: actor.id, name: actor.name, branchId: membership?.branchId }], "claim");
}

/** Staff claims on members' behalf; each must be a member of the wish's community. */
export async function dispatch(store: Store, actor: Actor, id: string, input: { memberIds: string[] }) {
  const wish = await load(store, id);
  authorize(actor, wish, "dispatch");
  const memberIds = [...new Set(input.memberIds)];
  const held = (
    await getMany(
      store,
      memberIds.map((m) => roles.key(m, wish.communityId)),
    )
  ).map(roles.fromItem);
  const byId = new Map(held.filter((r) => r.roles?.includes("member")).map((r) => [r.userId, r]));
  const strangers = memberIds.filter((m) => !byId.has(m));
  if (strangers.length) {
    fail("wish.invalid", `Not members of this community: ${strangers.join(", ")}.`, { field: "memberIds", memberIds: strangers });
  }
  if (memberIds.includes(wish.ownerId)) {
    const name = byId.get(wish.ownerId)!.name;
    fail("wish.own_wish", `${name} posted this wish and cannot be dispatched to it: choose someone else.`, {
      field: "memberIds",
      memberIds: [wish.ownerId],
    });
  }
  const members = memberIds.map((m) => ({ id: m, name: byId.get(m)!.name, branchId: byId.get(m)!.branchId }));
  return takePlaces(store, actor, wish, members, "dispatch");
}

/**
 * Gives a place back. The claim item is deleted (under the condition that its holder has not
 * checked in); the timeline keeps the record. `decline` is the same for a dispatched member.
 */
export async function release(store: Store, actor: Actor, id: string, input: { reason?: string }, kind: "release" | "decline" = "release") {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  authorize(actor, wish, kind, claim);
  if (!claim) return fail("wish.forbidden", "You hold no claim on this wish.");
  if (kind === "decline" && !claim.dispatchedBy) fail("claim.not_dispatched", "You claimed this wish yourself: release it instead.");
  if (claim.checkIn) fail("claim.checked_in", "You have checked in already: ask staff to change the team.");
  const at = new Date().toISOString();
  await commit(
    store,
    wish,
    [
      wishUpdate(wish, "open", at, {}, { whenStatus: transitions[kind].from, increment: { claimed: -1 } }),
      claims.release(id, actor.id),
      eventItem(wish, actor, kind, "open", at, { note: input.reason }),
      ...unfinished(wish, claim, at),
    ],
    () => fail("claim.checked_in", "You have checked in already: ask staff to change the team."),
  );
  return { ...wish, status: "open" as const, claimed: wish.claimed - 1, version: wish.version + 1, updatedAt: at };
}

/** A claim given back counts against its holder's and branch's completion rate, in the month it ends. */
export function unfinished(wish: Wish, claim: Claim, at: string): TransactItem[] {
  const month = monthOf(at);
  const items = [memberTallies.add(claim, month, { unfinished: 1 })];
  if (claim.branchId) items.push(branchTallies.add(wish.communityId, claim.branchId, month, { unfinished: 1 }));
  return items;
}

/**
 * Records arrival: time and position, within the fence and the window's rules. The first
 * check-in starts the work (`in_progress`).
 */
export async function checkIn(store: Store, actor: Actor, id: string, position: Position, now = new Date()) {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  authorize(actor, wish, "check-in", claim);
  if (claim!.checkIn) fail("claim.checked_in", `You checked in already, at ${claim!.checkIn.at}.`);
  const settings = await Settings.read(store, wish.communityId);
  checkArrival(wish, now, settings);
  const distanceMeters = checkPlace("checkin", wish, position, settings);
  const at = now.toISOString();
  const record = { at, lat: position.lat, lng: position.lng, accuracy: position.accuracy, distanceMeters };
  const fields = wish.status === "in_progress" ? {} : { startedAt: at };
  await commit(
    store,
    wish,
    [
      wishUpdate(wish, "in_progress", at, fields, { whenStatus: transitions["check-in"].from }),
      claims.arrive(id, actor.id, record),
      eventItem(wish, actor, "check-in", "in_progress", at, { data: { ...record } }),
    ],
    () => fail("claim.checked_in", "You checked in already."),
  );
  return { ...wish, ...fields, status: "in_progress" as const, version: wish.version + 1, updatedAt: at };
}

/**
 * Records departure, within the fence and the window's rules. The code, when given, is the
 * resident's signature that the work was done; a wrong one costs a try, and after
 * `maxHandshakeTries` the code locks: the volunteer may still check out, unsigned.
 */
export async function checkOut(store: Store, actor: Actor, id: string, position: Position & { code?: string }, now = new Date()) {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  authorize(actor, wish, "check-out", claim);
  if (!claim!.checkIn) fail("claim.not_checked_in", "Check in before you check out.");
  if (claim!.checkOut) fail("claim.checked_out", `You checked out already, at ${claim!.checkOut.at}.`);
  const settings = await Settings.read(store, wish.communityId);
  checkDeparture(wish, now, settings);
  const distanceMeters = checkPlace("checkout", wish, position, settings);
  const signed = position.code !== undefined && (await checkCode(store, wish, claim!, position.code));
  const at = now.toISOString();
  const record = {
    at,
    lat: position.lat,
    lng: position.lng,
    accuracy: position.accuracy,
    distanceMeters,
    signedByResident: signed,
  };
  await commit(
    store,
    wish,
    [
      wishUpdate(wish, "in_progress", at, {}, { whenStatus: transitions["check-out"].from }),
      claims.depart(id, actor.id, record, signed ? maxHandshakeTries : undefined),
      eventItem(wish, actor, "check-out", "in_progress", at, { data: { ...record } }),
    ],
    () =>
      fail("claim.checked_out", signed ? "You checked out already, or the resident's code locked meanwhile." : "You checked out already."),
  );
  return { ...wish, version: wish.version + 1, updatedAt: at };
}

/**
 * True for the resident's code; a wrong one is counted on the claim (under a condition, so racing
 * tries cannot exceed the limit) and refused.
 */
async function checkCode(store: Store, wish: Wish, claim: Claim, code: string): Promise<true> {
  const tries = claim.codeTries ?? 0;
  const locked = () =>
    fail(
      "handshake.locked",
      `The resident's code was entered wrongly ${maxHandshakeTries} times and is locked: check out without it; staff will see the ` +
        `resident did not sign.`,
      {
        triesLeft: 0,
      },
    );
  if (tries >= maxHandshakeTries) locked();
  if (code === wish.handshakeCode) return true;
  if (!(await updateItem(store, claims.wrongCode(wish.id, claim.memberId, maxHandshakeTries))).ok) locked();
  const left = maxHandshakeTries - tries - 1;
  return fail(
    "handshake.wrong_code",
    left > 0
      ? `That is not the resident's code: ${left} ${left === 1 ? "try" : "tries"} left.`
      : "That is not the resident's code, and it is now locked: check out without it; staff will see the resident did not sign.",
    { triesLeft: left },
  );
}

/**
 * Marks the work done, with the volunteer's photos of it when given: added to those of an earlier
 * completion (a dispute sends the wish back), nine at most in all.
 */
export async function complete(store: Store, actor: Actor, id: string, input: { note: string; photos?: string[] }, bucket?: PhotoBucket) {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  authorize(actor, wish, "complete", claim);
  if (!claim!.checkIn) fail("claim.not_checked_in", "Check in before you mark the wish done.");
  const completionPhotoKeys = await Photos.attach(bucket, actor, "completion", input.photos, wish.completionPhotoKeys);
  const at = new Date().toISOString();
  const fields = {
    completedAt: at,
    completionNote: input.note,
    completedBy: actor.id,
    ...(input.photos?.length ? { completionPhotoKeys } : {}),
  };
  await commit(store, wish, [
    wishUpdate(wish, "completed", at, fields),
    eventItem(wish, actor, "complete", "completed", at, {
      note: input.note,
      data: input.photos?.length ? { photos: input.photos } : undefined,
    }),
  ]);
  return { ...wish, ...fields, status: "completed" as const, version: wish.version + 1, updatedAt: at };
}
