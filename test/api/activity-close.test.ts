/**
 * After an activity's window: the scheduled job marks everyone signed up who never checked in as
 * absent (once, however often it runs) and tells them; staff see attendance and absence, verify
 * (absentees get nothing), and the minutes reach the same ledger, tallies, certificates and
 * rankings as wishes, each entry marked with its kind. Notices (一键下发) reach an activity's
 * people or a community's branches in the app, and by SMS when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { dayOf, monthOf } from "../../functions/core/period.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { community, snapshot, somewhere, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let c: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const at = { ...somewhere };
const deliver = async () => expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
const inbox = async (p: Person) => (await api.call("GET", "/api/notifications", { as: p })).body.items as any[];
const outbox = async (p: Person) => (await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`)).body as any[];

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 4, residents: 1 });
  feed = streamFeed(api.store);
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
}, 60_000);
afterAll(async () => {
  feed.close();
  await api.close();
});

/** An activity under way now: m0, m1, m2 signed up before it started (through the store's clock being now); m3 did not. */
async function underWay() {
  const res = await api.call("POST", `/api/communities/${c.id}/activities`, {
    as: c.staff,
    body: {
      title: "主题党日：社区清扫",
      description: "清扫公共区域",
      address: "幸福里中心广场",
      location: { lat: at.lat, lng: at.lng },
      window: { from: minutes(3), to: minutes(20) },
      places: 10,
    },
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  for (const m of c.members.slice(0, 3)) expect((await api.call("POST", `/api/activities/${id}/signup`, { as: m })).status).toBe(200);
  const poster = await api.call("GET", `/api/activities/${id}/poster`, { as: c.staff });
  const token = /check-in\?t=([\w-]+)/.exec(poster.body)![1];
  return { id, token, start: Date.parse(res.body.window.from), end: Date.parse(res.body.window.to) };
}

describe("absence, verification and credit", () => {
  let a: Awaited<ReturnType<typeof underWay>>;
  beforeAll(async () => {
    a = await underWay();
    // m0 and m1 come (check-in is open from an hour before the start); m2 signed up and never came.
    for (const m of c.members.slice(0, 2)) {
      expect((await api.call("POST", `/api/activities/${a.id}/check-in`, { as: m, body: { ...at, token: a.token } })).status).toBe(200);
    }
    const out = await api.call("POST", `/api/activities/${a.id}/check-out`, {
      as: c.members[0],
      body: { ...at, token: a.token, comment: "大家干劲十足" },
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    await deliver();
  }, 60_000);

  it("staff cannot verify before the window is over and absences are recorded", async () => {
    const early = await api.call("POST", `/api/activities/${a.id}/verify`, { as: c.staff, body: {} });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("activity.not_over");
    expect(early.body.detail).toMatch(/runs until/);
  });

  it("the job does nothing while the window runs, then marks the one who never came absent, once, and tells them", async () => {
    const during = await runJobs(api.store, { now: new Date(a.end - 60_000) });
    expect(during).toMatchObject({ activitiesClosed: 0, absent: 0 });
    const after = new Date(a.end + 60_000);
    const [first, second] = await Promise.all([runJobs(api.store, { now: after }), runJobs(api.store, { now: after })]);
    expect(first.absent + second.absent).toBe(1);
    expect(first.activitiesClosed + second.activitiesClosed).toBe(1);
    const again = await runJobs(api.store, { now: new Date(a.end + 120_000) });
    expect(again).toMatchObject({ activitiesClosed: 0, absent: 0, failed: 0 });

    const staff = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    expect(staff.body.status).toBe("closed");
    expect(staff.body.attendance).toEqual({ signedUp: 3, checkedIn: 2, checkedOut: 1, walkIns: 0, absent: 1 });
    const absent = staff.body.signups.filter((s: any) => s.absentAt).map((s: any) => s.memberId);
    expect(absent).toEqual([c.members[2].id]);

    await deliver();
    const told = (await inbox(c.members[2])).filter((n) => n.kind === "activity-absent");
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ activityId: a.id, text: expect.stringContaining("已记为缺勤") });
    expect((await inbox(c.members[0])).filter((n) => n.kind === "activity-absent")).toEqual([]);
  });

  it("verification refuses minutes for an absentee or without a reason, writing nothing", async () => {
    const before = await snapshot(api.store, [`A#${a.id}`, `U#${c.members[2].id}`]);
    const absentee = await api.call("POST", `/api/activities/${a.id}/verify`, {
      as: c.staff,
      body: { minutes: { [c.members[2].id]: 60 }, reason: "补记" },
    });
    expect(absentee.status).toBe(422);
    expect(absentee.body.errors).toHaveProperty("minutes");
    const noReason = await api.call("POST", `/api/activities/${a.id}/verify`, {
      as: c.staff,
      body: { minutes: { [c.members[0].id]: 60 } },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toHaveProperty("reason");
    const asMember = await api.call("POST", `/api/activities/${a.id}/verify`, { as: c.members[0], body: {} });
    expect(asMember.status).toBe(403);
    expect(await snapshot(api.store, [`A#${a.id}`, `U#${c.members[2].id}`])).toBe(before);
  });

  it("verification credits those who came to the ledger, tallies and stats; the absentee gets nothing", async () => {
    const res = await api.call("POST", `/api/activities/${a.id}/verify`, {
      as: c.staff,
      body: { minutes: { [c.members[0].id]: 120, [c.members[1].id]: 90 }, reason: "按活动安排核定" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe("verified");
    const twice = await api.call("POST", `/api/activities/${a.id}/verify`, { as: c.staff, body: {} });
    expect(twice.status).toBe(200);

    const hours = (await api.call("GET", `/api/members/${c.members[0].id}/hours`, { as: c.members[0] })).body;
    expect(hours.totalMinutes).toBe(120);
    expect(hours.entries).toEqual([
      expect.objectContaining({
        kind: "activity",
        activityId: a.id,
        content: "主题党日：社区清扫",
        minutes: 120,
        reason: "按活动安排核定",
      }),
    ]);
    const absentee = (await api.call("GET", `/api/members/${c.members[2].id}/hours`, { as: c.members[2] })).body;
    expect(absentee).toMatchObject({ totalMinutes: 0, entries: [] });
    const stats = (await api.call("GET", `/api/communities/${c.id}/stats?period=all`, { as: c.staff })).body;
    expect(stats.personTimes).toBe(2);
    expect(stats.hours).toBe(3.5);

    await deliver();
    expect((await inbox(c.members[1])).find((n) => n.kind === "activity-verified")?.text).toContain("90分钟");
  });

  it("a certificate lists activities and wishes together, each marked with its kind", async () => {
    const w = await wishIn(api, c, "confirmed", { members: [c.members[0]] });
    const closed = await api.call("POST", `/api/wishes/${w}/verify`, {
      as: c.staff,
      body: { minutes: { [c.members[0].id]: 60 }, reason: "按约定" },
    });
    expect(closed.status).toBe(200);
    const cert = await api.call("POST", `/api/members/${c.members[0].id}/certificates`, {
      as: c.members[0],
      body: { from: dayOf(new Date(Date.now() - 86_400_000)), to: dayOf(new Date(Date.now() + 86_400_000)) },
    });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    expect(cert.body.entries.map((e: any) => e.kind).sort()).toEqual(["activity", "wish"]);
    const page = await api.call("GET", `/api/certificates/${cert.body.number}/print`);
    expect(page.body).toContain("集体活动 Activity");
    expect(page.body).toContain("微心愿 Wish");
  });

  it("rankings score attendance beside the other indicators, once staff give it a weight", async () => {
    // Attendance and absence count in the month the activity took place (China time).
    const month = monthOf(new Date(a.start));
    const plain = (await api.call("GET", `/api/communities/${c.id}/rankings?period=${month}&by=member`, { as: c.staff })).body;
    const absentee = plain.items.find((i: any) => i.id === c.members[2].id);
    expect(absentee.indicators.attendance).toEqual({ value: 0, normalized: 0, weight: 0, points: 0 });
    const came = plain.items.find((i: any) => i.id === c.members[1].id);
    expect(came.indicators.attendance).toMatchObject({ value: 1, normalized: 1, weight: 0 });

    const set = await api.call("POST", `/api/communities/${c.id}/settings`, { as: c.staff, body: { rankingWeights: { attendance: 30 } } });
    expect(set.status).toBe(200);
    const weighted = (await api.call("GET", `/api/communities/${c.id}/rankings?period=${month}&by=branch`, { as: c.staff })).body;
    expect(weighted.weights.attendance).toBe(30);
    // m0 and m2 share the first branch: one came, one did not.
    const first = weighted.items.find((i: any) => i.id === c.branches[0].id);
    expect(first.indicators.attendance).toMatchObject({ value: 0.5, normalized: 0.5, weight: 30 });
    expect(first.indicators.attendance.points).toBeGreaterThan(0);
  });
});

describe("notices (一键下发)", () => {
  it("staff send a text to an activity's people, in the app and by SMS when asked", async () => {
    const b = await underWay();
    const sent = await api.call("POST", "/api/notices", {
      as: c.staff,
      body: { activityId: b.id, text: "明早八点在广场集合，请带手套。", sms: true },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.recipients).toBe(3);
    await deliver();
    for (const m of c.members.slice(0, 3)) {
      const n = (await inbox(m)).find((x) => x.kind === "notice" && x.activityId === b.id);
      expect(n?.text).toContain("明早八点在广场集合");
      // The SMS is the registered notice template with a link; what staff wrote is read in the app.
      expect((await outbox(m)).some((s) => s.kind === "notice" && s.text.startsWith("【微心愿】社区给您发来一条通知"))).toBe(true);
      expect((await outbox(m)).some((s) => s.text.includes("明早八点在广场集合"))).toBe(false);
    }
    expect((await inbox(c.members[3])).some((x) => x.kind === "notice")).toBe(false);
  });

  it("staff send a text to one branch of the community, in the app only unless SMS is asked", async () => {
    const sent = await api.call("POST", "/api/notices", {
      as: c.staff,
      body: { unitId: c.id, branchIds: [c.branches[1].id], text: "第二支部本周五开会。" },
    });
    expect(sent.status).toBe(202);
    await deliver();
    const second = c.members.filter((m) => m.branchId === c.branches[1].id);
    const firstBranch = c.members.filter((m) => m.branchId === c.branches[0].id);
    for (const m of second) {
      expect((await inbox(m)).some((x) => x.kind === "notice" && x.text.includes("本周五开会"))).toBe(true);
      expect((await outbox(m)).some((s) => s.text.includes("本周五开会"))).toBe(false);
    }
    for (const m of firstBranch) expect((await inbox(m)).some((x) => x.text?.includes("本周五开会"))).toBe(false);
  });

  it("refuses members sending notices, both or neither of activity and community, and unknown branches", async () => {
    const asMember = await api.call("POST", "/api/notices", { as: c.members[0], body: { unitId: c.id, text: "大家好" } });
    expect(asMember.status).toBe(403);
    expect(asMember.body.code).toBe("notice.forbidden");
    const neither = await api.call("POST", "/api/notices", { as: c.staff, body: { text: "大家好" } });
    expect(neither.status).toBe(422);
    expect(neither.body.errors).toHaveProperty("activityId");
    const stranger = await api.call("POST", "/api/notices", { as: c.staff, body: { unitId: c.id, branchIds: ["no-such"], text: "你好" } });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toHaveProperty("branchIds");
  });
});
