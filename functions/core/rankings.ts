import { getMany, queryAll, type Store } from "../store/client.js";
import * as branchTallies from "../store/entities/branch-tally.js";
import * as memberTallies from "../store/entities/member-tally.js";
import * as roles from "../store/entities/role.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import * as Units from "./units.js";
import { parsePeriod } from "./period.js";
import { hoursSettingsOf, type Weights } from "./settings.js";
import { addFigures, figuresOf, type Figures } from "./tallies.js";

/**
 * The indicators a branch or member is scored on, each brought to 0…1:
 * - hours: hours per member in the period (a branch's hours over its members on the roll, a
 *   member's own), relative to the best in the ranking;
 * - onTime: the share of credited services whose claim was taken within the community's
 *   `onTimeClaimHours` of the wish opening;
 * - completion: credited services over claims that ended (credited, released, declined, or
 *   closed with nothing to credit);
 * - residentRating, staffRating: the average stars (1–5) over 5; nothing rated scores 0;
 * - attendance: activities attended over those attended or missed (marked absent); none scores 0.
 * The score is the weighted sum over the weights' total, out of 100.
 */
export const indicators = ["hours", "onTime", "completion", "residentRating", "staffRating", "attendance"] as const;
type Indicator = (typeof indicators)[number];

interface Unit {
  id: string;
  name: string;
  branchId?: string;
  members: number;
  figures: Figures;
}

export async function rank(store: Store, actor: Actor, communityId: string, periodKey: string, by: "branch" | "member") {
  if (!(await Units.mayRead(store, actor, communityId))) fail("rankings.forbidden", "Only staff of this community may see its rankings.");
  const period = parsePeriod(periodKey);
  if (period.kind === "all") fail("period.invalid", "Rank a month, a quarter or a year.", { field: "period" });
  const community = await Community.fromId(store, communityId);
  const weights = hoursSettingsOf(community).rankingWeights;
  const roster = (await queryAll(store, roles.ofCommunity(communityId))).map(roles.fromItem).filter((r) => r.roles?.includes("member"));
  const inPeriod = (tally: object | undefined) => period.months.reduce<Figures>((f, m) => addFigures(f, figuresOf(tally, m)), {});

  let units: Unit[];
  if (by === "branch") {
    const tallies = (await queryAll(store, branchTallies.ofCommunity(communityId))).map(branchTallies.fromItem);
    const byId = new Map(tallies.map((t) => [t.branchId, t]));
    units = community.branches.map((b) => ({
      id: b.id,
      name: b.name,
      members: roster.filter((r) => r.branchId === b.id).length,
      figures: inPeriod(byId.get(b.id)),
    }));
  } else {
    const tallies = [];
    for (let i = 0; i < roster.length; i += 100) {
      const found = await getMany(
        store,
        roster.slice(i, i + 100).map((r) => memberTallies.key(r.userId, communityId)),
      );
      tallies.push(...found.map(memberTallies.fromItem));
    }
    const byId = new Map(tallies.map((t) => [t.memberId, t]));
    units = roster.map((r) => ({ id: r.userId, name: r.name, branchId: r.branchId, members: 1, figures: inPeriod(byId.get(r.userId)) }));
  }
  return { communityId, period: { key: period.key, from: period.from, to: period.to }, by, weights, items: score(units, weights) };
}

/** Scores, orders and ranks: equal scores share a rank (1, 2, 2, 4), ties listed by hours, then name. */
export function score(units: Unit[], weights: Weights) {
  const values = units.map((u) => {
    const f = u.figures;
    const entries = f.entries ?? 0;
    const ended = entries + (f.unfinished ?? 0);
    return {
      hours: (f.minutes ?? 0) / 60 / Math.max(1, u.members),
      onTime: entries ? (f.onTime ?? 0) / entries : 0,
      completion: ended ? entries / ended : 0,
      residentRating: f.residentRatings ? (f.residentRatingSum ?? 0) / f.residentRatings : null,
      staffRating: f.staffRatings ? (f.staffRatingSum ?? 0) / f.staffRatings : null,
      attendance: (f.attended ?? 0) + (f.absent ?? 0) ? (f.attended ?? 0) / ((f.attended ?? 0) + (f.absent ?? 0)) : null,
    };
  });
  const bestHours = Math.max(0, ...values.map((v) => v.hours));
  const total = indicators.reduce((s, k) => s + weights[k], 0);
  const scored = units.map((u, i) => {
    const v = values[i];
    const normalized: Record<Indicator, number> = {
      hours: bestHours ? v.hours / bestHours : 0,
      onTime: v.onTime,
      completion: v.completion,
      residentRating: v.residentRating === null ? 0 : v.residentRating / 5,
      staffRating: v.staffRating === null ? 0 : v.staffRating / 5,
      attendance: v.attendance ?? 0,
    };
    const breakdown = Object.fromEntries(
      indicators.map((k) => [
        k,
        {
          value: v[k] === null ? null : round(v[k]!),
          normalized: round(normalized[k]),
          weight: weights[k],
          points: round((100 * weights[k] * normalized[k]) / total),
        },
      ]),
    ) as Record<Indicator, { value: number | null; normalized: number; weight: number; points: number }>;
    const score = round(indicators.reduce((s, k) => s + (100 * weights[k] * normalized[k]) / total, 0));
    return {
      id: u.id,
      name: u.name,
      ...(u.branchId !== undefined ? { branchId: u.branchId } : {}),
      members: u.members,
      minutes: u.figures.minutes ?? 0,
      personTimes: u.figures.entries ?? 0,
      score,
      indicators: breakdown,
    };
  });
  scored.sort((a, b) => b.score - a.score || b.minutes - a.minutes || a.name.localeCompare(b.name, "zh-CN"));
  return scored.map((s) => ({ rank: scored.findIndex((x) => x.score === s.score) + 1, ...s }));
}

const round = (n: number) => Math.round(n * 100) / 100;
