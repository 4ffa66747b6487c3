/**
 * The lifecycle's other roads, through real HTTP: rejection, cancellation by resident and
 * staff, release, dispatch and decline, dispute, confirmation on a resident's behalf, and
 * expiry. Each ends with the audit trail read back whole: every step, in order, who, and why.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../functions/core/errors.js";
import { expire } from "../../functions/core/wish.js";
import { community, newWish, snapshot, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 4, residents: 2 });
});
afterAll(() => api.close());

type Step = { kind: string; from: string | null; to: string; actorId: string; note?: string };

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function wish(id: string, as: Person = c.staff) {
  return ok(api.call("GET", `/api/wishes/${id}`, { as }));
}

/** The whole timeline, exactly these steps in this order, each with a name and a time for its actor. */
async function expectTimeline(id: string, expected: Step[]) {
  const { timeline } = await wish(id);
  expect(timeline.map((e: any) => ({ kind: e.kind, from: e.from, to: e.to, actorId: e.actorId, note: e.note }))).toEqual(
    expected.map((s) => ({ ...s, note: s.note })),
  );
  for (const e of timeline) {
    expect(e.actorName, e.kind).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(e.at)), e.kind).toBe(false);
  }
  const times = timeline.map((e: any) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  return timeline;
}

const resident = () => c.residents[0];
const submitted = (): Step => ({ kind: "submit", from: null, to: "submitted", actorId: resident().id });
const approved = (): Step => ({ kind: "approve", from: "submitted", to: "open", actorId: c.staff.id });

describe("review", () => {
  it("staff reject with a reason; the resident sees it and members never do", async () => {
    const id = await wishIn(api, c, "submitted");
    const res = await ok(api.call("POST", `/api/wishes/${id}/reject`, { as: c.staff, body: { reason: "不属于志愿服务范围" } }));
    expect(res).toMatchObject({ status: "rejected", rejectReason: "不属于志愿服务范围" });
    expect((await wish(id, resident())).status).toBe("rejected");
    expect((await api.call("GET", `/api/wishes/${id}`, { as: c.members[0] })).status).toBe(404);
    const again = await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("wish.wrong_state");
    await expectTimeline(id, [
      submitted(),
      { kind: "reject", from: "submitted", to: "rejected", actorId: c.staff.id, note: "不属于志愿服务范围" },
    ]);
  });
});

describe("cancel", () => {
  const reason = "家里人已经帮忙解决了";

  it.each(["submitted", "open", "claimed"] as const)("the resident cancels a wish that is %s", async (status) => {
    const m = c.members[0];
    const id = await wishIn(api, c, status, { members: [m] });
    const res = await ok(api.call("POST", `/api/wishes/${id}/cancel`, { as: resident(), body: { reason } }));
    expect(res).toMatchObject({ status: "cancelled", cancelReason: reason });
    const before: Step[] = {
      submitted: [submitted()],
      open: [submitted(), approved()],
      claimed: [submitted(), approved(), { kind: "claim", from: "open", to: "claimed", actorId: m.id } as Step],
    }[status];
    await expectTimeline(id, [...before, { kind: "cancel", from: status, to: "cancelled", actorId: resident().id, note: reason }]);
  });

  it("the resident cannot cancel once a volunteer has checked in, and nothing is written", async () => {
    const id = await wishIn(api, c, "in_progress");
    const before = await snapshot(api.store, [`W#${id}`]);
    const res = await api.call("POST", `/api/wishes/${id}/cancel`, { as: resident(), body: { reason } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("wish.wrong_state");
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);
  });

  it("staff cancel a wish in progress", async () => {
    const m = c.members[1];
    const id = await wishIn(api, c, "in_progress", { members: [m] });
    const res = await ok(api.call("POST", `/api/wishes/${id}/cancel`, { as: c.staff, body: { reason: "居民住院，服务暂停" } }));
    expect(res.status).toBe("cancelled");
    await expectTimeline(id, [
      submitted(),
      approved(),
      { kind: "claim", from: "open", to: "claimed", actorId: m.id },
      { kind: "check-in", from: "claimed", to: "in_progress", actorId: m.id },
      { kind: "cancel", from: "in_progress", to: "cancelled", actorId: c.staff.id, note: "居民住院，服务暂停" },
    ]);
  });
});

describe("release", () => {
  it("gives the place back: the wish is open again, the claim gone, and the member may claim again", async () => {
    const m = c.members[2];
    const id = await wishIn(api, c, "claimed", { members: [m] });
    const res = await ok(api.call("POST", `/api/wishes/${id}/release`, { as: m, body: { reason: "临时有事" } }));
    expect(res).toMatchObject({ status: "open", claimed: 0, claims: [] });
    const tasks = await ok(api.call("GET", "/api/me/tasks", { as: m }));
    expect(tasks.items.map((t: any) => t.wish.id)).not.toContain(id);

    const again = await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m }));
    expect(again).toMatchObject({ status: "claimed", claimed: 1 });
    expect(again.claims.map((cl: any) => cl.memberId)).toEqual([m.id]);
    await expectTimeline(id, [
      submitted(),
      approved(),
      { kind: "claim", from: "open", to: "claimed", actorId: m.id },
      { kind: "release", from: "claimed", to: "open", actorId: m.id, note: "临时有事" },
      { kind: "claim", from: "open", to: "claimed", actorId: m.id },
    ]);
  });
});

describe("dispatch", () => {
  it("staff dispatch two members; one declines and the place is free; a member who claimed cannot decline", async () => {
    const [a, b, self] = c.members;
    const id = await wishIn(api, c, "open", { slots: 2 });
    const res = await ok(api.call("POST", `/api/wishes/${id}/dispatch`, { as: c.staff, body: { memberIds: [a.id, b.id] } }));
    expect(res).toMatchObject({ status: "claimed", claimed: 2 });
    expect(res.claims.map((cl: any) => [cl.memberId, cl.dispatchedBy]).sort()).toEqual(
      [
        [a.id, c.staff.id],
        [b.id, c.staff.id],
      ].sort(),
    );

    const declined = await ok(api.call("POST", `/api/wishes/${id}/decline`, { as: b, body: { reason: "不在本地" } }));
    expect(declined).toMatchObject({ status: "open", claimed: 1 });
    expect(declined.claims.map((cl: any) => cl.memberId)).toEqual([a.id]);

    const claimed = await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: self }));
    expect(claimed.status).toBe("claimed");
    const before = await snapshot(api.store, [`W#${id}`]);
    const refused = await api.call("POST", `/api/wishes/${id}/decline`, { as: self, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("claim.not_dispatched");
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);

    const timeline = await expectTimeline(id, [
      submitted(),
      { kind: "approve", from: "submitted", to: "open", actorId: c.staff.id },
      { kind: "dispatch", from: "open", to: "claimed", actorId: c.staff.id, note: `${a.name}、${b.name}` },
      { kind: "decline", from: "claimed", to: "open", actorId: b.id, note: "不在本地" },
      { kind: "claim", from: "open", to: "claimed", actorId: self.id },
    ]);
    expect(timeline[2].data.memberIds).toEqual([a.id, b.id]);
  });
});

describe("dispute", () => {
  it("sends a completed wish back to work; it is completed again, confirmed and verified", async () => {
    const m = c.members[3];
    const id = await wishIn(api, c, "completed", { members: [m] });
    const disputed = await ok(api.call("POST", `/api/wishes/${id}/dispute`, { as: resident(), body: { reason: "水龙头还在滴水" } }));
    expect(disputed).toMatchObject({ status: "in_progress", disputeReason: "水龙头还在滴水" });
    const redone = await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: m, body: { note: "重新换了密封圈" } }));
    expect(redone.status).toBe("completed");
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: resident(), body: { rating: 4, comment: "这次好了" } }));
    const closed = await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: {} }));
    expect(closed.status).toBe("closed");
    await expectTimeline(id, [
      submitted(),
      approved(),
      { kind: "claim", from: "open", to: "claimed", actorId: m.id },
      { kind: "check-in", from: "claimed", to: "in_progress", actorId: m.id },
      { kind: "check-out", from: "in_progress", to: "in_progress", actorId: m.id },
      { kind: "complete", from: "in_progress", to: "completed", actorId: m.id, note: "修好了" },
      { kind: "dispute", from: "completed", to: "in_progress", actorId: resident().id, note: "水龙头还在滴水" },
      { kind: "complete", from: "in_progress", to: "completed", actorId: m.id, note: "重新换了密封圈" },
      { kind: "confirm", from: "completed", to: "confirmed", actorId: resident().id, note: "这次好了" },
      { kind: "verify", from: "confirmed", to: "closed", actorId: c.staff.id },
    ]);
  });
});

describe("staff confirm on a resident's behalf", () => {
  it("needs a comment saying why, and the event marks it as on behalf", async () => {
    const m = c.members[0];
    const id = await wishIn(api, c, "completed", { members: [m] });
    const before = await snapshot(api.store, [`W#${id}`]);
    const bare = await api.call("POST", `/api/wishes/${id}/confirm`, { as: c.staff, body: { rating: 5 } });
    expect(bare.status).toBe(422);
    expect(bare.body.errors).toHaveProperty("comment");
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);

    const note = "老人不会用手机，电话回访确认满意";
    const res = await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.staff, body: { rating: 5, comment: note } }));
    expect(res).toMatchObject({ status: "confirmed", rating: 5, confirmedBy: c.staff.id });
    const timeline = await expectTimeline(id, [
      submitted(),
      approved(),
      { kind: "claim", from: "open", to: "claimed", actorId: m.id },
      { kind: "check-in", from: "claimed", to: "in_progress", actorId: m.id },
      { kind: "check-out", from: "in_progress", to: "in_progress", actorId: m.id },
      { kind: "complete", from: "in_progress", to: "completed", actorId: m.id, note: "修好了" },
      { kind: "confirm", from: "completed", to: "confirmed", actorId: c.staff.id, note },
    ]);
    expect(timeline.at(-1).data).toEqual({ rating: 5, onBehalf: true });
  });
});

describe("expiry", () => {
  it("an open wish expires once its deadline has passed, and not before", async () => {
    const created = await ok(api.call("POST", "/api/wishes", { as: resident(), body: newWish(c.id, { title: "周日帮忙搬花盆" }) }), 201);
    const id = created.id as string;
    const deadline = new Date(Date.now() + 3600_000).toISOString();
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30, deadline } }));

    const before = await snapshot(api.store, [`W#${id}`]);
    const early = await expire(api.store, id, new Date(Date.parse(deadline) - 60_000)).then(
      () => undefined,
      (err) => err,
    );
    expect(early).toBeInstanceOf(DomainError);
    expect(early.code).toBe("wish.not_due");
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);

    const late = new Date(Date.parse(deadline) + 60_000);
    const expired = await expire(api.store, id, late);
    expect(expired.status).toBe("expired");
    const seen = await wish(id, resident());
    expect(seen).toMatchObject({ status: "expired", expiredAt: late.toISOString() });
    const claim = await api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] });
    expect(claim.status).toBe(409);
    await expectTimeline(id, [submitted(), approved(), { kind: "expire", from: "open", to: "expired", actorId: "system" }]);
  });

  it("a wish someone has claimed does not expire", async () => {
    const id = await wishIn(api, c, "claimed");
    const err = await expire(api.store, id, new Date(Date.now() + 365 * 86_400_000)).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.code).toBe("wish.wrong_state");
    expect((await wish(id)).status).toBe("claimed");
  });
});
