/**
 * The scheduled jobs, run by functions/cron.ts on AWS and by the local loop: for each community,
 * - an open wish past its deadline expires;
 * - an open wish with no volunteer 24 hours after approval alerts its staff, once;
 * - a volunteer who has not checked in once the wish's time window has started is reminded, once
 *   per claim (a wish without a window has no time to be late for);
 * - a claim still not checked in at the window's start plus half the community's `claimGraceMinutes`
 *   is warned, and at the start plus the grace released (functions/core/claim-expiry.ts);
 * - a completed wish neither confirmed nor disputed for 72 hours is confirmed by the system;
 * - an activity whose window is over closes: everyone signed up who never checked in is marked
 *   absent, once, and told;
 * - from 08:00 China time, each member who asked for it gets the day before's digest of new wishes
 *   (functions/core/digest.ts), once.
 * Reminders and alerts are event items: the stream delivers them like any other event.
 *
 * Each step is a conditional write, so the jobs may run twice at once or again at any time: the
 * run that loses the condition does nothing. Indexes only choose candidates; the writes decide.
 *
 * A run is one moment (`now`) and a list of shards of the community registry, each shard handled
 * alone (`runShard`): on AWS the scheduler sends one queue message per shard and a worker takes each
 * (functions/cron.ts, functions/jobs-shard.ts), so a run's time follows a shard's, not the county's;
 * under `npm start` and in tests `runJobs` takes the shards in this process.
 */
import { getItem, queryAll, type Store } from "../store/client.js";
import * as claims from "../store/entities/claim.js";
import * as communities from "../store/entities/community.js";
import * as communityList from "../store/entities/community-entry.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, Wish } from "../store/entities/index.js";
import * as Activities from "./activities.js";
import { isLost, lapseStalled } from "./claim-expiry.js";
import { writeDigests } from "./digest.js";
import { DomainError } from "./errors.js";
import type { Log } from "./log.js";
import type { Status } from "./model.js";
import { write } from "./storage.js";
import { authorize, commit, eventItem, expire, load, system, wishUpdate } from "./wish.js";

export const autoConfirmAfterHours = 72;
/** The default wait before staff hear of an unclaimed wish; a community's `settings.unclaimedAlertHours` overrides it. */
export const unclaimedAlertHours = 24;

const hour = 3_600_000;

export interface JobReport {
  communities: number;
  expired: number;
  alerted: number;
  reminded: number;
  warned: number;
  lapsed: number;
  confirmed: number;
  /** activities closed, and members marked absent from them */
  activitiesClosed: number;
  absent: number;
  /** morning digests written, for the stream to send */
  digests: number;
  failed: number;
}

class Lost extends Error {}

/**
 * Communities per shard. A community's jobs take about 25 ms when it has little to do, so a shard
 * runs in a second or two and a busy one (expiries, digests) well inside the worker's time limit.
 */
export const shardSize = 50;

/**
 * How the scheduled jobs fan out on AWS (stacks/Jobs.ts): at most `workers` shards run at once,
 * which bounds the run's pull on the table and on the account's Lambda concurrency; a worker may
 * take `workerTimeoutSeconds`, and a shard is tried `tries` times before it is set aside. At 10,000
 * communities that is 200 shards, 10 rounds of a shard's time (a second or two) where the jobs
 * once went through 10,000 communities in a row.
 */
export const jobFanOut = { workers: 20, workerTimeoutSeconds: 60, tries: 3 } as const;

/** A report with nothing counted. */
export const emptyReport = (): JobReport => ({
  communities: 0,
  expired: 0,
  alerted: 0,
  reminded: 0,
  warned: 0,
  lapsed: 0,
  confirmed: 0,
  activitiesClosed: 0,
  absent: 0,
  digests: 0,
  failed: 0,
});

/** The sum of shards' reports: what the run as a whole did. */
export function addReports(reports: JobReport[]): JobReport {
  const sum = emptyReport();
  for (const r of reports) for (const k of Object.keys(sum) as (keyof JobReport)[]) sum[k] += r[k];
  return sum;
}

/** The community registry's ids in shards of `size`, in registry order; one page read after another. */
export async function jobShards(store: Store, size = shardSize): Promise<string[][]> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`a shard holds at least one community, not ${size}`);
  const ids = (await queryAll(store, communityList.all())).map((e) => e.id as string);
  const shards: string[][] = [];
  for (let i = 0; i < ids.length; i += size) shards.push(ids.slice(i, i + size));
  return shards;
}

/** What the scheduler sends for one shard and the worker reads back: the run's moment and the shard's communities. */
export interface ShardMessage {
  at: string;
  communities: string[];
}

/** One message body per shard, every shard at the same moment `now`. */
export const shardMessages = (shards: string[][], now: Date): string[] =>
  shards.map((communities) => JSON.stringify({ at: now.toISOString(), communities } satisfies ShardMessage));

/** A shard message as sent by `shardMessages`; anything else throws, saying what is wrong. */
export function readShardMessage(body: string): { now: Date; communities: string[] } {
  let message: Partial<ShardMessage>;
  try {
    message = JSON.parse(body);
  } catch {
    throw new Error("a shard message is JSON");
  }
  const now = new Date(typeof message?.at === "string" ? message.at : Number.NaN);
  if (Number.isNaN(now.getTime())) throw new Error("a shard message names its moment (at, an ISO time)");
  const ids = message.communities;
  if (!Array.isArray(ids) || !ids.length || !ids.every((id) => typeof id === "string" && id.length > 0))
    throw new Error("a shard message lists its communities (communities, ids)");
  return { now, communities: ids };
}

/**
 * Every community of the registry, shard by shard in this process (`npm start`, tests, scripts),
 * `concurrency` shards at a time, all at the same moment `now`.
 */
export async function runJobs(
  store: Store,
  opts: { now?: Date; log?: Log; shardSize?: number; concurrency?: number } = {},
): Promise<JobReport> {
  const now = opts.now ?? new Date();
  const shards = await jobShards(store, opts.shardSize);
  const reports: JobReport[] = [];
  let next = 0;
  const lane = async () => {
    while (next < shards.length) reports.push(await runShard(store, shards[next++], { now, log: opts.log }));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 2, shards.length)) }, lane));
  return addReports(reports);
}

/** Runs every job for the given communities (one shard); one wish's failure is logged and does not stop the rest. */
export async function runShard(store: Store, communityIds: string[], opts: { now?: Date; log?: Log } = {}): Promise<JobReport> {
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  const report = emptyReport();
  for (const id of communityIds) {
    report.communities++;
    const step = async (what: keyof JobReport, wish: Wish, run: () => Promise<unknown>) => {
      try {
        await run();
        report[what]++;
      } catch (err) {
        if (err instanceof Lost || isLost(err) || err instanceof DomainError) return;
        report.failed++;
        log("error", "job.failed", { job: what, wishId: wish.id, error: String((err as Error)?.message ?? err) });
      }
    };
    const community = await getItem(store, communities.key(id));
    const set = community && communities.fromItem(community).settings?.unclaimedAlertHours;
    const alertHours = typeof set === "number" ? set : unclaimedAlertHours;

    const open = await byStatus(store, id, "open");
    for (const wish of open) {
      if (wish.deadline && Date.parse(wish.deadline) <= now.getTime()) {
        await step("expired", wish, () => expire(store, wish.id, now));
      } else if (wish.claimed === 0 && !wish.alertedAt && Date.parse(wish.approvedAt!) <= now.getTime() - alertHours * hour) {
        await step("alerted", wish, () => alert(store, wish, alertHours, now));
      }
    }

    const live = [
      ...open.filter((w) => !(w.deadline && Date.parse(w.deadline) <= now.getTime())),
      ...(await byStatus(store, id, "claimed")),
      ...(await byStatus(store, id, "in_progress")),
    ];
    const started = live.filter((w) => w.window && Date.parse(w.window.from) <= now.getTime() && now.getTime() < Date.parse(w.window.to));
    for (const wish of started) {
      for (const claim of await absentees(store, wish.id)) {
        await step("reminded", wish, () => remind(store, wish, claim, now));
      }
    }

    // A claim lapses even when the window is over by then (a window shorter than the grace).
    await lapseStalled(store, id, live, now, step);

    const cutoff = new Date(now.getTime() - autoConfirmAfterHours * hour).toISOString();
    // A wish is created before it is completed: the index's creation-time order bounds the query.
    const completed = await byStatus(store, id, "completed", cutoff);
    for (const wish of completed.filter((w) => w.completedAt! <= cutoff)) {
      await step("confirmed", wish, () => autoConfirm(store, wish.id, now));
    }

    const closing = await Activities.closeEnded(store, id, now, (activityId, err) => {
      report.failed++;
      log("error", "job.failed", { job: "absent", activityId, error: String((err as Error)?.message ?? err) });
    });
    report.activitiesClosed += closing.closed;
    report.absent += closing.absent;

    try {
      report.digests += await writeDigests(store, id, now);
    } catch (err) {
      report.failed++;
      log("error", "job.failed", { job: "digest", communityId: id, error: String((err as Error)?.message ?? err) });
    }
  }
  return report;
}

async function byStatus(store: Store, communityId: string, status: Status, createdBefore?: string): Promise<Wish[]> {
  return (await queryAll(store, wishes.inStatus(communityId, status, { createdBefore }))).map(wishes.fromItem);
}

/** Claims on the wish whose volunteer has neither checked in nor been reminded. */
async function absentees(store: Store, wishId: string): Promise<Claim[]> {
  return (await queryAll(store, claims.absentees(wishId))).map(claims.fromItem);
}

async function alert(store: Store, wish: Wish, hours: number, now: Date) {
  const at = now.toISOString();
  const outcome = await write(store, [wishes.alerted(wish, at), eventItem(wish, system, "alert", "open", at, { data: { hours } })]);
  if (!outcome.ok) throw new Lost();
}

async function remind(store: Store, wish: Wish, claim: Claim, now: Date) {
  const at = now.toISOString();
  const outcome = await write(store, [
    wishes.stillIn(wish, ["open", "claimed", "in_progress"]),
    claims.reminded(wish.id, claim.memberId, at),
    eventItem(wish, system, "remind", wish.status, at, { data: { memberIds: [claim.memberId] } }),
  ]);
  if (!outcome.ok) throw new Lost();
}

/** The system confirms a wish its resident left unconfirmed; the version guards against a late confirm or dispute. */
async function autoConfirm(store: Store, id: string, now: Date) {
  const wish = await load(store, id);
  authorize(system, wish, "confirm");
  if (Date.parse(wish.completedAt!) > now.getTime() - autoConfirmAfterHours * hour) throw new Lost();
  const at = now.toISOString();
  const fields = { confirmedBy: system.id, confirmedAt: at, autoConfirmed: true };
  await commit(store, wish, [
    wishUpdate(wish, "confirmed", at, fields),
    eventItem(wish, system, "confirm", "confirmed", at, { data: { automatic: true, afterHours: autoConfirmAfterHours } }),
  ]);
}
