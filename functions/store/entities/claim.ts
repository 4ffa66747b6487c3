import type { Item } from "../client.js";
import { and, beginsWith, eq, exists, lt, notExists, or, tx, type KeyQuery, type TransactItem, type Update } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

export interface Arrival {
  at: string;
  lat: number;
  lng: number;
  accuracy: number;
  distanceMeters?: number;
}
export interface Departure extends Arrival {
  signedByResident: boolean;
}

/** An active claim: one member's place on a wish. A released or declined claim is deleted and lives on in the timeline. */
export interface Claim {
  wishId: string;
  communityId: string;
  memberId: string;
  memberName: string;
  branchId?: string;
  claimedAt: string;
  /** the staff member who dispatched it, when it was not claimed by the member */
  dispatchedBy?: string;
  checkIn?: Arrival;
  checkOut?: Departure;
  /** wrong handshake codes entered on this claim */
  codeTries?: number;
  remindedAt?: string;
  /** when the job warned that the claim will be released if its holder does not check in */
  warnedAt?: string;
  /** when the holder took the one extension of the grace the claim allows */
  extendedAt?: string;
}

export const prefix = "CL#";
export const key = (wishId: string, memberId: string) => ({ pk: `W#${wishId}`, sk: `${prefix}${memberId}` });
export const byMemberKey = (memberId: string, claimedAt: string, wishId: string) => ({
  gsi2pk: `U#${memberId}`,
  gsi2sk: `${prefix}${claimedAt}#${wishId}`,
});

export const toItem = (claim: Claim): Item => ({
  ...key(claim.wishId, claim.memberId),
  ...byMemberKey(claim.memberId, claim.claimedAt, claim.wishId),
  type: "claim",
  ...claim,
});
export const fromItem: (item: Item) => Claim = shapeOf;
export const isClaim = (item: Item) => item.sk.startsWith(prefix);

/** A member takes a place: never twice on the same wish. */
export const create = (claim: Claim): TransactItem => tx.put(toItem(claim), notExists("pk"));

/** Gives the place back, as long as its holder has not checked in. */
export const release = (wishId: string, memberId: string): TransactItem =>
  tx.delete(key(wishId, memberId), and(exists("pk"), notExists("checkIn")));

/** The resident's code has not locked: fewer wrong tries than allowed. */
const codeOpen = (maxTries: number) => or(notExists("codeTries"), lt("codeTries", maxTries));

/** Records arrival, once, on a claim that still exists. */
export const arrive = (wishId: string, memberId: string, arrival: Arrival): TransactItem =>
  tx.update(key(wishId, memberId), { set: { checkIn: arrival } }, and(exists("pk"), notExists("checkIn")));

/** Records departure, once, after arrival; a departure the resident signed also needs the code still open. */
export const depart = (wishId: string, memberId: string, departure: Departure, signedWithin?: number): TransactItem =>
  tx.update(
    key(wishId, memberId),
    { set: { checkOut: departure } },
    and(exists("checkIn"), notExists("checkOut"), signedWithin !== undefined && codeOpen(signedWithin)),
  );

/** Counts a wrong handshake code, under a condition, so racing tries cannot pass the limit. */
export const wrongCode = (wishId: string, memberId: string, maxTries: number): Update =>
  tx.update(key(wishId, memberId), { add: { codeTries: 1 } }, and(exists("pk"), notExists("checkOut"), codeOpen(maxTries)));

/** Notes the reminder to a volunteer who has not checked in: once per claim. */
export const reminded = (wishId: string, memberId: string, at: string): TransactItem =>
  tx.update(key(wishId, memberId), { set: { remindedAt: at } }, and(exists("pk"), notExists("checkIn"), notExists("remindedAt")));

/** Notes the warning that a claim not checked in is about to lapse: once per deadline (an extension clears it). */
export const warned = (claim: Claim, at: string): TransactItem =>
  tx.update(
    key(claim.wishId, claim.memberId),
    { set: { warnedAt: at } },
    and(exists("pk"), notExists("checkIn"), notExists("warnedAt"), asRead(claim)),
  );

/** The holder's one extension: the deadline moves on by a grace, and the warning may come again. */
export const extend = (wishId: string, memberId: string, at: string): TransactItem =>
  tx.update(
    key(wishId, memberId),
    { set: { extendedAt: at }, remove: ["warnedAt"] },
    and(exists("pk"), notExists("checkIn"), notExists("extendedAt")),
  );

/**
 * Deletes a claim nobody checked in on, as it was read: the same claim (not one taken afresh after
 * a release) with the same extension, so a holder who extended or arrived meanwhile keeps it.
 */
export const lapse = (claim: Claim): TransactItem => tx.delete(key(claim.wishId, claim.memberId), and(notExists("checkIn"), asRead(claim)));

/** The claim is still as read and not checked in: for steps written beside it (a takeover asked). */
export const stalled = (claim: Claim): TransactItem =>
  tx.check(key(claim.wishId, claim.memberId), and(notExists("checkIn"), asRead(claim)));

const asRead = (claim: Claim) =>
  and(eq("claimedAt", claim.claimedAt), claim.extendedAt ? eq("extendedAt", claim.extendedAt) : notExists("extendedAt"));

/** The active claims of a wish, read consistently. */
export const ofWish = (wishId: string): KeyQuery => ({ pk: `W#${wishId}`, sk: beginsWith(prefix), consistent: true });
/** Claims of a wish whose volunteer has neither checked in nor been reminded. */
export const absentees = (wishId: string): KeyQuery => ({ ...ofWish(wishId), filter: and(notExists("checkIn"), notExists("remindedAt")) });
/** A member's active claims, newest first. */
export const ofMember = (memberId: string, limit: number): KeyQuery => ({
  index: "byUser",
  pk: `U#${memberId}`,
  sk: beginsWith(prefix),
  forward: false,
  limit,
});

const shown = fields(`
  wishId communityId memberId memberName branchId claimedAt dispatchedBy checkIn checkOut codeTries
  remindedAt warnedAt extendedAt
`) satisfies (keyof Claim)[];
export type PresenterCovers = Proven<Decided<Claim, (typeof shown)[number]>>;

/** A claim as the wish's readers see it. */
export const present = (claim: Claim) => pick(claim, shown);
