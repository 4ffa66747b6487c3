/**
 * Joining a community through HTTP: a person registers (报到), staff approve or reject with a
 * reason, approved people become members; a roll imported by staff invites people who have an
 * account already, and they join only by accepting. Registering twice and deciding twice are
 * refused by name, writing nothing. Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, person, snapshot, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { expectProblem, ok } from "../hours/helpers.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 0, name: "甲社区" });
  other = await community(api.store, { members: 1, residents: 0, name: "乙社区" });
}, 60_000);
afterAll(() => api?.close());

const rolesIn = async (who: Person, communityId: string) =>
  ((await ok(api.call("GET", "/api/me", { as: who }))).communities.find((m: { communityId: string }) => m.communityId === communityId)
    ?.roles ?? []) as string[];

const roll = (as: Person, communityId: string, text: string) =>
  fetch(`${api.base}/api/communities/${communityId}/members/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${as.token}`, "content-type": "text/csv" },
    body: text,
  }).then((r) => r.json());

describe("registration (报到)", () => {
  let newcomer: Person;
  let id: string;

  it("a signed-in person asks to join, naming a branch; pending until staff decide", async () => {
    newcomer = await person(api.store, "新党员");
    const made = await api.call("POST", `/api/communities/${c.id}/registrations`, {
      as: newcomer,
      body: { name: "新党员", branchId: c.branches[0].id, note: "从外地转入" },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: "pending", communityId: c.id, userId: newcomer.id, note: "从外地转入" });
    id = made.body.id;
    expect(await rolesIn(newcomer, c.id)).toEqual([]);
    const pending = await ok(api.call("GET", `/api/communities/${c.id}/registrations`, { as: c.staff }));
    expect(pending.items.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it("registering twice is a 409 that writes nothing", async () => {
    const before = await snapshot(api.store, [`U#${newcomer.id}`]);
    const again = await api.call("POST", `/api/communities/${c.id}/registrations`, { as: newcomer, body: { name: "新党员" } });
    expectProblem(again, 409, "registration.exists");
    expect(await snapshot(api.store, [`U#${newcomer.id}`])).toBe(before);
  });

  it("refuses a branch the community does not have, and a member registering", async () => {
    const someone = await person(api.store, "某人");
    const res = await api.call("POST", `/api/communities/${c.id}/registrations`, { as: someone, body: { name: "某人", branchId: "nope" } });
    expect(Object.keys(expectProblem(res, 422, "registration.invalid").errors)).toEqual(["branchId"]);
    const member = await api.call("POST", `/api/communities/${c.id}/registrations`, { as: c.members[0], body: { name: "已是成员" } });
    expectProblem(member, 409, "registration.exists");
  });

  it("only the community's staff list and decide registrations", async () => {
    expectProblem(await api.call("GET", `/api/communities/${c.id}/registrations`, { as: other.staff }), 403, "registration.forbidden");
    expectProblem(await api.call("POST", `/api/registrations/${id}/approve`, { as: other.staff }), 403, "registration.forbidden");
    expectProblem(await api.call("POST", `/api/registrations/${id}/approve`, { as: newcomer }), 403, "registration.forbidden");
  });

  it("approved, the person is a member of the branch; approving twice is a 409 that writes nothing", async () => {
    const approved = await ok(api.call("POST", `/api/registrations/${id}/approve`, { as: c.staff }));
    expect(approved).toMatchObject({ status: "approved", decidedBy: c.staff.id });
    expect(await rolesIn(newcomer, c.id)).toEqual(["member"]);
    const me = await ok(api.call("GET", "/api/me", { as: newcomer }));
    expect(me.communities.find((m: { communityId: string }) => m.communityId === c.id).branchId).toBe(c.branches[0].id);
    const before = await snapshot(api.store, [`REG#${id}`, `U#${newcomer.id}`]);
    expectProblem(await api.call("POST", `/api/registrations/${id}/approve`, { as: c.staff }), 409, "registration.decided");
    expectProblem(
      await api.call("POST", `/api/registrations/${id}/reject`, { as: c.staff, body: { reason: "晚了" } }),
      409,
      "registration.decided",
    );
    expect(await snapshot(api.store, [`REG#${id}`, `U#${newcomer.id}`])).toBe(before);
  });

  it("rejected with a reason, the person is no member and may ask again", async () => {
    const hopeful = await person(api.store, "申请人");
    const first = await ok(api.call("POST", `/api/communities/${c.id}/registrations`, { as: hopeful, body: { name: "申请人" } }));
    const empty = await api.call("POST", `/api/registrations/${first.id}/reject`, { as: c.staff, body: { reason: "  " } });
    expect(empty.status).toBe(422);
    const rejected = await ok(
      api.call("POST", `/api/registrations/${first.id}/reject`, { as: c.staff, body: { reason: "不在本社区居住" } }),
    );
    expect(rejected).toMatchObject({ status: "rejected", reason: "不在本社区居住" });
    expect(await rolesIn(hopeful, c.id)).toEqual([]);
    const listed = await ok(api.call("GET", `/api/communities/${c.id}/registrations?status=rejected`, { as: c.staff }));
    expect(listed.items.map((r: { reason: string }) => r.reason)).toEqual(["不在本社区居住"]);
    const again = await api.call("POST", `/api/communities/${c.id}/registrations`, { as: hopeful, body: { name: "申请人" } });
    expect(again.status).toBe(201);
  });

  it("the person reads their own registrations and the outcome, newest first; nobody else's", async () => {
    const asker = await person(api.store, "问结果的人");
    expect((await ok(api.call("GET", "/api/me/registrations", { as: asker }))).items).toEqual([]);
    const inC = await ok(api.call("POST", `/api/communities/${c.id}/registrations`, { as: asker, body: { name: "问结果的人" } }));
    const inOther = await ok(
      api.call("POST", `/api/communities/${other.id}/registrations`, { as: asker, body: { name: "问结果的人", note: "两边都问问" } }),
    );
    await ok(api.call("POST", `/api/registrations/${inC.id}/reject`, { as: c.staff, body: { reason: "名额已满" } }));
    const mine = await ok(api.call("GET", "/api/me/registrations", { as: asker }));
    expect(mine.items.map((r: { id: string; status: string; reason?: string }) => [r.id, r.status, r.reason])).toEqual([
      [inOther.id, "pending", undefined],
      [inC.id, "rejected", "名额已满"],
    ]);
    // Another person's list holds only their own.
    const theirs = await ok(api.call("GET", "/api/me/registrations", { as: newcomer }));
    expect(theirs.items.map((r: { userId: string }) => r.userId)).toEqual([newcomer.id]);
    expect(theirs.items[0]).toMatchObject({ communityId: c.id, status: "approved" });
    expect((await api.call("GET", "/api/me/registrations")).status).toBe(401);
  });

  it("each decision is in the community's audit trail: who, before and after", async () => {
    const log = await ok(api.call("GET", `/api/units/${c.id}/audit`, { as: c.staff }));
    const actions = log.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["registration.approve", "registration.reject"]));
    const approve = log.items.find((e: { action: string }) => e.action === "registration.approve");
    expect(approve).toMatchObject({ by: c.staff.id, before: { status: "pending" }, after: { status: "approved" } });
  });
});

describe("invitations from an imported roll", () => {
  it("a person of another community is invited, not enrolled, and joins only by accepting", async () => {
    const theirs = other.members[0];
    const report = await roll(c.staff, c.id, `phone,name,branch\n${theirs.phone},借调志愿者,第一支部\n`);
    expect(report).toMatchObject({ invited: 1, created: 0, updated: 0 });
    expect(await rolesIn(theirs, c.id)).toEqual([]);
    const waiting = await ok(api.call("GET", "/api/me/invitations", { as: theirs }));
    expect(waiting.items).toEqual([expect.objectContaining({ communityId: c.id, communityName: "甲社区", invitedByName: c.staff.name })]);
    expect(await ok(api.call("POST", `/api/me/invitations/${c.id}/accept`, { as: theirs }))).toEqual({ communityId: c.id, accepted: true });
    expect(await rolesIn(theirs, c.id)).toEqual(["member"]);
    expect(await rolesIn(theirs, other.id)).toEqual(["member"]);
    expect((await ok(api.call("GET", "/api/me/invitations", { as: theirs }))).items).toEqual([]);
    expectProblem(await api.call("POST", `/api/me/invitations/${c.id}/accept`, { as: theirs }), 404, "invitation.not_found");
  });

  it("declined, the invitation is gone and the person is no member", async () => {
    const resident = await person(api.store, "已注册居民");
    const report = await roll(other.staff, other.id, `${resident.phone},居民志愿者,\n`);
    expect(report.invited).toBe(1);
    expect(await ok(api.call("POST", `/api/me/invitations/${other.id}/decline`, { as: resident }))).toEqual({
      communityId: other.id,
      accepted: false,
    });
    expect(await rolesIn(resident, other.id)).toEqual([]);
    expect((await ok(api.call("GET", "/api/me/invitations", { as: resident }))).items).toEqual([]);
  });
});
