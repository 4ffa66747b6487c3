import { need } from "./aws/env.js";
import { readShardMessage, runShard } from "./core/jobs.js";
import { jsonLog } from "./core/log.js";
import { createStore } from "./store/client.js";

const store = createStore(need("TABLE_NAME"));

/** The part of an SQS event the worker reads. */
export interface ShardEvent {
  Records: { messageId: string; body: string }[];
}

/**
 * The scheduled jobs for one shard of communities (expiry, alerts, reminders, claims lapsing,
 * auto-confirm, activities closing, digests), at the moment the scheduler chose. A shard that
 * throws is handed back as a failed item: SQS offers it again, and after three tries sets it aside
 * in the shard dead-letter queue. One wish's failure is counted in the report and left for the next run.
 */
export async function handler(event: ShardEvent) {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      const { now, communities } = readShardMessage(record.body);
      const report = await runShard(store, communities, { now, log: jsonLog });
      jsonLog("info", "jobs.shard", { at: now.toISOString(), ...report });
    } catch (err) {
      jsonLog("error", "jobs.shard_failed", { messageId: record.messageId, error: String((err as Error)?.message ?? err) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
