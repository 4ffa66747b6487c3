/**
 * The Lambda entries as AWS runs them: configured by the environment the Jobs stack sets
 * (TABLE_NAME, TOPIC_ARN, JOBS_QUEUE_URL), with the SDK's own endpoint variables pointing DynamoDB
 * at the run's DynamoDB Local, and SNS and SQS at their doubles.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DynamoDBStreamEvent, StreamBatchResponse } from "../../functions/notify/stream-handler.js";
import { community, newWish, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";
import { startSqsDouble, type SqsDouble } from "./sqs-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
const queueUrl = "https://sqs.ap-southeast-1.amazonaws.com/123456789012/job-shards";
let api: Api;
let sns: SnsDouble;
let sqs: SqsDouble;
let c: TestCommunity;
let stream: (event: DynamoDBStreamEvent) => Promise<StreamBatchResponse>;
let cron: () => Promise<Record<string, unknown>>;
let shard: (event: { Records: { messageId: string; body: string }[] }) => Promise<{ batchItemFailures: unknown[] }>;

beforeAll(async () => {
  api = await startApi();
  sns = await startSnsDouble();
  sqs = await startSqsDouble();
  c = await community(api.store, { members: 1, residents: 1 });
  // Read when the modules load, as a cold start would.
  Object.assign(process.env, {
    TABLE_NAME: api.store.table,
    TOPIC_ARN: topicArn,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: inject("dynamoEndpoint"),
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    JOBS_QUEUE_URL: queueUrl,
    SITE_ORIGIN: "https://mw.example.cn",
  });
  ({ handler: stream } = await import("../../functions/stream.js"));
  ({ handler: cron } = await import("../../functions/cron.js"));
  ({ handler: shard } = await import("../../functions/jobs-shard.js"));
}, 60_000);
afterAll(async () => {
  await sns?.close();
  await sqs?.close();
  await api?.close();
});

describe("functions/stream.handler", () => {
  it("texts the volunteer and publishes the new wish to the topic", async () => {
    const feed = streamFeed(api.store);
    const id = (await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id) })).body.id;
    expect((await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } })).status).toBe(
      200,
    );
    expect((await api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] })).status).toBe(200);
    expect(await stream(await feed.next())).toEqual({ batchItemFailures: [] });
    feed.close();
    expect(sns.accepted().filter((p) => p.topicArn === topicArn)).toHaveLength(2);
    expect(
      sns
        .accepted()
        .filter((p) => p.phoneNumber === c.members[0].phone)
        .map((p) => p.message),
    ).toEqual([`【微心愿】您已认领一个心愿，服务时间：见详情，请按时前往：https://mw.example.cn/wishes/${id}`]);
  });

  it("fails the record SNS refused for now, by its sequence number", async () => {
    const feed = streamFeed(api.store);
    const id = (await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "第二件" }) })).body.id;
    await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } });
    await api.call("POST", `/api/wishes/${id}/dispatch`, { as: c.staff, body: { memberIds: [c.members[0].id] } });
    const batch = await feed.next();
    feed.close();
    sns.failAll("throttling");
    const result = await stream(batch);
    sns.failAll(undefined);
    const approve = batch.Records.find((r) => r.dynamodb?.NewImage?.kind?.S === "approve")!;
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: approve.dynamodb!.SequenceNumber }] });
  });
});

describe("functions/cron.handler and functions/jobs-shard.handler", () => {
  it("the scheduler sends the registry's communities as shards to the queue; the worker runs each and reports no failure", async () => {
    expect(await cron()).toMatchObject({ communities: 1, shards: 1 });
    const [message] = sqs.messages(queueUrl);
    expect(JSON.parse(message.body)).toEqual({ at: expect.any(String), communities: [c.id] });
    expect(await shard({ Records: [message] })).toEqual({ batchItemFailures: [] });
  });
});
