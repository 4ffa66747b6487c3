/**
 * Records stay in their unit: a volunteer's ledger entries, places and certificates from one
 * community are never shown to staff of another: importing the volunteer's phone only invites
 * them, and even once they accept and serve both, each community's staff see only their own.
 * Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../functions/core/period.js";
import { community, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { claimedBy, expectProblem, ok } from "../hours/helpers.js";

let api: Api;
let a: TestCommunity;
let b: TestCommunity;
const today = dayOf(new Date());

/** A wish the member does alone in community `c`, verified by its staff. */
async function served(c: TestCommunity, member: TestCommunity["members"][number], title: string) {
  const id = await claimedBy(api, c, [member], { title, address: "甲社区幸福里3号楼" });
  for (const step of ["check-in", "check-out"])
    await ok(api.call("POST", `/api/wishes/${id}/${step}`, { as: member, body: { lat: 33.0676, lng: 107.0238, accuracy: 10 } }));
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: member, body: { note: "完成" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
  await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [member.id]: 45 }, reason: "核定" } }));
  return id;
}

beforeAll(async () => {
  api = await startApi();
  a = await community(api.store, { members: 1, residents: 1, name: "甲社区" });
  b = await community(api.store, { members: 1, residents: 1, name: "乙社区" });
  await served(a, a.members[0], "甲社区的秘密服务");
  // Staff of B put A's volunteer on B's roll by phone, as a CSV import lets them.
  const res = await fetch(`${api.base}/api/communities/${b.id}/members/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${b.staff.token}`, "content-type": "text/csv" },
    body: `phone,name,branch\n${a.members[0].phone},借来的人,第一支部\n`,
  });
  expect(res.status).toBe(200);
}, 120_000);
afterAll(() => api?.close());

describe("staff of another community", () => {
  it("importing a volunteer of another community only invites them: their record stays closed until they accept", async () => {
    const res = await api.call("GET", `/api/members/${a.members[0].id}/hours`, { as: b.staff });
    expectProblem(res, 403, "hours.forbidden");
    await ok(api.call("POST", `/api/me/invitations/${b.id}/accept`, { as: a.members[0] }));
  });

  it("see none of a volunteer's ledger entries, places or hours from the community that recorded them", async () => {
    const seen = await ok(api.call("GET", `/api/members/${a.members[0].id}/hours`, { as: b.staff }));
    expect(JSON.stringify(seen)).not.toContain("甲社区");
    expect(seen.entries).toEqual([]);
    expect(seen.totalMinutes).toBe(0);
    expect(seen.communities.map((t: { communityId: string }) => t.communityId)).not.toContain(a.id);
  });

  it("still see them all as the recording community's staff and as the volunteer", async () => {
    for (const who of [a.staff, a.members[0]]) {
      const seen = await ok(api.call("GET", `/api/members/${a.members[0].id}/hours`, { as: who }));
      expect(seen.entries.map((e: { content: string; place?: string }) => [e.content, e.place])).toEqual([
        ["甲社区的秘密服务", "甲社区幸福里3号楼"],
      ]);
      expect(seen.totalMinutes).toBe(45);
    }
  });

  it("neither list the volunteer's certificates from that community nor read them whole", async () => {
    const cert = await ok(
      api.call("POST", `/api/members/${a.members[0].id}/certificates`, { as: a.members[0], body: { from: today, to: today } }),
    );
    const listed = await ok(api.call("GET", `/api/members/${a.members[0].id}/certificates`, { as: b.staff }));
    expect(listed.items).toEqual([]);
    const read = await ok(api.call("GET", `/api/certificates/${cert.number}`, { as: b.staff }));
    expect(JSON.stringify(read)).not.toContain("甲社区幸福里3号楼");
    expect(read.memberId).toBeUndefined();
  });

  it("cannot issue a certificate of those hours, nor learn from the refusal where they were served", async () => {
    const res = await api.call("POST", `/api/members/${a.members[0].id}/certificates`, {
      as: b.staff,
      body: { from: today, to: today },
    });
    expectProblem(res, 422, "certificate.invalid");
    expect(JSON.stringify(res.body)).not.toContain(a.id);
    const named = await api.call("POST", `/api/members/${a.members[0].id}/certificates`, {
      as: b.staff,
      body: { communityId: a.id, from: today, to: today },
    });
    expectProblem(named, 403, "certificate.forbidden");
  });
});
