/**
 * The scheduled jobs, run at chosen moments against the real table: what each one does, that it
 * does it once however often it runs (also two runs at the same moment), and that what it tells
 * people arrives through the stream like any other event (here into the local dev outbox).
 */
import { TransactWriteCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { formatWindow } from "../../functions/notify/templates.js";
import { community, newWish, somewhere, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "./feed.js";

const hour = 3_600_000;
let api: Api;
let c: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 3, residents: 2 });
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
  feed = streamFeed(api.store);
}, 60_000);
afterAll(async () => {
  feed?.close();
  await api?.close();
});

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};
const at = (ms: number) => new Date(Date.now() + ms);
const run = (when: Date) => runJobs(api.store, { now: when });
/**
 * Two runs at the same moment, the second deciding from what it read before the first wrote: its
 * writes are held back until the first run is done, so each of them meets a condition already lost.
 */
async function race(when: Date) {
  let firstDone!: () => void;
  const done = new Promise<void>((resolve) => (firstDone = resolve));
  const late = {
    table: api.store.table,
    doc: {
      send: async (command: any) => {
        if (command instanceof TransactWriteCommand) await done;
        return api.store.doc.send(command);
      },
    },
  } as unknown as typeof api.store;
  const second = runJobs(late, { now: when });
  const first = await runJobs(api.store, { now: when });
  firstDone();
  return [first, await second];
}
const view = (id: string) => ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
const kindsIn = async (id: string) => (await view(id)).timeline.map((e: any) => e.kind);
const settle = async () => expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
const inbox = async (p: Person) => (await ok(api.call("GET", "/api/notifications?limit=100", { as: p }))).items as any[];
const outbox = async (p: Person) => (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`))) as any[];

async function opened(extra: Record<string, unknown> = {}, approve: Record<string, unknown> = {}) {
  const id = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, extra) }))).id as string;
  await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60, ...approve } }));
  return id;
}

describe("expiry", () => {
  it("an open wish past its deadline expires once, even when two runs race; its resident and volunteers hear it", async () => {
    const id = await opened({ title: "重阳节包饺子" }, { slots: 3, deadline: at(60_000).toISOString() });
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] }));
    await run(at(30_000));
    expect((await view(id)).status).toBe("open");

    const reports = await race(at(61_000));
    expect(reports.map((r) => r.failed)).toEqual([0, 0]);
    expect(reports.map((r) => r.expired)).toEqual([1, 0]);
    const wish = await view(id);
    expect(wish.status).toBe("expired");
    expect(wish.timeline.filter((e: any) => e.kind === "expire")).toEqual([
      expect.objectContaining({ from: "open", to: "expired", actorId: "system" }),
    ]);
    await run(at(120_000));
    expect(await kindsIn(id)).toEqual(["submit", "approve", "claim", "expire"]);

    await settle();
    expect((await inbox(c.residents[0])).find((n) => n.wishId === id && n.kind === "wish-expired")?.text).toBe(
      "您的心愿「重阳节包饺子」到截止时间仍无人认领，已失效。",
    );
    const [sms] = await outbox(c.members[0]);
    expect(sms).toMatchObject({ kind: "task-cancelled", text: `【微心愿】您认领的心愿已过截止时间失效，无需前往：/wishes/${id}` });
  });
});

describe("staff alerted of wishes nobody claims", () => {
  it("after 24 hours with no volunteer, every staff member hears once; a claimed wish raises nothing", async () => {
    const waiting = await opened({ title: "帮忙修纱窗" });
    const taken = await opened({ title: "帮忙换灯泡" });
    await ok(api.call("POST", `/api/wishes/${taken}/claim`, { as: c.members[1] }));

    await run(at(23 * hour));
    expect(await kindsIn(waiting)).not.toContain("alert");

    const reports = await race(at(25 * hour));
    expect(reports.map((r) => r.alerted)).toEqual([1, 0]);
    await run(at(26 * hour));
    expect((await kindsIn(waiting)).filter((k: string) => k === "alert")).toHaveLength(1);
    expect(await kindsIn(taken)).not.toContain("alert");
    expect((await view(waiting)).status).toBe("open");

    await settle();
    const alerts = (await inbox(c.staff)).filter((n) => n.kind === "wish-waiting");
    expect(alerts.map((n) => [n.wishId, n.text])).toEqual([[waiting, "心愿「帮忙修纱窗」已等待24小时，仍无人认领。"]]);
    expect(await outbox(c.staff)).toEqual([]);
  });
});

describe("volunteers reminded when the time comes", () => {
  it("once the window has started, each volunteer not yet checked in is reminded once, by SMS", async () => {
    const from = at(30 * 60_000);
    const window = { from: from.toISOString(), to: new Date(from.getTime() + 3 * hour).toISOString() };
    const id = await opened({ title: "陪老人散步", window }, { slots: 2 });
    const noWindow = await opened({ title: "随时都行" });
    for (const m of [c.members[0], c.members[1]]) await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m }));
    await ok(api.call("POST", `/api/wishes/${noWindow}/claim`, { as: c.members[2] }));
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: c.members[1], body: somewhere }));
    await settle();
    const before = (await outbox(c.members[0])).length;

    await run(at(20 * 60_000));
    expect(await kindsIn(id)).not.toContain("remind");

    const reports = await race(at(31 * 60_000));
    expect(reports.map((r) => r.reminded)).toEqual([1, 0]);
    await run(at(40 * 60_000));
    const reminders = (await view(id)).timeline.filter((e: any) => e.kind === "remind");
    expect(reminders).toEqual([expect.objectContaining({ actorId: "system", data: { memberIds: [c.members[0].id] } })]);
    expect(await kindsIn(noWindow)).not.toContain("remind");

    await settle();
    const texts = (await outbox(c.members[0])).slice(0, (await outbox(c.members[0])).length - before);
    expect(texts.map((m) => m.kind)).toEqual(["task-reminder"]);
    // The window is read in China time: when it crosses midnight there, it names both days.
    expect(texts[0].text).toBe(
      `【微心愿】提醒：您认领的心愿服务时间已到（${formatWindow(window, "zh-CN")}），请前往并签到；如不能前往，请释放名额：/wishes/${id}`,
    );
    expect((await inbox(c.members[1])).some((n) => n.kind === "task-reminder")).toBe(false);
    expect((await inbox(c.members[2])).some((n) => n.kind === "task-reminder")).toBe(false);
  });
});

describe("completed wishes nobody confirms", () => {
  it("are confirmed by the system after 72 hours, once, and can then be verified", async () => {
    const id = await wishIn(api, c, "completed", { members: [c.members[2]] });
    await run(at(71 * hour));
    expect((await view(id)).status).toBe("completed");

    const reports = await race(at(73 * hour));
    expect(reports.map((r) => r.confirmed)).toEqual([1, 0]);
    await run(at(80 * hour));
    const wish = await view(id);
    expect(wish.status).toBe("confirmed");
    expect(wish.timeline.filter((e: any) => e.kind === "confirm")).toEqual([
      expect.objectContaining({ actorId: "system", from: "completed", to: "confirmed", data: { automatic: true, afterHours: 72 } }),
    ]);
    await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: {} }));
    expect((await view(id)).status).toBe("closed");
  });

  it("a wish its resident confirmed or disputed is left alone", async () => {
    const confirmed = await wishIn(api, c, "confirmed", { owner: c.residents[1], members: [c.members[0]] });
    const disputed = await wishIn(api, c, "completed", { owner: c.residents[1], members: [c.members[1]] });
    await ok(api.call("POST", `/api/wishes/${disputed}/dispute`, { as: c.residents[1], body: { reason: "还没修好" } }));
    await run(at(100 * hour));
    expect((await view(confirmed)).timeline.filter((e: any) => e.kind === "confirm").map((e: any) => e.actorId)).toEqual([
      c.residents[1].id,
    ]);
    expect((await view(disputed)).status).toBe("in_progress");
  });
});

describe("a community's own wait before staff hear of an unclaimed wish", () => {
  it("staff set it in the settings, and the job alerts after that many hours instead of 24", async () => {
    const own = await community(api.store, { members: 1, residents: 1, name: "六小时社区" });
    for (const hours of [0, 721, 2.5]) {
      const refused = await api.call("POST", `/api/communities/${own.id}/settings`, {
        as: own.staff,
        body: { unclaimedAlertHours: hours },
      });
      expect(refused.status, `${hours} hours`).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual(["unclaimedAlertHours"]);
    }
    expect((await ok(api.call("GET", `/api/communities/${own.id}/settings`))).unclaimedAlertHours).toBe(24);
    const set = await ok(api.call("POST", `/api/communities/${own.id}/settings`, { as: own.staff, body: { unclaimedAlertHours: 6 } }));
    expect(set.unclaimedAlertHours).toBe(6);
    expect((await ok(api.call("GET", `/api/communities/${own.id}/settings`))).unclaimedAlertHours).toBe(6);

    const id = (await ok(api.call("POST", "/api/wishes", { as: own.residents[0], body: newWish(own.id, { title: "帮忙搬花盆" }) })))
      .id as string;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: own.staff, body: { slots: 1, estimatedMinutes: 30 } }));
    const kinds = async () => (await ok(api.call("GET", `/api/wishes/${id}`, { as: own.staff }))).timeline.map((e: any) => e.kind);

    await run(at(5 * hour));
    expect(await kinds()).not.toContain("alert");
    await run(at(7 * hour));
    expect((await kinds()).filter((k: string) => k === "alert")).toHaveLength(1);

    await settle();
    const alerts = (await inbox(own.staff)).filter((n) => n.kind === "wish-waiting");
    expect(alerts.map((n) => [n.wishId, n.text])).toEqual([[id, "心愿「帮忙搬花盆」已等待6小时，仍无人认领。"]]);
  });
});
