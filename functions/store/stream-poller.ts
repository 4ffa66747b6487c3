/**
 * What Lambda's event source mapping does on AWS, for local runs: reads the table's stream in
 * DynamoDB Local and hands batches to the stream handler in Lambda's event shape, in order, shard
 * by shard (a parent before its children). Records the handler reports as failed are handed again
 * from the first failure on, with a growing pause; after `maxAttempts` the record is set aside in
 * a dead-letter file and the shard moves on. The last sequence number handled in each shard is kept
 * in a file, so a restart neither hands everything again nor skips what came in meanwhile.
 *
 * A stream read for the first time is taken from its end, as the Lambda's LATEST starting position
 * does (what happened before, such as the demo seed, is history, not news); shards that appear
 * after that are read from their start.
 */
import { existsSync, readFileSync, renameSync, appendFileSync, writeFileSync } from "node:fs";
import { DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as SdkRecord,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { Log } from "../core/log.js";
import type { DynamoDBStreamEvent, StreamBatchResponse, StreamRecord } from "../notify/stream-handler.js";

export interface PollerOptions {
  config: DynamoDBClientConfig;
  table: string;
  handler: (event: DynamoDBStreamEvent) => Promise<StreamBatchResponse>;
  /** where the position in each shard is kept; none: in memory only */
  checkpointFile?: string;
  /** a stream never read before: from its first record, or (the default) from its end */
  from?: "start" | "end";
  /** where records that failed every attempt are appended, one JSON line each */
  deadLetterFile?: string;
  intervalMs?: number;
  maxAttempts?: number;
  batchSize?: number;
  log?: Log;
}

interface Checkpoint {
  streamArn?: string;
  /** last sequence number handled, per shard */
  shards: Record<string, string>;
  /** shards read to their end */
  closed: string[];
}

/** A stream record as Lambda hands it over: the same fields, times in epoch seconds. */
export function toLambdaRecord(record: SdkRecord, streamArn: string): StreamRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as StreamRecord["eventName"],
    eventVersion: record.eventVersion,
    eventSource: record.eventSource ?? "aws:dynamodb",
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: created ? Math.floor(new Date(created).getTime() / 1000) : undefined,
      Keys: d.Keys as any,
      NewImage: d.NewImage as any,
      OldImage: d.OldImage as any,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function streamPoller(opts: PollerOptions) {
  const interval = opts.intervalMs ?? 250;
  const maxAttempts = opts.maxAttempts ?? 5;
  const log = opts.log ?? (() => {});
  const dynamo = new DynamoDBClient(opts.config);
  const streams = new DynamoDBStreamsClient(opts.config);
  const checkpoint: Checkpoint = load();
  const iterators = new Map<string, string>();
  let shards: Shard[] = [];
  let describedAt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function load(): Checkpoint {
    if (!opts.checkpointFile || !existsSync(opts.checkpointFile)) return { shards: {}, closed: [] };
    try {
      const saved = JSON.parse(readFileSync(opts.checkpointFile, "utf8"));
      return { streamArn: saved.streamArn, shards: saved.shards ?? {}, closed: saved.closed ?? [] };
    } catch {
      return { shards: {}, closed: [] };
    }
  }

  function save() {
    if (!opts.checkpointFile) return;
    const tmp = `${opts.checkpointFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(checkpoint));
    renameSync(tmp, opts.checkpointFile);
  }

  async function describe() {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: opts.table }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${opts.table} has no stream`);
    const fresh = checkpoint.streamArn !== arn;
    if (fresh) {
      // A stream not read before (or the table was made again): positions in another mean nothing here.
      Object.assign(checkpoint, { streamArn: arn, shards: {}, closed: [] });
      iterators.clear();
    }
    const found: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }));
      found.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    shards = found;
    describedAt = Date.now();
    if (fresh) {
      if ((opts.from ?? "end") === "end") for (const shard of shards) await skipToEnd(shard.ShardId!);
      save();
    }
  }

  /** Notes the shard's last record as handled without handing anything over. */
  async function skipToEnd(shardId: string) {
    let iterator = await iteratorFor(shardId);
    while (iterator) {
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const last = out.Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (!last) {
        if (!out.NextShardIterator) checkpoint.closed.push(shardId);
        return;
      }
      checkpoint.shards[shardId] = last;
      iterator = out.NextShardIterator;
    }
    checkpoint.closed.push(shardId);
  }

  /** Shards with something left to read whose parent (when still listed) has been read to its end. */
  function readable() {
    const listed = new Set(shards.map((s) => s.ShardId));
    return shards.filter(
      (s) =>
        !checkpoint.closed.includes(s.ShardId!) &&
        (!s.ParentShardId || !listed.has(s.ParentShardId) || checkpoint.closed.includes(s.ParentShardId)),
    );
  }

  async function iteratorFor(shardId: string) {
    const after = checkpoint.shards[shardId];
    const out = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: checkpoint.streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after } : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return out.ShardIterator;
  }

  /** Hands the records over until all are handled or set aside; false when stopped midway. */
  async function hand(shardId: string, records: StreamRecord[]): Promise<boolean> {
    let pending = records;
    let attempts = 0;
    while (pending.length) {
      const result = await opts.handler({ Records: pending });
      const failed = result.batchItemFailures?.[0]?.itemIdentifier;
      const at = failed === undefined ? -1 : pending.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
      if (at < 0) {
        checkpoint.shards[shardId] = pending.at(-1)!.dynamodb!.SequenceNumber!;
        save();
        return true;
      }
      if (at > 0) {
        checkpoint.shards[shardId] = pending[at - 1].dynamodb!.SequenceNumber!;
        save();
      }
      pending = pending.slice(at);
      attempts++;
      if (attempts >= maxAttempts) {
        const [dead, ...rest] = pending;
        log("error", "stream.dead_letter", { shardId, sequenceNumber: dead.dynamodb?.SequenceNumber, attempts });
        if (opts.deadLetterFile) appendFileSync(opts.deadLetterFile, `${JSON.stringify(dead)}\n`);
        checkpoint.shards[shardId] = dead.dynamodb!.SequenceNumber!;
        save();
        pending = rest;
        attempts = 0;
        continue;
      }
      log("warn", "stream.retry", { shardId, sequenceNumber: failed, attempts });
      await sleep(Math.min(5_000, interval * 2 ** attempts));
      if (stopped) return false;
    }
    return true;
  }

  /** Reads every readable shard once; true when some shard had records. */
  async function pass(): Promise<boolean> {
    if (!checkpoint.streamArn || Date.now() - describedAt > 5_000) await describe();
    let busy = false;
    for (const shard of readable()) {
      if (stopped) return busy;
      const id = shard.ShardId!;
      try {
        const iterator = iterators.get(id) ?? (await iteratorFor(id));
        if (!iterator) continue;
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: opts.batchSize ?? 100 }));
        const records = (out.Records ?? []).map((r) => toLambdaRecord(r, checkpoint.streamArn!));
        if (records.length) {
          busy = true;
          if (!(await hand(id, records))) {
            iterators.delete(id);
            return busy;
          }
        }
        if (out.NextShardIterator) iterators.set(id, out.NextShardIterator);
        else {
          iterators.delete(id);
          checkpoint.closed.push(id);
          save();
          describedAt = 0;
        }
      } catch (err) {
        // An expired or trimmed iterator, or the database restarting: start again from the checkpoint.
        iterators.delete(id);
        log("warn", "stream.read_failed", { shardId: id, error: String((err as Error)?.message ?? err) });
      }
    }
    return busy;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((err) => log("warn", "stream.poll_failed", { error: String((err as Error)?.message ?? err) }))
        .then(() => schedule());
    }, interval);
  }

  /** Reads until a pass over every shard finds nothing new. */
  async function drain() {
    while (!stopped && (await pass())) {}
  }

  return {
    /** Reads until the stream has nothing new, then polls every `intervalMs`. */
    async start() {
      await drain();
      schedule();
    },
    drain,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      dynamo.destroy();
      streams.destroy();
    },
  };
}
