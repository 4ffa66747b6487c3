/**
 * What staff and the public read off the counters the transitions moved: a period's stats
 * (the headline figures the county reports, and staff's detail), and the rankings of branches
 * and members by the documented weighted score.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as Hours from "../../functions/core/hours.js";
import { monthOf, quarterOf } from "../../functions/core/period.js";
import { community, somewhere, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { actor, claimedBy, expectProblem, ok } from "./helpers.js";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** Claims, checks in and out, completes and has the resident confirm with `rating`; returns the wish. */
async function confirmed(c: TestCommunity, team: Person[], rating: number, owner = c.residents[0]) {
  const id = await claimedBy(api, c, team, {});
  if (owner !== c.residents[0]) throw new Error("claimedBy posts as the first resident");
  for (const m of team) await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
  for (const m of team) await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: somewhere }));
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: team[0], body: { note: "完成" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: owner, body: { rating } }));
  return id;
}

describe("stats for a period", () => {
  let c: TestCommunity;
  let month: string;
  const closes: number[] = [];
  beforeAll(async () => {
    // Closes five hours after posting stay in the month they were posted in only away from a month's end in China time.
    vi.useFakeTimers({ now: new Date("2026-11-16T02:00:00Z"), toFake: ["Date"], shouldAdvanceTime: true });
    c = await community(api.store, { members: 3, residents: 2 });
    const [a, b, d] = c.members;
    const staff = await actor(api, c.staff);
    // Resident 1: two wishes closed, 2 and 5 hours after they were posted; resident 2: one closed, one rejected, one cancelled.
    const one = await confirmed(c, [a, b], 5);
    const created = (await ok(api.call("GET", `/api/wishes/${one}`, { as: c.staff }))).createdAt;
    const w1 = await Hours.verify(
      api.store,
      staff,
      one,
      { minutes: { [a.id]: 90, [b.id]: 60 }, reason: "按签到记录", staffRating: 4, peopleServed: 30 },
      new Date(Date.parse(created) + 120 * 60_000),
    );
    const two = await confirmed(c, [d], 3);
    const created2 = (await ok(api.call("GET", `/api/wishes/${two}`, { as: c.staff }))).createdAt;
    await Hours.verify(
      api.store,
      staff,
      two,
      { minutes: { [d.id]: 45 }, reason: "按签到记录" },
      new Date(Date.parse(created2) + 300 * 60_000),
    );
    closes.push(120, 300);
    month = monthOf(w1.closedAt!);
    const other = c.residents[1];
    const three = await wishIn(api, c, "confirmed", { owner: other, members: [a] });
    await ok(api.call("POST", `/api/wishes/${three}/verify`, { as: c.staff, body: { minutes: { [a.id]: 30 }, reason: "补录" } }));
    await wishIn(api, c, "rejected", { owner: other });
    await wishIn(api, c, "cancelled", { owner: other });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("gives anyone the headline figures: activities, person-times, residents served, hours", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}/stats?period=${month}`));
    expect(res).toEqual({
      communityId: c.id,
      name: "测试社区",
      period: { key: month, from: `${month}-01`, to: expect.stringMatching(new RegExp(`^${month}-(28|29|30|31)$`)) },
      activities: 3,
      personTimes: 4,
      residentsServed: 32,
      distinctResidents: 2,
      hours: 3.8,
    });
    const asMember = await ok(api.call("GET", `/api/communities/${c.id}/stats?period=${month}`, { as: c.members[0] }));
    expect(asMember).not.toHaveProperty("detail");
  });

  it("gives staff the counts by state, medians and ratings", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}/stats?period=${month}`, { as: c.staff }));
    expect(res.detail).toMatchObject({
      wishes: { submitted: 5, approved: 3, claimed: 3, closed: 3, rejected: 1, cancelled: 1, expired: 0 },
      minutes: 225,
      averageRating: 4.33,
      ratings: 3,
      averageStaffRating: 4,
      staffRatings: 1,
    });
    expect(res.detail.medianMinutesToClose).toBeGreaterThanOrEqual(closes[0]);
    expect(res.detail.medianMinutesToClose).toBeLessThanOrEqual(closes[1]);
    expect(res.detail.medianMinutesToClaim).toBe(0);
  });

  it("sums a quarter, a year and all time the same way, counting each resident once", async () => {
    for (const period of [quarterOf(month), month.slice(0, 4), "all"]) {
      const res = await ok(api.call("GET", `/api/communities/${c.id}/stats?period=${period}`, { as: c.staff }));
      expect({
        period,
        activities: res.activities,
        personTimes: res.personTimes,
        distinct: res.distinctResidents,
        submitted: res.detail.wishes.submitted,
      }).toEqual({
        period,
        activities: 3,
        personTimes: 4,
        distinct: 2,
        submitted: 5,
      });
    }
    const empty = await ok(api.call("GET", `/api/communities/${c.id}/stats?period=2019-03`));
    expect(empty).toMatchObject({ activities: 0, personTimes: 0, residentsServed: 0, distinctResidents: 0, hours: 0 });
  });

  it.each(["2026-13", "2026-Q5", "26-11", "2026-1", "last month"])("refuses the period %s with a 400 naming it", async (period) => {
    const res = await api.call("GET", `/api/communities/${c.id}/stats?period=${encodeURIComponent(period)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty("period");
  });

  it("answers 404 for a community that does not exist", async () => {
    expectProblem(await api.call("GET", `/api/communities/nowhere/stats?period=all`), 404, "community.not_found");
  });
});

describe("rankings", () => {
  let c: TestCommunity;
  let month: string;
  beforeAll(async () => {
    // Branch 1 (members 1, 3, 5): one wish, two volunteers, 120 minutes each, residents 3 stars, staff 5.
    // Branch 2 (members 2, 4, 6): one wish, one volunteer, 60 minutes, residents 5 stars, no staff rating; member 4 released a claim.
    c = await community(api.store, { members: 6, residents: 1 });
    const [m1, m2, m3, m4] = c.members;
    const w1 = await confirmed(c, [m1, m3], 3);
    const closed = await ok(
      api.call("POST", `/api/wishes/${w1}/verify`, {
        as: c.staff,
        body: { minutes: { [m1.id]: 120, [m3.id]: 120 }, reason: "按签到记录", staffRating: 5 },
      }),
    );
    month = monthOf(closed.closedAt);
    const w2 = await confirmed(c, [m2], 5);
    await ok(api.call("POST", `/api/wishes/${w2}/verify`, { as: c.staff, body: { minutes: { [m2.id]: 60 }, reason: "按签到记录" } }));
    const w3 = await wishIn(api, c, "open", { members: [], slots: 1 });
    await ok(api.call("POST", `/api/wishes/${w3}/claim`, { as: m4 }));
    await ok(api.call("POST", `/api/wishes/${w3}/release`, { as: m4, body: { reason: "临时出差" } }));
  });

  it("ranks branches by the default 70/10/10/5/5 score, with each indicator's part", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}/rankings?period=${month}&by=branch`, { as: c.staff }));
    // Attendance at activities weighs 0 by default: the Hanzhong 70/10/10/5/5 scores are unchanged.
    expect(res.weights).toEqual({ hours: 70, onTime: 10, completion: 10, residentRating: 5, staffRating: 5, attendance: 0 });
    expect(res.items.map((i: any) => [i.rank, i.name, i.score])).toEqual([
      [1, "第一支部", 98],
      [2, "第二支部", 37.5],
    ]);
    expect(res.items[1]).toMatchObject({
      members: 3,
      minutes: 60,
      personTimes: 1,
      indicators: {
        hours: { value: 0.33, normalized: 0.25, weight: 70, points: 17.5 },
        onTime: { value: 1, normalized: 1, weight: 10, points: 10 },
        completion: { value: 0.5, normalized: 0.5, weight: 10, points: 5 },
        residentRating: { value: 5, normalized: 1, weight: 5, points: 5 },
        staffRating: { value: null, normalized: 0, weight: 5, points: 0 },
      },
    });
  });

  it("ranks members, equal scores sharing a rank", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}/rankings?period=${month}&by=member`, { as: c.staff }));
    const [m1, m2, m3, m4, m5, m6] = c.members;
    const rows = res.items.map((i: any) => [i.rank, i.id, i.score]);
    expect(rows.slice(0, 3)).toEqual(
      expect.arrayContaining([
        [1, m1.id, 98],
        [1, m3.id, 98],
        [3, m2.id, 60],
      ]),
    );
    expect(rows.slice(3).map((r: any) => r[0])).toEqual([4, 4, 4]);
    expect(
      rows
        .slice(3)
        .map((r: any) => r[1])
        .sort(),
    ).toEqual([m4.id, m5.id, m6.id].sort());
    expect(res.items.find((i: any) => i.id === m4.id).indicators.completion).toMatchObject({ value: 0, points: 0 });
  });

  it("follows the community's weights: residents' stars alone put the second branch first", async () => {
    await ok(
      api.call("POST", `/api/communities/${c.id}/settings`, {
        as: c.staff,
        body: { rankingWeights: { hours: 0, onTime: 0, completion: 0, residentRating: 100, staffRating: 0 } },
      }),
    );
    const res = await ok(api.call("GET", `/api/communities/${c.id}/rankings?period=${quarterOf(month)}&by=branch`, { as: c.staff }));
    expect(res.items.map((i: any) => [i.rank, i.name, i.score])).toEqual([
      [1, "第二支部", 100],
      [2, "第一支部", 60],
    ]);
    await ok(
      api.call("POST", `/api/communities/${c.id}/settings`, {
        as: c.staff,
        body: { rankingWeights: { hours: 70, onTime: 10, completion: 10, residentRating: 5, staffRating: 5 } },
      }),
    );
  });

  it("scores a period with no work as zero for everyone", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}/rankings?period=2019&by=branch`, { as: c.staff }));
    expect(res.items.map((i: any) => [i.rank, i.score])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it.each([
    ["a month that does not exist", "period=2026-13&by=branch", "period"],
    ["a quarter that does not exist", "period=2026-Q0&by=branch", "period"],
    ["all time", "period=all&by=branch", "period"],
    ["no period", "by=branch", "period"],
    ["an unknown grouping", "period=2026&by=team", "by"],
  ])("refuses %s with a 400 naming the field", async (_, qs, field) => {
    const res = await api.call("GET", `/api/communities/${c.id}/rankings?${qs}`, { as: c.staff });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty(field);
  });

  it("is for staff only", async () => {
    expectProblem(
      await api.call("GET", `/api/communities/${c.id}/rankings?period=${month}`, { as: c.members[0] }),
      403,
      "rankings.forbidden",
    );
    expect((await api.call("GET", `/api/communities/${c.id}/rankings?period=${month}`)).status).toBe(401);
  });
});
