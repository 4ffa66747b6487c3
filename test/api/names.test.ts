/**
 * A person's own name: a new account is 居民 and four digits until its owner says otherwise, which
 * `/api/me` reports so the app can ask; `PUT /api/me` sets the name and the address, and the new name
 * is what staff's lists and new wishes show. Bad names are refused with nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, newPhone, newWish, snapshot, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 0 });
});
afterAll(() => api.close());

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function signIn(phone: string) {
  await ok(api.call("POST", "/api/auth/otp", { body: { phone } }), 202);
  const outbox = await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`));
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(outbox[0].text)![1];
  return ok(api.call("POST", "/api/auth/token", { body: { phone, code } }));
}

describe("a name of one's own", () => {
  it("a new person is 居民 and the last four digits, not named, until they give a name; then wishes carry it", async () => {
    const phone = newPhone();
    const { token, user } = await signIn(phone);
    expect(user).toMatchObject({ name: `居民${phone.slice(-4)}`, named: false });
    expect(await ok(api.call("GET", "/api/me", { as: token }))).toMatchObject({ named: false });

    const named = await ok(api.call("PUT", "/api/me", { as: token, body: { name: "  王奶奶 " } }));
    expect(named).toMatchObject({ id: user.id, name: "王奶奶", named: true, phone });
    expect(await ok(api.call("GET", "/api/me", { as: token }))).toMatchObject({ name: "王奶奶", named: true });

    const withAddress = await ok(api.call("PUT", "/api/me", { as: token, body: { address: "幸福里3号楼2单元" } }));
    expect(withAddress).toMatchObject({ name: "王奶奶", address: "幸福里3号楼2单元" });
    expect(await ok(api.call("PUT", "/api/me", { as: token, body: {} }))).toMatchObject({ name: "王奶奶", address: "幸福里3号楼2单元" });

    const wish = await ok(api.call("POST", "/api/wishes", { as: token, body: newWish(c.id) }), 201);
    expect(wish.ownerName).toBe("王奶奶");
  });

  it("a member's new name is the one staff see in the community's list", async () => {
    const [m] = c.members;
    await ok(api.call("PUT", "/api/me", { as: m, body: { name: "李明明" } }));
    const people = await ok(api.call("GET", `/api/communities/${c.id}/members`, { as: c.staff }));
    expect(people.items.find((p: any) => p.id === m.id || p.userId === m.id)).toMatchObject({ name: "李明明" });
  });

  it.each([
    ["an empty name", { name: "   " }, "name"],
    ["a name over 40 characters", { name: "王".repeat(41) }, "name"],
    ["a name with a control character", { name: "王\u0007奶奶" }, "name"],
    ["an address over 200 characters", { address: "路".repeat(201) }, "address"],
    ["a name that is not text", { name: 42 }, "name"],
  ])("%s: 422 naming the field, nothing changed", async (_what, body, field) => {
    const phone = newPhone();
    const { token, user } = await signIn(phone);
    const before = await snapshot(api.store, [`U#${user.id}`]);
    const res = await api.call("PUT", "/api/me", { as: token, body });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors ?? {})).toContain(field);
    expect(await snapshot(api.store, [`U#${user.id}`])).toBe(before);
  });

  it("nobody signed in: 401", async () => {
    expect((await api.call("PUT", "/api/me", { body: { name: "王奶奶" } })).status).toBe(401);
  });
});
