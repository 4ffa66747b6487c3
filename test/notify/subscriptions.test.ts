/**
 * New wishes for the members who want them. On AWS a member's categories become their SMS
 * subscription to the wish-events topic with a filter policy, kept in step by
 * `PUT /api/me/preferences` (checked here against an SNS double that keeps subscriptions as SNS
 * does). Locally the dev outbox does SNS's part: a topic message goes to each member whose
 * filter takes it.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../functions/app/index.js";
import * as Community from "../../functions/core/community.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { snsSubscriptions } from "../../functions/notify/subscriptions.js";
import { createStore, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { community, newWish, person, secret, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { freshTable } from "../helpers/db.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
const allSms = ["task-dispatched", "task-confirmed", "task-cancelled", "task-reminder"];

describe("members' subscriptions on SNS", () => {
  let sns: SnsDouble;
  let store: Store;
  let base: string;
  let close: () => Promise<void>;
  let c: TestCommunity;
  let member: Person;

  beforeAll(async () => {
    sns = await startSnsDouble();
    const { tableName, endpoint } = await freshTable();
    store = createStore(tableName, dynamoClientConfig(endpoint));
    const app = createApp({
      store,
      notifier: outboxNotifier(store),
      secret: async () => secret,
      publicUrl: () => "http://127.0.0.1",
      subscriptions: snsSubscriptions({ ...sns.config(), topicArn }),
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((ready) => server.once("listening", () => ready()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((done) => server.close(() => done()));
    c = await community(store, { members: 2, residents: 1 });
    member = c.members[0];
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await sns?.close();
  });
  beforeEach(() => sns.failAll(undefined));

  const put = async (who: Person, body: unknown) => {
    const res = await fetch(`${base}/api/me/preferences`, {
      method: "PUT",
      headers: { authorization: `Bearer ${who.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const get = async (who: Person) =>
    (await fetch(`${base}/api/me/preferences`, { headers: { authorization: `Bearer ${who.token}` } })).json();
  const subscriptionsOf = (phone: string) => [...sns.subscriptions.values()].filter((s) => s.endpoint === phone);

  it("picking categories subscribes the member's phone to the topic by SMS, with their filter policy", async () => {
    const res = await put(member, { lang: "zh-CN", sms: allSms, categories: ["repair", "elderly"] });
    expect(res.status).toBe(200);
    const subs = subscriptionsOf(member.phone);
    expect(subs).toEqual([
      {
        arn: expect.stringMatching(new RegExp(`^${topicArn}:`)),
        topicArn,
        protocol: "sms",
        endpoint: member.phone,
        attributes: { FilterPolicy: JSON.stringify(res.body.newWishFilter) },
      },
    ]);
    expect(res.body.newWishFilter).toEqual({ community: [c.id], category: ["repair", "elderly"], type: ["wish.open"], lang: ["zh-CN"] });
  });

  it("changing categories or language changes the same subscription's policy", async () => {
    const [before] = subscriptionsOf(member.phone);
    const res = await put(member, { lang: "en", sms: allSms, categories: ["carry"] });
    expect(res.status).toBe(200);
    const subs = subscriptionsOf(member.phone);
    expect(subs.map((s) => s.arn)).toEqual([before.arn]);
    expect(JSON.parse(subs[0].attributes.FilterPolicy)).toEqual({
      community: [c.id],
      category: ["carry"],
      type: ["wish.open"],
      lang: ["en"],
    });
  });

  it("no categories: the subscription is removed, and saving again changes nothing", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await put(member, { lang: "en", sms: allSms, categories: [] });
      expect(res.status).toBe(200);
      expect(res.body.newWishFilter).toBeNull();
      expect(subscriptionsOf(member.phone)).toEqual([]);
    }
  });

  it("a subscription removed on SNS's side (an opted-out number) is made afresh", async () => {
    await put(member, { lang: "zh-CN", sms: allSms, categories: ["repair"] });
    const [gone] = subscriptionsOf(member.phone);
    sns.subscriptions.delete(gone.arn);
    expect((await put(member, { lang: "zh-CN", sms: allSms, categories: ["repair", "carry"] })).status).toBe(200);
    const subs = subscriptionsOf(member.phone);
    expect(subs).toHaveLength(1);
    expect(subs[0].arn).not.toBe(gone.arn);
    expect(JSON.parse(subs[0].attributes.FilterPolicy).category).toEqual(["repair", "carry"]);
  });

  it("a subscription SNS has but the table does not know of is taken over, not doubled", async () => {
    const other = c.members[1];
    await snsSubscriptions({ ...sns.config(), topicArn }).set({ phone: other.phone, policy: { type: ["something else"] } });
    expect((await put(other, { lang: "zh-CN", sms: allSms, categories: ["digital"] })).status).toBe(200);
    const subs = subscriptionsOf(other.phone);
    expect(subs).toHaveLength(1);
    expect(JSON.parse(subs[0].attributes.FilterPolicy)).toEqual({
      community: [c.id],
      category: ["digital"],
      type: ["wish.open"],
      lang: ["zh-CN"],
    });
  });

  it("someone who volunteers nowhere is never subscribed", async () => {
    const resident = c.residents[0];
    expect((await put(resident, { lang: "zh-CN", sms: [], categories: ["repair"] })).status).toBe(200);
    expect(subscriptionsOf(resident.phone)).toEqual([]);
  });

  it("SNS failing: a 503 saying nothing changed, and nothing did; the cause is logged", async () => {
    const before = await get(member);
    const subs = JSON.stringify(subscriptionsOf(member.phone));
    sns.failAll("internal");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await put(member, { lang: "en", sms: [], categories: ["health"] });
    expect(logged.mock.calls.map(([line]) => JSON.parse(line))).toEqual([
      { level: "error", what: "subscriptions.failed", userId: member.id, error: "InternalErrorException", message: expect.any(String) },
    ]);
    logged.mockRestore();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "preferences.unavailable", status: 503, detail: expect.stringMatching(/nothing was changed/) });
    sns.failAll(undefined);
    expect(await get(member)).toEqual(before);
    expect(JSON.stringify(subscriptionsOf(member.phone))).toBe(subs);
  });
});

describe("the dev outbox fanning new wishes out", () => {
  let api: Api;
  let c: TestCommunity;
  let feed: ReturnType<typeof streamFeed>;

  beforeAll(async () => {
    api = await startApi();
    c = await community(api.store, { members: 3, residents: 1 });
    feed = streamFeed(api.store);
  }, 60_000);
  afterAll(async () => {
    feed?.close();
    await api?.close();
  });

  it("sends a newly approved wish to each member whose categories take it, in their language, and to no one else", async () => {
    const choose = (p: Person, lang: string, categories: string[]) =>
      api.call("PUT", "/api/me/preferences", { as: p, body: { lang, sms: allSms, categories } });
    expect((await choose(c.members[0], "zh-CN", ["repair"])).status).toBe(200);
    expect((await choose(c.members[1], "zh-CN", ["elderly"])).status).toBe(200);
    expect((await choose(c.members[2], "en", ["repair", "carry"])).status).toBe(200);
    // A member of another community who wants repairs hears nothing of this one's.
    const elsewhere = await person(api.store, "别处的志愿者");
    const other = await Community.create(api.store, { name: "别处", branches: [] });
    await Community.appoint(api.store, { communityId: other.id, userId: elsewhere.id, name: elsewhere.name, roles: ["member"] });
    expect((await choose(elsewhere, "zh-CN", ["repair"])).status).toBe(200);

    const id = (await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id) })).body.id;
    expect((await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } })).status).toBe(
      200,
    );
    const handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });

    const outbox = async (p: Person) => (await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`)).body as any[];
    expect(await outbox(c.members[0])).toEqual([
      expect.objectContaining({
        kind: "wish-open",
        text: `【微心愿】有新的维修服务心愿等待认领：/wishes/${id}`,
      }),
    ]);
    expect(await outbox(c.members[2])).toEqual([
      expect.objectContaining({
        kind: "wish-open",
        text: `[Microwish] A new wish (Small repairs) needs a volunteer: /wishes/${id}`,
      }),
    ]);
    expect(await outbox(c.members[1])).toEqual([]);
    expect(await outbox(elsewhere)).toEqual([]);
  });
});
