/**
 * Figures of streets and counties. A community's own figures move in the transaction of each step
 * (month stats, community, branch and member tallies); the table's stream carries every such
 * write to here, and each one moves the same figures for every unit above the community:
 * - counters (activities, person-times, minutes, wishes by state, ratings, distinct residents) by
 *   the difference between the item's old and new image, added to one of `shards` items of the
 *   unit's month, chosen by the stream record's id, in one transaction with a marker keyed by that
 *   id, so a record handed over twice adds once;
 * - standings (a community's, branch's or member's figures for a month, quarter and year under the
 *   unit) written whole from what the community's items say now, so a repeat changes nothing.
 * Reading a unit's figures sums its ten shards; reading its ranking takes the best of four index
 * partitions: neither grows with the number of communities beneath it.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { getMany, putMany, queryAll, queryPage, transact, type Item, type Store, type TransactItem } from "../store/client.js";
import * as rollups from "../store/entities/rollup.js";
import type { Standing, StandingBy } from "../store/entities/rollup.js";
import * as monthStats from "../store/entities/month-stats.js";
import * as units from "../store/entities/unit.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import { parsePeriod, quarterOf } from "./period.js";
import * as Stats from "./stats.js";
import * as Units from "./units.js";

/** What the stream hands over, as far as roll-ups read it. */
export interface TallyRecord {
  eventID?: string;
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, AttributeValue>; OldImage?: Record<string, AttributeValue> };
}

const tallyTypes = new Set(["month-stats", "community-tally", "member-tally", "branch-tally"]);

/** Whether a stream record is a write to a community's figures. */
export const isTally = (record: TallyRecord) =>
  (record.eventName === "INSERT" || record.eventName === "MODIFY") && tallyTypes.has(record.dynamodb?.NewImage?.type?.S ?? "");

interface Place {
  /** the units above the community, the root first */
  above: string[];
  name: string;
  branches: Map<string, string>;
}

/** The month stats counters a unit sums (the medians' durations stay with the community). */
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
  "distinctResidents",
  "residentRatingSum",
  "residentRatings",
  "staffRatingSum",
  "staffRatings",
] as const;
type Counter = (typeof counters)[number];

const numberOf = (image: Item | undefined, name: string) => (typeof image?.[name] === "number" ? (image[name] as number) : 0);

/**
 * The stream side: `apply` takes one record and moves the figures of every unit above its
 * community. Where a community sits is kept a minute (units never move; new branches are looked up).
 */
export function keeper(store: Store) {
  const places = new Map<string, { at: number; place: Place | undefined }>();

  async function placeOf(communityId: string, branchId?: string): Promise<Place | undefined> {
    const cached = places.get(communityId);
    const fresh = cached && Date.now() - cached.at < 60_000 && (!branchId || !cached.place || cached.place.branches.has(branchId));
    if (fresh) return cached.place;
    const [unitItem] = await getMany(store, [units.key(communityId)]);
    let place: Place | undefined;
    if (unitItem) {
      const unit = units.fromItem(unitItem);
      const community = await Community.fromId(store, communityId);
      place = { above: unit.path.slice(0, -1), name: community.name, branches: new Map(community.branches.map((b) => [b.id, b.name])) };
    }
    places.set(communityId, { at: Date.now(), place });
    return place;
  }

  async function apply(record: TallyRecord) {
    if (!isTally(record)) return;
    type Image = Parameters<typeof unmarshall>[0];
    const image = unmarshall(record.dynamodb!.NewImage! as Image) as Item;
    const old = record.dynamodb!.OldImage ? (unmarshall(record.dynamodb!.OldImage as Image) as Item) : undefined;
    const communityId = image.communityId as string;
    const place = await placeOf(communityId, image.type === "branch-tally" ? image.branchId : undefined);
    if (!place?.above.length) return;
    const recordId = record.eventID ?? `${image.pk}#${image.sk}#${JSON.stringify(image)}`;
    const shard = rollups.shardOf(recordId, rollups.shards);

    if (image.type === "month-stats") {
      const adds: Record<string, number> = {};
      for (const c of counters) {
        const d = numberOf(image, c) - numberOf(old, c);
        if (d) adds[c] = d;
      }
      await addOnce(
        recordId,
        place.above.map((u) => rollups.addToShard(u, shard, rollups.monthSk(image.month), adds)),
        adds,
      );
      await putMany(store, await communityStandings(communityId, place, image.month as string));
    } else if (image.type === "community-tally") {
      const adds: Record<string, number> = {};
      for (const name of Object.keys(image).filter((k) => k.endsWith("#distinctResidents"))) {
        const d = numberOf(image, name) - numberOf(old, name);
        if (d) adds[name.replace("#", "_")] = d;
      }
      await addOnce(
        recordId,
        place.above.map((u) => rollups.addToShard(u, shard, rollups.distinctSk, adds)),
        adds,
      );
    } else {
      const by: StandingBy = image.type === "member-tally" ? "member" : "branch";
      await putMany(store, tallyStandings(by, image, old, communityId, place));
    }
  }

  async function addOnce(recordId: string, items: TransactItem[], adds: Record<string, number>) {
    if (!Object.keys(adds).length) return;
    // A marker already there: this record was added before.
    await transact(store, [rollups.applied(recordId, Date.now()), ...items]);
  }

  /** The community's standing under each unit above it for the month, its quarter and its year. */
  async function communityStandings(communityId: string, place: Place, month: string): Promise<Item[]> {
    const year = month.slice(0, 4);
    const months = (
      await queryAll(store, { ...monthStats.months(communityId, { first: `${year}-01`, last: `${year}-12` }), consistent: true })
    ).map(monthStats.fromItem);
    const out: Item[] = [];
    for (const period of [month, quarterOf(month), year]) {
      const inPeriod = months.filter((m) => parsePeriod(period).months.includes(m.month));
      const sum = (k: Counter) => inPeriod.reduce((s, m) => s + (m[k] ?? 0), 0);
      for (const unitId of place.above) {
        out.push(
          rollups.putStanding({
            unitId,
            period,
            by: "community",
            id: communityId,
            name: place.name,
            communityId,
            communityName: place.name,
            minutes: sum("minutes"),
            personTimes: sum("entries"),
            activities: sum("closed"),
            residentsServed: sum("residentsServed"),
          }),
        );
      }
    }
    return out;
  }

  /** A member's or branch's standing for each period whose months the write changed. */
  function tallyStandings(by: StandingBy, image: Item, old: Item | undefined, communityId: string, place: Place): Item[] {
    const changed = new Set<string>();
    for (const k of Object.keys(image)) if (/^\d{4}-\d{2}#/.test(k) && image[k] !== old?.[k]) changed.add(k.slice(0, 7));
    const periods = new Set([...changed].flatMap((m) => [m, quarterOf(m), m.slice(0, 4)]));
    const out: Item[] = [];
    for (const period of periods) {
      const months = parsePeriod(period).months;
      const sum = (figure: string) => months.reduce((s, m) => s + numberOf(image, `${m}#${figure}`), 0);
      const id = by === "member" ? (image.memberId as string) : (image.branchId as string);
      const name = by === "member" ? ((image.name as string) ?? "") : (place.branches.get(id) ?? id);
      for (const unitId of place.above) {
        out.push(
          rollups.putStanding({
            unitId,
            period,
            by,
            id,
            name,
            communityId,
            communityName: place.name,
            ...(by === "member" && image.branchId ? { branchId: image.branchId as string } : {}),
            minutes: sum("minutes"),
            personTimes: sum("entries"),
          }),
        );
      }
    }
    return out;
  }

  return { apply };
}

/** A unit whose figures the actor may read: a county or street (a community's own figures are its own). */
async function readable(store: Store, actor: Actor, unitId: string) {
  const unit = await Units.fromId(store, unitId);
  if (!Units.reaches(actor, unit.path)) fail("rollups.forbidden", `Only staff of ${unit.name} or above may see its figures.`);
  if (unit.kind === "grid")
    fail("unit.wrong_kind", "A grid's work counts in its community's figures: ask for the community's.", { field: "id" });
  return unit;
}

/**
 * A unit's figures for a period, summed over its shards (ten queries and one batch, whatever
 * the unit holds). A community answers with its own figures.
 */
export async function forPeriod(store: Store, actor: Actor, unitId: string, periodKey: string) {
  const period = parsePeriod(periodKey);
  const unit = await readable(store, actor, unitId);
  const span = { key: period.key, from: period.from, to: period.to };
  if (unit.kind === "community") {
    const own = await Stats.forPeriod(store, actor, unitId, periodKey);
    const detail = "detail" in own ? own.detail : fail("rollups.forbidden", `Only staff of ${unit.name} or above may see its figures.`);
    return {
      unitId,
      kind: unit.kind,
      name: unit.name,
      period: span,
      activities: own.activities,
      personTimes: own.personTimes,
      residentsServed: own.residentsServed,
      distinctResidents: own.distinctResidents,
      hours: own.hours,
      detail: {
        wishes: detail.wishes,
        minutes: detail.minutes,
        averageRating: detail.averageRating,
        ratings: detail.ratings,
        averageStaffRating: detail.averageStaffRating,
        staffRatings: detail.staffRatings,
        months: detail.months,
      },
    };
  }
  const range = period.kind === "all" ? undefined : { first: period.months[0], last: period.months.at(-1)! };
  const ids = Array.from({ length: rollups.shards }, (_, i) => i);
  const [parts, distinct] = await Promise.all([
    Promise.all(ids.map((i) => queryAll(store, rollups.shardMonths(unitId, i, range)))),
    getMany(
      store,
      ids.map((i) => rollups.shardKey(unitId, i, rollups.distinctSk)),
    ),
  ]);
  const byMonth = new Map<string, Record<Counter, number>>();
  for (const item of parts.flat()) {
    const month = (item.sk as string).slice(2);
    const line = byMonth.get(month) ?? (Object.fromEntries(counters.map((c) => [c, 0])) as Record<Counter, number>);
    for (const c of counters) line[c] += numberOf(item, c);
    byMonth.set(month, line);
  }
  const months = [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b));
  const sum = Object.fromEntries(counters.map((c) => [c, months.reduce((s, [, m]) => s + m[c], 0)])) as Record<Counter, number>;
  const distinctResidents =
    period.kind === "month"
      ? sum.distinctResidents
      : distinct.reduce((s, item) => s + numberOf(item, `${period.key}_distinctResidents`), 0);
  return {
    unitId,
    kind: unit.kind,
    name: unit.name,
    period: span,
    activities: sum.closed,
    personTimes: sum.entries,
    residentsServed: sum.residentsServed,
    distinctResidents,
    hours: Math.round(sum.minutes / 6) / 10,
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
      averageRating: average(sum.residentRatingSum, sum.residentRatings),
      ratings: sum.residentRatings,
      averageStaffRating: average(sum.staffRatingSum, sum.staffRatings),
      staffRatings: sum.staffRatings,
      months: months.map(([month, m]) => ({ month, submitted: m.submitted, closed: m.closed, personTimes: m.entries, minutes: m.minutes })),
    },
  };
}

const average = (sum: number, count: number) => (count ? Math.round((sum / count) * 100) / 100 : null);

/** Names in the order a Chinese reader expects; one collator, made once (a locale named on each comparison costs far more). */
const byName = new Intl.Collator("zh-CN").compare;

/** The standings of a unit in the order they are ranked: most minutes, then most person-times, then by name. */
const ranked = (a: Standing, b: Standing) => b.minutes - a.minutes || b.personTimes - a.personTimes || byName(a.name, b.name);

/**
 * How many of each index partition's best a ranking reads first. The best `limit` fall into the
 * partitions by a hash of the subject, about a quarter in each; half of `limit` and one more
 * from each holds them all unless one partition holds more than half of the best (for 20, about
 * one reading in 60 when the standings are many; then that partition alone is read on).
 */
export const firstPage = (limit: number) => Math.min(limit, Math.ceil(limit / 2) + 1);

/**
 * The communities, branches or members beneath a unit with the most hours in a month, quarter
 * or year: the best of each of the four index partitions, merged. A partition's page is cut at
 * `firstPage(limit)`; one that was cut with its last standing not below the `limit`-th best
 * found may hold more of the best, and is read on to `limit`. So at most 4 × limit standings
 * are read however many there are, and about 2 × limit in all but the rare reading on.
 * Equal hours share a rank.
 */
export async function rank(store: Store, actor: Actor, unitId: string, periodKey: string, by: StandingBy, limit: number) {
  const period = parsePeriod(periodKey);
  if (period.kind === "all") fail("period.invalid", "Rank a month, a quarter or a year.", { field: "period" });
  const unit = await readable(store, actor, unitId);
  if (unit.kind === "community")
    fail("unit.wrong_kind", "A community ranks its branches and members at /api/communities/:id/rankings.", { field: "id" });
  const first = firstPage(limit);
  const query = (shard: number, size: number, cursor?: string) =>
    queryPage(store, rollups.best(unitId, period.key, by, shard, size), cursor);
  const parts = await Promise.all(Array.from({ length: rollups.standingShards }, (_, i) => query(i, first)));
  const shown = (pages: typeof parts) =>
    pages
      .flatMap((p) => p.items)
      .map(rollups.standingFromItem)
      .filter((s) => s.minutes > 0 || s.personTimes > 0)
      .sort(ranked);
  // The limit-th best found: a cut partition whose last standing has fewer minutes holds none better.
  const bar = shown(parts)[limit - 1]?.minutes;
  const more = await Promise.all(
    parts.map((p, i) => {
      const last = p.items.at(-1);
      const below = bar !== undefined && last !== undefined && rollups.standingFromItem(last).minutes < bar;
      return p.cursor && first < limit && !below ? query(i, limit - first, p.cursor) : undefined;
    }),
  );
  const standings = shown([...parts, ...more.filter((p) => p !== undefined)]).slice(0, limit);
  return {
    unitId,
    name: unit.name,
    period: { key: period.key, from: period.from, to: period.to },
    by,
    items: standings.map((s) => ({
      rank: standings.findIndex((x) => x.minutes === s.minutes) + 1,
      id: s.id,
      name: s.name,
      communityId: s.communityId,
      communityName: s.communityName,
      ...(s.branchId ? { branchId: s.branchId } : {}),
      minutes: s.minutes,
      hours: Math.round(s.minutes / 6) / 10,
      personTimes: s.personTimes,
      ...(s.activities !== undefined ? { activities: s.activities } : {}),
      ...(s.residentsServed !== undefined ? { residentsServed: s.residentsServed } : {}),
    })),
  };
}
