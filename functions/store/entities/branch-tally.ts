import type { Item } from "../client.js";
import { beginsWith, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { tallyChanges, tallyChangesByMonth, type Figures } from "./figures.js";
import { shapeOf } from "./item.js";

/** A branch's figures in its community, per month in attributes `<YYYY-MM>#<figure>`. */
export interface BranchTally {
  communityId: string;
  branchId: string;
  totalMinutes?: number;
  entries?: number;
  [monthFigure: `${string}#${string}`]: number;
}

export const key = (communityId: string, branchId: string) => ({ pk: `CT#${communityId}`, sk: `B#${branchId}` });
export const fromItem: (item: Item) => BranchTally = shapeOf;

export const add = (communityId: string, branchId: string, month: string, figures: Figures): TransactItem =>
  tx.update(key(communityId, branchId), tallyChanges(month, figures, { type: "branch-tally", communityId, branchId }));

/** Figures that count in different months, in one update. */
export const addByMonth = (communityId: string, branchId: string, byMonth: [string, Figures][]): TransactItem =>
  tx.update(key(communityId, branchId), tallyChangesByMonth(byMonth, { type: "branch-tally", communityId, branchId }));

/** Every branch tally of a community. */
export const ofCommunity = (communityId: string): KeyQuery => ({ pk: `CT#${communityId}`, sk: beginsWith("B#") });
