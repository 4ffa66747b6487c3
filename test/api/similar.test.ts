/**
 * Duplicate hints through real HTTP: before posting, a resident asks for open wishes of the same
 * category within 50 m posted in the last 7 days. Nearer than 50 m is shown, farther is not; so are
 * not a week-old one, another category, one already done, one still awaiting review or another
 * community's. The answer names no phone and no person; a question without a position is refused.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { earthRadiusMeters } from "../../functions/core/geo.js";
import { issueToken } from "../../functions/core/identity.js";
import { community, newWish, secret, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 3 });
  other = await community(api.store, { members: 0, residents: 1, name: "隔壁社区" });
}, 60_000);
afterAll(() => api.close());

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** Where newWish puts a wish (幸福里3号楼), and a point `meters` due north of it. */
const here = newWish("").location;
const north = (meters: number) => ({ lat: here.lat + (meters / earthRadiusMeters) * (180 / Math.PI), lng: here.lng });

/** A wish posted by `owner` at `location` and approved (open), through the API. */
async function openWish(in_: TestCommunity, owner: Person, title: string, extra: Record<string, unknown> = {}) {
  const wish = await ok(api.call("POST", "/api/wishes", { as: owner, body: newWish(in_.id, { title, ...extra }) }), 201);
  await ok(api.call("POST", `/api/wishes/${wish.id}/approve`, { as: in_.staff, body: { slots: 1, estimatedMinutes: 30 } }));
  return wish.id as string;
}

const ask = (as: Person | undefined, q: Record<string, string | number>) =>
  api.call("GET", `/api/wishes/similar?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`, { as });
const around = (at: { lat: number; lng: number }, category = "repair") => ({ communityId: c.id, category, ...at });

describe("wishes like the one about to be posted", () => {
  it("shows open ones of the category within 50 m from the last 7 days, nearest first, without phones or names", async () => {
    const [r0, r1, r2] = c.residents;
    // A week and a day ago, through the API as it was then.
    const eightDaysAgo = Date.now() - 8 * 24 * 3600_000;
    vi.useFakeTimers({ now: eightDaysAgo, toFake: ["Date"], shouldAdvanceTime: true });
    let old: string;
    try {
      const then = async (p: Person) => ({ ...p, token: await issueToken(secret, p.id, eightDaysAgo) });
      const staffThen = { ...c, staff: await then(c.staff) };
      old = await openWish(staffThen, await then(r0), "上周的水龙头");
    } finally {
      vi.useRealTimers();
    }
    const at49 = await openWish(c, r0, "49米外的水管", { location: north(49) });
    const at51 = await openWish(c, r1, "51米外的水管", { location: north(51) });
    const otherCategory = await openWish(c, r1, "搬个柜子", { category: "carry" });
    const working = await wishIn(api, c, "in_progress", { owner: r2 });
    const closed = await wishIn(api, c, "closed", { owner: r2 });
    const awaitingReview = await wishIn(api, c, "submitted", { owner: r2 });
    const elsewhere = await openWish(other, other.residents[0], "隔壁社区的水龙头");

    // A resident with no role in the community asks, standing where newWish puts its wishes.
    const asker = await ok(ask(r1, around(here)));
    const ids = asker.items.map((w: any) => w.id);
    expect(ids).toEqual([working, at49]);
    for (const gone of [old!, at51, otherCategory, closed, awaitingReview, elsewhere]) expect(ids).not.toContain(gone);
    expect(asker.items[0]).toMatchObject({ title: "厨房水龙头漏水", category: "repair", status: "in_progress", distanceMeters: 0 });
    expect(asker.items[1]).toMatchObject({ title: "49米外的水管", status: "open", distanceMeters: 49 });

    const raw = JSON.stringify(asker);
    for (const p of [r0, r1, r2, c.staff, c.members[0]]) {
      expect(raw).not.toContain(p.phone.slice(-8));
      expect(raw).not.toContain(p.id);
      expect(raw).not.toContain(p.name);
    }
    for (const field of ["contactPhone", "handshakeCode", "address", "location", "ownerName"]) expect(raw).not.toContain(field);

    // Standing 2 m further north, the one 51 m away comes within 50 m; another category finds its own.
    expect((await ok(ask(r1, around(north(2))))).items.map((w: any) => w.id)).toContain(at51);
    expect((await ok(ask(r1, around(here, "carry")))).items.map((w: any) => w.id)).toEqual([otherCategory]);
  });

  it.each([
    ["no position at all", { communityId: "x", category: "repair" }, ["lat", "lng"]],
    ["no longitude", { communityId: "x", category: "repair", lat: 33.0676 }, ["lng"]],
    ["a latitude that is not a number", { communityId: "x", category: "repair", lat: "north", lng: 107 }, ["lat"]],
    ["an empty latitude", { communityId: "x", category: "repair", lat: "", lng: 107 }, ["lat"]],
    ["a latitude off the globe", { communityId: "x", category: "repair", lat: 91, lng: 107 }, ["lat"]],
    ["no category", { communityId: "x", lat: 33, lng: 107 }, ["category"]],
  ])("%s: 400 naming the field", async (_what, q, fields) => {
    const res = await ask(c.residents[0], { ...q, communityId: c.id });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {}).sort()).toEqual(fields);
  });

  it("refuses those not signed in, and a community that does not exist", async () => {
    expect((await ask(undefined, around(here))).status).toBe(401);
    const none = await ask(c.residents[0], { ...around(here), communityId: "no-such-community" });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("community.not_found");
  });
});
