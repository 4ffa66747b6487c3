import { need } from "./aws/env.js";
import { sqsSender } from "./aws/sqs.js";
import { jobShards, shardMessages, shardSize } from "./core/jobs.js";
import { jsonLog } from "./core/log.js";
import { createStore } from "./store/client.js";

const store = createStore(need("TABLE_NAME"));
const queueUrl = need("JOBS_QUEUE_URL");
const send = sqsSender();
/** Communities per shard: JOBS_SHARD_SIZE when set, else the default of functions/core/jobs.ts. */
const size = process.env.JOBS_SHARD_SIZE ? Number(process.env.JOBS_SHARD_SIZE) : shardSize;

/**
 * The scheduled jobs' scheduler: reads the community registry and sends one message per shard of
 * communities to the shard queue, where functions/jobs-shard.ts runs each. Its own time is the
 * registry's pages and a batch per ten shards, however much each community has to do.
 */
export async function handler(event?: { time?: string }) {
  // The run's moment is the schedule's tick (EventBridge's `time`), the same for every shard however late each is taken.
  const tick = event?.time ? new Date(event.time) : undefined;
  const now = tick && !Number.isNaN(tick.getTime()) ? tick : new Date();
  const shards = await jobShards(store, size);
  await send(queueUrl, shardMessages(shards, now));
  const report = { at: now.toISOString(), communities: shards.reduce((n, s) => n + s.length, 0), shards: shards.length };
  jsonLog("info", "jobs.scheduled", report);
  return report;
}
