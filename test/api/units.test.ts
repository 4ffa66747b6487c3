/**
 * The organisation tree through HTTP: an admin makes a county, its staff a street, the street's
 * staff a community, the community's staff a grid with its area. Roles reach down for reading:
 * a street's staff open a community's wishes, ledger and figures and act on none of its wishes.
 * Wrong kinds, cycles, bad areas and bad phones are refused by name, and nothing is written.
 * Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putItem } from "../../functions/store/client.js";
import * as users from "../../functions/store/entities/user.js";
import { tx } from "../../functions/store/expression.js";
import { issueToken } from "../../functions/core/identity.js";
import { newPhone, newWish, person, secret, snapshot, startApi, type Api, type Person } from "../helpers/api.js";
import { expectProblem, ok } from "../hours/helpers.js";

let api: Api;
let admin: Person;
let outsider: Person;

/** Appoints a fresh phone to a unit and signs in as that person. */
async function appointed(unitId: string, by: Person, name: string, extra: Record<string, unknown> = {}) {
  const phone = newPhone();
  const res = await api.call("POST", `/api/units/${unitId}/staff`, { as: by, body: { phone, name, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, name, phone, token: await issueToken(secret, res.body.id) };
}

const square = [
  { lat: 33.06, lng: 107.02 },
  { lat: 33.06, lng: 107.03 },
  { lat: 33.07, lng: 107.03 },
  { lat: 33.07, lng: 107.02 },
];

let county: string;
let street: string;
let otherStreet: string;
let communityId: string;
let countyStaff: Person;
let streetStaff: Person;
let otherStreetStaff: Person;
let communityStaff: Person;

beforeAll(async () => {
  api = await startApi();
  admin = await person(api.store, "平台管理员");
  await putItem(api.store, tx.put(users.toItem({ id: admin.id, phone: admin.phone, name: admin.name, lang: "zh-CN", admin: true })));
  outsider = await person(api.store, "路人");
}, 60_000);
afterAll(() => api?.close());

describe("building the tree", () => {
  it("an admin creates a county; anyone else is refused", async () => {
    expectProblem(await api.call("POST", "/api/units", { as: outsider, body: { kind: "county", name: "凤县" } }), 403, "unit.forbidden");
    const made = await ok(api.call("POST", "/api/units", { as: admin, body: { kind: "county", name: "凤县" } }));
    expect(made).toMatchObject({ kind: "county", name: "凤县", path: [made.id] });
    county = made.id;
    countyStaff = await appointed(county, admin, "县委组织部");
  });

  it("county staff create streets, street staff a community, community staff a grid with its area", async () => {
    const s = await ok(api.call("POST", "/api/units", { as: countyStaff, body: { kind: "street", name: "双石铺镇", parentId: county } }));
    street = s.id;
    expect(s.path).toEqual([county, street]);
    otherStreet = (
      await ok(api.call("POST", "/api/units", { as: countyStaff, body: { kind: "street", name: "凤州镇", parentId: county } }))
    ).id;
    streetStaff = await appointed(street, countyStaff, "镇党委");
    otherStreetStaff = await appointed(otherStreet, countyStaff, "凤州镇党委");
    const c = await ok(
      api.call("POST", "/api/units", { as: streetStaff, body: { kind: "community", name: "双石铺社区", parentId: street } }),
    );
    communityId = c.id;
    expect(c.path).toEqual([county, street, communityId]);
    // A community made as a unit is a community as before.
    expect((await ok(api.call("GET", `/api/communities/${communityId}`))).name).toBe("双石铺社区");
    communityStaff = await appointed(communityId, streetStaff, "社区书记");
    const grid = await ok(
      api.call("POST", "/api/units", { as: communityStaff, body: { kind: "grid", name: "一网格", parentId: communityId, area: square } }),
    );
    expect(grid).toMatchObject({ kind: "grid", area: square, path: [county, street, communityId, grid.id] });
  });

  it("a unit shows its children and staff to its staff and those above; only its name and kind to others", async () => {
    const seen = await ok(api.call("GET", `/api/units/${county}`, { as: countyStaff }));
    expect(seen.children.map((c: { name: string }) => c.name).sort()).toEqual(["凤州镇", "双石铺镇"]);
    expect(seen.staff.map((s: { name: string }) => s.name)).toEqual(["县委组织部"]);
    const fromAbove = await ok(api.call("GET", `/api/units/${communityId}`, { as: countyStaff }));
    expect(fromAbove.staff.map((s: { name: string }) => s.name)).toEqual(["社区书记"]);
    expect(fromAbove.children.map((c: { kind: string }) => c.kind)).toEqual(["grid"]);
    for (const who of [undefined, outsider, otherStreetStaff]) {
      expect(await ok(api.call("GET", `/api/units/${communityId}`, { as: who }))).toEqual({
        id: communityId,
        kind: "community",
        name: "双石铺社区",
      });
    }
  });

  it("/api/me lists the units a person serves", async () => {
    const me = await ok(api.call("GET", "/api/me", { as: streetStaff }));
    expect(me.units).toEqual([{ unitId: street, kind: "street", path: [county, street], roles: ["staff"] }]);
  });
});

describe("refusals name the problem and write nothing", () => {
  const tree = () => snapshot(api.store, [`N#${county}#children`, `N#${street}#children`, `N#${county}#A`, `N#${street}#A`]);

  it.each([
    ["a grid under a street", () => ({ kind: "grid", name: "错网格", parentId: street, area: square }), "unit.wrong_kind", "kind"],
    ["a county under a community", () => ({ kind: "county", name: "错县", parentId: communityId }), "unit.wrong_kind", "kind"],
    ["a street with no parent", () => ({ kind: "street", name: "孤街" }), "unit.wrong_kind", "parentId"],
    ["a community under a county", () => ({ kind: "community", name: "跳级社区", parentId: county }), "unit.wrong_kind", "kind"],
    ["a street that is its own ancestor", () => ({ kind: "street", name: "环", parentId: county, id: county }), "unit.cycle", "parentId"],
  ])("%s", async (_what, body, code, field) => {
    const before = await tree();
    const res = await api.call("POST", "/api/units", { as: admin, body: body() });
    expect(Object.keys(expectProblem(res, 422, code).errors)).toEqual([field]);
    expect(await tree()).toBe(before);
  });

  it("a unit beneath one of its own descendants is a cycle", async () => {
    const before = await tree();
    const res = await api.call("POST", "/api/units", {
      as: admin,
      body: { kind: "grid", name: "环", parentId: communityId, id: street, area: square },
    });
    expectProblem(res, 422, "unit.cycle");
    expect(await tree()).toBe(before);
  });

  it.each([
    ["under 3 points", square.slice(0, 2), /at least 3 points/],
    ["crossing itself", [square[0], square[2], square[1], square[3]], /cross/],
  ])("a grid's area %s", async (_what, area, message) => {
    const before = await snapshot(api.store, [`N#${communityId}#children`, `N#${communityId}#A`]);
    const res = await api.call("POST", "/api/units", {
      as: communityStaff,
      body: { kind: "grid", name: "坏网格", parentId: communityId, area },
    });
    expect(expectProblem(res, 422, "unit.invalid_area").detail).toMatch(message);
    expect(await snapshot(api.store, [`N#${communityId}#children`, `N#${communityId}#A`])).toBe(before);
  });

  it("staff of another street may not create beneath this one", async () => {
    const before = await tree();
    const res = await api.call("POST", "/api/units", { as: otherStreetStaff, body: { kind: "community", name: "越界", parentId: street } });
    expectProblem(res, 403, "unit.forbidden");
    expect(await tree()).toBe(before);
  });

  it("appointing a phone that is not a mobile number", async () => {
    const before = await snapshot(api.store, [`N#${street}#A`, `N#${street}#U`]);
    for (const phone of ["12345", "+86 138 0013 800", "not a phone"]) {
      const res = await api.call("POST", `/api/units/${street}/staff`, { as: countyStaff, body: { phone, name: "某人" } });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain("phone");
    }
    expect(await snapshot(api.store, [`N#${street}#A`, `N#${street}#U`])).toBe(before);
  });

  it("appointing staff of a unit one does not serve", async () => {
    const res = await api.call("POST", `/api/units/${street}/staff`, { as: otherStreetStaff, body: { phone: newPhone(), name: "某人" } });
    expectProblem(res, 403, "unit.forbidden");
  });
});

describe("a street's staff supervise its communities", () => {
  let wishId: string;
  beforeAll(async () => {
    const resident = await person(api.store, "居民");
    wishId = (await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(communityId) }))).id;
  });

  it("read the community's wishes, one wish, its figures in detail, its rankings and its ledger", async () => {
    const list = await ok(api.call("GET", `/api/wishes?communityId=${communityId}`, { as: streetStaff }));
    expect(list.items.map((w: { id: string }) => w.id)).toEqual([wishId]);
    const wish = await ok(api.call("GET", `/api/wishes/${wishId}`, { as: streetStaff }));
    expect(wish.unitPath).toEqual([county, street, communityId]);
    expect(wish.handshakeCode).toBeUndefined();
    expect(wish.contactPhone).toMatch(/\*{4}/);
    expect((await ok(api.call("GET", `/api/communities/${communityId}/stats`, { as: countyStaff }))).detail).toBeDefined();
    expect((await api.call("GET", `/api/communities/${communityId}/rankings?period=2026&by=branch`, { as: streetStaff })).status).toBe(200);
    expect(
      (await api.call("GET", `/api/communities/${communityId}/ledger.csv?from=2026-01-01&to=2026-01-31`, { as: streetStaff })).status,
    ).toBe(200);
  });

  it("act on none of its wishes: 403 naming who may, and the wish unchanged", async () => {
    const before = await snapshot(api.store, [`W#${wishId}`]);
    const res = await api.call("POST", `/api/wishes/${wishId}/approve`, { as: streetStaff, body: { slots: 1, estimatedMinutes: 30 } });
    expect(expectProblem(res, 403, "wish.forbidden").detail).toMatch(/only its own staff/);
    expectProblem(
      await api.call("POST", `/api/wishes/${wishId}/cancel`, { as: countyStaff, body: { reason: "x" } }),
      403,
      "wish.forbidden",
    );
    expect(await snapshot(api.store, [`W#${wishId}`])).toBe(before);
  });

  it("staff of another street see none of it", async () => {
    expectProblem(await api.call("GET", `/api/wishes?communityId=${communityId}`, { as: otherStreetStaff }), 403, "wish.forbidden");
    expectProblem(await api.call("GET", `/api/wishes/${wishId}`, { as: otherStreetStaff }), 404, "wish.not_found");
    expect((await ok(api.call("GET", `/api/communities/${communityId}/stats`, { as: otherStreetStaff }))).detail).toBeUndefined();
  });
});

describe("the audit trail", () => {
  it("records unit and staff changes with who, when, before and after, for the unit's staff and those above", async () => {
    const log = await ok(api.call("GET", `/api/units/${street}/audit`, { as: countyStaff }));
    const appoint = log.items.find((e: { action: string }) => e.action === "staff.appoint");
    expect(appoint).toMatchObject({ by: countyStaff.id, byName: countyStaff.name, before: { roles: [] }, after: { roles: ["staff"] } });
    expect(Date.now() - Date.parse(appoint.at)).toBeLessThan(120_000);
    const created = log.items.find((e: { action: string }) => e.action === "unit.create");
    expect(created).toMatchObject({ by: streetStaff.id, after: { kind: "community", name: "双石铺社区" } });
    expect((await ok(api.call("GET", `/api/units/${street}/audit`, { as: streetStaff }))).items.length).toBe(log.items.length);
  });

  it("records a community's settings change with the rules before and after, for the street's staff too", async () => {
    await ok(api.call("POST", `/api/communities/${communityId}/settings`, { as: communityStaff, body: { fenceRadiusMeters: 450 } }));
    const log = await ok(api.call("GET", `/api/units/${communityId}/audit`, { as: streetStaff }));
    const change = log.items.find((e: { action: string }) => e.action === "settings.change");
    expect(change).toMatchObject({ by: communityStaff.id, before: { fenceRadiusMeters: 300 }, after: { fenceRadiusMeters: 450 } });
  });

  it("is refused to staff of other units", async () => {
    expectProblem(await api.call("GET", `/api/units/${street}/audit`, { as: otherStreetStaff }), 403, "unit.forbidden");
    expectProblem(await api.call("GET", `/api/units/${county}/audit`, { as: communityStaff }), 403, "unit.forbidden");
  });
});
