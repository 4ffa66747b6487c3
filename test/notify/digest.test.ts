/**
 * The morning digest: one SMS a day, from 08:00 China time, to each member who asked for it,
 * counting the new wishes of their categories the China day before; nothing to those who did not
 * ask, nor when there were none. The clock is pinned to instants after the real one (tokens must
 * not be issued in the future), so the test reads the same whatever the hour it runs at.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { issueToken } from "../../functions/core/identity.js";
import { runJobs } from "../../functions/core/jobs.js";
import { dayOf, dayStart } from "../../functions/core/period.js";
import { snsNotifier } from "../../functions/notify/sns.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { createStore, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { community, newWish, secret, type Person, type TestCommunity } from "../helpers/api.js";
import { freshTable } from "../helpers/db.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
const site = "https://mw.example.cn";
const hour = 3_600_000;
const day = 24 * hour;

// Day D is the China day after today's: every instant below is later than the real clock.
const D = dayOf(new Date(dayStart(dayOf(new Date())).getTime() + day + hour));
/** An instant of China time on day D + `plus`, at hh:mm. */
const at = (plus: number, hh: number, mm = 0) => new Date(dayStart(D).getTime() + plus * day + hh * hour + mm * 60_000);

describe("the morning digest of new wishes", () => {
  let sns: SnsDouble;
  let store: Store;
  let base: string;
  let close: () => Promise<void>;
  let c: TestCommunity;
  let feed: ReturnType<typeof streamFeed>;
  let handle: ReturnType<typeof createStreamHandler>;

  beforeAll(async () => {
    vi.useFakeTimers({ now: at(0, 23, 40), toFake: ["Date"], shouldAdvanceTime: true });
    sns = await startSnsDouble();
    const { tableName, endpoint } = await freshTable();
    store = createStore(tableName, dynamoClientConfig(endpoint));
    const notifier = snsNotifier({ ...sns.config(), topicArn });
    const app = createApp({ store, notifier, secret: async () => secret, publicUrl: () => site });
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((ready) => server.once("listening", () => ready()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((done) => server.close(() => done()));
    c = await community(store, { members: 4, residents: 1 });
    feed = streamFeed(store);
    handle = createStreamHandler({ store, notifier, log: () => {}, siteUrl: () => site });
  }, 120_000);
  afterAll(async () => {
    vi.useRealTimers();
    feed?.close();
    await close?.();
    await sns?.close();
  });

  /** Calls as the person, with a token issued at the pinned clock's time. */
  const call = async (method: string, path: string, who: Person, body?: unknown) => {
    const token = await issueToken(secret, who.id);
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const openWish = async (when: Date) => {
    vi.setSystemTime(when);
    const posted = await call("POST", "/api/wishes", c.residents[0], newWish(c.id, { category: "repair" }));
    expect(posted.status).toBe(201);
    expect((await call("POST", `/api/wishes/${posted.body.id}/approve`, c.staff, { slots: 1, estimatedMinutes: 30 })).status).toBe(200);
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
  };
  /** Runs the jobs at `when`, hands what they wrote to the stream handler, and answers the SMS that went out. */
  const morning = async (when: Date) => {
    const before = sns.accepted().length;
    vi.setSystemTime(when);
    const report = await runJobs(store, { now: when });
    expect(report.failed).toBe(0);
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
    return {
      report,
      sms: sns
        .accepted()
        .slice(before)
        .filter((p) => p.phoneNumber),
    };
  };

  it("choices: repairs with the digest, repairs without, the digest for a category with no wishes, English", async () => {
    const [m0, m1, m2, m3] = c.members;
    const choose = async (who: Person, categories: string[], digest: boolean | undefined, lang = "zh-CN") =>
      (await call("PUT", "/api/me/preferences", who, { lang, sms: [], categories, ...(digest === undefined ? {} : { digest }) })).body;
    expect(await choose(m0, ["repair"], true)).toMatchObject({ categories: ["repair"], digest: true });
    expect(await choose(m1, ["repair"], undefined)).toMatchObject({ categories: ["repair"], digest: false });
    expect(await choose(m2, ["elderly"], true)).toMatchObject({ digest: true });
    expect(await choose(m3, ["repair"], true, "en")).toMatchObject({ digest: true });
    // Saving again without saying keeps the digest as it was.
    expect(await choose(m0, ["repair"], undefined)).toMatchObject({ digest: true });
    // A new wish is never texted one by one, even to those who ask.
    const refused = await call("PUT", "/api/me/preferences", m0, { lang: "zh-CN", sms: ["new-wish"], categories: ["repair"] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toHaveProperty(["sms.0"]);
    await feed.next();
  });

  it("a wish at 23:50 and one at 00:10 China time count on their own China days, not the UTC day they share", async () => {
    const [m0, m1, m2, m3] = c.members;
    await openWish(at(0, 23, 50));
    await openWish(at(1, 0, 10));
    expect(sns.accepted().filter((p) => p.phoneNumber)).toEqual([]);

    // Before 08:00 nothing goes out.
    expect((await morning(at(1, 7, 59))).sms).toEqual([]);
    const first = await morning(at(1, 8, 0));
    expect(first.report.digests).toBe(2);
    expect(first.sms.map((p) => [p.phoneNumber, p.message]).sort()).toEqual(
      [
        [m0.phone, `【微心愿】昨天有1个您关注的新心愿等待认领，查看：${site}/hall`],
        [m3.phone, `[Microwish] 1 new wishes of the kinds you follow came in yesterday: ${site}/hall`],
      ].sort(),
    );
    for (const who of [m1, m2]) expect(first.sms.map((p) => p.phoneNumber)).not.toContain(who.phone);

    // The rest of the day: nothing more.
    for (const h of [8, 12, 23]) expect((await morning(at(1, h, 59))).sms).toEqual([]);
    // The next morning counts the 00:10 wish.
    const second = await morning(at(2, 9, 0));
    expect(second.sms.map((p) => [p.phoneNumber, p.message]).sort()).toEqual(
      [
        [m0.phone, `【微心愿】昨天有1个您关注的新心愿等待认领，查看：${site}/hall`],
        [m3.phone, `[Microwish] 1 new wishes of the kinds you follow came in yesterday: ${site}/hall`],
      ].sort(),
    );
  }, 120_000);

  it("run at every hour of a day, the digest goes out once, at the first run from 08:00, with the day before's count", async () => {
    const [m0, , , m3] = c.members;
    for (const mm of [5, 20, 40]) await openWish(at(2, 15, mm));
    const sent: { hour: number; phone?: string; message: string }[] = [];
    for (let h = 0; h < 24; h++) {
      for (const p of (await morning(at(3, h, 30))).sms) sent.push({ hour: h, phone: p.phoneNumber, message: p.message });
    }
    expect(sent.map((s) => [s.hour, s.phone]).sort()).toEqual(
      [
        [8, m0.phone],
        [8, m3.phone],
      ].sort(),
    );
    expect(sent.find((s) => s.phone === m0.phone)?.message).toBe(`【微心愿】昨天有3个您关注的新心愿等待认领，查看：${site}/hall`);
  }, 300_000);

  it("turning the digest off stops it; a retried stream record texts no one twice", async () => {
    const [m0, , , m3] = c.members;
    expect((await call("PUT", "/api/me/preferences", m3, { lang: "en", sms: [], categories: ["repair"], digest: false })).status).toBe(200);
    await openWish(at(3, 10, 0));
    vi.setSystemTime(at(4, 8, 5));
    await runJobs(store, { now: at(4, 8, 5) });
    const batch = await feed.next();
    const before = sns.accepted().length;
    expect(await handle(batch)).toEqual({ batchItemFailures: [] });
    expect(await handle(batch)).toEqual({ batchItemFailures: [] });
    expect(
      sns
        .accepted()
        .slice(before)
        .map((p) => p.phoneNumber),
    ).toEqual([m0.phone]);
  }, 120_000);
});
