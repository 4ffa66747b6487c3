/**
 * The scheduled jobs at 10 and at 10,000 communities. Two tables in the run's DynamoDB Local: one
 * registry of 10 communities, one of 10,000, each made by the domain's Community.create (its item,
 * its registry entry). On AWS the scheduler reads the registry and sends a message per shard of
 * `shardSize` communities; workers run them, at most `jobFanOut.workers` at once. Here:
 *
 * 1. the scheduler's own work is timed as it runs on AWS: the registry read in shards (`jobShards`)
 *    and the message bodies (`shardMessages`); sending them is 1 SendMessageBatch per 10 shards;
 * 2. a shard's work is timed as the worker runs it (`runShard`), one shard after another: the one
 *    shard at 10 communities, and `sampled` shards spread over the 10,000 (every 10th);
 * 3. the run's wall time with the fan-out is worked out from those figures, printed with the
 *    arithmetic: the scheduler, then ceil(shards / workers) rounds of the shards' p95; the time of
 *    the same run one community after another (the jobs before the fan-out) is shards × the mean.
 *
 * Running all 200 shards of the big table here would take as long as the old single run (minutes on
 * this machine) and measure the same thing 10 times over: the shards are alike, so a tenth is timed.
 */
import { performance } from "node:perf_hooks";
import * as Community from "../functions/core/community.js";
import { jobFanOut, jobShards, runShard, shardMessages, shardSize } from "../functions/core/jobs.js";
import type { Store } from "../functions/store/client.js";
import { freshTable, inBatches, median, ms, percentile, ratio } from "./lib.js";
import type { Row } from "./rows.js";

const small = 10;
const big = 10_000;
const sampled = 20;
/** Budgets: the run with the fan-out well inside one 5-minute period, a shard well inside the worker's time limit. */
const wallBudgetS = 60;
const shardBudgetS = jobFanOut.workerTimeoutSeconds / 6;
/** A community's share of its shard at 10,000 against at 10: flat, with room for a shared machine. */
const perCommunityBudget = 1.5;

async function registry(endpoint: string, count: number): Promise<Store> {
  const store = await freshTable(endpoint, `bench-jobs-${count}`, 64);
  await inBatches(count, 32, (i) => Community.create(store, { name: `基准社区${i + 1}`, branches: [] }));
  return store;
}

const seconds = (n: number) => `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;

/** The scheduler's work, median of `times` runs: shards of the registry and their message bodies. */
async function plan(store: Store, times: number) {
  const took: number[] = [];
  let shards: string[][] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    shards = await jobShards(store);
    shardMessages(shards, new Date());
    took.push(performance.now() - t);
  }
  return { shards, ms: median(took) };
}

async function timeShard(store: Store, ids: string[], now: Date) {
  const t = performance.now();
  const report = await runShard(store, ids, { now });
  if (report.communities !== ids.length || report.failed) throw new Error(`a shard did not run whole: ${JSON.stringify(report)}`);
  return performance.now() - t;
}

export async function jobRows(opts: { endpoint: string }): Promise<{ rows: Row[]; notes: string[] }> {
  const t0 = performance.now();
  const few = await registry(opts.endpoint, small);
  const many = await registry(opts.endpoint, big);
  const seeded = (performance.now() - t0) / 1000;
  const now = new Date();

  const fewPlan = await plan(few, 5);
  const manyPlan = await plan(many, 3);
  if (fewPlan.shards.flat().length !== small || manyPlan.shards.flat().length !== big)
    throw new Error("the registries do not hold the communities seeded");

  // Every shard timed is run once before (DynamoDB Local answers a partition it has just read from its cache, as the
  // 10 communities' would always be), then the two tables take turns, so the shared machine's load falls on both
  // alike: before each sampled shard of the 10,000 (every 10th), the one shard at 10.
  const step = Math.max(1, Math.floor(manyPlan.shards.length / sampled));
  const picked = manyPlan.shards.filter((_, i) => i % step === 0).slice(0, sampled);
  await timeShard(few, fewPlan.shards[0], now);
  for (const shard of picked) await timeShard(many, shard, now);
  const fewShard: number[] = [];
  const manyShard: number[] = [];
  for (const shard of picked) {
    fewShard.push(await timeShard(few, fewPlan.shards[0], now));
    manyShard.push(await timeShard(many, shard, now));
  }

  const shards = manyPlan.shards.length;
  const rounds = Math.ceil(shards / jobFanOut.workers);
  const p95 = percentile(manyShard, 95);
  const mean = manyShard.reduce((s, t) => s + t, 0) / manyShard.length;
  const wall = manyPlan.ms + rounds * p95;
  const oneByOne = shards * mean;
  const fewWall = fewPlan.ms + median(fewShard);
  const perFew = median(fewShard) / small;
  const perMany = median(manyShard) / shardSize;
  const flat = perMany / perFew;

  const rows: Row[] = [
    {
      name: `jobs: time of a run at 10 vs 10,000 communities`,
      figure:
        `10: 1 shard, scheduler ${ms(fewPlan.ms)} + shard ${ms(median(fewShard))} = ${seconds(fewWall)}; ` +
        `10,000: ${shards} shards of ${shardSize}, a shard p50 ${seconds(median(manyShard))}, p95 ${seconds(p95)}, ` +
        `max ${seconds(Math.max(...manyShard))} (${manyShard.length} timed); scheduler ${ms(manyPlan.ms)}; ` +
        `wall with the fan-out ${seconds(manyPlan.ms)} + ${rounds} rounds × ${seconds(p95)} = ${seconds(wall)} ` +
        `(one community after another: ${shards} × ${seconds(mean)} = ${seconds(oneByOne)})`,
      budget: `wall ≤ ${wallBudgetS} s, a shard ≤ ${shardBudgetS} s`,
      holds: wall <= wallBudgetS * 1000 && Math.max(...manyShard) <= shardBudgetS * 1000,
    },
    {
      name: `jobs: a community's time in its shard, 10,000 vs 10 communities`,
      figure: `${ms(perMany)} vs ${ms(perFew)} (${ratio(flat)})`,
      budget: `≤ ${perCommunityBudget} ×`,
      holds: flat <= perCommunityBudget,
    },
  ];
  return {
    rows,
    notes: [
      `jobs: two registries in DynamoDB Local, ${small} and ${big.toLocaleString("en")} communities made by Community.create ` +
        `(seeded in ${Math.round(seeded)} s), with no wishes (each community's jobs read its indexes and find nothing due: ` +
        `a community with work due adds its writes). The scheduler's work (registry read in shards of ${shardSize}, message bodies) ` +
        `is the median of 5 runs at 10 and 3 at 10,000; sending the messages on AWS adds one SendMessageBatch per 10 shards ` +
        `(${Math.ceil(shards / 10)} at 10,000), not timed here. A shard is timed as the worker runs it (runShard), ` +
        `one after another, each run once untimed first: every ${step}th of the ${shards} shards at 10,000 (${manyShard.length}), ` +
        `each after the one shard at 10, so that both meet the same load and DynamoDB Local's cache alike. ` +
        `The wall time is worked out, not measured: the scheduler, then ceil(${shards} / ${jobFanOut.workers} workers) ` +
        `= ${rounds} rounds each as long as the p95 shard; before the fan-out the run was ${shards} × the mean shard, ` +
        `past the old function's 4-minute limit. The machine is shared (2 cores, other work running).`,
    ],
  };
}
