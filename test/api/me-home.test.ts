/**
 * The community the app opens in comes with who one is: `GET /api/me` carries it (name, branches,
 * categories, as `GET /api/communities/:id` answers), so a phone that knows only its token draws its
 * first screen after one answer instead of me, then the newest wish, then the community. A member
 * or staff gets the first community they have a role in; a resident the one of their newest wish;
 * someone new none. Every answer is held to the documented schema by the helpers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, newWish, person, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 1, name: "幸福里社区" });
  other = await community(api.store, { members: 0, residents: 0, name: "阳光社区" });
});
afterAll(() => api.close());

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

describe("GET /api/me: the community the app opens in", () => {
  it("a member and staff get the community they serve, as its own route answers it", async () => {
    const details = await ok(api.call("GET", `/api/communities/${c.id}`));
    for (const who of [c.members[0], c.staff]) {
      const me = await ok(api.call("GET", "/api/me", { as: who }));
      expect(me).toMatchObject({ id: who.id, communities: [{ communityId: c.id }] });
      expect(me.community).toEqual(details);
    }
  });

  it("a resident gets the community of their newest wish, and a newer wish elsewhere moves it", async () => {
    const resident = await person(api.store, "王奶奶");
    await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id) }), 201);
    const first = await ok(api.call("GET", "/api/me", { as: resident }));
    expect(first).toMatchObject({ communities: [], community: { id: c.id, name: "幸福里社区" } });
    expect(first.community.categories.length).toBeGreaterThan(0);

    await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(other.id) }), 201);
    expect((await ok(api.call("GET", "/api/me", { as: resident }))).community).toMatchObject({ id: other.id, name: "阳光社区" });
  });

  it("someone new, with no role and no wish, gets no community: the app chooses one as before", async () => {
    const newcomer = await person(api.store, "新居民");
    const me = await ok(api.call("GET", "/api/me", { as: newcomer }));
    expect(me).toMatchObject({ id: newcomer.id, communities: [] });
    expect(me).not.toHaveProperty("community");
  });

  it("the same person is what PUT /api/me answers, without the community", async () => {
    const me = await ok(api.call("PUT", "/api/me", { as: c.members[0], body: { name: "李明明" } }));
    expect(me).toMatchObject({ id: c.members[0].id, name: "李明明" });
    expect(me).not.toHaveProperty("community");
  });

  it("nobody signed in: 401", async () => {
    expect((await api.call("GET", "/api/me")).status).toBe(401);
  });
});
