/**
 * Grids through HTTP: a wish posted inside a grid's area carries its `gridId`, one outside every
 * grid carries none and goes to the community's staff alone. The grid's leader hears of a wish in
 * the grid first, in the app and by SMS (the table's stream handed to the real handler, texts in
 * the dev outbox), and may dispatch members to it and to no wish outside the grid.
 * Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../functions/core/identity.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { community, newPhone, newWish, secret, snapshot, startApi, type Api, type Person } from "../helpers/api.js";
import { expectProblem, ok } from "../hours/helpers.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let c: Awaited<ReturnType<typeof community>>;
let leader: Person;
let gridId: string;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;

/** A block of the community, about a kilometre across. */
const block = [
  { lat: 33.06, lng: 107.02 },
  { lat: 33.06, lng: 107.03 },
  { lat: 33.07, lng: 107.03 },
  { lat: 33.07, lng: 107.02 },
];
const insideBlock = { lat: 33.0676, lng: 107.0238 };
const outsideBlock = { lat: 33.09, lng: 107.05 };

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 2 });
  const grid = await ok(
    api.call("POST", "/api/units", { as: c.staff, body: { kind: "grid", name: "幸福里一网格", parentId: c.id, area: block } }),
  );
  gridId = grid.id;
  const phone = newPhone();
  const appointed = await ok(
    api.call("POST", `/api/units/${gridId}/staff`, { as: c.staff, body: { phone, name: "红色管家", leader: true } }),
  );
  leader = { id: appointed.id, name: "红色管家", phone, token: await issueToken(secret, appointed.id) };
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), siteUrl: () => "https://mw.example.cn" });
  feed = streamFeed(api.store);
  await feed.next();
}, 60_000);

afterAll(async () => {
  feed?.close();
  await api?.close();
});

/** Hands what the table wrote since last time to the stream handler, as Lambda would. */
async function settle() {
  expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
}

const post = (location: { lat: number; lng: number }, title: string) =>
  ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { location, title }) }));
const approve = (id: string) =>
  ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 2, estimatedMinutes: 30 } }));
const inbox = async (who: Person) =>
  (await ok(api.call("GET", "/api/notifications", { as: who }))).items as { kind: string; wishId?: string; text: string }[];

describe("a wish finds its grid", () => {
  let inGrid: string;
  let outOfGrid: string;

  it("a wish posted inside the grid's area carries its gridId; one outside carries none", async () => {
    const a = await post(insideBlock, "帮忙换灯泡");
    const b = await post(outsideBlock, "陪老人去医院");
    inGrid = a.id;
    outOfGrid = b.id;
    expect(a.gridId).toBe(gridId);
    expect(b.gridId).toBeUndefined();
    expect((await ok(api.call("GET", `/api/wishes/${inGrid}`, { as: c.staff }))).gridId).toBe(gridId);
    expect((await ok(api.call("GET", `/api/wishes/${outOfGrid}`, { as: c.staff }))).gridId).toBeUndefined();
  });

  it("a wish with no place carries no grid", async () => {
    const { location: _, ...body } = newWish(c.id, { title: "线上咨询" });
    expect((await ok(api.call("POST", "/api/wishes", { as: c.residents[1], body }))).gridId).toBeUndefined();
  });

  it("the grid's leader hears of the wish in the grid, in the app and by SMS; staff hear of both; the leader of nothing else", async () => {
    await settle();
    const heard = await inbox(leader);
    expect(heard.map((n) => [n.kind, n.wishId])).toEqual([["grid-wish-posted", inGrid]]);
    expect(heard[0].text).toContain("帮忙换灯泡");
    const texts = (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(leader.phone)}`))) as { kind: string; text: string }[];
    expect(texts.map((t) => t.kind)).toEqual(["grid-wish-posted"]);
    expect(texts[0].text).toContain(`/wishes/${inGrid}`);
    const staffHeard = (await inbox(c.staff)).filter((n) => n.kind === "review-needed").map((n) => n.wishId);
    expect(staffHeard).toEqual(expect.arrayContaining([inGrid, outOfGrid]));
  });

  it("the leader opens the wish of the grid while it waits for review, and not one outside it", async () => {
    expect((await ok(api.call("GET", `/api/wishes/${inGrid}`, { as: leader }))).status).toBe("submitted");
    expect((await api.call("GET", `/api/wishes/${outOfGrid}`, { as: leader })).status).toBe(404);
  });

  it("the leader dispatches a member to the wish of the grid", async () => {
    await approve(inGrid);
    const done = await ok(api.call("POST", `/api/wishes/${inGrid}/dispatch`, { as: leader, body: { memberIds: [c.members[0].id] } }));
    expect(done.claims.map((x: { memberId: string }) => x.memberId)).toEqual([c.members[0].id]);
    await settle();
    expect((await inbox(c.members[0])).map((n) => [n.kind, n.wishId])).toContainEqual(["task-dispatched", inGrid]);
  });

  it("the leader sees whom to dispatch for the grid's wish", async () => {
    const found = await ok(api.call("GET", `/api/wishes/${inGrid}/candidates`, { as: leader }));
    expect(found.items.map((m: { id: string }) => m.id)).toContain(c.members[1].id);
  });

  it("the leader dispatching to a wish outside the grid is refused, naming who may, and nothing is written", async () => {
    await approve(outOfGrid);
    const before = await snapshot(api.store, [`W#${outOfGrid}`, `U#${c.members[1].id}`]);
    const res = await api.call("POST", `/api/wishes/${outOfGrid}/dispatch`, { as: leader, body: { memberIds: [c.members[1].id] } });
    expect(expectProblem(res, 403, "wish.forbidden").detail).toMatch(/staff or the leader of its grid/);
    expect(await snapshot(api.store, [`W#${outOfGrid}`, `U#${c.members[1].id}`])).toBe(before);
    expectProblem(await api.call("GET", `/api/wishes/${outOfGrid}/candidates`, { as: leader }), 403, "wish.forbidden");
  });

  it("a member who leads no grid may not dispatch, even in the grid", async () => {
    const before = await snapshot(api.store, [`W#${inGrid}`]);
    const res = await api.call("POST", `/api/wishes/${inGrid}/dispatch`, { as: c.members[1], body: { memberIds: [c.members[1].id] } });
    expectProblem(res, 403, "wish.forbidden");
    expect(await snapshot(api.store, [`W#${inGrid}`])).toBe(before);
  });
});
