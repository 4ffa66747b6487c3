/**
 * Street and county figures through HTTP: a verification in a community moves its street's and
 * county's figures and rankings once the table's stream is handed to the real stream handler, a
 * record handed over twice counts once, the other street does not move, and everyone but staff
 * of the unit or above is refused. Real HTTP to the Hono app, real DynamoDB Local and its stream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Community from "../../functions/core/community.js";
import { issueToken } from "../../functions/core/identity.js";
import { monthOf, quarterOf } from "../../functions/core/period.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler, type DynamoDBStreamEvent } from "../../functions/notify/stream-handler.js";
import { putItem } from "../../functions/store/client.js";
import * as branches from "../../functions/store/entities/branch.js";
import { shardOf, standingShards } from "../../functions/store/entities/rollup.js";
import * as users from "../../functions/store/entities/user.js";
import { tx } from "../../functions/store/expression.js";
import { newPhone, person, secret, snapshot, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { expectProblem, ok } from "../hours/helpers.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let admin: Person;
let outsider: Person;
let county: string;
let street: string;
let otherStreet: string;
let grid: string;
let countyStaff: Person;
let streetStaff: Person;
let otherStreetStaff: Person;
let a: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;
let lastBatch: DynamoDBStreamEvent;
// What a user would ask for this month, counted in China time as the code counts it.
const month = monthOf(new Date());

async function appointed(unitId: string, by: Person, name: string) {
  const res = await api.call("POST", `/api/units/${unitId}/staff`, { as: by, body: { phone: newPhone(), name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, name, phone: "", token: await issueToken(secret, res.body.id) };
}

const unit = async (as: Person, body: Record<string, unknown>) => (await ok(api.call("POST", "/api/units", { as, body }))).id as string;

/** A community under a street, with its staff, a branch, two members and a resident. */
async function communityUnder(parentId: string, by: Person, name: string, wanted?: string): Promise<TestCommunity> {
  const id = await unit(by, { kind: "community", name, parentId, ...(wanted ? { id: wanted } : {}) });
  const staff = await appointed(id, by, `${name}书记`);
  const branch = { id: `b-${id}`, communityId: id, name: "第一党支部" };
  await putItem(api.store, branches.create(branch) as never);
  const members = [];
  for (const n of ["张伟", "李娜"]) {
    const m = await person(api.store, n);
    await Community.appoint(api.store, { communityId: id, userId: m.id, name: n, roles: ["member"], branchId: branch.id });
    members.push({ ...m, branchId: branch.id });
  }
  return { id, branches: [{ id: branch.id, name: branch.name }], staff, members, residents: [await person(api.store, "王奶奶")] };
}

/** Hands everything written since the last call to the stream handler, as Lambda would. */
async function drain() {
  lastBatch = await feed.next();
  const out = await handle(lastBatch);
  expect(out.batchItemFailures).toEqual([]);
}

/** A wish in community `c` closed with `minutes` credited to its first member. */
async function verified(c: TestCommunity, minutes: number, member = c.members[0]) {
  const id = await wishIn(api, c, "confirmed", { members: [member] });
  await ok(
    api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [member.id]: minutes }, reason: "按实际服务时长" } }),
  );
}

const stats = (id: string, as: Person, period = month) => api.call("GET", `/api/units/${id}/stats?period=${period}`, { as });
const rankings = (id: string, as: Person, by: string, period = month) =>
  api.call("GET", `/api/units/${id}/rankings?period=${period}&by=${by}`, { as });

beforeAll(async () => {
  api = await startApi();
  admin = await person(api.store, "平台管理员");
  await putItem(api.store, tx.put(users.toItem({ id: admin.id, phone: admin.phone, name: admin.name, lang: "zh-CN", admin: true })));
  outsider = await person(api.store, "路人");
  county = await unit(admin, { kind: "county", name: "凤县" });
  countyStaff = await appointed(county, admin, "县委组织部");
  street = await unit(countyStaff, { kind: "street", name: "双石铺镇", parentId: county });
  otherStreet = await unit(countyStaff, { kind: "street", name: "凤州镇", parentId: county });
  streetStaff = await appointed(street, countyStaff, "双石铺镇党委");
  otherStreetStaff = await appointed(otherStreet, countyStaff, "凤州镇党委");
  a = await communityUnder(street, streetStaff, "双石铺社区");
  grid = await unit(a.staff, {
    kind: "grid",
    name: "一网格",
    parentId: a.id,
    area: [
      { lat: 33.06, lng: 107.02 },
      { lat: 33.06, lng: 107.03 },
      { lat: 33.07, lng: 107.03 },
    ],
  });
  feed = streamFeed(api.store);
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
  await drain();
}, 120_000);
afterAll(async () => {
  feed?.close();
  await api?.close();
});

describe("a verification moves the figures above its community", () => {
  it("before any work, the county and its streets show nothing", async () => {
    const s = await ok(stats(county, countyStaff));
    expect(s).toMatchObject({ unitId: county, kind: "county", name: "凤县", activities: 0, personTimes: 0, hours: 0 });
    expect((await ok(rankings(county, countyStaff, "community"))).items).toEqual([]);
  });

  it("a 90-minute verification in a community shows in its street's and county's figures, not the other street's", async () => {
    await verified(a, 90);
    await drain();
    for (const [id, as] of [
      [county, countyStaff],
      [street, streetStaff],
    ] as const) {
      const s = await ok(stats(id, as));
      expect(s).toMatchObject({ activities: 1, personTimes: 1, residentsServed: 1, distinctResidents: 1, hours: 1.5 });
      expect(s.detail.wishes).toMatchObject({ submitted: 1, approved: 1, claimed: 1, closed: 1 });
      expect(s.detail).toMatchObject({ minutes: 90, averageRating: 5, ratings: 1 });
      expect(s.detail.months).toEqual([{ month, submitted: 1, closed: 1, personTimes: 1, minutes: 90 }]);
    }
    expect(await ok(stats(otherStreet, otherStreetStaff))).toMatchObject({ activities: 0, personTimes: 0, hours: 0 });
    // The year and the quarter count the month's work; distinct residents too.
    expect(await ok(stats(county, countyStaff, month.slice(0, 4)))).toMatchObject({ activities: 1, hours: 1.5, distinctResidents: 1 });
    expect(await ok(stats(county, countyStaff, quarterOf(month)))).toMatchObject({ personTimes: 1, distinctResidents: 1 });
  });

  it("a stream record handed over twice counts once", async () => {
    const before = await ok(stats(county, countyStaff));
    expect((await handle(lastBatch)).batchItemFailures).toEqual([]);
    expect(await ok(stats(county, countyStaff))).toEqual(before);
    expect((await ok(rankings(county, countyStaff, "community"))).items).toHaveLength(1);
  });

  it("communities, branches and members are ranked by hours across the county", async () => {
    const b = await communityUnder(otherStreet, otherStreetStaff, "凤州社区");
    await verified(b, 30);
    await verified(a, 60, a.members[1]);
    await drain();
    const byCommunity = await ok(rankings(county, countyStaff, "community"));
    expect(byCommunity.items.map((i: any) => [i.rank, i.name, i.hours, i.personTimes, i.activities])).toEqual([
      [1, "双石铺社区", 2.5, 2, 2],
      [2, "凤州社区", 0.5, 1, 1],
    ]);
    const byMember = await ok(rankings(county, countyStaff, "member"));
    expect(byMember.items.map((i: any) => [i.rank, i.name, i.communityName, i.minutes])).toEqual([
      [1, "张伟", "双石铺社区", 90],
      [2, "李娜", "双石铺社区", 60],
      [3, "张伟", "凤州社区", 30],
    ]);
    const byBranch = await ok(rankings(street, streetStaff, "branch"));
    expect(byBranch.items.map((i: any) => [i.rank, i.name, i.communityName, i.minutes])).toEqual([[1, "第一党支部", "双石铺社区", 150]]);
    // The street sees its own community only; the year ranks the month's work.
    expect((await ok(rankings(street, streetStaff, "community"))).items.map((i: any) => i.name)).toEqual(["双石铺社区"]);
    expect((await ok(rankings(county, countyStaff, "community", month.slice(0, 4)))).items).toHaveLength(2);
    expect(await ok(stats(county, countyStaff))).toMatchObject({ activities: 3, personTimes: 3, hours: 3 });
    const limited = await ok(api.call("GET", `/api/units/${county}/rankings?period=${month}&by=member&limit=1`, { as: countyStaff }));
    expect(limited.items.map((i: any) => i.minutes)).toEqual([90]);
  });

  it("the best are found when most of them sit in one of the standings' four index partitions", async () => {
    // Four communities whose standings share an index partition, one in another: the ranking reads
    // part of each partition first, and must read on where the best crowd together.
    const idIn = (partition: number, n: number) => {
      for (let i = 0; ; i++) if (shardOf(`crowd-${n}-${i}`, standingShards) === partition) return `crowd-${n}-${i}`;
    };
    const crowded = shardOf("crowd", standingShards);
    const elsewhere = (crowded + 1) % standingShards;
    const town = await unit(countyStaff, { kind: "street", name: "红花铺镇", parentId: county });
    const given: [string, string, number][] = [
      ["一村", idIn(crowded, 1), 150],
      ["二村", idIn(crowded, 2), 120],
      ["三村", idIn(crowded, 3), 100],
      ["四村", idIn(crowded, 4), 80],
      ["五村", idIn(elsewhere, 5), 60],
    ];
    for (const [name, id, minutes] of given) await verified(await communityUnder(town, countyStaff, name, id), minutes);
    await drain();
    const top = (limit: number) =>
      ok(api.call("GET", `/api/units/${town}/rankings?period=${month}&by=community&limit=${limit}`, { as: countyStaff }));
    expect((await top(4)).items.map((i: any) => [i.rank, i.name, i.minutes])).toEqual([
      [1, "一村", 150],
      [2, "二村", 120],
      [3, "三村", 100],
      [4, "四村", 80],
    ]);
    expect((await top(20)).items.map((i: any) => i.minutes)).toEqual([150, 120, 100, 80, 60]);
    expect((await top(2)).items.map((i: any) => i.name)).toEqual(["一村", "二村"]);
  });

  it("a community unit answers with its own figures", async () => {
    expect(await ok(stats(a.id, a.staff))).toMatchObject({ unitId: a.id, kind: "community", activities: 2, hours: 2.5 });
  });
});

describe("refusals", () => {
  it("only staff of the unit or above read its figures", async () => {
    const before = await snapshot(api.store, [`RS#${county}#0`]);
    expectProblem(await stats(county, outsider), 403, "rollups.forbidden");
    expectProblem(await stats(county, streetStaff), 403, "rollups.forbidden");
    expectProblem(await stats(street, otherStreetStaff), 403, "rollups.forbidden");
    expectProblem(await stats(street, a.staff), 403, "rollups.forbidden");
    expectProblem(await rankings(county, a.members[0], "community"), 403, "rollups.forbidden");
    expectProblem(await rankings(street, otherStreetStaff, "member"), 403, "rollups.forbidden");
    expect(await snapshot(api.store, [`RS#${county}#0`])).toBe(before);
  });

  it("without a token: 401", async () => {
    expectProblem(await api.call("GET", `/api/units/${county}/stats?period=${month}`), 401, "auth.unauthenticated");
    expectProblem(await api.call("GET", `/api/units/${county}/rankings?period=${month}`), 401, "auth.unauthenticated");
  });

  it("bad periods, kinds and limits are named; unknown units are 404", async () => {
    for (const bad of ["2026-13", "26-11", "2026-Q5", "last-month"]) {
      const res = await stats(county, countyStaff, bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain("period");
    }
    const all = await rankings(county, countyStaff, "community", "all");
    expect([all.status, JSON.stringify(all.body).includes("period")]).toEqual([400, true]);
    const by = await rankings(county, countyStaff, "street");
    expect([by.status, JSON.stringify(by.body).includes("by")]).toEqual([400, true]);
    const limit = await api.call("GET", `/api/units/${county}/rankings?period=${month}&limit=500`, { as: countyStaff });
    expect([limit.status, JSON.stringify(limit.body).includes("limit")]).toEqual([400, true]);
    expectProblem(await stats("no-such-unit", countyStaff), 404, "unit.not_found");
    expectProblem(await stats(grid, countyStaff), 422, "unit.wrong_kind");
    expectProblem(await rankings(a.id, countyStaff, "member"), 422, "unit.wrong_kind");
  });
});
