import { getMany, queryAll, type Item, type Store, type TransactItem } from "../store/client.js";
import { Keys } from "../store/keys.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import { authorize, commit, eventItem, wishUpdate } from "./wish.js";

/** Each volunteer costs two items (ledger entry, tally); the wish and its event two more. */
export const maxVolunteersPerVerify = 49;

export function measuredMinutes(claim: Item): number | undefined {
  if (!claim.checkIn?.at || !claim.checkOut?.at) return undefined;
  return Math.max(0, Math.floor((Date.parse(claim.checkOut.at) - Date.parse(claim.checkIn.at)) / 60_000));
}

/**
 * Staff closes a confirmed wish and credits each volunteer: the measured minutes
 * (check-out − check-in), or staff's figure with a reason kept in the event. The ledger
 * entries and the tallies move in the same transaction as the close.
 */
export async function verify(store: Store, actor: Actor, id: string, input: { minutes?: Record<string, number>; reason?: string }) {
  const items = await queryAll(store, {
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": Keys.wish(id).pk, ":from": "CL#", ":to": "W" },
  });
  const wish = items.find((i) => i.sk === "W") ?? fail("wish.not_found", `No wish ${id} that you can see.`);
  authorize(actor, wish, "verify");
  const claims = items.filter((i) => i.sk.startsWith("CL#"));
  const given = input.minutes ?? {};
  const strangers = Object.keys(given).filter((m) => !claims.some((c) => c.memberId === m));
  if (strangers.length) fail("hours.invalid", `No claim on this wish for: ${strangers.join(", ")}.`, { field: "minutes", memberIds: strangers });
  if (Object.keys(given).length && !input.reason?.trim()) {
    fail("hours.invalid", "Give a reason when you set the minutes yourself.", { field: "reason" });
  }
  if (claims.length > maxVolunteersPerVerify) {
    fail("hours.too_many_volunteers", `A wish with more than ${maxVolunteersPerVerify} volunteers cannot be verified in one step yet.`);
  }
  const at = new Date().toISOString();
  const month = `m${at.slice(0, 7).replace("-", "")}`;
  const credits = claims.map((c) => {
    const measured = measuredMinutes(c);
    return { claim: c, measured, minutes: given[c.memberId] ?? measured ?? 0 };
  });
  const writes: TransactItem[] = [];
  for (const { claim, measured, minutes } of credits.filter((c) => c.minutes > 0)) {
    writes.push({
      Put: {
        Item: {
          ...Keys.ledger(claim.memberId, id),
          type: "ledger",
          memberId: claim.memberId,
          memberName: claim.memberName,
          branchId: claim.branchId,
          communityId: wish.communityId,
          wishId: id,
          category: wish.category,
          content: wish.title,
          place: wish.address,
          start: claim.checkIn?.at,
          end: claim.checkOut?.at,
          minutes,
          measuredMinutes: measured,
          verifierId: actor.id,
          verifierName: actor.name,
          verifiedAt: at,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
    writes.push({
      Update: {
        Key: Keys.tally(claim.memberId),
        UpdateExpression: "ADD totalMinutes :m, entries :one, #month :m",
        ExpressionAttributeNames: { "#month": month },
        ExpressionAttributeValues: { ":m": minutes, ":one": 1 },
      },
    });
  }
  const data = {
    credits: credits.map((c) => ({ memberId: c.claim.memberId, minutes: c.minutes, measuredMinutes: c.measured ?? null })),
    reason: input.reason,
  };
  await commit(store, wish, [
    wishUpdate(wish, "closed", at, { closedAt: at, verifiedBy: actor.id }),
    { Put: { Item: eventItem(wish, actor, "verify", "closed", at, { note: input.reason, data }) } },
    ...writes,
  ]);
  return { ...wish, status: "closed", closedAt: at, verifiedBy: actor.id, version: wish.version + 1, updatedAt: at };
}

/** A member's total and ledger; readable by the member and by staff of a community they serve. */
export async function memberHours(store: Store, actor: Actor, memberId: string) {
  if (actor.id !== memberId && !actor.admin) {
    const communities = actor.communities.filter((m) => m.roles.includes("staff")).map((m) => m.communityId);
    const roles = await getMany(store, communities.map((c) => Keys.role(memberId, c)));
    if (!roles.some((r) => r.roles?.includes("member"))) {
      fail("hours.forbidden", "Only the member and staff of their community may see these hours.");
    }
  }
  const items = await queryAll(store, {
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": Keys.user(memberId).pk, ":from": "HL#", ":to": "HT" },
  });
  const tally = items.find((i) => i.sk === "HT");
  const entries = items
    .filter((i) => i.sk.startsWith("HL#"))
    .map(({ pk, sk, type, ...entry }) => entry)
    .sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt));
  return { memberId, totalMinutes: tally?.totalMinutes ?? 0, entries };
}
