import { randomInt } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { getItem, queryAll, queryPage, type Item, type Store } from "../store/client.js";
import { Keys, Prefix } from "../store/keys.js";
import { fail } from "./errors.js";
import { mayReadHours } from "./hours.js";
import { hasRole, type Actor } from "./identity.js";
import { dayOf } from "./period.js";

/** The most entries one certificate lists; a longer record is certified over shorter ranges. */
export const maxEntries = 300;

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** `MW-20261122-7KQ9X3AB`: the day of issue and 40 random bits, so numbers cannot be guessed from one another. */
function newNumber(at: string) {
  const random = Array.from({ length: 8 }, () => crockford[randomInt(32)]).join("");
  return `MW-${dayOf(at).replaceAll("-", "")}-${random}`;
}
export const numberPattern = /^MW-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

/** The day a service counts on for a certificate's range: the day it started, China time (or was certified, without a check-in). */
export const serviceDay = (entry: Item) => dayOf(entry.start ?? entry.verifiedAt);

/**
 * Issues a certificate of a member's verified hours in one community over a range of days, and
 * stores it, entries and all, so its number verifies exactly what was printed. The member may
 * ask for their own; staff for any member of their community.
 */
export async function issue(store: Store, actor: Actor, memberId: string, input: { communityId?: string; from: string; to: string }) {
  await mayReadHours(store, actor, memberId);
  const ledger = await queryAll(store, {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :hl)",
    ExpressionAttributeValues: { ":pk": Keys.user(memberId).pk, ":hl": Prefix.ledger },
  });
  const inRange = ledger.filter((e) => serviceDay(e) >= input.from && serviceDay(e) <= input.to);
  const communities = [...new Set(inRange.map((e) => e.communityId))];
  const communityId = input.communityId ?? (communities.length === 1 ? communities[0] : undefined);
  if (!communityId) {
    if (!communities.length) fail("certificate.invalid", `No verified hours between ${input.from} and ${input.to}.`, { field: "from" });
    fail("certificate.invalid", "These hours were served in several communities: say which one certifies them.", { field: "communityId", communityIds: communities });
  }
  if (actor.id !== memberId && !actor.admin && !hasRole(actor, communityId!, "staff")) {
    fail("certificate.forbidden", "Only the member and staff of the community may issue this certificate.");
  }
  const entries = inRange.filter((e) => e.communityId === communityId).sort((a, b) => serviceDay(a).localeCompare(serviceDay(b)) || a.wishId.localeCompare(b.wishId));
  if (!entries.length) fail("certificate.invalid", `No verified hours in this community between ${input.from} and ${input.to}.`, { field: "from" });
  if (entries.length > maxEntries) {
    fail("certificate.invalid", `${entries.length} services in this range; a certificate lists at most ${maxEntries}: choose a shorter range.`, { field: "to" });
  }
  const at = new Date().toISOString();
  const number = newNumber(at);
  const certificate = {
    number,
    memberId,
    memberName: entries.at(-1)!.memberName,
    communityId,
    communityName: entries.at(-1)!.communityName,
    from: input.from,
    to: input.to,
    totalMinutes: entries.reduce((s, e) => s + e.minutes, 0),
    entries: entries.map((e) => ({
      wishId: e.wishId,
      day: serviceDay(e),
      content: e.content,
      category: e.category,
      place: e.place,
      branchName: e.branchName,
      start: e.start,
      end: e.end,
      minutes: e.minutes,
      signedByResident: Boolean(e.signedByResident),
      verifierName: e.verifierName,
      verifiedAt: e.verifiedAt,
    })),
    verifiers: [...new Set(entries.map((e) => e.verifierName))],
    issuedAt: at,
    issuedBy: { id: actor.id, name: actor.name },
  };
  await store.doc.send(
    new PutCommand({
      TableName: store.table,
      Item: { ...Keys.certificate(number), ...Keys.certificateByMember(memberId, at, number), type: "certificate", ...certificate },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return certificate;
}

export type Certificate = Awaited<ReturnType<typeof issue>>;

/** A certificate by its number, for anyone who holds it: nothing in it identifies anyone by phone. */
export async function byNumber(store: Store, raw: string): Promise<Certificate> {
  const number = raw.trim().toUpperCase();
  const item = numberPattern.test(number) ? await getItem(store, Keys.certificate(number)) : undefined;
  if (!item) return fail("certificate.not_found", `No certificate has the number ${raw.slice(0, 40)}.`);
  const { pk, sk, gsi2pk, gsi2sk, type, ...certificate } = item;
  return certificate as Certificate;
}

/** A member's certificates, newest first, from the member index: number, range, hours, community. */
export async function ofMember(store: Store, actor: Actor, memberId: string, cursor?: string, limit = 20) {
  await mayReadHours(store, actor, memberId);
  const page = await queryPage(
    store,
    {
      IndexName: "byUser",
      KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :ce)",
      ExpressionAttributeValues: { ":pk": Keys.user(memberId).pk, ":ce": "CE#" },
      ScanIndexForward: false,
      Limit: limit,
    },
    cursor,
  );
  return {
    items: page.items.map((c) => ({ number: c.number, communityId: c.communityId, communityName: c.communityName, from: c.from, to: c.to, totalMinutes: c.totalMinutes, entries: c.entries.length, issuedAt: c.issuedAt })),
    cursor: page.cursor,
  };
}
