import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { getMany, transact, type Item, type Store, type TransactItem } from "../store/client.js";
import { Keys } from "../store/keys.js";
import { checkArrival, checkDeparture, checkPlace, maxHandshakeTries, type Position } from "./attendance.js";
import { DomainError, fail } from "./errors.js";
import type { Actor } from "./identity.js";
import { transitions, type Status } from "./model.js";
import { monthOf } from "./period.js";
import * as Settings from "./settings.js";
import { monthStatsUpdate, tallyUpdate } from "./tallies.js";
import { authorize, commit, eventItem, load, loadWithClaim, wishUpdate } from "./wish.js";

export type { Position } from "./attendance.js";

const maxTries = 50;

function claimItem(wish: Item, member: { id: string; name: string; branchId?: string }, at: string, dispatchedBy?: string) {
  return {
    ...Keys.claim(wish.id, member.id),
    ...Keys.claimByMember(member.id, at, wish.id),
    type: "claim",
    wishId: wish.id,
    communityId: wish.communityId,
    memberId: member.id,
    memberName: member.name,
    branchId: member.branchId,
    claimedAt: at,
    dispatchedBy,
  };
}

/**
 * Takes `count` places on a wish for the given members in one transaction: the wish's counter
 * under a condition that it still has room, each claim under `attribute_not_exists`, and the event.
 * The counter's condition is exact when the wish fills up (so its status flips to `claimed` in the
 * same write) and a bound that leaves a place free otherwise (so concurrent claims on a large wish
 * do not all collide, and a claim that would fill it after all is retried on the exact path).
 */
async function takePlaces(
  store: Store,
  actor: Actor,
  id: string,
  members: { id: string; name: string; branchId?: string }[],
  kind: "claim" | "dispatch",
) {
  for (let attempt = 0; attempt < maxTries; attempt++) {
    const wish = await load(store, id);
    try {
      authorize(actor, wish, kind);
    } catch (err) {
      const full = err instanceof DomainError && err.code === "wish.wrong_state" && wish.status === "claimed";
      if (full) fail("wish.full", `All ${wish.slots} places on this wish are taken.`, { slots: wish.slots, free: 0 });
      throw err;
    }
    const free = wish.slots - wish.claimed;
    if (members.length > free) {
      fail("wish.full", free === 0 ? `All ${wish.slots} places on this wish are taken.` : `Only ${free} of ${wish.slots} places are left.`, {
        slots: wish.slots,
        free,
      });
    }
    const after = wish.claimed + members.length;
    const to: Status = after === wish.slots ? "claimed" : "open";
    const at = new Date().toISOString();
    // The first volunteer ever stops the clock on the wish's time to claim, exactly once.
    const first = !wish.firstClaimedAt;
    const counter = {
      Update: {
        Key: Keys.wish(id),
        UpdateExpression: `SET #status = :to, gsi1pk = :g, updatedAt = :at, claimed = claimed + :n, #version = #version + :one${first ? ", firstClaimedAt = :at" : ""}`,
        ConditionExpression: `#status = :open AND ${to === "claimed" ? "claimed = :c" : "claimed <= :c"}${first ? " AND attribute_not_exists(firstClaimedAt)" : ""}`,
        ExpressionAttributeNames: { "#status": "status", "#version": "version" },
        ExpressionAttributeValues: {
          ":to": to,
          ":g": Keys.wishByStatus(wish.communityId, to, wish.createdAt, id).gsi1pk,
          ":at": at,
          ":n": members.length,
          ":one": 1,
          ":open": "open",
          ":c": to === "claimed" ? wish.claimed : wish.slots - members.length - 1,
        },
      },
    } as TransactItem;
    const claims = members.map(
      (m) =>
        ({
          Put: { Item: claimItem(wish, m, at, kind === "dispatch" ? actor.id : undefined), ConditionExpression: "attribute_not_exists(pk)" },
        }) as TransactItem,
    );
    const note = kind === "dispatch" ? members.map((m) => m.name).join("、") : undefined;
    const event = { Put: { Item: eventItem(wish, actor, kind, to, at, { note, data: { memberIds: members.map((m) => m.id) } }) } } as TransactItem;
    const stats = first
      ? [monthStatsUpdate(wish.communityId, monthOf(at), { claimed: 1 }, { toClaim: minutesBetween(wish.approvedAt ?? wish.createdAt, at) })]
      : [];
    let retry = false;
    try {
      await transact(store, [counter, ...claims, event, ...stats], (failed) => {
        const claimFailed = failed.find((f) => f.index > 0 && f.index <= claims.length);
        if (claimFailed) {
          const who = members[claimFailed.index - 1];
          fail(
            "claim.exists",
            kind === "claim" ? "You have already claimed this wish." : `${who.name} already holds a claim on this wish.`,
            { memberId: who.id },
          );
        }
        retry = true;
        throw new DomainError("wish.changed", "retry");
      });
    } catch (err) {
      if (retry) continue;
      throw err;
    }
    return { ...wish, status: to, claimed: after, version: wish.version + 1, updatedAt: at };
  }
  return fail("wish.busy", "Many people are claiming this wish at once; try again.");
}

const minutesBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));

export async function claim(store: Store, actor: Actor, id: string) {
  const wish = await load(store, id);
  const membership = actor.communities.find((m) => m.communityId === wish.communityId);
  return takePlaces(store, actor, id, [{ id: actor.id, name: actor.name, branchId: membership?.branchId }], "claim");
}

/** Staff claims on members' behalf; each must be a member of the wish's community. */
export async function dispatch(store: Store, actor: Actor, id: string, input: { memberIds: string[] }) {
  const wish = await load(store, id);
  authorize(actor, wish, "dispatch");
  const memberIds = [...new Set(input.memberIds)];
  const roles = await getMany(store, memberIds.map((m) => Keys.role(m, wish.communityId)));
  const byId = new Map(roles.filter((r) => r.roles?.includes("member")).map((r) => [r.userId, r]));
  const strangers = memberIds.filter((m) => !byId.has(m));
  if (strangers.length) {
    fail("wish.invalid", `Not members of this community: ${strangers.join(", ")}.`, { field: "memberIds", memberIds: strangers });
  }
  const members = memberIds.map((m) => ({ id: m, name: byId.get(m)!.name, branchId: byId.get(m)!.branchId }));
  return takePlaces(store, actor, id, members, "dispatch");
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
      wishUpdate(wish, "open", at, {}, { whenStatus: transitions[kind].from, add: { claimed: -1 } }),
      {
        Delete: {
          Key: Keys.claim(id, actor.id),
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(checkIn)",
        },
      } as TransactItem,
      { Put: { Item: eventItem(wish, actor, kind, "open", at, { note: input.reason }) } },
      ...unfinished(wish, claim, at),
    ],
    () => fail("claim.checked_in", "You have checked in already: ask staff to change the team."),
  );
  return { ...wish, status: "open", claimed: wish.claimed - 1, version: wish.version + 1, updatedAt: at };
}

/** A claim given back counts against its holder's and branch's completion rate, in the month it ends. */
export function unfinished(wish: Item, claim: Item, at: string): TransactItem[] {
  const month = monthOf(at);
  const items = [
    tallyUpdate(Keys.memberTally(claim.memberId, wish.communityId), month, { unfinished: 1 }, memberLabels(claim)),
  ];
  if (claim.branchId) items.push(tallyUpdate(Keys.branchTally(wish.communityId, claim.branchId), month, { unfinished: 1 }, branchLabels(wish.communityId, claim.branchId)));
  return items;
}

export const memberLabels = (claim: Item) => ({ type: "member-tally", memberId: claim.memberId, communityId: claim.communityId, name: claim.memberName, branchId: claim.branchId });
export const branchLabels = (communityId: string, branchId: string) => ({ type: "branch-tally", communityId, branchId });

function claimUpdate(id: string, memberId: string, field: "checkIn" | "checkOut", value: Record<string, unknown>, signed = false) {
  const base =
    field === "checkIn" ? "attribute_exists(pk) AND attribute_not_exists(checkIn)" : "attribute_exists(checkIn) AND attribute_not_exists(checkOut)";
  return {
    Update: {
      Key: Keys.claim(id, memberId),
      UpdateExpression: "SET #f = :v",
      // A code that locked meanwhile no longer signs.
      ConditionExpression: signed ? `${base} AND (attribute_not_exists(codeTries) OR codeTries < :max)` : base,
      ExpressionAttributeNames: { "#f": field },
      ExpressionAttributeValues: { ":v": value, ...(signed ? { ":max": maxHandshakeTries } : {}) },
    },
  } as TransactItem;
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
      claimUpdate(id, actor.id, "checkIn", record),
      { Put: { Item: eventItem(wish, actor, "check-in", "in_progress", at, { data: record }) } },
    ],
    () => fail("claim.checked_in", "You checked in already."),
  );
  return { ...wish, ...fields, status: "in_progress", version: wish.version + 1, updatedAt: at };
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
      claimUpdate(id, actor.id, "checkOut", record, signed),
      { Put: { Item: eventItem(wish, actor, "check-out", "in_progress", at, { data: record }) } },
    ],
    () => fail("claim.checked_out", signed ? "You checked out already, or the resident's code locked meanwhile." : "You checked out already."),
  );
  return { ...wish, version: wish.version + 1, updatedAt: at };
}

/** True for the resident's code; a wrong one is counted on the claim (under a condition, so racing tries cannot exceed the limit) and refused. */
async function checkCode(store: Store, wish: Item, claim: Item, code: string): Promise<true> {
  const tries = claim.codeTries ?? 0;
  const locked = () =>
    fail("handshake.locked", `The resident's code was entered wrongly ${maxHandshakeTries} times and is locked: check out without it; staff will see the resident did not sign.`, {
      triesLeft: 0,
    });
  if (tries >= maxHandshakeTries) locked();
  if (code === wish.handshakeCode) return true;
  try {
    await store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: Keys.claim(wish.id, claim.memberId),
        UpdateExpression: "ADD codeTries :one",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(checkOut) AND (attribute_not_exists(codeTries) OR codeTries < :max)",
        ExpressionAttributeValues: { ":one": 1, ":max": maxHandshakeTries },
      }),
    );
  } catch (err: any) {
    if (err?.name === "ConditionalCheckFailedException") locked();
    throw err;
  }
  const left = maxHandshakeTries - tries - 1;
  return fail(
    "handshake.wrong_code",
    left > 0 ? `That is not the resident's code: ${left} ${left === 1 ? "try" : "tries"} left.` : "That is not the resident's code, and it is now locked: check out without it; staff will see the resident did not sign.",
    { triesLeft: left },
  );
}

export async function complete(store: Store, actor: Actor, id: string, input: { note: string }) {
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  authorize(actor, wish, "complete", claim);
  if (!claim!.checkIn) fail("claim.not_checked_in", "Check in before you mark the wish done.");
  const at = new Date().toISOString();
  const fields = { completedAt: at, completionNote: input.note, completedBy: actor.id };
  await commit(store, wish, [
    wishUpdate(wish, "completed", at, fields),
    { Put: { Item: eventItem(wish, actor, "complete", "completed", at, { note: input.note }) } },
  ]);
  return { ...wish, ...fields, status: "completed", version: wish.version + 1, updatedAt: at };
}
