/**
 * Verification credits each volunteer the right minutes, writes a ledger entry with the
 * fields a certificate needs, and closes teams of any size: forty in one transaction, more
 * in several that resume where an interrupted close stopped, never counting anyone twice.
 */
import { TransactWriteCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Claims from "../../functions/core/claims.js";
import * as Community from "../../functions/core/community.js";
import * as Hours from "../../functions/core/hours.js";
import { getItem, type Store } from "../../functions/store/client.js";
import { Keys } from "../../functions/store/keys.js";
import { community, person, snapshot, somewhere, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { actor, claimedBy, expectProblem, ok } from "./helpers.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 5, residents: 1 });
});
afterAll(() => api.close());

const minute = 60_000;

/** Members appointed in batches, alternating the community's two branches. */
async function crowd(n: number, tc: TestCommunity): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < n; i += 10) {
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
          const m = await person(api.store, `队员${i + j + 1}`);
          await Community.appoint(api.store, {
            communityId: tc.id,
            userId: m.id,
            name: m.name,
            roles: ["member"],
            branchId: tc.branches[(i + j) % 2].id,
          });
          return m;
        }),
      )),
    );
  }
  return out;
}

/** A wish for the whole team, dispatched, everyone in for `minutes` (those in `noCheckOut` never leave), completed and confirmed. */
async function teamWish(tc: TestCommunity, team: Person[], minutes: (i: number) => number, noCheckOut = new Set<number>()) {
  const id = await wishIn(api, tc, "open", { slots: team.length, members: [] });
  for (let i = 0; i < team.length; i += 50) {
    await ok(api.call("POST", `/api/wishes/${id}/dispatch`, { as: tc.staff, body: { memberIds: team.slice(i, i + 50).map((m) => m.id) } }));
  }
  const end = Date.now();
  for (let i = 0; i < team.length; i += 10) {
    await Promise.all(
      team.slice(i, i + 10).map(async (m, j) => {
        const who = await actor(api, m);
        await Claims.checkIn(api.store, who, id, somewhere, new Date(end - minutes(i + j) * minute));
        if (!noCheckOut.has(i + j)) await Claims.checkOut(api.store, who, id, somewhere, new Date(end));
      }),
    );
  }
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: team[0], body: { note: "完成" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: tc.residents[0], body: { rating: 5 } }));
  return id;
}

describe("crediting several volunteers", () => {
  it("gives each the minutes measured, staff's figure where staff give one, and nothing to one who never checked out", async () => {
    const [a, b, d, e] = c.members;
    const id = await claimedBy(api, c, [a, b, d, e]);
    const end = Date.now();
    const at = (ms: number) => new Date(end - ms);
    await Claims.checkIn(api.store, await actor(api, a), id, somewhere, at(95 * minute));
    await Claims.checkIn(api.store, await actor(api, b), id, somewhere, at(61 * minute + 59_000));
    await Claims.checkIn(api.store, await actor(api, d), id, somewhere, at(40 * minute));
    await Claims.checkIn(api.store, await actor(api, e), id, somewhere, at(200 * minute));
    const code = (await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }))).handshakeCode;
    await Claims.checkOut(api.store, await actor(api, a), id, { ...somewhere, code }, at(0));
    await Claims.checkOut(api.store, await actor(api, b), id, somewhere, at(0));
    await Claims.checkOut(api.store, await actor(api, e), id, somewhere, at(0));
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: a, body: { note: "修好了" } }));
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 4 } }));

    const closed = await ok(
      api.call("POST", `/api/wishes/${id}/verify`, {
        as: c.staff,
        body: { minutes: { [e.id]: 120 }, reason: "含两小时路程，按实际服务核减", staffRating: 4 },
      }),
    );
    expect(closed.status).toBe("closed");
    const credited = Object.fromEntries(closed.timeline.at(-1).data.credits.map((x: any) => [x.memberId, x.minutes]));
    expect(credited).toEqual({ [a.id]: 95, [b.id]: 61, [d.id]: 0, [e.id]: 120 });

    const hours = async (m: Person) => ok(api.call("GET", `/api/members/${m.id}/hours`, { as: m }));
    const ha = await hours(a);
    expect(ha.totalMinutes).toBe(95);
    expect(ha.entries).toHaveLength(1);
    expect(ha.entries[0]).toEqual(
      expect.objectContaining({
        memberId: a.id,
        memberName: a.name,
        communityId: c.id,
        communityName: "测试社区",
        branchId: c.branches[0].id,
        branchName: "第一支部",
        wishId: id,
        category: "repair",
        content: "厨房水龙头漏水",
        place: "幸福里3号楼",
        start: at(95 * minute).toISOString(),
        end: at(0).toISOString(),
        minutes: 95,
        measuredMinutes: 95,
        signedByResident: true,
        residentRating: 4,
        staffRating: 4,
        verifierId: c.staff.id,
        verifierName: c.staff.name,
        verifiedAt: closed.closedAt,
      }),
    );
    expect((await hours(b)).entries[0]).toMatchObject({ minutes: 61, signedByResident: false, branchName: "第二支部" });
    expect(await hours(d)).toMatchObject({ totalMinutes: 0, entries: [] });
    expect((await hours(e)).entries[0]).toMatchObject({ minutes: 120, measuredMinutes: 200, reason: "含两小时路程，按实际服务核减" });
  });

  it.each([
    ["negative minutes", (m: string) => ({ minutes: { [m]: -5 }, reason: "x" }), "minutes"],
    ["more than a day", (m: string) => ({ minutes: { [m]: 1441 }, reason: "x" }), "minutes"],
    ["fractional minutes", (m: string) => ({ minutes: { [m]: 30.5 }, reason: "x" }), "minutes"],
    ["a staff rating of 6", () => ({ staffRating: 6 }), "staffRating"],
    ["no one served", () => ({ peopleServed: 0 }), "peopleServed"],
  ])("refuses %s with a 422, closing nothing", async (_, body, field) => {
    const id = await wishIn(api, c, "confirmed", { members: [c.members[0]] });
    const before = await snapshot(api.store, [`W#${id}`, `U#${c.members[0].id}`, `CT#${c.id}`]);
    const res = await api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: body(c.members[0].id) });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).join()).toContain(field);
    expect(await snapshot(api.store, [`W#${id}`, `U#${c.members[0].id}`, `CT#${c.id}`])).toBe(before);
  });

  it("asks staff for a figure when a volunteer checked out more than a day after checking in", async () => {
    const [m] = c.members;
    const id = await claimedBy(api, c, [m]);
    const who = await actor(api, m);
    await Claims.checkIn(api.store, who, id, somewhere, new Date(Date.now() - 3 * 86_400_000));
    await Claims.checkOut(api.store, who, id, somewhere);
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: m, body: { note: "完成" } }));
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
    const refused = expectProblem(await api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: {} }), 422, "hours.invalid");
    expect(refused.errors).toHaveProperty(`minutes.${m.id}`);
    await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [m.id]: 180 }, reason: "忘记签退" } }));
    expect((await ok(api.call("GET", `/api/members/${m.id}/hours`, { as: m }))).entries.find((x: any) => x.wishId === id).minutes).toBe(
      180,
    );
  });
});

describe("large teams", () => {
  let big: TestCommunity;
  let team: Person[];
  beforeAll(async () => {
    big = await community(api.store, { members: 0, residents: 1, name: "大社区" });
    team = await crowd(64, big);
  }, 120_000);

  const tallies = async (members: Person[]) =>
    Promise.all(members.map(async (m) => (await getItem(api.store, Keys.memberTally(m.id, big.id)))?.totalMinutes ?? 0));

  /** Each member's entry for the wish, and their tally moved by exactly that much since `before`. */
  async function expectCredited(id: string, members: Person[], minutes: (i: number) => number, before: number[]) {
    const after = await tallies(members);
    for (const [i, m] of members.entries()) {
      const entry = await getItem(api.store, Keys.ledger(m.id, id));
      expect({ who: m.name, entry: entry?.minutes ?? 0, tally: after[i] - before[i] }).toEqual({
        who: m.name,
        entry: minutes(i),
        tally: minutes(i),
      });
    }
  }

  async function communityMinutes() {
    return (await getItem(api.store, Keys.communityTally(big.id)))?.totalMinutes ?? 0;
  }

  it("closes a 40-volunteer wish in one go, crediting each of them", async () => {
    const forty = team.slice(0, 40);
    const minutes = (i: number) => 60 + i;
    const id = await teamWish(big, forty, minutes);
    const before = await tallies(forty);
    const closed = await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: big.staff, body: {} }));
    expect(closed.status).toBe("closed");
    expect(closed).not.toHaveProperty("crediting");
    await expectCredited(id, forty, minutes, before);
    expect(await communityMinutes()).toBe(forty.reduce((s, _, i) => s + minutes(i), 0));
    expect((await getItem(api.store, Keys.communityTally(big.id)))?.entries).toBe(40);
  }, 60_000);

  it("closes a 64-volunteer wish over several transactions, and an interrupted close resumes without counting anyone twice", async () => {
    const minutes = (i: number) => (i % 9 === 4 ? 0 : 30 + i);
    const noCheckOut = new Set(team.map((_, i) => i).filter((i) => minutes(i) === 0));
    const id = await teamWish(big, team, (i) => minutes(i) || 30, noCheckOut);
    const before = await communityMinutes();
    const tallied = await tallies(team);

    // The process dies after the closing transaction: the wish is closed and says crediting is under way.
    const dying: Store = { table: api.store.table, doc: failingAfter(api.store, 1) };
    await expect(Hours.verify(dying, await actor(api, big.staff), id, {})).rejects.toThrow("connection lost");
    const half = await ok(api.call("GET", `/api/wishes/${id}`, { as: big.staff }));
    expect(half.status).toBe("closed");
    expect(half.crediting.done).toBe(1);
    expect(half.crediting.chunks.reduce((a: number, b: number) => a + b, 0)).toBe(64);
    const sorted = [...team].sort((x, y) => x.id.localeCompare(y.id));
    const firstChunk = sorted.slice(0, half.crediting.chunks[0]);
    const inFirst = firstChunk.reduce((s, m) => s + minutes(team.indexOf(m)), 0);
    expect(await communityMinutes()).toBe(before + inFirst);

    // Staff press verify again (twice at once): the rest is credited exactly once. A press that
    // arrives after the other has finished finds the wish closed and is told so (409).
    const again = await Promise.all([1, 2].map(() => api.call("POST", `/api/wishes/${id}/verify`, { as: big.staff, body: {} })));
    const statuses = again.map((r) => r.status).sort();
    expect([
      [200, 200],
      [200, 409],
    ]).toContainEqual(statuses);
    for (const r of again) if (r.status === 409) expect(r.body.code).toBe("wish.wrong_state");
    const done = await ok(api.call("GET", `/api/wishes/${id}`, { as: big.staff }));
    expect(done).not.toHaveProperty("crediting");
    await expectCredited(id, team, minutes, tallied);
    expect(await communityMinutes()).toBe(before + team.reduce((s, _, i) => s + minutes(i), 0));
    expectProblem(await api.call("POST", `/api/wishes/${id}/verify`, { as: big.staff, body: {} }), 409, "wish.wrong_state");
  }, 90_000);
});

/** A document client whose transactions fail for good after the first `n`, as a process that dies would. */
function failingAfter(store: Store, n: number): Store["doc"] {
  let seen = 0;
  return new Proxy(store.doc, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return async (command: any) => {
        if (command instanceof TransactWriteCommand && ++seen > n) throw new Error("connection lost");
        return target.send(command);
      };
    },
  });
}
