/**
 * Members' skills: listed through PUT /api/me within limits, ranked by dispatch (skills matched,
 * then tasks in hand, then nearness to the member's other tasks) and used by the hall's "matches
 * my skills" filter. Through the real HTTP API against DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, newWish, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 6, residents: 2 });
}, 60_000);
afterAll(() => api?.close());

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};
const setSkills = (p: Person, skills: unknown) => api.call("PUT", "/api/me", { as: p, body: { skills } });
const here = { lat: 33.0676, lng: 107.0238 };

async function opened(extra: Record<string, unknown>, slots = 1, owner = c.residents[0]) {
  const id = (await ok(api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id, extra) }))).id as string;
  await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots, estimatedMinutes: 60 } }));
  return id;
}

describe("a member's skills", () => {
  it("come from the community's list or the member's own words, once each, and show in /api/me", async () => {
    const catalogue = (await ok(api.call("GET", `/api/communities/${c.id}`))).skills;
    expect(catalogue).toContainEqual({ name: "水电维修", en: "Plumbing and wiring", categories: ["repair"] });
    const me = await ok(setSkills(c.members[5], ["水电维修", " 驾驶 ", "驾驶", "会修自行车"]));
    expect(me.skills).toEqual(["水电维修", "驾驶", "会修自行车"]);
    expect((await ok(api.call("GET", "/api/me", { as: c.members[5] }))).skills).toEqual(["水电维修", "驾驶", "会修自行车"]);
    // Fields left out stay as they are.
    expect((await ok(api.call("PUT", "/api/me", { as: c.members[5], body: {} }))).skills).toEqual(["水电维修", "驾驶", "会修自行车"]);
  });

  it("over ten, longer than 20 characters, empty or not text: 422 naming the field, and nothing changes", async () => {
    const member = c.members[5];
    const before = (await ok(api.call("GET", "/api/me", { as: member }))).skills;
    const cases: unknown[] = [Array.from({ length: 11 }, (_, i) => `技能${i}`), ["水电维修", "很".repeat(21)], [""], [42], "水电维修"];
    for (const skills of cases) {
      const refused = await setSkills(member, skills);
      expect(refused.status, JSON.stringify(skills)).toBe(422);
      expect(
        Object.keys(refused.body.errors).every((k) => k.startsWith("skills")),
        JSON.stringify(refused.body.errors),
      ).toBe(true);
    }
    expect((await ok(api.call("GET", "/api/me", { as: member }))).skills).toEqual(before);
    // Twenty characters and ten skills are within the limits; an empty list clears them.
    await ok(
      setSkills(
        member,
        Array.from({ length: 10 }, (_, i) => `${"长".repeat(18)}${i}`),
      ),
    );
    expect((await ok(setSkills(member, []))).skills).toEqual([]);
  });
});

describe("dispatch candidates", () => {
  it("come best first: skills matched, then fewest tasks in hand, then nearest to their other tasks", async () => {
    const [m0, m1, m2, m3, m4] = c.members;
    await ok(setSkills(m0, ["水电维修"]));
    await ok(setSkills(m1, ["家电维修", "Plumbing and wiring", "理发"]));
    await ok(setSkills(m2, ["课业辅导"]));
    await ok(setSkills(m3, []));
    await ok(setSkills(m4, ["保洁"]));
    // Tasks in hand: m0 and m3 on a wish about 100 m north, m4 on one about 2 km north, m1 on one with no place.
    const near = await opened({ category: "carry", location: { lat: here.lat + 0.0009, lng: here.lng } }, 2);
    const far = await opened({ category: "carry", location: { lat: here.lat + 0.018, lng: here.lng } });
    const nowhere = await opened({ category: "errand", location: undefined, address: undefined });
    for (const [m, w] of [
      [m0, near],
      [m3, near],
      [m4, far],
      [m1, nowhere],
    ] as const) {
      await ok(api.call("POST", `/api/wishes/${w}/claim`, { as: m }));
    }
    const tap = await opened({ category: "repair", title: "水管漏水", location: here });

    const { items } = await ok(api.call("GET", `/api/wishes/${tap}/candidates`, { as: c.staff }));
    expect(items.map((x: any) => x.name)).toEqual([m1.name, m0.name, m2.name, c.members[5].name, m3.name, m4.name]);
    const by = (p: Person) => items.find((x: any) => x.id === p.id);
    expect(by(m1)).toMatchObject({ matched: ["家电维修", "Plumbing and wiring"], tasksInHand: 1 });
    expect(by(m1).distanceMeters).toBeUndefined();
    expect(by(m0)).toMatchObject({ skills: ["水电维修"], matched: ["水电维修"], tasksInHand: 1 });
    expect(by(m2)).toMatchObject({ matched: [], tasksInHand: 0 });
    expect(by(m3).distanceMeters).toBeGreaterThan(90);
    expect(by(m3).distanceMeters).toBeLessThan(110);
    expect(by(m4).distanceMeters).toBeGreaterThan(1900);
    expect(by(m4).distanceMeters).toBeLessThan(2100);

    // Staff may put nearness or load first; the other keys follow.
    const order = async (sort: string) =>
      (await ok(api.call("GET", `/api/wishes/${tap}/candidates?sort=${sort}`, { as: c.staff }))).items.map((x: any) => x.name);
    const m5 = c.members[5];
    expect(await order("distance")).toEqual([m0.name, m3.name, m4.name, m1.name, m2.name, m5.name]);
    expect(await order("load")).toEqual([m2.name, m5.name, m1.name, m0.name, m3.name, m4.name]);
    expect(await order("skill")).toEqual(items.map((x: any) => x.name));

    const asked = await ok(api.call("GET", `/api/wishes/${tap}/candidates?skill=${encodeURIComponent("理发")}`, { as: c.staff }));
    expect(asked.items.map((x: any) => [x.name, x.matched])).toEqual([[m1.name, ["理发"]]]);

    // Members already on the wish are not offered again.
    await ok(api.call("POST", `/api/wishes/${tap}/claim`, { as: m2 }));
    const after = await ok(api.call("GET", `/api/wishes/${tap}/candidates`, { as: c.staff }));
    expect(after.items.map((x: any) => x.id)).not.toContain(m2.id);
  });

  it("are for staff: a member is refused, a resident is told the wish does not exist", async () => {
    const id = await opened({ category: "repair" });
    expect((await api.call("GET", `/api/wishes/${id}/candidates`, { as: c.members[0] })).status).toBe(403);
    expect((await api.call("GET", `/api/wishes/${id}/candidates`, { as: c.residents[1] })).status).toBe(404);
    const long = await api.call("GET", `/api/wishes/${id}/candidates?skill=${"很".repeat(21)}`, { as: c.staff });
    expect(long.status).toBe(400);
    const unknownOrder = await api.call("GET", `/api/wishes/${id}/candidates?sort=rating`, { as: c.staff });
    expect(unknownOrder.status).toBe(400);
    expect(Object.keys(unknownOrder.body.errors)).toEqual(["sort"]);
  });
});

describe("the hall's matches-my-skills filter", () => {
  it("shows the open wishes a member's skills serve: by category, or their own words in the wish", async () => {
    const member = c.members[5];
    await ok(setSkills(member, ["保洁", "修自行车"]));
    const cleaning = await opened({ category: "cleaning", title: "楼道清扫" });
    const bike = await opened({ category: "other", title: "帮忙修自行车" });
    const tutoring = await opened({ category: "children", title: "辅导作业" });
    const all = await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=open&limit=100`, { as: member }));
    expect(all.items.map((w: any) => w.id)).toEqual(expect.arrayContaining([cleaning, bike, tutoring]));
    const mine = await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=open&limit=100&skills=mine`, { as: member }));
    const ids = mine.items.map((w: any) => w.id);
    expect(ids).toEqual(expect.arrayContaining([cleaning, bike]));
    expect(ids).not.toContain(tutoring);
    expect(mine.items.every((w: any) => w.category === "cleaning" || w.title.includes("修自行车"))).toBe(true);
    const bad = await api.call("GET", `/api/wishes?communityId=${c.id}&status=open&skills=all`, { as: member });
    expect(bad.status).toBe(400);
  });
});
