/**
 * Claims that stall: the job warns a claim not checked in at the window's start plus half the
 * community's grace and releases it at the grace (to the second), its holder may extend once, and
 * another member may ask to take it over and staff hand it over. Every step is in the timeline and
 * reaches the people concerned through the stream. Windows are set relative to now and the jobs run
 * at chosen moments, so the tests pass at any hour (also when a window crosses midnight in China).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { formatTime } from "../../functions/notify/templates.js";
import { community, newWish, snapshot, somewhere, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "./feed.js";

const minute = 60_000;
const hour = 60 * minute;
let api: Api;
let c: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 4, residents: 2 });
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
const run = (when: number) => runJobs(api.store, { now: new Date(when) });
const view = (id: string, as: Person = c.staff) => ok(api.call("GET", `/api/wishes/${id}`, { as }));
const kindsIn = async (id: string) => (await view(id)).timeline.map((e: any) => e.kind);
const settle = async () => expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
const inbox = async (p: Person, wishId: string) =>
  ((await ok(api.call("GET", "/api/notifications?limit=100", { as: p }))).items as any[]).filter((n) => n.wishId === wishId);
const texts = async (p: Person) => (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`))) as any[];
const partitions = (id: string) => [`W#${id}`];

/** An approved wish whose window starts `startsIn` ms from now (negative: already started) and lasts three hours. */
async function opened(title: string, startsIn: number, slots = 1) {
  const from = new Date(Date.now() + startsIn);
  const window = { from: from.toISOString(), to: new Date(from.getTime() + 3 * hour).toISOString() };
  const id = (await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title, window }) }))).id as string;
  await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots, estimatedMinutes: 60 } }));
  return { id, from: from.getTime() };
}

describe("the grace in the community's settings", () => {
  it("is 30 minutes unless staff set 10 to 1440; other values are refused naming the field, and nothing changes", async () => {
    const own = await community(api.store, { members: 1, residents: 0, name: "宽限社区" });
    expect((await ok(api.call("GET", `/api/communities/${own.id}/settings`))).claimGraceMinutes).toBe(30);
    for (const minutes of [9, 1441, 12.5, "30"]) {
      const refused = await api.call("POST", `/api/communities/${own.id}/settings`, {
        as: own.staff,
        body: { claimGraceMinutes: minutes },
      });
      expect(refused.status, String(minutes)).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual(["claimGraceMinutes"]);
    }
    const member = await api.call("POST", `/api/communities/${own.id}/settings`, { as: own.members[0], body: { claimGraceMinutes: 60 } });
    expect(member.status).toBe(403);
    expect((await ok(api.call("GET", `/api/communities/${own.id}/settings`))).claimGraceMinutes).toBe(30);
    for (const minutes of [10, 1440, 45]) {
      expect(
        (await ok(api.call("POST", `/api/communities/${own.id}/settings`, { as: own.staff, body: { claimGraceMinutes: minutes } })))
          .claimGraceMinutes,
      ).toBe(minutes);
    }
    expect((await ok(api.call("GET", `/api/communities/${own.id}/settings`))).claimGraceMinutes).toBe(45);
  });
});

describe("a claim nobody checks in on", () => {
  it("is warned at half the grace, released at the grace to the second, with an event saying why; everyone concerned hears", async () => {
    const { id, from } = await opened("帮忙取快递", 5 * minute);
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] }));
    expect((await view(id)).status).toBe("claimed");
    await settle();

    await run(from + 15 * minute - 1000);
    expect(await kindsIn(id)).not.toContain("warn");
    const warned = await run(from + 15 * minute);
    expect(warned.warned).toBe(1);
    await run(from + 20 * minute);
    const warnings = (await view(id)).timeline.filter((e: any) => e.kind === "warn");
    expect(warnings).toEqual([
      expect.objectContaining({
        actorId: "system",
        from: "claimed",
        to: "claimed",
        data: { memberIds: [c.members[0].id], memberName: c.members[0].name, releaseAt: new Date(from + 30 * minute).toISOString() },
      }),
    ]);
    expect((await view(id)).claims[0].warnedAt).toBe(new Date(from + 15 * minute).toISOString());

    const kept = await run(from + 30 * minute - 1000);
    expect(kept.lapsed).toBe(0);
    expect((await view(id)).status).toBe("claimed");

    const released = await run(from + 30 * minute);
    expect(released).toMatchObject({ lapsed: 1, failed: 0 });
    const wish = await view(id);
    expect(wish).toMatchObject({ status: "open", claimed: 0, claims: [] });
    expect(wish.timeline.filter((e: any) => e.kind === "lapse")).toEqual([
      expect.objectContaining({
        actorId: "system",
        from: "claimed",
        to: "open",
        data: { memberIds: [c.members[0].id], memberName: c.members[0].name, reason: "not_checked_in", minutes: 30, extended: false },
      }),
    ]);
    await run(from + 40 * minute);
    expect((await kindsIn(id)).filter((k: string) => k === "lapse")).toHaveLength(1);

    await settle();
    const mine = await inbox(c.members[0], id);
    expect(mine.map((n) => n.kind)).toEqual(["task-lapsed", "task-lapsing", "task-reminder", "task-confirmed"]);
    expect(mine[1].text).toBe(
      `心愿「帮忙取快递」已开始，您尚未签到：如到${formatTime(new Date(from + 30 * minute).toISOString(), "zh-CN")}仍未签到，名额将被释放。` +
        "如需更多时间，可在微心愿中延长一次。",
    );
    expect(mine[0].text).toBe("您认领的心愿「帮忙取快递」在开始后30分钟内未签到，名额已释放，无需前往。");
    // Both reach the phone by SMS: a volunteer must not miss either.
    expect((await texts(c.members[0])).slice(0, 2).map((m) => m.kind)).toEqual(["task-lapsed", "task-lapsing"]);
    expect((await inbox(c.residents[0], id)).map((n) => [n.kind, n.text])).toContainEqual([
      "wish-released",
      `志愿者${c.members[0].name}无法前来，您的心愿「帮忙取快递」正在重新等待认领。`,
    ]);
    expect((await inbox(c.staff, id)).map((n) => [n.kind, n.text])).toContainEqual([
      "claim-lapsed",
      `${c.members[0].name}在心愿「帮忙取快递」开始后30分钟内未签到，名额已自动释放。`,
    ]);

    // The place is free again: another member claims it.
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[1] }));
    expect((await view(id)).status).toBe("claimed");
  });

  it("the community's own grace decides, and a volunteer who checked in keeps the place", async () => {
    const own = await community(api.store, { members: 2, residents: 1, name: "一小时社区" });
    await ok(api.call("POST", `/api/communities/${own.id}/settings`, { as: own.staff, body: { claimGraceMinutes: 60 } }));
    const from = Date.now() + 5 * minute;
    const window = { from: new Date(from).toISOString(), to: new Date(from + 2 * hour).toISOString() };
    const id = (await ok(api.call("POST", "/api/wishes", { as: own.residents[0], body: newWish(own.id, { title: "搬书", window }) }))).id;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: own.staff, body: { slots: 2, estimatedMinutes: 60 } }));
    for (const m of own.members) await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m }));
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: own.members[1], body: somewhere }));
    const read = async () => ok(api.call("GET", `/api/wishes/${id}`, { as: own.staff }));

    await run(from + 60 * minute - 1000);
    expect((await read()).claims).toHaveLength(2);
    // Once someone checked in the team is fixed (in progress): no claim lapses, staff decide.
    await run(from + 60 * minute);
    expect((await read()).claims).toHaveLength(2);
    expect((await read()).timeline.map((e: any) => e.kind)).not.toContain("lapse");
  });

  it("a wish without a time window has no time to be late for: its claims never lapse", async () => {
    const id = (await ok(api.call("POST", "/api/wishes", { as: c.residents[1], body: newWish(c.id, { title: "随时都行" }) }))).id;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } }));
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[2] }));
    await run(Date.now() + 30 * 24 * hour);
    expect((await view(id)).claims).toHaveLength(1);
    const refused = await api.call("POST", `/api/wishes/${id}/extend`, { as: c.members[2] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("claim.no_deadline");
  });
});

describe("extending a claim", () => {
  it("once: the deadline moves on by a grace and the warning may come again; a second time is 409 and writes nothing", async () => {
    const { id, from } = await opened("陪诊", 10 * minute);
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[1] }));
    await run(from + 15 * minute);
    expect((await view(id)).claims[0].warnedAt).toBeDefined();

    const extended = await ok(api.call("POST", `/api/wishes/${id}/extend`, { as: c.members[1] }));
    expect(extended.claims[0].extendedAt).toBeDefined();
    expect(extended.claims[0].warnedAt).toBeUndefined();
    // The timeline runs in time order, and the job ran at later moments: find the step by kind.
    expect(extended.timeline.find((e: any) => e.kind === "extend")).toMatchObject({
      kind: "extend",
      actorId: c.members[1].id,
      data: { memberIds: [c.members[1].id], until: new Date(from + 60 * minute).toISOString(), minutes: 30 },
    });

    const before = await snapshot(api.store, partitions(id));
    const again = await api.call("POST", `/api/wishes/${id}/extend`, { as: c.members[1] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("claim.extended");
    expect(await snapshot(api.store, partitions(id))).toBe(before);
    const stranger = await api.call("POST", `/api/wishes/${id}/extend`, { as: c.members[2] });
    expect(stranger.status).toBe(403);

    await run(from + 30 * minute);
    expect((await view(id)).claims).toHaveLength(1);
    await run(from + 45 * minute - 1000);
    expect((await view(id)).claims[0].warnedAt).toBeUndefined();
    await run(from + 45 * minute);
    expect((await view(id)).claims[0].warnedAt).toBe(new Date(from + 45 * minute).toISOString());
    await run(from + 60 * minute - 1000);
    expect((await view(id)).claims).toHaveLength(1);
    await run(from + 60 * minute);
    const wish = await view(id);
    expect(wish.claims).toEqual([]);
    expect(wish.timeline.at(-1)).toMatchObject({ kind: "lapse", data: { minutes: 60, extended: true } });

    await settle();
    expect((await inbox(c.staff, id)).map((n) => [n.kind, n.text])).toContainEqual([
      "claim-extended",
      `${c.members[1].name}延长了心愿「陪诊」的签到时限，至${formatTime(new Date(from + 60 * minute).toISOString(), "zh-CN")}。`,
    ]);
    expect((await inbox(c.members[1], id)).filter((n) => n.kind === "task-lapsing")).toHaveLength(2);
  });

  it("gives the holder one grace more to check in; not once the claim has lapsed", async () => {
    const own = await community(api.store, { members: 1, residents: 1, name: "迟到社区" });
    await ok(api.call("POST", `/api/communities/${own.id}/settings`, { as: own.staff, body: { checkInGraceMinutes: 10 } }));
    const make = async (startedAgo: number) => {
      const from = Date.now() - startedAgo;
      const window = { from: new Date(from).toISOString(), to: new Date(from + 3 * hour).toISOString() };
      const id = (await ok(api.call("POST", "/api/wishes", { as: own.residents[0], body: newWish(own.id, { window }) }))).id;
      await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: own.staff, body: { slots: 1, estimatedMinutes: 60 } }));
      await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: own.members[0] }));
      return id;
    };
    const late = await make(20 * minute);
    const tooLate = await api.call("POST", `/api/wishes/${late}/check-in`, { as: own.members[0], body: somewhere });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.code).toBe("checkin.too_late");
    await ok(api.call("POST", `/api/wishes/${late}/extend`, { as: own.members[0] }));
    const arrived = await ok(api.call("POST", `/api/wishes/${late}/check-in`, { as: own.members[0], body: somewhere }));
    expect(arrived.status).toBe("in_progress");

    const lapsed = await make(31 * minute);
    const refused = await api.call("POST", `/api/wishes/${lapsed}/extend`, { as: own.members[0] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("claim.lapsed");
  });
});

describe("taking over a stalled claim", () => {
  it("another member asks once the window has started, staff approve, and the place changes hands in one step", async () => {
    const { id } = await opened("送药上门", -2 * minute);
    const [holder, asker, other] = c.members;
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: holder }));
    await settle();

    const before = await snapshot(api.store, partitions(id));
    const own = await api.call("POST", `/api/wishes/${id}/takeover`, { as: holder, body: {} });
    expect(own.status).toBe(409);
    expect(own.body.code).toBe("takeover.own_claim");
    const ownNamed = await api.call("POST", `/api/wishes/${id}/takeover`, { as: holder, body: { memberId: holder.id } });
    expect(ownNamed.status).toBe(409);
    const resident = await api.call("POST", `/api/wishes/${id}/takeover`, { as: c.residents[0], body: {} });
    expect(resident.status).toBe(403);
    const nobody = await api.call("POST", `/api/wishes/${id}/takeover`, { as: asker, body: { memberId: other.id } });
    expect(nobody.status).toBe(404);
    expect(await snapshot(api.store, partitions(id))).toBe(before);

    const asked = await ok(api.call("POST", `/api/wishes/${id}/takeover`, { as: asker, body: {} }));
    expect(asked.takeovers).toEqual([expect.objectContaining({ memberId: asker.id, holderId: holder.id, holderName: holder.name })]);
    expect(asked.timeline.at(-1)).toMatchObject({ kind: "ask-takeover", actorId: asker.id, data: { memberIds: [holder.id] } });
    const twice = await api.call("POST", `/api/wishes/${id}/takeover`, { as: asker, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("takeover.asked");

    const byMember = await api.call("POST", `/api/wishes/${id}/takeover/${asker.id}/approve`, { as: other });
    expect(byMember.status).toBe(403);
    const unknown = await api.call("POST", `/api/wishes/${id}/takeover/${other.id}/approve`, { as: c.staff });
    expect(unknown.status).toBe(404);

    const handed = await ok(api.call("POST", `/api/wishes/${id}/takeover/${asker.id}/approve`, { as: c.staff }));
    expect(handed).toMatchObject({ status: "claimed", claimed: 1 });
    expect(handed.claims.map((cl: any) => cl.memberId)).toEqual([asker.id]);
    expect(handed.takeovers).toBeUndefined();
    expect(handed.timeline.at(-1)).toMatchObject({
      kind: "takeover",
      actorId: c.staff.id,
      data: { memberIds: [asker.id], fromMemberId: holder.id, fromMemberName: holder.name },
    });
    // The new holder does the work; the old one no longer can.
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: asker, body: somewhere }));
    expect((await api.call("POST", `/api/wishes/${id}/check-in`, { as: holder, body: somewhere })).status).toBe(403);

    await settle();
    expect((await inbox(holder, id)).map((n) => n.kind)).toEqual(["task-taken-over", "task-takeover-asked", "task-confirmed"]);
    expect((await inbox(asker, id)).map((n) => n.kind)).toEqual(["task-handed-over"]);
    expect((await inbox(c.staff, id)).map((n) => [n.kind, n.text])).toContainEqual([
      "takeover-requested",
      `${asker.name}申请接替${holder.name}在心愿「送药上门」中未签到的名额，请审核。`,
    ]);
    expect((await texts(asker))[0]).toMatchObject({ kind: "task-handed-over" });
  });

  it("a claim already checked in, or whose time has not come, cannot be taken over; nothing is written", async () => {
    const { id: started } = await opened("修自行车", -2 * minute);
    await ok(api.call("POST", `/api/wishes/${started}/claim`, { as: c.members[2] }));
    await ok(api.call("POST", `/api/wishes/${started}/check-in`, { as: c.members[2], body: somewhere }));
    const { id: later } = await opened("明天再说", 2 * hour);
    await ok(api.call("POST", `/api/wishes/${later}/claim`, { as: c.members[2] }));

    const before = await snapshot(api.store, [...partitions(started), ...partitions(later)]);
    const checkedIn = await api.call("POST", `/api/wishes/${started}/takeover`, { as: c.members[3], body: { memberId: c.members[2].id } });
    expect(checkedIn.status).toBe(409);
    expect(checkedIn.body.code).toBe("claim.checked_in");
    const early = await api.call("POST", `/api/wishes/${later}/takeover`, { as: c.members[3], body: {} });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("takeover.not_stalled");
    expect(await snapshot(api.store, [...partitions(started), ...partitions(later)])).toBe(before);
  });

  it("a request left when the holder checks in meanwhile is refused at approval", async () => {
    const { id } = await opened("换灯泡", -1 * minute, 2);
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] }));
    await ok(api.call("POST", `/api/wishes/${id}/takeover`, { as: c.members[3], body: {} }));
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: c.members[0], body: somewhere }));
    const refused = await api.call("POST", `/api/wishes/${id}/takeover/${c.members[3].id}/approve`, { as: c.staff });
    expect(refused.status).toBe(409);
    expect((await view(id)).claims.map((cl: any) => cl.memberId)).toEqual([c.members[0].id]);
  });
});
