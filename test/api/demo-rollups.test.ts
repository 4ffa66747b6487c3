/**
 * The demo county's figures agree with its communities' under the local server as `npm start`
 * runs it: the county's and each town's headline minutes, hours and person-times are the sums of
 * their communities' own figures and of the community ranking, for the seeded work and after a
 * verification made through HTTP has passed through the stream. Starts its own DynamoDB Local on
 * disk, hence the long timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocal } from "../../functions/local.js";
import { monthOf, quarterOf } from "../../functions/core/period.js";

type Local = Awaited<ReturnType<typeof startLocal>>;

const dirs: string[] = [];
let local: Local | undefined;
let demo: any;
// The months the seed may have counted its work in (two when it ran across a month's end in China time).
const months = new Set<string>();

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(local!.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await res.json();
  expect(res.status, `${method} ${path}: ${JSON.stringify(answer)}`).toBeLessThan(300);
  return answer;
}

const staffOf = (unitId: string) => demo.people.find((p: any) => p.role === "staff" && p.unitId === unitId);
const unitsOf = (kind: string) => demo.units.filter((u: any) => u.kind === kind);
const county = () => unitsOf("county")[0];
const countyToken = () => staffOf(county().id).token as string;

/** A unit's headline and its communities' figures for a period, as the county's staff read them. */
async function figures(unitId: string, period: string) {
  const headline = await call("GET", `/api/units/${unitId}/stats?period=${period}`, countyToken());
  const ranking = await call("GET", `/api/units/${unitId}/rankings?period=${period}&by=community&limit=100`, countyToken());
  return { headline, ranking: ranking.items as any[] };
}

/** The communities beneath a unit (itself when it is one). */
const communitiesUnder = (unitId: string): string[] =>
  demo.units.some((u: any) => u.id === unitId && u.kind === "community")
    ? [unitId]
    : demo.units.filter((u: any) => u.parentId === unitId && u.kind !== "grid").flatMap((u: any) => communitiesUnder(u.id));

/** Every period the figures count in: the months, their quarters and years. */
const periods = () => [...new Set([...months].flatMap((m) => [m, quarterOf(m), m.slice(0, 4)]))];

/** The county's and each town's headline equal their communities' own figures and the ranking's sums. */
async function expectAgreement() {
  let seen = 0;
  for (const period of periods()) {
    for (const unit of [county(), ...unitsOf("street")]) {
      const { headline, ranking } = await figures(unit.id, period);
      const own = await Promise.all(
        communitiesUnder(unit.id).map(async (id) => ({
          id,
          ...(await call("GET", `/api/units/${id}/stats?period=${period}`, countyToken())),
        })),
      );
      const minutes = own.reduce((s, c) => s + c.detail.minutes, 0);
      const what = `${unit.name} ${period}`;
      expect(headline.detail.minutes, what).toBe(minutes);
      expect(headline.hours, what).toBe(Math.round(minutes / 6) / 10);
      expect(headline.personTimes, what).toBe(own.reduce((s, c) => s + c.personTimes, 0));
      expect(headline.activities, what).toBe(own.reduce((s, c) => s + c.activities, 0));
      // Each community ranked with its own figures; those without work are not ranked.
      const ranked = Object.fromEntries(ranking.map((i) => [i.id, [i.minutes, i.personTimes]]));
      const worked = Object.fromEntries(
        own.filter((c) => c.detail.minutes || c.personTimes).map((c) => [c.id, [c.detail.minutes, c.personTimes]]),
      );
      expect(ranked, what).toEqual(worked);
      seen += minutes;
    }
  }
  return seen;
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "microwish-demo-rollups-"));
  const webDir = mkdtempSync(join(tmpdir(), "microwish-web-"));
  dirs.push(dataDir, webDir);
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Microwish</title>");
  months.add(monthOf(new Date()));
  local = await startLocal({ dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true });
  months.add(monthOf(new Date()));
  demo = await call("GET", "/api/dev/demo");
}, 180_000);
afterAll(async () => {
  await local?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the demo county's figures", () => {
  it("the county's and towns' headlines are the sums of their communities' seeded figures", async () => {
    const home = (
      await Promise.all([...months].map((m) => call("GET", `/api/units/${demo.communityId}/stats?period=${m}`, countyToken())))
    ).reduce((s, f) => s + f.detail.minutes, 0);
    // The seed verified work in the demo community: there is something to add up.
    expect(home).toBeGreaterThan(0);
    expect(await expectAgreement()).toBeGreaterThan(0);
  });

  it("a verification made through HTTP moves the county once, and the figures still agree", { timeout: 120_000 }, async () => {
    const at = (role: string) => demo.people.find((p: any) => p.role === role && !p.communityId && !p.unitId);
    const staff = staffOf(demo.communityId);
    const resident = at("resident");
    const member = at("member");
    const place = { lat: 33.0676, lng: 107.0238 };
    const wish = await call("POST", "/api/wishes", resident.token, {
      communityId: demo.communityId,
      category: "repair",
      title: "换楼道灯泡",
      description: "楼道灯坏了，想请人帮忙换一下。",
      address: "幸福里3号楼",
      location: place,
    });
    await call("POST", `/api/wishes/${wish.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 60 });
    await call("POST", `/api/wishes/${wish.id}/claim`, member.token);
    await call("POST", `/api/wishes/${wish.id}/check-in`, member.token, { ...place, accuracy: 20 });
    await call("POST", `/api/wishes/${wish.id}/check-out`, member.token, { ...place, accuracy: 20 });
    await call("POST", `/api/wishes/${wish.id}/complete`, member.token, { note: "换好了" });
    await call("POST", `/api/wishes/${wish.id}/confirm`, resident.token, { rating: 5 });
    const month = monthOf(new Date());
    months.add(month);
    const own = async () => (await call("GET", `/api/units/${demo.communityId}/stats?period=${month}`, countyToken())).detail.minutes;
    const before = await own();
    await call("POST", `/api/wishes/${wish.id}/verify`, staff.token, { minutes: { [member.id]: 75 }, reason: "按实际服务时长" });
    expect(await own()).toBe(before + 75);
    // The stream poller carries the verification to the towns and the county within seconds.
    const moved = async () => {
      const { headline, ranking } = await figures(county().id, month);
      return headline.detail.minutes >= before + 75 && ranking.find((i) => i.id === demo.communityId)?.minutes === before + 75;
    };
    for (const deadline = Date.now() + 30_000; !(await moved()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
    await expectAgreement();
  });
});
