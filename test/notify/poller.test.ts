/**
 * The stream's faults, end to end on real parts: DynamoDB Local's stream read by the local poller
 * (what Lambda's event source mapping does on AWS), the real handler, SMS and topic messages to an
 * SNS double on the wire that fails when told to.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { snsNotifier } from "../../functions/notify/sns.js";
import { createStreamHandler, type DynamoDBStreamEvent } from "../../functions/notify/stream-handler.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { streamPoller } from "../../functions/store/stream-poller.js";
import { community, newWish, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { inject } from "vitest";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
let api: Api;
let sns: SnsDouble;
let c: TestCommunity;
let dir: string;
const logs: { what: string; fields?: Record<string, unknown> }[] = [];

beforeAll(async () => {
  api = await startApi();
  sns = await startSnsDouble();
  c = await community(api.store, { members: 3, residents: 1 });
  dir = mkdtempSync(join(tmpdir(), "microwish-poller-"));
}, 60_000);
afterAll(async () => {
  await sns?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sns.reset();
  logs.length = 0;
});

function poller(
  handler: (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
  extra: { maxAttempts?: number; name?: string } = {},
) {
  const name = extra.name ?? String(Math.random()).slice(2);
  return streamPoller({
    config: dynamoClientConfig(inject("dynamoEndpoint")),
    table: api.store.table,
    handler,
    checkpointFile: join(dir, `${name}.json`),
    deadLetterFile: join(dir, `${name}.dead.jsonl`),
    intervalMs: 10,
    maxAttempts: extra.maxAttempts ?? 10,
    log: (_level, what, fields) => logs.push({ what, fields }),
  });
}

const realHandler = () =>
  createStreamHandler({
    store: api.store,
    notifier: snsNotifier({ ...sns.config(), topicArn }),
    log: (_l, what, fields) => logs.push({ what, fields }),
  });

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};
const kinds = async (p: Person) =>
  (await ok(api.call("GET", "/api/notifications?limit=100", { as: p }))).items.map((n: any) => n.kind).reverse();

describe("SNS failing for a while, then recovering", () => {
  it("every message reaches the inbox exactly once and SNS at least once", async () => {
    const p = poller(realHandler());
    await p.drain(); // from the stream's end: what came before is not this test's
    const resident = c.residents[0];
    const [m0, m1, m2] = c.members;
    const id = (await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id) }))).id;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 3, estimatedMinutes: 60 } }));
    await ok(api.call("POST", `/api/wishes/${id}/dispatch`, { as: c.staff, body: { memberIds: [m0.id, m1.id] } }));
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m2 }));

    sns.failNext("internal", "throttling", "internal", "throttling", "internal");
    await p.drain();
    await p.stop();

    expect(await kinds(c.staff)).toEqual(["review-needed"]);
    expect(await kinds(resident)).toEqual(["wish-approved", "wish-claimed"]);
    expect(await kinds(m0)).toEqual(["task-dispatched"]);
    expect(await kinds(m1)).toEqual(["task-dispatched"]);
    expect(await kinds(m2)).toEqual(["task-confirmed"]);
    for (const who of [c.staff, resident, m0, m1, m2]) {
      const inbox = await ok(api.call("GET", "/api/notifications", { as: who }));
      expect(inbox.unread, who.name).toBe(inbox.items.length);
    }

    expect(sns.publishes.filter((x) => !x.accepted)).toHaveLength(5);
    const accepted = sns.accepted();
    const to = (phone: string) => accepted.filter((x) => x.phoneNumber === phone).map((x) => x.message);
    expect(to(m0.phone)).toEqual([
      expect.stringMatching(/^【微心愿】社区为您派发了一个心愿，服务时间：见详情。如不能前往，请在微心愿中婉拒：\/wishes\/\w+$/),
    ]);
    expect(to(m1.phone)).toEqual(to(m0.phone));
    expect(to(m2.phone)).toEqual([expect.stringMatching(/^【微心愿】您已认领一个心愿，服务时间：见详情，请按时前往：\/wishes\/\w+$/)]);
    expect(new Set(accepted.filter((x) => x.topicArn).map((x) => x.attributes.lang.value))).toEqual(new Set(["zh-CN", "en"]));
    expect(logs.filter((l) => l.what === "stream.retry").length).toBeGreaterThanOrEqual(1);
    expect(logs.filter((l) => l.what === "stream.dead_letter")).toEqual([]);
  });
});

describe("SNS down past the retry limit", () => {
  it("the record is set aside in the dead-letter file, its in-app notice is kept, and the stream moves on", async () => {
    const name = "down";
    const p = poller(realHandler(), { maxAttempts: 3, name });
    await p.drain();
    const [m0, m1] = c.members;
    const id = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "陪老人下棋" }) }))).id;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 2, estimatedMinutes: 60 } }));
    await p.drain();
    sns.failAll("internal");
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m0 }));
    await p.drain();
    sns.failAll(undefined);
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m1 }));
    await p.drain();
    await p.stop();

    const dead = readFileSync(join(dir, `${name}.dead.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ eventName: "INSERT", eventSourceARN: expect.stringContaining(api.store.table) });
    expect(dead[0].dynamodb.NewImage).toMatchObject({ type: { S: "event" }, kind: { S: "claim" }, actorId: { S: m0.id } });
    expect(logs.filter((l) => l.what === "stream.dead_letter")).toHaveLength(1);
    expect(sns.publishes.filter((x) => x.phoneNumber === m0.phone).map((x) => x.accepted)).toEqual([false, false, false]);
    expect(await kinds(m0)).toContain("task-confirmed");
    expect(sns.accepted().filter((x) => x.phoneNumber === m1.phone)).toHaveLength(1);
  });
});

describe("the poller's place in the stream", () => {
  it("a new poller on the same checkpoint hands over exactly what came in while none ran", async () => {
    const seen: string[] = [];
    const recording = async (e: DynamoDBStreamEvent) => {
      // The wishes' own items; other writes (tallies, counters) come and go with other features.
      seen.push(...e.Records.map((r) => `${r.dynamodb!.Keys!.pk.S}|${r.dynamodb!.Keys!.sk.S}`).filter((k) => k.startsWith("W#")));
      return { batchItemFailures: [] };
    };
    const first = poller(recording, { name: "place" });
    await first.drain();
    const before = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "第一件" }) }))).id;
    await first.drain();
    await first.stop();
    expect(seen).toEqual([`W#${before}|W`, expect.stringMatching(new RegExp(`^W#${before}\\|E#`))]);
    const handled = seen.length;

    const after = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "第二件" }) }))).id;
    expect(existsSync(join(dir, "place.json"))).toBe(true);
    const second = poller(recording, { name: "place" });
    await second.drain();
    await second.stop();
    expect(seen.slice(handled)).toEqual([`W#${after}|W`, expect.stringMatching(new RegExp(`^W#${after}\\|E#`))]);
  });

  it("hands records over in Lambda's shape", async () => {
    const batches: DynamoDBStreamEvent[] = [];
    const p = poller(async (e) => (batches.push(e), { batchItemFailures: [] }));
    await p.drain();
    await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "看看形状" }) }));
    await p.drain();
    await p.stop();
    const records = batches.flatMap((b) => b.Records);
    const event = records.find((r) => r.dynamodb?.NewImage?.type?.S === "event")!;
    expect(event).toMatchObject({
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:.*:table\/.*\/stream\//),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: expect.stringMatching(/^W#/) }, sk: { S: expect.stringMatching(/^E#/) } },
        NewImage: expect.objectContaining({ kind: { S: "submit" } }),
        SequenceNumber: expect.stringMatching(/^\d+$/),
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
  });
});
