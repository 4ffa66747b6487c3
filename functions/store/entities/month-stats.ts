import type { Item } from "../client.js";
import { beginsWith, between, tx, type KeyQuery, type TransactItem } from "../expression.js";
import type { Figures } from "./figures.js";
import { shapeOf } from "./item.js";

/** Counters of a community's month, moved in the transaction of the step they count. */
export interface MonthCounts extends Figures {
  submitted?: number;
  approved?: number;
  rejected?: number;
  cancelled?: number;
  expired?: number;
  closed?: number;
  /** wishes that got their first volunteer */
  claimed?: number;
  /** people the closed wishes served, by staff's count (the poster by default) */
  residentsServed?: number;
  /** residents served this month for the first time */
  distinctResidents?: number;
}

export interface MonthStats extends MonthCounts {
  communityId: string;
  month: string;
  /** minutes from approval to the first claim, one per wish, for the median */
  toClaim?: number[];
  /** minutes from submission to close, one per wish */
  toClose?: number[];
}

export const prefix = "S#";
export const key = (communityId: string, month: string) => ({ pk: `CT#${communityId}`, sk: `${prefix}${month}` });
export const fromItem: (item: Item) => MonthStats = shapeOf;

/** Counters added, durations appended for the medians. */
export function add(
  communityId: string,
  month: string,
  counts: MonthCounts,
  durations: { toClaim?: number; toClose?: number } = {},
): TransactItem {
  const append: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(durations)) if (v !== undefined) append[k] = [v];
  return tx.update(key(communityId, month), {
    set: { type: "month-stats", communityId, month },
    add: counts as Record<string, number>,
    append,
  });
}

/** A community's months from `first` to `last` (both included), or all of them. */
export const months = (communityId: string, range?: { first: string; last: string }): KeyQuery => ({
  pk: `CT#${communityId}`,
  sk: range ? between(key(communityId, range.first).sk, key(communityId, range.last).sk) : beginsWith(prefix),
});
