import type { Item } from "../client.js";
import { beginsWith, between, notExists, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/**
 * A street's or county's figures, kept from the table's stream. No item is one that every write
 * in a county touches: the counters of a unit's month are split over `shards` items (the stream
 * record's id picks one; a read sums them all), and each community, branch or member has its own
 * standing item per unit and period, found in order through an index partition split four ways.
 */
export const shards = 10;
export const standingShards = 4;

/** A stable small hash: which of `n` shards a string falls in. */
export function shardOf(text: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}

/** One shard of a unit's counters for a month (`S#2026-11`) or of its distinct residents per period (`D`). */
export const shardKey = (unitId: string, shard: number, sk: string) => ({ pk: `RS#${unitId}#${shard}`, sk });
export const monthSk = (month: string) => `S#${month}`;
export const distinctSk = "D";

export const addToShard = (unitId: string, shard: number, sk: string, adds: Record<string, number>): TransactItem =>
  tx.update(shardKey(unitId, shard, sk), { set: { type: "rollup-shard", unitId }, add: adds });

/** A shard's months from `first` to `last`, or all of them. */
export const shardMonths = (unitId: string, shard: number, range?: { first: string; last: string }): KeyQuery => ({
  pk: shardKey(unitId, shard, "").pk,
  sk: range ? between(monthSk(range.first), monthSk(range.last)) : beginsWith("S#"),
  consistent: true,
});

/** Each stream record is added once: its marker goes in the same transaction as its counters (kept two days; the stream keeps one). */
export const applied = (recordId: string, at: number): TransactItem =>
  tx.put({ pk: `RM#${recordId}`, sk: "RM", type: "rollup-mark", expiresAt: Math.floor(at / 1000) + 2 * 86_400 }, notExists("pk"));

export type StandingBy = "community" | "branch" | "member";

/** A community's, branch's or member's figures in one unit and period, as the community's own items have them now. */
export interface Standing {
  unitId: string;
  period: string;
  by: StandingBy;
  /** the community, branch or member */
  id: string;
  name: string;
  communityId: string;
  communityName: string;
  branchId?: string;
  minutes: number;
  personTimes: number;
  /** wishes closed (communities only) */
  activities?: number;
  residentsServed?: number;
}

const subject = (s: Pick<Standing, "by" | "id" | "communityId">) => (s.by === "community" ? s.id : `${s.communityId}#${s.id}`);
export const standingKey = (s: Pick<Standing, "unitId" | "by" | "id" | "communityId" | "period">) => ({
  pk: `RK#${s.unitId}#${s.by}#${subject(s)}`,
  sk: s.period,
});
const orderPk = (unitId: string, period: string, by: StandingBy, shard: number) => `RK#${unitId}#${period}#${by}#${shard}`;

/** Written whole each time (it is what the community's items say now), so a repeated record changes nothing. */
export function putStanding(s: Standing): Item {
  const key = subject(s);
  return {
    ...standingKey(s),
    gsi3pk: orderPk(s.unitId, s.period, s.by, shardOf(key, standingShards)),
    // Most minutes first when read backwards; the subject breaks ties.
    gsi3sk: `${String(s.minutes).padStart(10, "0")}#${key}`,
    type: "standing",
    ...s,
  };
}
export const standingFromItem: (item: Item) => Standing = shapeOf;

/** The `limit` best of one of the four parts of a unit's standings. */
export const best = (unitId: string, period: string, by: StandingBy, shard: number, limit: number): KeyQuery => ({
  index: "byCommunity",
  pk: orderPk(unitId, period, by, shard),
  forward: false,
  limit,
});
