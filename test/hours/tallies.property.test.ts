/**
 * The property that makes the figures trustworthy: after any mix of lifecycles, run side by
 * side (claims, releases, check-ins with and without check-outs, staff's figures, disputes,
 * cancellations, verifications), every tally equals the sum of the ledger entries it counts,
 * and both equal what the lifecycles should have earned. Drives the domain functions directly
 * against DynamoDB Local for speed.
 */
import { between } from "../../functions/store/expression.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Claims from "../../functions/core/claims.js";
import * as Hours from "../../functions/core/hours.js";
import { loadActor, type Actor } from "../../functions/core/identity.js";
import * as Wish from "../../functions/core/wish.js";
import { getItem, queryAll } from "../../functions/store/client.js";
import { Keys } from "../../functions/store/keys.js";
import { community, somewhere, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let members: Actor[];
let staff: Actor;
let resident: Actor;
const memberCount = 6;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: memberCount, residents: 1 });
  members = await Promise.all(c.members.map(async (m) => (await loadActor(api.store, m.id))!));
  staff = (await loadActor(api.store, c.staff.id))!;
  resident = (await loadActor(api.store, c.residents[0].id))!;
});
afterAll(() => api.close());

const volunteer = fc.record({
  member: fc.integer({ min: 0, max: memberCount - 1 }),
  releasesFirst: fc.boolean(),
  checksIn: fc.boolean(),
  checksOut: fc.boolean(),
  minutes: fc.integer({ min: 0, max: 600 }),
  // Staff give their own figure for about one volunteer in four; the others get what was measured.
  staffMinutes: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 1440 }), weight: 1 }),
});
const lifecycle = fc.record({
  team: fc.uniqueArray(volunteer, { minLength: 1, maxLength: 3, selector: (v) => v.member }),
  ending: fc.constantFrom("verify", "verify", "verify", "dispute-then-verify", "cancel"),
  rating: fc.integer({ min: 1, max: 5 }),
  staffRating: fc.option(fc.integer({ min: 1, max: 5 })),
});
type Lifecycle = typeof lifecycle extends fc.Arbitrary<infer T> ? T : never;

/** What the model says each member should have earned so far: minutes, entries, unfinished claims. */
const expected = new Map<string, { minutes: number; entries: number; unfinished: number }>();
const earn = (id: string, add: { minutes?: number; entries?: number; unfinished?: number }) => {
  const e = expected.get(id) ?? { minutes: 0, entries: 0, unfinished: 0 };
  expected.set(id, {
    minutes: e.minutes + (add.minutes ?? 0),
    entries: e.entries + (add.entries ?? 0),
    unfinished: e.unfinished + (add.unfinished ?? 0),
  });
};
let closedWishes = 0;

async function run(l: Lifecycle) {
  const { wish } = await Wish.create(api.store, resident, {
    communityId: c.id,
    category: "repair",
    title: "随机心愿",
    description: "性质测试",
    location: { lat: somewhere.lat, lng: somewhere.lng },
  });
  await Wish.approve(api.store, staff, wish.id, { slots: l.team.length, estimatedMinutes: 60 });
  const end = Date.now();
  for (const v of l.team) {
    const m = members[v.member];
    if (v.releasesFirst) {
      await Claims.claim(api.store, m, wish.id);
      await Claims.release(api.store, m, wish.id, { reason: "临时有事" });
      earn(m.id, { unfinished: 1 });
    }
    await Claims.claim(api.store, m, wish.id);
  }
  for (const v of l.team)
    if (v.checksIn) await Claims.checkIn(api.store, members[v.member], wish.id, somewhere, new Date(end - v.minutes * 60_000));
  for (const v of l.team)
    if (v.checksIn && v.checksOut) await Claims.checkOut(api.store, members[v.member], wish.id, somewhere, new Date(end));
  const worker = l.team.find((v) => v.checksIn);
  if (l.ending === "cancel" || !worker) {
    await Wish.cancel(api.store, staff, wish.id, { reason: "居民已自行解决" });
    return;
  }
  await Claims.complete(api.store, members[worker.member], wish.id, { note: "完成" });
  if (l.ending === "dispute-then-verify") {
    await Wish.dispute(api.store, resident, wish.id, { reason: "还没修好" });
    await Claims.complete(api.store, members[worker.member], wish.id, { note: "再次完成" });
  }
  await Wish.confirm(api.store, resident, wish.id, { rating: l.rating });
  const given = Object.fromEntries(l.team.filter((v) => v.staffMinutes !== null).map((v) => [members[v.member].id, v.staffMinutes!]));
  await Hours.verify(api.store, staff, wish.id, {
    minutes: given,
    reason: Object.keys(given).length ? "按现场记录核定" : undefined,
    staffRating: l.staffRating ?? undefined,
  });
  closedWishes++;
  for (const v of l.team) {
    const measured = v.checksIn && v.checksOut ? v.minutes : undefined;
    const minutes = v.staffMinutes ?? measured ?? 0;
    earn(members[v.member].id, minutes > 0 ? { minutes, entries: 1 } : { unfinished: 1 });
  }
}

/** Every tally against the ledger it sums, and against the model. */
async function expectTalliesMatchLedger() {
  const all: any[] = [];
  for (const m of members) {
    const items = await queryAll(api.store, { pk: `U#${m.id}`, sk: between("HL#", "HT$"), consistent: true });
    const entries = items.filter((i) => i.sk.startsWith("HL#"));
    all.push(...entries);
    const tally = items.find((i) => i.sk === `HT#${c.id}`);
    const sum = entries.reduce((s, e) => s + e.minutes, 0);
    const months = [...new Set(entries.map((e) => e.month))];
    const model = expected.get(m.id) ?? { minutes: 0, entries: 0, unfinished: 0 };
    expect({ member: m.name, total: tally?.totalMinutes ?? 0, entries: tally?.entries ?? 0 }).toEqual({
      member: m.name,
      total: sum,
      entries: entries.length,
    });
    expect({ member: m.name, minutes: sum, entries: entries.length }).toEqual({
      member: m.name,
      minutes: model.minutes,
      entries: model.entries,
    });
    for (const month of months) {
      const inMonth = entries.filter((e) => e.month === month);
      expect(tally?.[`${month}#minutes`]).toBe(inMonth.reduce((s, e) => s + e.minutes, 0));
      expect(tally?.[`${month}#entries`]).toBe(inMonth.length);
    }
    const unfinished = Object.entries(tally ?? {})
      .filter(([k]) => k.endsWith("#unfinished"))
      .reduce((s, [, v]) => s + (v as number), 0);
    expect({ member: m.name, unfinished }).toEqual({ member: m.name, unfinished: model.unfinished });
  }
  const figures = await queryAll(api.store, { pk: `CT#${c.id}`, consistent: true });
  for (const b of c.branches) {
    const tally = figures.find((i) => i.sk === `B#${b.id}`);
    const inBranch = all.filter((e) => e.branchId === b.id);
    expect({ branch: b.name, total: tally?.totalMinutes ?? 0, entries: tally?.entries ?? 0 }).toEqual({
      branch: b.name,
      total: inBranch.reduce((s, e) => s + e.minutes, 0),
      entries: inBranch.length,
    });
  }
  const total = figures.find((i) => i.sk === "C");
  expect({ total: total?.totalMinutes ?? 0, entries: total?.entries ?? 0, closed: total?.closed ?? 0 }).toEqual({
    total: all.reduce((s, e) => s + e.minutes, 0),
    entries: all.length,
    closed: closedWishes,
  });
  for (const month of new Set(all.map((e) => e.month))) {
    const stats = await getItem(api.store, Keys.monthStats(c.id, month));
    const inMonth = all.filter((e) => e.month === month);
    expect({ minutes: stats?.minutes ?? 0, entries: stats?.entries ?? 0 }).toEqual({
      minutes: inMonth.reduce((s, e) => s + e.minutes, 0),
      entries: inMonth.length,
    });
  }
}

describe("tallies", () => {
  it("equal the sum of the ledger entries after hundreds of random lifecycles run side by side", async () => {
    let lifecycles = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lifecycle, { minLength: 14, maxLength: 14 }), async (batch) => {
        await Promise.all(batch.map(run));
        lifecycles += batch.length;
        await expectTalliesMatchLedger();
      }),
      { numRuns: 15, endOnFailure: true },
    );
    expect(lifecycles).toBeGreaterThanOrEqual(200);
  }, 300_000);
});
