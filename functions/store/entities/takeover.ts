import type { Item } from "../client.js";
import type { Claim } from "./claim.js";
import { beginsWith, exists, notExists, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

/**
 * A member's request to take over another member's stalled claim, waiting for staff. One per
 * asking member and wish, kept in the wish's partition; approving or the claim's end settles it.
 */
export interface Takeover {
  wishId: string;
  communityId: string;
  /** the member asking */
  memberId: string;
  memberName: string;
  branchId?: string;
  /** the member whose claim stalled */
  holderId: string;
  holderName: string;
  at: string;
}

export const prefix = "TO#";
export const key = (wishId: string, memberId: string) => ({ pk: `W#${wishId}`, sk: `${prefix}${memberId}` });
export const toItem = (t: Takeover): Item => ({ ...key(t.wishId, t.memberId), type: "takeover", ...t });
export const fromItem: (item: Item) => Takeover = shapeOf;
export const isTakeover = (item: Item) => item.sk.startsWith(prefix);

/** Asks, once per member and wish. */
export const create = (t: Takeover): TransactItem => tx.put(toItem(t), notExists("pk"));
/** Settles the request staff approve: it must still be there. */
export const settle = (wishId: string, memberId: string): TransactItem => tx.delete(key(wishId, memberId), exists("pk"));

export const ofWish = (wishId: string): KeyQuery => ({ pk: `W#${wishId}`, sk: beginsWith(prefix), consistent: true });

const shown = fields("memberId memberName branchId holderId holderName at") satisfies (keyof Takeover)[];
export type PresenterCovers = Proven<Decided<Takeover, (typeof shown)[number], "wishId" | "communityId">>;

export const present = (t: Takeover) => pick(t, shown);

/** Takeover requests still open: the holder still holds an unchecked claim and the asker none. */
export function pending(asks: Takeover[], active: Claim[]) {
  const stalled = new Set(active.filter((c) => !c.checkIn).map((c) => c.memberId));
  const holding = new Set(active.map((c) => c.memberId));
  return asks.filter((a) => stalled.has(a.holderId) && !holding.has(a.memberId)).map(present);
}
