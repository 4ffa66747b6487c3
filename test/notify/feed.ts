/**
 * The test table's stream, read the way Lambda's event source would hand it over: each `next()`
 * returns the records written since the previous call, as a DynamoDBStreamEvent.
 */
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { inject } from "vitest";
import type { DynamoDBStreamEvent, StreamRecord } from "../../functions/notify/stream-handler.js";
import type { Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { toLambdaRecord } from "../../functions/store/stream-poller.js";

export function streamFeed(store: Store) {
  const config = dynamoClientConfig(inject("dynamoEndpoint"));
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const after = new Map<string, string>();

  async function next(): Promise<DynamoDBStreamEvent> {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: store.table }));
    const arn = table.Table!.LatestStreamArn!;
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const records: StreamRecord[] = [];
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId!;
      const seq = after.get(id);
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: id,
            ...(seq ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: seq } : { ShardIteratorType: "TRIM_HORIZON" }),
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const got = (out.Records ?? []).map((r) => toLambdaRecord(r, arn));
        if (got.length === 0) break;
        records.push(...got);
        after.set(id, got.at(-1)!.dynamodb!.SequenceNumber!);
        iterator = out.NextShardIterator;
      }
    }
    return { Records: records };
  }

  return { next, close: () => (dynamo.destroy(), streams.destroy()) };
}
