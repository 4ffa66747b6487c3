/**
 * Activities through real HTTP against DynamoDB Local: staff post one, members sign up and
 * withdraw (forty at once for five places: five get in), late or full sign-ups are refused by
 * rule, staff see who signed up per team, and every refusal leaves the activity as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Community from "../../functions/core/community.js";
import { community, person, snapshot, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;

const place = { lat: 33.0676, lng: 107.0238 };
const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

function newActivity(extra: Record<string, unknown> = {}) {
  return {
    title: "周六环境清扫",
    description: "清扫小区公共区域，请穿方便活动的衣服。",
    address: "幸福里小区中心广场",
    location: place,
    window: { from: minutes(24 * 60), to: minutes(26 * 60) },
    ...extra,
  };
}

beforeAll(async () => {
  api = await startApi();
  [c, other] = await Promise.all([community(api.store, { members: 4, residents: 1 }), community(api.store, { members: 1, residents: 0 })]);
}, 60_000);
afterAll(() => api.close());

async function post(extra: Record<string, unknown> = {}) {
  const res = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: newActivity(extra) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string; signedUp: number };
}
const partition = (id: string) => snapshot(api.store, [`A#${id}`]);

describe("posting", () => {
  it("staff post an activity; it is open, and members and staff of the community see it, nobody else", async () => {
    const a = await post({ places: 10, teams: ["清扫组", "宣传组"] });
    expect(a.status).toBe("open");
    expect(a.signedUp).toBe(0);
    expect(JSON.stringify(a)).not.toMatch(/token/);
    expect((await api.call("GET", `/api/activities/${a.id}`, { as: c.members[0] })).status).toBe(200);
    expect((await api.call("GET", `/api/activities/${a.id}`, { as: other.members[0] })).status).toBe(404);
    expect((await api.call("GET", `/api/activities/${a.id}`, { as: c.residents[0] })).status).toBe(404);
    const list = await api.call("GET", `/api/communities/${c.id}/activities?status=open`, { as: c.members[1] });
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(a.id);
    expect((await api.call("GET", `/api/communities/${c.id}/activities`, { as: other.members[0] })).status).toBe(403);
  });

  it("refuses a member posting, a window ending before it starts, an unknown branch and zero places, by field", async () => {
    const asMember = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.members[0], body: newActivity() });
    expect(asMember.status).toBe(403);
    expect(asMember.body.code).toBe("activity.forbidden");
    const backwards = await api.call("POST", `/api/communities/${c.id}/activities`, {
      as: c.staff,
      body: newActivity({ window: { from: minutes(120), to: minutes(60) } }),
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toHaveProperty(["window.to"]);
    const stranger = await api.call("POST", `/api/communities/${c.id}/activities`, {
      as: c.staff,
      body: newActivity({ branchIds: [other.branches[0].id] }),
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toHaveProperty("branchIds");
    const none = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: newActivity({ places: 0 }) });
    expect(none.status).toBe(422);
    expect(none.body.errors).toHaveProperty("places");
    const nowhere = await api.call("POST", `/api/communities/${c.id}/activities`, {
      as: c.staff,
      body: newActivity({ location: undefined }),
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors).toHaveProperty("location");
  });
});

describe("sign-up and withdrawal", () => {
  it("a member signs up in a team, cannot twice, withdraws, and staff see who signed up per team", async () => {
    const a = await post({ places: 3, teams: ["清扫组", "宣传组"] });
    const first = await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0], body: { team: "清扫组" } });
    expect(first.status).toBe(200);
    expect(first.body.mySignup.team).toBe("清扫组");
    expect(first.body.signedUp).toBe(1);
    expect(first.body.signups).toBeUndefined();
    const again = await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0], body: { team: "宣传组" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("signup.exists");
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[1], body: { team: "宣传组" } })).status).toBe(200);
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[2] })).status).toBe(200);
    const badTeam = await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[3], body: { team: "后勤组" } });
    expect(badTeam.status).toBe(422);
    expect(badTeam.body.errors).toHaveProperty("team");

    const staff = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    const byTeam = Object.fromEntries(
      staff.body.byTeam.map((t: { team: string | null; members: { memberName: string }[] }) => [
        t.team ?? "-",
        t.members.map((m) => m.memberName),
      ]),
    );
    expect(byTeam).toEqual({ 清扫组: [c.members[0].name], 宣传组: [c.members[1].name], "-": [c.members[2].name] });

    const out = await api.call("POST", `/api/activities/${a.id}/withdraw`, { as: c.members[1] });
    expect(out.status).toBe(200);
    expect(out.body.signedUp).toBe(2);
    expect(out.body.mySignup).toBeUndefined();
    const notIn = await api.call("POST", `/api/activities/${a.id}/withdraw`, { as: c.members[1] });
    expect(notIn.status).toBe(409);
    expect(notIn.body.code).toBe("signup.none");
  });

  it("a full activity refuses the next sign-up, naming the rule, and writes nothing", async () => {
    const a = await post({ places: 1 });
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0] })).status).toBe(200);
    const before = await partition(a.id);
    const full = await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[1] });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe("activity.full");
    expect(full.body.detail).toMatch(/All 1 places/);
    expect(await partition(a.id)).toBe(before);
  });

  it("a sign-up after the start is refused, naming the rule, and writes nothing", async () => {
    const a = await post({ window: { from: minutes(24 * 60), to: minutes(26 * 60) } });
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0] })).status).toBe(200);
    const started = await post({ window: { from: minutes(-5), to: minutes(120) } });
    const before = await partition(started.id);
    const late = await api.call("POST", `/api/activities/${started.id}/signup`, { as: c.members[1] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("activity.started");
    expect(late.body.detail).toMatch(/sign-up closed/);
    expect(await partition(started.id)).toBe(before);
  });

  it("only members of the invited branches sign up; residents and other communities' members are not told it exists", async () => {
    const a = await post({ branchIds: [c.branches[0].id] });
    const invited = c.members.find((m) => m.branchId === c.branches[0].id)!;
    const notInvited = c.members.find((m) => m.branchId === c.branches[1].id)!;
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: invited })).status).toBe(200);
    const refused = await api.call("POST", `/api/activities/${a.id}/signup`, { as: notInvited });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("activity.not_invited");
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: other.members[0] })).status).toBe(404);
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.residents[0] })).status).toBe(404);
    expect((await api.call("POST", `/api/activities/no-such/signup`, { as: invited })).status).toBe(404);
  });
});

describe("the race for the last places", () => {
  let crowd: Person[];
  beforeAll(async () => {
    crowd = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const m = await person(api.store, `报名志愿者${i + 1}`);
        await Community.appoint(api.store, {
          communityId: c.id,
          userId: m.id,
          name: m.name,
          roles: ["member"],
          branchId: c.branches[i % 2].id,
        });
        return m;
      }),
    );
  }, 60_000);

  it("forty members signing up at once for five places: five get in, thirty-five are told it is full", async () => {
    const a = await post({ places: 5 });
    const answers = await Promise.all(crowd.map((m) => api.call("POST", `/api/activities/${a.id}/signup`, { as: m })));
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 409);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(35);
    for (const r of refused) expect(r.body.code).toBe("activity.full");
    const staff = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    expect(staff.body.signedUp).toBe(5);
    expect(staff.body.signups).toHaveLength(5);
  }, 60_000);
});
