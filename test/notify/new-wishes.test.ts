/**
 * New wishes for the members who want them. A member's categories file them as subscribers of
 * (community, category) in the table; when a wish opens, the stream handler reads that one
 * partition and tells each subscriber in the app (by SMS only in the morning digest:
 * digest.test.ts). No member has an SNS subscription of their own, so no topic limit on filter
 * policies caps how many may choose a category; the topic still carries the wish for integrations
 * (SNS here is a double on the wire).
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import * as Community from "../../functions/core/community.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { snsNotifier } from "../../functions/notify/sns.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { createStore, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { community, newWish, person, secret, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { freshTable } from "../helpers/db.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
const site = "https://mw.example.cn";
const allSms = ["task-dispatched", "task-confirmed", "task-cancelled", "task-reminder"];

describe("new wishes to every member who chose the category, on SNS", () => {
  let sns: SnsDouble;
  let store: Store;
  let base: string;
  let close: () => Promise<void>;
  let c: TestCommunity;
  let feed: ReturnType<typeof streamFeed>;
  let handle: ReturnType<typeof createStreamHandler>;

  beforeAll(async () => {
    sns = await startSnsDouble();
    const { tableName, endpoint } = await freshTable();
    store = createStore(tableName, dynamoClientConfig(endpoint));
    const notifier = snsNotifier({ ...sns.config(), topicArn });
    const app = createApp({ store, notifier, secret: async () => secret, publicUrl: () => site });
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((ready) => server.once("listening", () => ready()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((done) => server.close(() => done()));
    c = await community(store, { members: 252, residents: 1 });
    feed = streamFeed(store);
    handle = createStreamHandler({ store, notifier, log: () => {}, siteUrl: () => site });
  }, 300_000);
  afterAll(async () => {
    feed?.close();
    await close?.();
    await sns?.close();
  });

  const call = async (method: string, path: string, who: Person, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${who.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const choose = (who: Person, categories: string[], lang = "zh-CN") =>
    call("PUT", "/api/me/preferences", who, { lang, sms: allSms, categories });
  /** A repair wish (or another category) posted and approved; the stream handed over until nothing fails. */
  const openWish = async (category = "repair") => {
    const posted = await call("POST", "/api/wishes", c.residents[0], newWish(c.id, { category }));
    expect(posted.status).toBe(201);
    expect((await call("POST", `/api/wishes/${posted.body.id}/approve`, c.staff, { slots: 1, estimatedMinutes: 30 })).status).toBe(200);
    return posted.body.id as string;
  };
  const memberSms = () => sns.accepted().filter((p) => p.phoneNumber && c.members.some((m) => m.phone === p.phoneNumber));
  const members = () => c.members.slice(0, 250);
  /** Who among the community's members has an in-app notice of the wish, read through the API. */
  const heard = async (wishId: string) => {
    const out: string[] = [];
    for (let i = 0; i < c.members.length; i += 25) {
      const pages = await Promise.all(c.members.slice(i, i + 25).map((m) => call("GET", "/api/notifications", m)));
      pages.forEach((p, j) => {
        const notices = p.body.items.filter((n: { wishId?: string }) => n.wishId === wishId);
        if (notices.length) {
          expect(notices).toEqual([expect.objectContaining({ kind: "new-wish", read: false })]);
          out.push(c.members[i + j].phone);
        }
      });
    }
    return out.sort();
  };
  const phones = (people: Person[]) => people.map((m) => m.phone).sort();

  it("250 members choose repairs: each hears of a new repair wish in the app, once; no SMS each, no SNS subscription", async () => {
    for (let i = 0; i < 250; i += 25) {
      const saved = await Promise.all(
        members()
          .slice(i, i + 25)
          .map((m) => choose(m, ["repair"])),
      );
      for (const s of saved) expect(s).toMatchObject({ status: 200, body: { categories: ["repair"], communities: [c.id] } });
    }
    await feed.next();
    const id = await openWish();
    const batch = await feed.next();
    expect(await handle(batch)).toEqual({ batchItemFailures: [] });

    expect(await heard(id)).toEqual(phones(members()));
    const inbox = await call("GET", "/api/notifications", members()[249]);
    expect(inbox.body.items[0].text).toMatch(/^有新的维修服务心愿等待认领/);
    // Handed over again (a retry): nobody hears twice.
    expect(await handle(batch)).toEqual({ batchItemFailures: [] });
    expect((await call("GET", "/api/notifications", members()[0])).body).toMatchObject({ unread: 1, items: [expect.anything()] });
    // New wishes are not texted one by one, and the topic still carries each, once per language.
    expect(memberSms()).toEqual([]);
    const topic = sns.accepted().filter((p) => p.topicArn === topicArn && p.message.endsWith(`/wishes/${id}`));
    expect(new Set(topic.map((p) => p.attributes.lang?.value))).toEqual(new Set(["zh-CN", "en"]));
    expect(sns.requests.filter((r) => r.action !== "Publish")).toEqual([]);
    expect(sns.subscriptions.size).toBe(0);
  }, 300_000);

  it("changing a choice takes effect at the next wish: another category, none, or back again", async () => {
    const [switcher, leaver, returner] = members();
    expect((await choose(switcher, ["elderly"])).body).toMatchObject({ categories: ["elderly"], communities: [c.id] });
    expect((await choose(leaver, [])).body).toMatchObject({ categories: [], communities: [] });
    expect((await choose(returner, [], "en")).status).toBe(200);
    expect((await choose(returner, ["repair", "carry"], "en")).status).toBe(200);
    await feed.next();

    const repair = await openWish("repair");
    const elderly = await openWish("elderly");
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });

    expect(await heard(repair)).toEqual(phones(members().filter((m) => m !== switcher && m !== leaver)));
    expect(await heard(elderly)).toEqual([switcher.phone]);
    const english = await call("GET", "/api/notifications", returner);
    expect(english.body.items[0]).toMatchObject({ wishId: repair, text: expect.stringMatching(/^A new wish \(Small repairs\)/) });
    expect(sns.subscriptions.size).toBe(0);
  }, 300_000);

  it("a member who no longer volunteers in the community hears nothing of its new wishes", async () => {
    const gone = members()[3];
    await Community.appoint(store, { communityId: c.id, userId: gone.id, name: gone.name, roles: [] });
    await feed.next();
    const id = await openWish();
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
    const got = await heard(id);
    expect(got).not.toContain(gone.phone);
    expect(got).toHaveLength(247);
  }, 300_000);
});

describe("new wishes under npm start: the dev outbox", () => {
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

  it("tells each member whose categories take a new wish, in the app and in their language, and no one else; texts no one", async () => {
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

    const texts = async (p: Person) =>
      ((await api.call("GET", "/api/notifications", { as: p })).body.items as any[]).filter((n) => n.wishId === id).map((n) => n.text);
    expect(await texts(c.members[0])).toEqual([expect.stringMatching(/^有新的维修服务心愿等待认领：「/)]);
    expect(await texts(c.members[2])).toEqual([expect.stringMatching(/^A new wish \(Small repairs\) needs a volunteer: "/)]);
    expect(await texts(c.members[1])).toEqual([]);
    expect(await texts(elsewhere)).toEqual([]);
    for (const p of [...c.members, elsewhere]) {
      expect((await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`)).body).toEqual([]);
    }
  });
});
