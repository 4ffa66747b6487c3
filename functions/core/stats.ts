import { getItem, queryAll, type Store } from "../store/client.js";
import * as communityTallies from "../store/entities/community-tally.js";
import * as monthStats from "../store/entities/month-stats.js";
import type { MonthStats } from "../store/entities/index.js";
import * as Community from "./community.js";
import type { Actor } from "./identity.js";
import * as Units from "./units.js";
import { parsePeriod } from "./period.js";

const counters = [
  "submitted",
  "approved",
  "claimed",
  "closed",
  "rejected",
  "cancelled",
  "expired",
  "minutes",
  "entries",
  "residentsServed",
  "residentRatingSum",
  "residentRatings",
  "staffRatingSum",
  "staffRatings",
] as const;

/**
 * A community's figures for a month, quarter, year or all time, read from the month stats items
 * its transitions moved (one query on the community's figures partition, bounded by the months
 * asked for) and its all-time tally. The headline figures are public; staff see the detail.
 */
export async function forPeriod(store: Store, actor: Actor | undefined, communityId: string, periodKey: string) {
  const period = parsePeriod(periodKey);
  const community = await Community.fromId(store, communityId);
  const range = period.kind === "all" ? undefined : { first: period.months[0], last: period.months.at(-1)! };
  const [items, tallyItem] = await Promise.all([
    queryAll(store, monthStats.months(communityId, range)),
    getItem(store, communityTallies.key(communityId)),
  ]);
  const months = items.map(monthStats.fromItem);
  const tally = tallyItem && communityTallies.fromItem(tallyItem);
  const sum = Object.fromEntries(counters.map((k) => [k, months.reduce((s, m) => s + (m[k] ?? 0), 0)])) as Record<
    (typeof counters)[number],
    number
  >;
  const distinctResidents =
    period.kind === "month" ? (months[0]?.distinctResidents ?? 0) : (tally?.[`${period.key}#distinctResidents`] ?? 0);
  const hours = Math.round(sum.minutes / 6) / 10;
  const summary = {
    communityId,
    name: community.name,
    period: { key: period.key, from: period.from, to: period.to },
    /** wishes closed: volunteer activities */
    activities: sum.closed,
    /** ledger entries: volunteer person-times */
    personTimes: sum.entries,
    /** people the closed wishes served, by staff's count (the poster by default) */
    residentsServed: sum.residentsServed,
    distinctResidents,
    hours,
  };
  if (!(await Units.mayRead(store, actor, communityId))) return summary;
  return {
    ...summary,
    detail: {
      wishes: {
        submitted: sum.submitted,
        approved: sum.approved,
        claimed: sum.claimed,
        closed: sum.closed,
        rejected: sum.rejected,
        cancelled: sum.cancelled,
        expired: sum.expired,
      },
      minutes: sum.minutes,
      medianMinutesToClaim: median(months.flatMap((m) => m.toClaim ?? [])),
      medianMinutesToClose: median(months.flatMap((m) => m.toClose ?? [])),
      averageRating: average(sum.residentRatingSum, sum.residentRatings),
      ratings: sum.residentRatings,
      averageStaffRating: average(sum.staffRatingSum, sum.staffRatings),
      staffRatings: sum.staffRatings,
      months: months.map(monthLine),
    },
  };
}

function monthLine(m: MonthStats) {
  return { month: m.month, submitted: m.submitted ?? 0, closed: m.closed ?? 0, personTimes: m.entries ?? 0, minutes: m.minutes ?? 0 };
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const average = (sum: number, count: number) => (count ? Math.round((sum / count) * 100) / 100 : null);
