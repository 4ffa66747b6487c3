/**
 * The scheduled jobs fanned out as on AWS: the scheduler (functions/cron.handler) sends one message
 * per shard of communities to SQS (a double on the wire), and the worker (functions/jobs-shard.handler)
 * runs each message as Lambda's SQS source hands it over, against DynamoDB Local. The same communities
 * and wishes, built in two tables, are run once that way and once one community after another in this
 * process, as the jobs ran before they were sharded: every wish must end the same.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { community, newWish, startApi, wishIn, type Api, type TestCommunity } from "../helpers/api.js";
import { startSqsDouble, type SqsDouble } from "./sqs-double.js";

const hour = 3_600_000;
const queueUrl = "https://sqs.ap-southeast-1.amazonaws.com/123456789012/microwish-test-JobShards";
const communities = 5;
const shardSize = 2;

type Label = "expires" | "unclaimed" | "unconfirmed" | "late";
type Built = { id: string; staff: TestCommunity["staff"]; wishes: Record<Label, string> }[];

let before: Api;
let sharded: Api;
let sqs: SqsDouble;
let built: { before: Built; sharded: Built };
let t0: number;
let scheduler: (event?: { time?: string }) => Promise<{ at: string; communities: number; shards: number }>;
let worker: (event: { Records: { messageId: string; body: string }[] }) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

/** Communities with a wish for each job: one past its deadline, one nobody claimed, one nobody confirmed, one whose volunteer is late. */
async function build(api: Api): Promise<Built> {
  const out: Built = [];
  for (let i = 0; i < communities; i++) {
    const c: TestCommunity = await community(api.store, { members: 2, residents: 1, name: `分片社区${i + 1}` });
    const opened = async (extra: Record<string, unknown>, approve: Record<string, unknown> = {}) => {
      const id = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, extra) }))).id as string;
      await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60, ...approve } }));
      return id;
    };
    const expires = await opened({ title: "截止就过期" }, { deadline: new Date(t0 + hour).toISOString() });
    const unclaimed = await opened({ title: "没人认领" });
    const unconfirmed = await wishIn(api, c, "completed", { members: [c.members[0]] });
    const window = { from: new Date(t0 + 72.5 * hour).toISOString(), to: new Date(t0 + 80 * hour).toISOString() };
    const late = await opened({ title: "志愿者迟到", window });
    await ok(api.call("POST", `/api/wishes/${late}/claim`, { as: c.members[1] }));
    out.push({ id: c.id, staff: c.staff, wishes: { expires, unclaimed, unconfirmed, late } });
  }
  return out;
}

/** Each wish's state and timeline, by community and label: what the jobs did, table by table. */
async function outcome(api: Api, made: Built) {
  const result: Record<string, { status: string; kinds: string[] }> = {};
  for (const [i, c] of made.entries()) {
    for (const [label, id] of Object.entries(c.wishes)) {
      const wish = await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
      // Steps of one run share its moment, so their order in the timeline is not the point: which steps were taken is.
      result[`${i + 1} ${label}`] = { status: wish.status, kinds: wish.timeline.map((e: any) => e.kind).sort() };
    }
  }
  return result;
}

beforeAll(async () => {
  t0 = Date.now();
  [before, sharded, sqs] = await Promise.all([startApi(), startApi(), startSqsDouble()]);
  built = { before: await build(before), sharded: await build(sharded) };
  // Read when the modules load, as a cold start would: the environment the Jobs stack sets.
  Object.assign(process.env, {
    TABLE_NAME: sharded.store.table,
    JOBS_QUEUE_URL: queueUrl,
    JOBS_SHARD_SIZE: String(shardSize),
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: inject("dynamoEndpoint"),
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
  });
  ({ handler: scheduler } = await import("../../functions/cron.js"));
  ({ handler: worker } = await import("../../functions/jobs-shard.js"));
}, 180_000);
afterAll(async () => {
  await sqs?.close();
  await before?.close();
  await sharded?.close();
});

describe("the scheduled jobs, a shard of communities per message", () => {
  it("do what the jobs did one community after another: every wish ends the same", async () => {
    const tick = new Date(t0 + 73 * hour);
    const report = await runJobs(before.store, { now: tick, shardSize: 1_000, concurrency: 1 });
    expect(report).toMatchObject({ communities, expired: communities, alerted: communities, confirmed: communities, failed: 0 });
    expect(report.reminded).toBe(communities);

    sqs.failNext(2);
    const scheduled = await scheduler({ time: tick.toISOString() });
    expect(scheduled).toEqual({ at: tick.toISOString(), communities, shards: 3 });
    // Two entries SQS failed on its side were sent again: each shard is on the queue once.
    const messages = sqs.messages(queueUrl).map((m) => JSON.parse(m.body));
    expect(messages.map((m) => m.communities.length).sort()).toEqual([1, 2, 2]);
    expect(messages.flatMap((m) => m.communities).sort()).toEqual(built.sharded.map((c) => c.id).sort());
    expect(new Set(messages.map((m) => m.at))).toEqual(new Set([tick.toISOString()]));
    // Lambda hands each shard over on its own, in any order and side by side.
    const answers = await Promise.all(
      sqs
        .events(queueUrl)
        .reverse()
        .map((e) => worker(e)),
    );
    expect(answers).toEqual(answers.map(() => ({ batchItemFailures: [] })));

    const done = await outcome(before, built.before);
    expect(await outcome(sharded, built.sharded)).toEqual(done);
    for (let i = 1; i <= communities; i++) {
      expect(done[`${i} expires`].status).toBe("expired");
      expect(done[`${i} unclaimed`].kinds).toContain("alert");
      expect(done[`${i} unconfirmed`].status).toBe("confirmed");
      expect(done[`${i} late`].kinds).toContain("remind");
    }
  });

  it("shards handed over twice take no step twice, and the next tick goes on as the jobs did one by one", async () => {
    // SQS delivers at least once: every shard of the tick again, side by side with the jobs run again as before.
    const tick = new Date(t0 + 73 * hour);
    const shards = sqs.events(queueUrl);
    const [again] = await Promise.all([
      Promise.all(shards.map((e) => worker(e))),
      runJobs(before.store, { now: tick, shardSize: 1_000, concurrency: 1 }),
    ]);
    expect(again).toEqual(shards.map(() => ({ batchItemFailures: [] })));
    const twice = await outcome(sharded, built.sharded);
    expect(twice).toEqual(await outcome(before, built.before));
    for (const [label, { kinds }] of Object.entries(twice)) expect(new Set(kinds).size, label).toBe(kinds.length);

    const next = new Date(tick.getTime() + 5 * 60_000);
    await runJobs(before.store, { now: next, shardSize: 1_000, concurrency: 1 });
    const sent = sqs.messages(queueUrl).length;
    expect(await scheduler({ time: next.toISOString() })).toMatchObject({ shards: 3 });
    const answers = await Promise.all(
      sqs
        .events(queueUrl)
        .slice(sent)
        .map((e) => worker(e)),
    );
    expect(answers).toEqual([1, 2, 3].map(() => ({ batchItemFailures: [] })));
    expect(await outcome(sharded, built.sharded)).toEqual(await outcome(before, built.before));
  });

  it("a message that is not a shard fails alone, to be tried again and then set aside", async () => {
    const [good] = sqs.messages(queueUrl);
    const answer = await worker({
      Records: [
        { messageId: "m-garbled", body: "{not json" },
        { messageId: "m-empty", body: JSON.stringify({ at: new Date().toISOString(), communities: [] }) },
        { messageId: "m-no-time", body: JSON.stringify({ communities: ["x"] }) },
        good,
      ],
    });
    expect(answer).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-garbled" }, { itemIdentifier: "m-empty" }, { itemIdentifier: "m-no-time" }],
    });
  });
});
