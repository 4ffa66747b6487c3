/**
 * Contention through real HTTP: many volunteers pressing "claim" at the same moment, one
 * volunteer pressing it many times, staff dispatching while volunteers claim, a release
 * racing the last place. Whatever the order, a wish is never over-claimed, its counter
 * equals its claim items, its status follows the counter, and every refusal is a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Community from "../../functions/core/community.js";
import { community, person, startApi, wishIn, type Api, type Person, type Response, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
/** a hundred volunteers besides the community's own three */
let crowd: Person[];

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 3, residents: 1 });
  crowd = [];
  // In batches: a hundred people one by one would take most of the file's time.
  for (let batch = 0; batch < 10; batch++) {
    crowd.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const m = await person(api.store, `群众志愿者${batch * 10 + i + 1}`);
          await Community.appoint(api.store, {
            communityId: c.id,
            userId: m.id,
            name: m.name,
            roles: ["member"],
            branchId: c.branches[i % 2].id,
          });
          return m;
        }),
      )),
    );
  }
}, 120_000);
afterAll(() => api.close());

async function wishState(id: string) {
  const res = await api.call("GET", `/api/wishes/${id}`, { as: c.staff });
  expect(res.status).toBe(200);
  return res.body as {
    status: string;
    slots: number;
    claimed: number;
    claims: { memberId: string }[];
    timeline: { kind: string; data?: any }[];
  };
}

/** The invariants that must hold whatever order the requests landed in. */
function expectConsistent(w: Awaited<ReturnType<typeof wishState>>) {
  expect(w.claimed).toBe(w.claims.length);
  expect(w.claimed).toBeLessThanOrEqual(w.slots);
  expect(new Set(w.claims.map((cl) => cl.memberId)).size).toBe(w.claims.length);
  expect(w.status).toBe(w.claimed < w.slots ? "open" : "claimed");
}

/** Every answer under contention is a success or a 409 with a code a client can act on. */
function tally(responses: Response[], refusalCodes: string[]) {
  const unexpected = responses.filter((r) => r.status !== 200 && !(r.status === 409 && refusalCodes.includes(r.body?.code)));
  expect(unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
  const codes: Record<string, number> = {};
  for (const r of responses.filter((r) => r.status === 409)) codes[r.body.code] = (codes[r.body.code] ?? 0) + 1;
  return { ok: responses.filter((r) => r.status === 200), refused: responses.filter((r) => r.status === 409), codes };
}

describe("a hundred volunteers claim a 3-place wish at the same moment", () => {
  it.each([1, 2, 3])(
    "round %i: exactly three get it, ninety-seven are told it is full",
    async () => {
      const id = await wishIn(api, c, "open", { slots: 3, members: [] });
      const responses = await Promise.all(crowd.map((m) => api.call("POST", `/api/wishes/${id}/claim`, { as: m })));
      const { ok, refused, codes } = tally(responses, ["wish.full", "wish.busy"]);
      expect(ok).toHaveLength(3);
      expect(refused).toHaveLength(97);
      // wish.busy would be an honest answer, but the retries are meant to resolve contention this size.
      expect(codes).toEqual({ "wish.full": 97 });
      for (const r of refused) expect(r.type).toContain("application/problem+json");

      const w = await wishState(id);
      expect(w).toMatchObject({ status: "claimed", slots: 3, claimed: 3 });
      expect(w.claims).toHaveLength(3);
      expectConsistent(w);
      const winners = crowd.filter((_, i) => responses[i].status === 200).map((m) => m.id);
      expect(w.claims.map((cl) => cl.memberId).sort()).toEqual([...winners].sort());
      const claimEvents = w.timeline.filter((e) => e.kind === "claim");
      expect(claimEvents).toHaveLength(3);
      expect(claimEvents.map((e) => e.data.memberIds[0]).sort()).toEqual([...winners].sort());
    },
    120_000,
  );
});

describe("one volunteer presses claim ten times at once", () => {
  it("gets one place; the nine others are told they hold it already", async () => {
    const m = c.members[0];
    const id = await wishIn(api, c, "open", { slots: 3, members: [] });
    const responses = await Promise.all(Array.from({ length: 10 }, () => api.call("POST", `/api/wishes/${id}/claim`, { as: m })));
    const { ok, refused, codes } = tally(responses, ["claim.exists"]);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(9);
    expect(codes).toEqual({ "claim.exists": 9 });

    const w = await wishState(id);
    expect(w).toMatchObject({ status: "open", claimed: 1 });
    expect(w.claims.map((cl) => cl.memberId)).toEqual([m.id]);
    expect(w.timeline.filter((e) => e.kind === "claim")).toHaveLength(1);
    expectConsistent(w);
  }, 60_000);
});

describe("staff dispatch while volunteers claim", () => {
  it.each([1, 2, 3])(
    "round %i: never more than three places are taken, and the counter matches the claims",
    async (round) => {
      const id = await wishIn(api, c, "open", { slots: 3, members: [] });
      const dispatched = crowd.slice(round * 12, round * 12 + 2);
      const claimers = crowd.slice(round * 12 + 2, round * 12 + 12);
      const [dispatch, ...claims] = await Promise.all([
        api.call("POST", `/api/wishes/${id}/dispatch`, { as: c.staff, body: { memberIds: dispatched.map((m) => m.id) } }),
        ...claimers.map((m) => api.call("POST", `/api/wishes/${id}/claim`, { as: m })),
      ]);
      tally([dispatch, ...claims], ["wish.full"]);
      const placesGiven = (dispatch.status === 200 ? 2 : 0) + claims.filter((r) => r.status === 200).length;

      const w = await wishState(id);
      expectConsistent(w);
      // Ten claimers are more than enough to fill what the dispatch leaves, whichever wins.
      expect(w).toMatchObject({ status: "claimed", claimed: 3 });
      expect(placesGiven).toBe(3);
      const holders = w.claims.map((cl) => cl.memberId);
      if (dispatch.status === 200) expect(holders).toEqual(expect.arrayContaining(dispatched.map((m) => m.id)));
      else expect(holders.some((h) => dispatched.some((m) => m.id === h))).toBe(false);
      const placesInTimeline = w.timeline
        .filter((e) => e.kind === "claim" || e.kind === "dispatch")
        .reduce((n, e) => n + e.data.memberIds.length, 0);
      expect(placesInTimeline).toBe(3);
    },
    60_000,
  );
});

describe("a release racing a claim on the last place", () => {
  it.each([1, 2, 3, 4, 5])(
    "round %i: the end state is consistent whichever lands first",
    async (round) => {
      const [a, b] = [c.members[1], c.members[2]];
      const late = crowd[60 + round];
      const id = await wishIn(api, c, "claimed", { slots: 2, members: [a, b] });
      const [release, claim] = await Promise.all([
        api.call("POST", `/api/wishes/${id}/release`, { as: a, body: { reason: "临时有事" } }),
        api.call("POST", `/api/wishes/${id}/claim`, { as: late }),
      ]);
      expect(release.status, JSON.stringify(release.body)).toBe(200);
      expect([200, 409], JSON.stringify(claim.body)).toContain(claim.status);
      if (claim.status === 409) expect(claim.body.code).toBe("wish.full");

      const w = await wishState(id);
      expectConsistent(w);
      const holders = w.claims.map((cl) => cl.memberId).sort();
      if (claim.status === 200) {
        expect(w).toMatchObject({ status: "claimed", claimed: 2 });
        expect(holders).toEqual([b.id, late.id].sort());
      } else {
        expect(w).toMatchObject({ status: "open", claimed: 1 });
        expect(holders).toEqual([b.id]);
      }
      expect(w.timeline.filter((e) => e.kind === "release")).toHaveLength(1);
    },
    60_000,
  );

  it("many releases and claims interleaved leave the counter equal to the claims", async () => {
    const holders = crowd.slice(70, 75);
    const newcomers = crowd.slice(75, 85);
    const id = await wishIn(api, c, "claimed", { slots: 5, members: holders });
    const [releases, claims] = await Promise.all([
      Promise.all(holders.map((m) => api.call("POST", `/api/wishes/${id}/release`, { as: m, body: {} }))),
      Promise.all(newcomers.map((m) => api.call("POST", `/api/wishes/${id}/claim`, { as: m }))),
    ]);
    tally(releases, []);
    tally(claims, ["wish.full"]);
    const w = await wishState(id);
    expectConsistent(w);
    expect(w.claimed).toBe(claims.filter((r) => r.status === 200).length);
    expect(w.claims.every((cl) => newcomers.some((m) => m.id === cl.memberId))).toBe(true);
  }, 60_000);
});
