/**
 * Nobody certifies their own hours: the person who posted a wish may not claim it, be dispatched
 * to it, check in to it, check out of it with its handshake code or mark it done, and nobody
 * holding a claim on a wish may confirm it. Each refusal is a 409 `wish.own_wish` that writes
 * nothing. Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Community from "../../functions/core/community.js";
import { transact } from "../../functions/store/client.js";
import * as claims from "../../functions/store/entities/claim.js";
import {
  community,
  newWish,
  person,
  snapshot,
  somewhere,
  startApi,
  wishIn,
  type Api,
  type Person,
  type Response,
  type TestCommunity,
} from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
/** A volunteer who also posts wishes of their own. */
let poster: Person & { branchId: string };

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 3, residents: 1 });
  poster = c.members[0];
}, 60_000);
afterAll(() => api?.close());

function expectOwnWish(res: Response) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe("wish.own_wish");
}

/** The wish and what hangs off its partition and the poster's: all a refused step might have touched. */
const state = (id: string) => snapshot(api.store, [`W#${id}`, `U#${poster.id}`]);

/** A wish the volunteer posted, approved and open. */
async function ownOpenWish(slots = 2) {
  const created = await api.call("POST", "/api/wishes", { as: poster, body: newWish(c.id) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots, estimatedMinutes: 60 } })).status).toBe(200);
  return id;
}

/**
 * A claim of the poster's on their own wish, as one taken before this rule existed would be:
 * written straight to the table, since the API no longer makes one.
 */
async function earlierOwnClaim(id: string, steps: { checkedIn?: boolean; checkedOut?: boolean } = {}) {
  const at = new Date().toISOString();
  const arrival = { at, ...somewhere, distanceMeters: 0 };
  const outcome = await transact(api.store, [
    claims.create({
      wishId: id,
      communityId: c.id,
      memberId: poster.id,
      memberName: poster.name,
      branchId: poster.branchId,
      claimedAt: at,
      checkIn: steps.checkedIn ? arrival : undefined,
      checkOut: steps.checkedOut ? { ...arrival, signedByResident: false } : undefined,
    }),
  ]);
  expect(outcome.ok).toBe(true);
}

describe("a wish's poster never does or signs for its work", () => {
  it("claiming one's own wish is refused, and nothing is written", async () => {
    const id = await ownOpenWish();
    const before = await state(id);
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/claim`, { as: poster }));
    expect(await state(id)).toBe(before);
    const wish = await api.call("GET", `/api/wishes/${id}`, { as: poster });
    expect(wish.body).toMatchObject({ status: "open", claimed: 0, claims: [] });
    // Anyone else claims it as before.
    expect((await api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[1] })).status).toBe(200);
  });

  it("a dispatch naming the poster among others is refused whole, names the poster, and writes nothing", async () => {
    const id = await ownOpenWish(3);
    const before = await state(id);
    const res = await api.call("POST", `/api/wishes/${id}/dispatch`, {
      as: c.staff,
      body: { memberIds: [c.members[1].id, poster.id, c.members[2].id] },
    });
    expectOwnWish(res);
    expect(res.body.detail).toContain(poster.name);
    expect(res.body.memberIds).toEqual([poster.id]);
    expect(await state(id)).toBe(before);
    expect((await api.call("GET", `/api/wishes/${id}`, { as: c.staff })).body).toMatchObject({ claimed: 0, claims: [] });
    // Without the poster the same dispatch goes through.
    const ok = await api.call("POST", `/api/wishes/${id}/dispatch`, {
      as: c.staff,
      body: { memberIds: [c.members[1].id, c.members[2].id] },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("a poster holding an earlier claim on their own wish may not check in to it", async () => {
    const id = await ownOpenWish();
    await earlierOwnClaim(id);
    const before = await state(id);
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/check-in`, { as: poster, body: somewhere }));
    expect(await state(id)).toBe(before);
  });

  it("nor check out of it with its handshake code, nor mark it done", async () => {
    const id = await wishIn(api, c, "in_progress", { owner: poster, members: [c.members[1]], slots: 2 });
    await earlierOwnClaim(id, { checkedIn: true });
    const code = (await api.call("GET", `/api/wishes/${id}`, { as: poster })).body.handshakeCode as string;
    expect(code).toMatch(/^\d{4}$/);
    const before = await state(id);
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/check-out`, { as: poster, body: { ...somewhere, code } }));
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/complete`, { as: poster, body: { note: "自己做完了" } }));
    expect(await state(id)).toBe(before);
    const mine = (await api.call("GET", `/api/wishes/${id}`, { as: poster })).body.claims.find(
      (k: { memberId: string }) => k.memberId === poster.id,
    );
    expect(mine.checkOut).toBeUndefined();
  });

  it("nor confirm it with five stars once it is done", async () => {
    const id = await wishIn(api, c, "completed", { owner: poster, members: [c.members[1]], slots: 2 });
    await earlierOwnClaim(id, { checkedIn: true, checkedOut: true });
    const before = await state(id);
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/confirm`, { as: poster, body: { rating: 5, comment: "很好" } }));
    expect(await state(id)).toBe(before);
    expect((await api.call("GET", `/api/wishes/${id}`, { as: poster })).body.status).toBe("completed");
    // Staff, who took no part, confirm on the resident's behalf as before.
    const staff = await api.call("POST", `/api/wishes/${id}/confirm`, { as: c.staff, body: { rating: 4, comment: "电话确认已完成" } });
    expect(staff.status, JSON.stringify(staff.body)).toBe(200);
  });

  it("staff who did the work may not confirm it on the resident's behalf", async () => {
    const both = await person(api.store, "社区干部兼志愿者");
    await Community.appoint(api.store, {
      communityId: c.id,
      userId: both.id,
      name: both.name,
      roles: ["staff", "member"],
      branchId: c.branches[0].id,
    });
    const id = await wishIn(api, c, "completed", { owner: c.residents[0], members: [both] });
    const before = snapshot(api.store, [`W#${id}`]);
    expectOwnWish(await api.call("POST", `/api/wishes/${id}/confirm`, { as: both, body: { rating: 5, comment: "居民电话确认" } }));
    expect(await snapshot(api.store, [`W#${id}`])).toBe(await before);
    // Other staff, who took no part, may.
    const res = await api.call("POST", `/api/wishes/${id}/confirm`, { as: c.staff, body: { rating: 5, comment: "居民电话确认" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("a resident confirms work others did, as before", async () => {
    const id = await wishIn(api, c, "completed", { owner: c.residents[0], members: [c.members[1]] });
    const res = await api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
