/**
 * Check-in and check-out as a volunteer's phone meets them: the 300 m fence measured on the
 * great circle, the accuracy of the fix, the window's rules (no late arrival, no early
 * departure), and the resident's handshake code with its limited tries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Claims from "../../functions/core/claims.js";
import { distanceMeters } from "../../functions/core/geo.js";
import { community, snapshot, somewhere, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { actor, claimedBy, destination, expectProblem, ok } from "./helpers.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 6, residents: 1 });
});
afterAll(() => api.close());

const place = { lat: somewhere.lat, lng: somewhere.lng };
const at = (bearing: number, meters: number, accuracy = 20) => ({ ...destination(place, bearing, meters), accuracy });

describe("the fence", () => {
  it("measures on the great circle: one degree of latitude is 111.2 km, one of longitude at 33° N only 93.3 km", () => {
    expect(distanceMeters({ lat: 33, lng: 107 }, { lat: 34, lng: 107 })).toBeCloseTo(111_195, -1);
    expect(distanceMeters({ lat: 33, lng: 107 }, { lat: 33, lng: 108 })).toBeCloseTo(93_254, -1);
    expect(distanceMeters(place, destination(place, 45, 299))).toBeCloseTo(299, 6);
  });

  it.each([
    ["north", 0],
    ["east", 90],
    ["south-west", 225],
  ])("accepts a check-in 299 m %s of the wish and refuses one 301 m away, saying how far and the rule", async (_, bearing) => {
    const [near, far] = c.members;
    const id = await claimedBy(api, c, [near, far]);
    const before = await snapshot(api.store, [`W#${id}`]);
    const refused = await api.call("POST", `/api/wishes/${id}/check-in`, { as: far, body: at(bearing, 301) });
    const problem = expectProblem(refused, 409, "checkin.too_far");
    expect(problem).toMatchObject({ distanceMeters: 301, radiusMeters: 300 });
    expect(problem.detail).toMatch(/301 m.*300 m/);
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);

    const accepted = await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: near, body: at(bearing, 299) }));
    expect(accepted.status).toBe("in_progress");
    const claim = accepted.claims.find((cl: any) => cl.memberId === near.id);
    expect(claim.checkIn).toMatchObject({ distanceMeters: 299, accuracy: 20 });
  });

  it("fences check-out the same way", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    const refused = await api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: at(180, 301) });
    expect(expectProblem(refused, 409, "checkout.too_far")).toMatchObject({ distanceMeters: 301, radiusMeters: 300 });
    const out = await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: at(180, 299) }));
    expect(out.claims[0].checkOut).toMatchObject({ distanceMeters: 299 });
  });

  it("refuses a fix less accurate than the radius, and takes one exactly as accurate", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    const vague = await api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: { ...somewhere, accuracy: 301 } });
    expect(expectProblem(vague, 409, "checkin.inaccurate")).toMatchObject({ accuracyMeters: 301, radiusMeters: 300 });
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: { ...somewhere, accuracy: 300 } }));
  });

  it("follows the community's radius, and a wish with no location has no fence", async () => {
    const bigger = await community(api.store, { members: 2, residents: 1 });
    await ok(api.call("POST", `/api/communities/${bigger.id}/settings`, { as: bigger.staff, body: { fenceRadiusMeters: 500 } }));
    const [m, n] = bigger.members;
    const id = await claimedBy(api, bigger, [m, n]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: at(0, 499) }));
    expect((await api.call("POST", `/api/wishes/${id}/check-in`, { as: n, body: at(0, 501) })).body).toMatchObject({
      code: "checkin.too_far",
      radiusMeters: 500,
    });

    const nowhere = await claimedBy(api, c, [c.members[1]], { location: undefined });
    await ok(api.call("POST", `/api/wishes/${nowhere}/check-in`, { as: c.members[1], body: at(0, 50_000, 2000) }));
  });

  it.each([
    ["a latitude out of range", { ...somewhere, lat: 91 }, "lat"],
    ["a longitude out of range", { ...somewhere, lng: -181 }, "lng"],
    ["no position", { accuracy: 10 }, "lat"],
    ["no accuracy", { lat: somewhere.lat, lng: somewhere.lng }, "accuracy"],
    ["an accuracy of 0", { ...somewhere, accuracy: 0 }, "accuracy"],
    ["a negative accuracy", { ...somewhere, accuracy: -5 }, "accuracy"],
    ["an absurd accuracy", { ...somewhere, accuracy: 1e9 }, "accuracy"],
    ["a position as text", { ...somewhere, lat: "33.06" }, "lat"],
  ])("refuses %s with a 422 naming the field, writing nothing", async (_, body, field) => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    const before = await snapshot(api.store, [`W#${id}`]);
    const res = await api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body });
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveProperty(field);
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);
  });

  it("refuses a second check-in and a check-out before check-in", async () => {
    const [m, n] = c.members;
    const id = await claimedBy(api, c, [m, n]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    expectProblem(await api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }), 409, "claim.checked_in");
    expectProblem(await api.call("POST", `/api/wishes/${id}/check-out`, { as: n, body: somewhere }), 409, "claim.not_checked_in");
  });
});

describe("the window's rules", () => {
  const hour = 3_600_000;
  const minute = 60_000;

  it("refuses a check-in long before the window and a check-out long before its end, through the API", async () => {
    const [m] = c.members;
    const from = new Date(Date.now() + 3 * hour).toISOString();
    const to = new Date(Date.now() + 5 * hour).toISOString();
    const id = await claimedBy(api, c, [m], { window: { from, to } });
    const early = expectProblem(await api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }), 409, "checkin.too_early");
    expect(early).toMatchObject({ windowFrom: from, earliestAt: new Date(Date.parse(from) - hour).toISOString(), earlyMinutes: 60 });
  });

  it("takes a check-in up to 30 minutes after the start, not a second later; a check-out from 30 minutes before the end", async () => {
    const [a, b, d] = c.members;
    const from = Date.now() + 3 * hour;
    const to = from + 2 * hour;
    const id = await claimedBy(api, c, [a, b, d], { window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
    const [A, B, D] = [await actor(api, a), await actor(api, b), await actor(api, d)];

    await expect(Claims.checkIn(api.store, A, id, somewhere, new Date(from + 30 * minute + 1000))).rejects.toMatchObject({
      code: "checkin.too_late",
      details: { latestAt: new Date(from + 30 * minute).toISOString(), graceMinutes: 30 },
    });
    await expect(Claims.checkIn(api.store, B, id, somewhere, new Date(from - 60 * minute - 1000))).rejects.toMatchObject({
      code: "checkin.too_early",
    });
    await Claims.checkIn(api.store, A, id, somewhere, new Date(from + 30 * minute));
    await Claims.checkIn(api.store, B, id, somewhere, new Date(from - 60 * minute));
    await Claims.checkIn(api.store, D, id, somewhere, new Date(from));

    await expect(Claims.checkOut(api.store, A, id, somewhere, new Date(to - 30 * minute - 1000))).rejects.toMatchObject({
      code: "checkout.too_early",
      details: { earliestAt: new Date(to - 30 * minute).toISOString(), graceMinutes: 30 },
    });
    await Claims.checkOut(api.store, A, id, somewhere, new Date(to - 30 * minute));
    await Claims.checkOut(api.store, B, id, somewhere, new Date(to + 2 * hour));

    const wish = await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
    const byMember = Object.fromEntries(wish.claims.map((cl: any) => [cl.memberId, cl]));
    expect(byMember[a.id].checkIn.at).toBe(new Date(from + 30 * minute).toISOString());
    expect(byMember[a.id].checkOut.at).toBe(new Date(to - 30 * minute).toISOString());
    expect(byMember[d.id].checkOut).toBeUndefined();
  });

  it("follows the community's graces", async () => {
    const lenient = await community(api.store, { members: 1, residents: 1 });
    await ok(
      api.call("POST", `/api/communities/${lenient.id}/settings`, {
        as: lenient.staff,
        body: { checkInGraceMinutes: 90, checkOutGraceMinutes: 0 },
      }),
    );
    const [m] = lenient.members;
    const from = Date.now() + hour;
    const to = from + hour;
    const id = await claimedBy(api, lenient, [m], { window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } });
    const M = await actor(api, m);
    await Claims.checkIn(api.store, M, id, somewhere, new Date(from + 89 * minute));
    await expect(Claims.checkOut(api.store, M, id, somewhere, new Date(to - 1000))).rejects.toMatchObject({ code: "checkout.too_early" });
    await Claims.checkOut(api.store, M, id, somewhere, new Date(to));
  });

  it("refuses settings out of range, and lets only staff change them", async () => {
    for (const body of [
      { fenceRadiusMeters: 0 },
      { checkInGraceMinutes: -1 },
      { rankingWeights: { hours: -3 } },
      { fenceRadiusMeters: "300" },
    ]) {
      const res = await api.call("POST", `/api/communities/${c.id}/settings`, { as: c.staff, body });
      expect(res.status).toBe(422);
    }
    expectProblem(
      await api.call("POST", `/api/communities/${c.id}/settings`, { as: c.members[0], body: { fenceRadiusMeters: 5000 } }),
      403,
      "community.forbidden",
    );
    const settings = await ok(api.call("GET", `/api/communities/${c.id}/settings`));
    expect(settings).toMatchObject({ fenceRadiusMeters: 300, checkInGraceMinutes: 30, checkOutGraceMinutes: 30, checkInEarlyMinutes: 60 });
  });
});

describe("the handshake code", () => {
  it("signs the check-out when right; the volunteer never sees it", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    expect(await ok(api.call("GET", `/api/wishes/${id}`, { as: m }))).not.toHaveProperty("handshakeCode");
    const code = (await ok(api.call("GET", `/api/wishes/${id}`, { as: c.residents[0] }))).handshakeCode;
    const out = await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: { ...somewhere, code } }));
    expect(out.claims[0].checkOut.signedByResident).toBe(true);
  });

  it("counts wrong codes: five tries, then it locks even for the right code; check-out without it stays open, unsigned", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    const code = (await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }))).handshakeCode as string;
    const wrong = String((Number(code) + 1) % 10_000).padStart(4, "0");
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      left.push(
        expectProblem(
          await api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: { ...somewhere, code: wrong } }),
          409,
          "handshake.wrong_code",
        ).triesLeft,
      );
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const locked = expectProblem(
      await api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: { ...somewhere, code } }),
      429,
      "handshake.locked",
    );
    expect(locked.detail).toMatch(/without it/);
    const out = await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: somewhere }));
    expect(out.claims[0].checkOut.signedByResident).toBe(false);
    expect(out.claims[0].codeTries).toBe(5);
  });

  it("never counts more than five wrong tries, however many arrive at once", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    const code = (await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }))).handshakeCode as string;
    const wrong = String((Number(code) + 5000) % 10_000).padStart(4, "0");
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: { ...somewhere, code: wrong } })),
    );
    const codes = answers.map((a) => a.body.code).sort();
    expect(codes.filter((x) => x === "handshake.wrong_code")).toHaveLength(5);
    expect(codes.filter((x) => x === "handshake.locked")).toHaveLength(7);
    const wish = await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
    expect(wish.claims[0].codeTries).toBe(5);
    expect(wish.claims[0].checkOut).toBeUndefined();
  });

  it("refuses a code that is not four digits with a 422, costing no try", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    const res = await api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: { ...somewhere, code: "12a4" } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveProperty("code");
    const wish = await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
    expect(wish.claims[0].codeTries).toBeUndefined();
  });
});
