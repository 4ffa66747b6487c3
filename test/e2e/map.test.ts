/**
 * The map in real Chromium at 390×844 with no tile server configured: a marker for each open wish
 * with a position, a scale bar, axe clean, Leaflet fetched only once the map is opened, and a
 * marker's popup leading to its wish, an activity's to its page. On a wish page: a warned claim extended once, and a stalled
 * claim asked for by another member and handed over by staff.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { expectAccessible, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

const minute = 60_000;

/** An approved wish whose window starts `startsIn` ms from now and lasts three hours. */
async function opened(title: string, startsIn: number) {
  const from = Date.now() + startsIn;
  const window = { from: new Date(from).toISOString(), to: new Date(from + 180 * minute).toISOString() };
  const resident = site.person("王奶奶");
  const staff = site.person("王主任");
  const wish = await site.api("POST", "/api/wishes", resident.token, {
    communityId: site.demo.communityId,
    category: "errand",
    title,
    description: `${title}，谢谢。`,
    window,
  });
  await site.api("POST", `/api/wishes/${wish.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 30 });
  return { id: wish.id as string, from };
}

describe("the map", () => {
  it("shows each open wish as a marker on a plain map with a scale, loads Leaflet only there, and a popup leads to the wish", {
    timeout: 180_000,
  }, async () => {
    const member = site.person("李明");
    const open = await site.api("GET", `/api/wishes?communityId=${site.demo.communityId}&status=open&limit=100`, member.token);
    const placed = (open.items as any[]).filter((w) => w.location);
    expect(placed.length).toBeGreaterThan(0);

    const phone = await site.phoneAt({ as: member });
    const requested: string[] = [];
    phone.context.on("request", (r) => requested.push(r.url()));
    const p = phone.page;
    await p.goto(`${site.url}/hall`);
    await p.getByRole("heading", { name: "心愿大厅" }).waitFor();
    await p.waitForLoadState("networkidle");
    expect(
      requested.filter((u) => /map-view/.test(u)),
      "Leaflet before the map",
    ).toEqual([]);

    await p.getByRole("link", { name: "地图", exact: true }).click();
    await p.getByRole("heading", { name: "地图", exact: true }).waitFor();
    await p.locator(".leaflet-marker-icon.wish").first().waitFor();
    expect(await p.locator(".leaflet-marker-icon.wish").count()).toBe(placed.length);
    expect(requested.some((u) => /map-view-[\w-]+\.js$/.test(u))).toBe(true);
    expect(requested.some((u) => /map-view-[\w-]+\.css$/.test(u))).toBe(true);
    expect(
      requested.some((u) => !u.startsWith(site.url) && !u.startsWith("data:")),
      "no other host",
    ).toBe(false);
    await expect.poll(() => p.locator(".leaflet-control-scale-line").isVisible()).toBe(true);
    expect(await p.locator(".leaflet-tile").count(), "no tiles").toBe(0);
    await expectAccessible(p, "map");
    await screenshot(p, "map-member");

    const target = placed[0];
    await p.getByRole("button", { name: target.title }).first().click();
    await p.locator(".leaflet-popup").getByText(target.title).waitFor();
    await p.locator(".leaflet-popup").getByRole("link", { name: "查看心愿" }).click();
    await p.waitForURL(new RegExp(`/wishes/${target.id}$`));
    await p.getByRole("heading", { name: target.title }).waitFor();
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it("shows an activity to come, and its popup leads to the activity's page", { timeout: 120_000 }, async () => {
    const from = Date.now() + 2 * 86_400_000;
    const activity = await site.api("POST", `/api/communities/${site.demo.communityId}/activities`, site.person("王主任").token, {
      title: "广场义诊（地图）",
      description: "量血压、测血糖。",
      address: "社区广场",
      location: { lat: 33.0701, lng: 107.0252 },
      window: { from: new Date(from).toISOString(), to: new Date(from + 120 * minute).toISOString() },
    });
    const phone = await site.phoneAt({ as: site.person("李明") });
    const p = phone.page;
    await p.goto(`${site.url}/map`);
    await p.getByRole("heading", { name: "地图", exact: true }).waitFor();
    await p.getByRole("button", { name: "广场义诊（地图）" }).first().click();
    await p.locator(".leaflet-popup").getByText("社区广场").waitFor();
    await p.locator(".leaflet-popup").getByRole("link", { name: "广场义诊（地图）" }).click();
    await p.waitForURL(new RegExp(`/activities/${activity.id}$`));
    await p.getByRole("heading", { name: "广场义诊（地图）" }).waitFor();
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});

describe("claims that stall, on the wish page", () => {
  it("the holder of a warned claim extends it once; the button is gone after", { timeout: 120_000 }, async () => {
    const holder = site.person("张伟");
    const { id, from } = await opened("帮忙取快递（延长）", 5 * minute);
    await site.api("POST", `/api/wishes/${id}/claim`, holder.token);
    const report = await runJobs(site.store, { now: new Date(from + 15 * minute) });
    expect(report.warned).toBeGreaterThanOrEqual(1);

    const phone = await site.phoneAt({ as: holder });
    const p = phone.page;
    await p.goto(`${site.url}/wishes/${id}`);
    await p.getByText(/还没签到，已提醒/).waitFor();
    await p.getByRole("button", { name: "延长一次" }).click();
    await p.getByText(/已延长一次：请在 .+ 前签到/).waitFor();
    expect(await p.getByRole("button", { name: "延长一次" }).count()).toBe(0);
    await p.getByText(/延长了一次签到时限/).waitFor();
    await expectAccessible(p, "wish, claim extended");
    const wish = await site.api("GET", `/api/wishes/${id}`, holder.token);
    expect(wish.claims[0].extendedAt).toBeDefined();
    await phone.context.close();
  });

  it("another member asks to take over a stalled claim, and staff hand it over", { timeout: 120_000 }, async () => {
    const holder = site.person("刘洋");
    const asker = site.person("陈静");
    const { id } = await opened("送药上门（接手）", -2 * minute);
    await site.api("POST", `/api/wishes/${id}/claim`, holder.token);

    const member = await site.phoneAt({ as: asker });
    const m = member.page;
    await m.goto(`${site.url}/wishes/${id}`);
    await m.getByRole("button", { name: "申请接手" }).click();
    await m.getByText("已申请，等社区审核。").waitFor();
    await m.getByText(`您已申请接手 ${holder.name} 的名额，等社区审核。`).waitFor();
    await expectAccessible(m, "wish, takeover asked");

    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/wishes/${id}`);
    await s.getByRole("heading", { name: "接手申请" }).waitFor();
    await s.getByRole("button", { name: `同意由 ${asker.name} 接手` }).click();
    await s.getByText("已转交，新的志愿者会收到通知。").waitFor();
    await s.getByText(/同意接手/).waitFor();
    const wish = await site.api("GET", `/api/wishes/${id}`, site.person("王主任").token);
    expect(wish.claims.map((c: any) => c.memberId)).toEqual([asker.id]);
    await member.context.close();
    await staff.context.close();
  });
});
