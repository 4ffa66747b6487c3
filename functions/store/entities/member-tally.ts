import type { Item } from "../client.js";
import { tx, type TransactItem } from "../expression.js";
import { tallyChanges, tallyChangesByMonth, type Figures } from "./figures.js";
import { shapeOf } from "./item.js";

/** A member's hours in one community: all time, and per month in attributes `<YYYY-MM>#<figure>`. */
export interface MemberTally {
  memberId: string;
  communityId: string;
  name?: string;
  branchId?: string;
  totalMinutes?: number;
  entries?: number;
  [monthFigure: `${string}#${string}`]: number;
}

export const prefix = "HT#";
export const key = (memberId: string, communityId: string) => ({ pk: `U#${memberId}`, sk: `${prefix}${communityId}` });
export const fromItem: (item: Item) => MemberTally = shapeOf;
export const isMemberTally = (item: Item) => item.sk.startsWith(prefix);

/** The member's name and branch as the claim had them, set with every move. */
export const labels = (claim: { memberId: string; communityId: string; memberName: string; branchId?: string }) => ({
  type: "member-tally",
  memberId: claim.memberId,
  communityId: claim.communityId,
  name: claim.memberName,
  branchId: claim.branchId,
});

export const add = (
  claim: { memberId: string; communityId: string; memberName: string; branchId?: string },
  month: string,
  figures: Figures,
): TransactItem => tx.update(key(claim.memberId, claim.communityId), tallyChanges(month, figures, labels(claim)));

/** Figures that count in different months, in one update. */
export const addByMonth = (
  claim: { memberId: string; communityId: string; memberName: string; branchId?: string },
  byMonth: [string, Figures][],
): TransactItem => tx.update(key(claim.memberId, claim.communityId), tallyChangesByMonth(byMonth, labels(claim)));
