/**
 * Things a person ran into on a 390×844 phone, each walked through in real Chromium as it
 * happened: a wish page that never stops loading, a check-in retry that reuses an old position,
 * the figures' month on New Year's morning, a form that keeps saying a filled field is empty,
 * a claim with no word that it worked, and "此刻发布" that reads like a button.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

const place = { lat: 33.0712, lng: 107.0261 };

async function openWish(title: string, slots = 1) {
  const body = { communityId: site.demo.communityId, category: "repair", title, description: `${title}。`, location: place };
  const id = (await site.api("POST", "/api/wishes", site.person("李大爷").token, body)).id as string;
  await site.api("POST", `/api/wishes/${id}/approve`, site.person("王主任").token, { slots, estimatedMinutes: 60 });
  return id;
}

describe("defects seen on a phone", () => {
  it("a wish page that cannot load says why, and loads once the network returns", { timeout: 90_000 }, async () => {
    const id = await openWish("帮忙换个灯泡");
    const { context, page, errors } = await site.phoneAt({ as: site.person("张伟") });

    // A dead link (a notification about a wish that is gone): told so, not left on "loading".
    await page.goto(`${site.url}/wishes/NO-SUCH-WISH`);
    await page.getByRole("alert").filter({ hasText: "找不到这个心愿" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("main").textContent()).not.toContain("正在加载");

    // Offline: the page says there is no network, and shows the wish by itself when it comes back.
    await page.goto(`${site.url}/hall`);
    await page.locator("li.card").first().waitFor();
    await context.setOffline(true);
    await page.evaluate((to) => {
      history.pushState(null, "", to);
      dispatchEvent(new PopStateEvent("popstate"));
    }, `/wishes/${id}`);
    await page.getByRole("alert").filter({ hasText: "没有网络" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("main").textContent()).not.toContain("正在加载");
    await context.setOffline(false);
    await page.getByRole("heading", { name: "帮忙换个灯泡" }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a check-in retried after stepping closer asks the phone for a fresh position", { timeout: 90_000 }, async () => {
    const id = await openWish("帮忙修一下信箱");
    const member = site.person("陈静");
    await site.api("POST", `/api/wishes/${id}/claim`, member.token);
    const far = { lat: place.lat + 0.01, lng: place.lng };
    const { context, page, errors } = await site.phoneAt({ as: member, at: far });
    // As phones do: a request that accepts an older fix gets the last one, without looking again.
    await context.addInitScript(() => {
      const geo = navigator.geolocation;
      const look = geo.getCurrentPosition.bind(geo);
      let last: GeolocationPosition | undefined;
      geo.getCurrentPosition = (ok, bad, opts) => {
        if (last && (opts?.maximumAge ?? 0) > 0 && Date.now() - last.timestamp <= opts!.maximumAge!) return ok(last);
        look((p) => ok((last = p)), bad, opts);
      };
    });
    await page.goto(`${site.url}/wishes/${id}`);
    await page.getByRole("button", { name: "到达签到" }).click();
    await page.getByRole("alert").filter({ hasText: "1.1公里" }).waitFor();
    // The volunteer walks to the door and tries again.
    await context.setGeolocation({ latitude: place.lat + 0.0003, longitude: place.lng, accuracy: 15 });
    await page.getByRole("button", { name: "到达签到" }).click();
    await page.getByText("签到成功，开始计时。").waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the figures page offers this month in China time at 07:30 on 1 January", { timeout: 60_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("王主任") });
    // 2027-01-01 07:30 in China is still 2026-12-31 in UTC.
    await page.clock.setFixedTime(new Date("2026-12-31T23:30:00Z"));
    await page.goto(`${site.url}/stats`);
    await page.getByRole("heading", { name: "社区统计" }).waitFor();
    const month = page.locator("#stats-month");
    expect(await month.inputValue()).toBe("2027-01");
    expect(await month.getAttribute("max")).toBe("2027-01");
    await page.getByRole("heading", { name: "2027 年每月志愿时长" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("'这一项要填。' goes once the field is filled", { timeout: 60_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("张阿姨") });
    await page.goto(`${site.url}/post`);
    await page.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await page.getByRole("radio", { name: "维修服务" }).check();
    await page.getByRole("button", { name: "提交心愿" }).click();
    const title = page.getByLabel("想请人帮什么忙？");
    await page.getByText("这一项要填。").waitFor();
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    await title.fill("楼道灯坏了");
    await page.getByText("这一项要填。").waitFor({ state: "detached", timeout: 2_000 });
    expect(await title.getAttribute("aria-invalid")).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("claiming from the hall says on the wish page that the claim worked", { timeout: 60_000 }, async () => {
    const title = "帮忙把米扛上五楼";
    await openWish(title);
    const { context, page, errors } = await site.phoneAt({ as: site.person("赵磊") });
    await page.goto(`${site.url}/hall`);
    const card = page.locator("li.card", { hasText: title });
    await card.getByRole("button", { name: "我来帮忙" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "确定认领" }).click();
    await page.waitForURL(/\/wishes\//);
    await page.getByRole("heading", { name: title }).waitFor();
    await page.getByText("认领成功，居民会收到通知。").waitFor({ timeout: 5_000 });
    await expectAccessible(page, "wish page after a claim from the hall");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a wish posted a moment ago reads '刚刚发布', not '此刻发布'", { timeout: 60_000 }, async () => {
    const title = "帮忙看一下电表";
    await openWish(title);
    const { context, page, errors } = await site.phoneAt({ as: site.person("黄丽") });
    await page.goto(`${site.url}/hall`);
    const card = page.locator("li.card", { hasText: title });
    await card.waitFor();
    expect(await card.textContent()).toContain("刚刚发布");
    expect(await card.textContent()).not.toContain("此刻");
    expect(errors).toEqual([]);
    await context.close();
  });
});
