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
    // The app's files are on the phone (the service worker has them); only the wish must come from the network.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
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

  it("after verification: who was credited what, 0 minutes for a volunteer who never came, the resident's thanks", {
    timeout: 120_000,
  }, async () => {
    const title = "帮忙把旧沙发抬下楼";
    const id = await openWish(title, 2);
    const [came, absent] = [site.person("周强"), site.person("吴敏")];
    const at = { ...place, accuracy: 15 };
    for (const m of [came, absent]) await site.api("POST", `/api/wishes/${id}/claim`, m.token);
    await site.api("POST", `/api/wishes/${id}/check-in`, came.token, at);
    await site.api("POST", `/api/wishes/${id}/check-out`, came.token, at);
    await site.api("POST", `/api/wishes/${id}/complete`, came.token, { note: "抬下去了。" });
    await site.api("POST", `/api/wishes/${id}/confirm`, site.person("李大爷").token, { rating: 5, comment: "谢谢两位！" });
    await site.api("POST", `/api/wishes/${id}/verify`, site.person("王主任").token, {
      minutes: { [came.id]: 30 },
      reason: "按实际抬了半小时计。",
    });

    const { context, page, errors } = await site.phoneAt({ as: absent });
    await page.goto(`${site.url}/tasks`);
    const card = page.locator("li.card", { hasText: title });
    await card.getByText("没有签到，记 0 分钟").waitFor();
    await card.getByText("谢谢两位！").waitFor();
    expect(await card.getByText("居民评价 5 颗星").count()).toBe(1);
    await card.getByRole("link", { name: title }).click();
    const credited = page.getByRole("list", { name: "核定的时长" });
    await credited.waitFor();
    expect(await credited.locator("li").allTextContents()).toEqual(["周强30 分钟（签到到签退实测 0 分钟）", "吴敏0 分钟（没有签到）"]);
    await expectAccessible(page, "closed wish (volunteer)");
    await context.close();

    const other = await site.phoneAt({ as: came });
    await other.page.goto(`${site.url}/tasks`);
    const mine = other.page.locator("li.card", { hasText: title });
    await mine.getByText("记了 30 分钟").waitFor();
    await mine.getByText("谢谢两位！").waitFor();
    expect([...errors, ...other.errors]).toEqual([]);
    await other.context.close();
  });

  it("the printable certificate fits a phone: one-line title and names, a place for the seal, hours labelled", {
    timeout: 60_000,
  }, async () => {
    // Any volunteer with verified hours (the walk-through above credited 周强).
    let member = site.person("周强");
    for (const p of site.demo.people.filter((x) => x.role === "member")) {
      if ((await site.api("GET", `/api/members/${p.id}/hours`, p.token)).entries.length > 0) member = p;
    }
    const cert = await site.api("POST", `/api/members/${member.id}/certificates`, member.token, { from: "2000-01-01", to: "2099-12-31" });
    const { context, page } = await site.phoneAt();
    await page.goto(`${site.url}/api/certificates/${cert.number}/print`);
    const report = await page.evaluate(() => {
      const lines = (el: Element | null) => {
        const range = document.createRange();
        range.selectNodeContents(el!);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      };
      return {
        width: document.documentElement.scrollWidth,
        title: lines(document.querySelector("h1")),
        name: lines(document.querySelector(".lead b")),
        seal: document.querySelector(".seal-box")?.textContent,
        head: [...document.querySelectorAll("thead th")].map((th) => th.textContent),
        note: document.querySelector(".hours-note")?.textContent,
      };
    });
    expect(report.width).toBeLessThanOrEqual(390);
    expect(report.title).toBe(1);
    expect(report.name).toBe(1);
    expect(report.seal).toContain("盖章");
    expect(report.head.at(-1)).toContain("核定");
    expect(report.note).toContain("签到签退");
    await expectAccessible(page, "certificate on a phone");
    await context.close();
  });

  it("the figures page: exports first, no rows of zeros, ties said as ties, and what 100 分 means", { timeout: 60_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("王主任") });
    await page.goto(`${site.url}/stats`);
    const members = page.getByRole("list", { name: /志愿者排名/ });
    await page.getByRole("heading", { name: /志愿者排名/ }).waitFor();
    const exportsAt = (await page.getByRole("heading", { name: "导出与导入" }).boundingBox())!.y;
    const rankingsAt = (await page.getByRole("heading", { name: /志愿者排名/ }).boundingBox())!.y;
    expect(exportsAt).toBeLessThan(rankingsAt);
    await page
      .getByText(/100 分/)
      .first()
      .waitFor();
    expect(await page.getByText("得分满分 100").count()).toBe(1);
    const month = await page.locator("#stats-month").inputValue();
    const ranked = await site.api(
      "GET",
      `/api/communities/${site.demo.communityId}/rankings?period=${month}&by=member`,
      site.person("王主任").token,
    );
    const zero = ranked.items.filter((r: { minutes: number }) => r.minutes === 0).length;
    if (ranked.items.length > zero) {
      await members.waitFor();
      const rows = await members.locator("li").allTextContents();
      expect(rows.some((r) => /· 0 ?分钟/.test(r))).toBe(false);
      const ranks = rows.map((r) => /^(?:并列 )?(\d+)\./.exec(r)![1]);
      for (const [i, r] of rows.entries()) if (ranks.indexOf(ranks[i]) !== ranks.lastIndexOf(ranks[i])) expect(r).toMatch(/^并列 /);
    }
    if (zero > 0) await page.getByText(`另有 ${zero} 位志愿者这个月还没有核验过的时长`).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offline, a list shows what the phone kept and says so, not the form's message", { timeout: 90_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("孙悦") });
    await page.goto(`${site.url}/hall`);
    await page.locator("li.card").first().waitFor();
    const online = await page.locator("li.card .card-title").allTextContents();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { name: "心愿大厅" }).waitFor();
    await page.getByText(/没有网络：这是 .+ 保存在手机上的列表/).waitFor();
    expect(await page.locator("li.card .card-title").allTextContents()).toEqual(online);
    expect(await page.locator("body").textContent()).not.toContain("刚才的操作没有发出去");
    expect(await page.locator(".offline").textContent()).not.toContain("页面是上次保存的内容");
    // A list this phone never saw: said plainly.
    await page.getByRole("link", { name: "我的任务" }).click();
    await page.getByText("现在没有网络，内容没能加载。联网后会自动再试。").waitFor();
    await context.setOffline(false);
    await page.getByText("现在没有网络，内容没能加载。联网后会自动再试。").waitFor({ state: "detached", timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("back from a wish, the hall is where it was", { timeout: 90_000 }, async () => {
    for (let i = 0; i < 6; i++) await openWish(`帮忙整理楼道杂物 ${i + 1}`);
    const { context, page, errors } = await site.phoneAt({ as: site.person("马超") });
    await page.goto(`${site.url}/hall`);
    await page.locator("li.card").nth(8).waitFor();
    const last = page.locator("li.card").last();
    await last.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => scrollY);
    expect(before).toBeGreaterThan(300);
    await last.locator(".card-title").click();
    await page.waitForURL(/\/wishes\//);
    await page.locator(".timeline").waitFor();
    await page.goBack();
    await page.getByRole("heading", { name: "心愿大厅" }).waitFor();
    await page.waitForFunction((y) => Math.abs(scrollY - y) < 5, before, { timeout: 5_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("looks like the community's app: the mark and its name, icons in the tabs and on categories, chips on one row", {
    timeout: 60_000,
  }, async () => {
    const idle = await (async () => {
      for (const p of site.demo.people.filter((x) => x.role === "member")) {
        if ((await site.api("GET", "/api/me/tasks", p.token)).items.length === 0) return p;
      }
      throw new Error("every demo member has tasks");
    })();
    const { context, page, errors } = await site.phoneAt({ as: idle });
    await page.goto(`${site.url}/hall`);
    await page.locator("li.card").first().waitFor();
    const look = await page.evaluate(() => {
      const chips = [...document.querySelectorAll<HTMLElement>(".chips .chip")];
      return {
        mark: document.querySelectorAll("header .brand svg.mark").length,
        brand: document.querySelector("header .brand")?.textContent,
        underlined: [...document.querySelectorAll("header a, header button.link")].filter(
          (a) => getComputedStyle(a).textDecorationLine !== "none",
        ).length,
        tabsWithoutIcon: [...document.querySelectorAll(".tabs a")].filter((a) => !a.querySelector("svg")).length,
        chipRows: new Set(chips.map((c) => Math.round(c.getBoundingClientRect().top))).size,
        chipsWithoutIcon: chips.slice(1).filter((c) => !c.querySelector("svg")).length,
        cardsWithoutIcon: [...document.querySelectorAll("li.card .meta .category")].filter((c) => !c.querySelector("svg")).length,
      };
    });
    expect(look).toEqual({
      mark: 1,
      brand: "微心愿幸福里社区",
      underlined: 0,
      tabsWithoutIcon: 0,
      chipRows: 1,
      chipsWithoutIcon: 0,
      cardsWithoutIcon: 0,
    });
    // An empty list says what to do next, with the way there.
    await page.getByRole("link", { name: "我的任务" }).click();
    await page.getByText("在心愿大厅挑一个离您近的心愿").waitFor();
    await page.locator(".empty").getByRole("link", { name: "去心愿大厅" }).click();
    await page.getByRole("heading", { name: "心愿大厅" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
