/**
 * The whole journey through the web app in real Chromium at a phone's size: a resident posts,
 * staff approve, a member claims, checks in and out where the wish is, completes, the resident
 * confirms and rates, staff verify, and the member sees the hours. Then the same pages in
 * English, a check-in the phone refuses, two members racing for the last place, offline, and
 * every page checked with axe, at 320 px and for tap targets. Screenshots land in test-results/e2e.
 */
import { readFileSync } from "node:fs";
import { UpdateCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf, monthOf } from "../../functions/core/period.js";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

const place = { lat: 33.0712, lng: 107.0261 };

/** A wish posted by a demo resident, waiting for review. */
async function postWish(wishTitle: string) {
  const body = {
    communityId: site.demo.communityId,
    category: "repair",
    title: wishTitle,
    description: `${wishTitle}，麻烦了。`,
    address: "幸福里2号楼",
    location: place,
  };
  return (await site.api("POST", "/api/wishes", site.person("李大爷").token, body)).id as string;
}

/** A wish approved by staff and open for claims. */
async function openWish(wishTitle: string, slots: number) {
  const id = await postWish(wishTitle);
  await site.api("POST", `/api/wishes/${id}/approve`, site.person("王主任").token, { slots, estimatedMinutes: 60 });
  return id;
}
const title = "帮忙取快递送到三楼";

describe("the web app on a phone", () => {
  let wishId = "";
  /** When staff verified the walk-through's wish: the day and month its hours count in (China time). */
  const verifiedAt = async (): Promise<string> =>
    (await site.api("GET", `/api/wishes/${wishId}`, site.person("王主任").token)).timeline.find(
      (e: { kind: string }) => e.kind === "verify",
    ).at;

  it("walks a wish from posting to verified hours, each role through its own screens", { timeout: 240_000 }, async () => {
    const resident = await site.phoneAt({ at: place });
    const staff = await site.phoneAt();
    const member = await site.phoneAt({ at: { lat: place.lat + 0.0003, lng: place.lng } });
    const r = resident.page;
    const s = staff.page;
    const m = member.page;

    // The resident signs in with a text message code and posts: a category chip, a title, the place.
    await r.goto(site.url);
    await r.waitForURL(/\/signin/);
    await r.getByRole("heading", { name: "登录" }).waitFor();
    await expectAccessible(r, "sign-in");
    await screenshot(r, "signin-zh");
    await site.signInThroughUi(r, site.person("王奶奶"));
    await r.getByRole("heading", { name: "我的心愿" }).waitFor();
    await expectAccessible(r, "my wishes");
    await screenshot(r, "resident-my-wishes");
    await r.getByRole("link", { name: "发心愿" }).first().click();
    await r.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await r.getByRole("radio", { name: "跑腿代办" }).check();
    await r.getByLabel("想请人帮什么忙？").fill(title);
    await r.getByLabel("地址（可不填）").fill("幸福里7号楼3单元");
    await r.getByRole("button", { name: "用我现在的位置" }).click();
    await r.getByText("已记下位置").waitFor();
    await expectAccessible(r, "post");
    await expectPhoneFriendly(r, "post");
    await screenshot(r, "resident-post");
    await r.getByRole("button", { name: "提交心愿" }).click();
    await r.waitForURL(/\/wishes\/\w+/);
    wishId = new URL(r.url()).pathname.split("/").pop()!;
    await r.getByText("心愿已提交").waitFor();
    expect(await r.locator(".page-head .badge").textContent()).toBe("待审核");
    const posted = await site.api("GET", `/api/wishes/${wishId}`, site.person("王奶奶").token);
    expect(posted).toMatchObject({
      title,
      category: "errand",
      address: "幸福里7号楼3单元",
      status: "submitted",
      location: { lat: place.lat, lng: place.lng },
    });
    await expectAccessible(r, "wish page (resident)");

    // Staff find it in the review queue and approve it.
    await site.signInThroughUi(s, site.person("王主任"));
    await s.getByRole("heading", { name: "待审核的心愿" }).waitFor();
    await s.getByRole("link", { name: title }).waitFor();
    // Oldest first: the wish just posted waits at the end of the queue.
    const queue = await s.locator("li.card .card-title").allTextContents();
    expect(queue.length).toBeGreaterThan(1);
    expect(queue.at(-1)).toBe(title);
    await expectAccessible(s, "review queue");
    await screenshot(s, "staff-review");
    await s.getByRole("link", { name: title }).click();
    await s.getByRole("heading", { name: "通过审核" }).waitFor();
    await expectAccessible(s, "wish page (staff, review)");
    await s.getByLabel("预计用时（分钟）").fill("45");
    await s.getByRole("button", { name: "通过，发到心愿大厅" }).click();
    await s.getByText("已通过，志愿者现在能认领。").waitFor();
    expect(await s.locator(".page-head .badge").textContent()).toBe("待认领");

    // A member nearby sees it in the hall, nearest first, and claims it after confirming.
    await site.signInThroughUi(m, site.person("李明"));
    await m.getByRole("heading", { name: "心愿大厅" }).waitFor();
    const card = m.locator("li.card", { hasText: title });
    await card.waitFor();
    await m.getByText("已按距离排序").waitFor();
    expect(await m.locator("li.card .card-title").first().textContent()).toBe(title);
    await expectAccessible(m, "hall");
    await expectPhoneFriendly(m, "hall");
    await screenshot(m, "member-hall");
    await card.getByRole("button", { name: "我来帮忙" }).click();
    const dialog = m.getByRole("dialog", { name: "确定认领？" });
    await dialog.waitFor();
    await expectAccessible(m, "claim dialog");
    await dialog.getByRole("button", { name: "确定认领" }).click();
    await m.waitForURL(new RegExp(`/wishes/${wishId}`));
    await m.getByRole("button", { name: "到达签到" }).waitFor();
    expect(await m.locator(".page-head .badge").textContent()).toBe("已认领");

    // At the door: check in with the phone's position.
    await m.getByRole("button", { name: "到达签到" }).click();
    await m.getByText("签到成功，开始计时。").waitFor();
    expect(await m.locator(".page-head .badge").textContent()).toBe("服务中");
    await expectAccessible(m, "wish page (member, in progress)");
    await screenshot(m, "member-in-progress");

    // The resident's page now shows the completion code; the member enters it to check out.
    await r.reload();
    const code = (await r.locator(".handshake .code [aria-hidden]").textContent())!.trim();
    // Meanwhile the resident heard of the approval and the claim: the bell counts them.
    await r.getByRole("link", { name: /^通知，\d+ 条未读$/ }).waitFor();
    expect(code).toMatch(/^\d{4}$/);
    await screenshot(r, "resident-code");
    await m.getByLabel("居民的完成确认码").fill(code);
    await m.getByRole("button", { name: "签退" }).click();
    await m.getByText("签退成功。").waitFor();
    await m.getByText("居民已确认").waitFor();
    await m.getByLabel("做了些什么").fill("快递已送到三楼门口，交给王奶奶本人。");
    await m.getByRole("button", { name: "报告完成" }).click();
    await m.getByText("已报告完成，等居民确认。").waitFor();
    expect(await m.locator(".page-head .badge").textContent()).toBe("待确认");

    // The resident confirms with four stars and a word of thanks.
    await r.reload();
    await r.getByRole("heading", { name: "帮完了吗？" }).waitFor();
    await r.getByText("志愿者说：快递已送到三楼门口").waitFor();
    await expectAccessible(r, "wish page (resident, confirm)");
    await r.getByRole("radio", { name: "4 颗星" }).check();
    await r.getByLabel("想说的话（可不填）").fill("谢谢小李！");
    await screenshot(r, "resident-confirm");
    await r.getByRole("button", { name: "确认完成" }).click();
    await r.getByText("已确认，谢谢您的评价。").waitFor();
    expect(await r.locator(".page-head .badge").textContent()).toBe("待核验");

    // Staff verify from their queue: the visit was minutes long in this test, so they set 45 with a reason.
    await s.getByRole("link", { name: "待核验" }).click();
    await s.getByRole("heading", { name: "待核验时长" }).waitFor();
    await expectAccessible(s, "verification queue");
    await s.getByRole("link", { name: title }).click();
    await s.getByRole("heading", { name: "核验时长" }).waitFor();
    await s.getByLabel("李明 的分钟数").fill("45");
    await s.getByRole("radio", { name: "5 颗星" }).check();
    await s.getByLabel("改动的原因").fill("测试中签到签退只隔几秒，按实际服务 45 分钟计。");
    await expectAccessible(s, "wish page (staff, verify)");
    await screenshot(s, "staff-verify");
    await s.getByRole("button", { name: "核验并结束" }).click();
    await s.getByText("已核验，时长记入志愿者名下。").waitFor();
    expect(await s.locator(".page-head .badge").textContent()).toBe("已完成");
    const timeline = await s.locator(".timeline li").allTextContents();
    expect(timeline.map((t) => t.replace(/^.*?\d{2}:\d{2}/, ""))).toEqual([
      "王奶奶 发布了心愿",
      "王主任 审核通过",
      "李明 认领了心愿",
      "李明 到达签到",
      "李明 签退",
      "李明 报告已完成: 快递已送到三楼门口，交给王奶奶本人。",
      "王奶奶 确认完成并评价: 谢谢小李！",
      "王主任 核验时长，心愿完成: 测试中签到签退只隔几秒，按实际服务 45 分钟计。",
    ]);

    // The member hears of it: the bell, the notification, and from there the wish.
    await eventually(() => m.reload(), m.getByRole("link", { name: /^通知，\d+ 条未读$/ }));
    await m.getByRole("link", { name: /^通知，\d+ 条未读$/ }).click();
    await m.getByRole("heading", { name: "通知" }).waitFor();
    await m.getByText(`心愿「${title}」的服务时长已核定：45分钟。`).waitFor();
    await expectAccessible(m, "notifications");
    await screenshot(m, "member-notifications");
    await m.getByText(`心愿「${title}」的服务时长已核定：45分钟。`).click();
    await m.waitForURL(new RegExp(`/wishes/${wishId}`));
    await m.getByRole("heading", { name: title }).waitFor();

    // The member sees the 45 minutes among their hours.
    await m.getByRole("link", { name: "我的时长" }).click();
    await m.getByRole("heading", { name: "我的志愿时长" }).waitFor();
    const entry = m.locator("li.card", { hasText: title });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("45 分钟");
    expect(await entry.textContent()).toContain("王主任");
    await expectAccessible(m, "hours");
    await screenshot(m, "member-hours");

    // Staff see the month's figures: the activity, the person-time, the hours, and the branches ranked.
    await s.getByRole("link", { name: "统计" }).click();
    await s.getByRole("heading", { name: "社区统计" }).waitFor();
    const branches = s.getByRole("list", { name: "支部排名" });
    await branches.waitFor();
    const ranked = await branches.locator("li").allTextContents();
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked[0]).toMatch(/^1\. .+ · .*(小时|分钟)/);
    // The month the page shows, not the test's own clock: a run crossing midnight at a month's end would ask for another.
    const period = await s.locator("#stats-month").inputValue();
    const stats = await site.api("GET", `/api/communities/${site.demo.communityId}/stats?period=${period}`);
    const figures = await s.locator(".figures dd").allTextContents();
    expect(figures.slice(0, 3)).toEqual(
      [stats.activities, stats.personTimes, stats.residentsServed].map((n: number) => n.toLocaleString("zh-CN")),
    );
    await s.getByRole("list", { name: /年每月志愿时长/ }).waitFor();
    await expectAccessible(s, "stats");
    await screenshot(s, "staff-stats");

    for (const p of [resident, staff, member]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  it("speaks English when asked: every label from the catalogue, dates and numbers in English", { timeout: 120_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("李明") });
    await page.goto(`${site.url}/hall`);
    await page.getByRole("heading", { name: "心愿大厅" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Wish hall" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.locator("li.card").first().waitFor();
    expect(await chromeText(page)).toEqual([]);
    await expectAccessible(page, "hall (en)");
    await screenshot(page, "member-hall-en");
    await page.goto(`${site.url}/wishes/${wishId}`);
    await page.getByRole("heading", { name: "What happened" }).waitFor();
    expect(await page.locator(".page-head .badge").textContent()).toBe("Done");
    expect(await page.locator(".timeline time").first().textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2}$/);
    expect(await page.locator(".timeline li").first().textContent()).toContain("posted the wish");
    expect(await chromeText(page)).toEqual([]);
    await expectAccessible(page, "wish page (en)");
    await page.getByRole("link", { name: "My hours" }).click();
    await page.getByRole("heading", { name: "My volunteer hours" }).waitFor();
    expect(await page.locator("li.card", { hasText: title }).textContent()).toContain("45 min");
    expect(await chromeText(page)).toEqual([]);
    await screenshot(page, "member-hours-en");

    // Back to Chinese: the same page and figures, Chinese words and dates.
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("heading", { name: "我的志愿时长" }).waitFor();
    expect(await page.locator("li.card", { hasText: title }).textContent()).toMatch(/45 分钟.*\d+月\d+日/);
    // Sign-out lives on 我的, out of the header.
    await page.getByRole("navigation", { name: "主要功能" }).getByRole("link", { name: "我的", exact: true }).click();
    await page.getByRole("button", { name: "退出" }).click();
    await page.getByRole("heading", { name: "登录" }).waitFor();
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await chromeText(page)).toEqual([]);
    await expectAccessible(page, "sign-in (en)");
    await screenshot(page, "signin-en");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("explains a refused check-in: too far from the wish, or no permission to read the position", { timeout: 90_000 }, async () => {
    const id = await openWish("请帮忙修一下门锁", 1);
    const member = site.person("陈静");
    await site.api("POST", `/api/wishes/${id}/claim`, member.token);

    // About 1.1 km north of the wish: the server refuses, and the member reads how far and the limit.
    const far = await site.phoneAt({ as: member, at: { lat: place.lat + 0.01, lng: place.lng } });
    await far.page.goto(`${site.url}/wishes/${id}`);
    await far.page.getByRole("button", { name: "到达签到" }).click();
    const refusal = far.page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe("签到没成功：您离心愿地点约 1.1公里，要在 300米 以内才能签到。");
    expect(await far.page.locator(".page-head .badge").textContent()).toBe("已认领");
    await far.page.getByRole("button", { name: "到达签到" }).waitFor();
    await expectAccessible(far.page, "refused check-in");
    await screenshot(far.page, "member-checkin-refused");
    await far.page.getByRole("button", { name: "English" }).click();
    await far.page.getByRole("button", { name: "Check in" }).click();
    await far.page.getByRole("alert").filter({ hasText: "Could not" }).waitFor();
    expect(await far.page.getByRole("alert").textContent()).toBe(
      "Could not check in: you are about 1.1 km from the wish's place; you can check in within 300 m of it.",
    );
    expect(far.errors).toEqual([]);
    await far.context.close();

    // No permission to read the position: the browser refuses, and the app says what to do.
    const denied = await site.phoneAt({ as: member });
    await denied.page.goto(`${site.url}/wishes/${id}`);
    await denied.page.getByRole("button", { name: "到达签到" }).click();
    await denied.page.getByRole("alert").waitFor();
    expect(await denied.page.getByRole("alert").textContent()).toBe("没有定位权限。请在浏览器设置里允许使用位置，再试一次。");
    const wish = await site.api("GET", `/api/wishes/${id}`, member.token);
    expect(wish.claims[0].checkIn).toBeUndefined();
    expect(denied.errors).toEqual([]);
    await denied.context.close();
  });

  it("lets staff dispatch volunteers picked by branch, who find the task among theirs", { timeout: 90_000 }, async () => {
    const id = await openWish("社区活动室搬桌椅", 2);
    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/wishes/${id}`);
    await s.getByRole("heading", { name: "派单" }).waitFor();
    await s.getByText("还空 2 个名额。手上任务少的排在前面。").waitFor();
    await s.getByLabel("支部", { exact: true }).selectOption({ label: "青年志愿服务队" });
    const picks = s.locator("fieldset.pick label.check");
    await picks.first().waitFor();
    // Each says how many tasks the volunteer has in hand; the least busy come first.
    await picks
      .filter({ hasText: /空闲|手上 \d+ 个任务/ })
      .first()
      .waitFor();
    const names = await picks.allTextContents();
    const inHand = names.map((n) => (n.includes("空闲") ? 0 : Number(/手上 (\d+) 个任务/.exec(n)![1])));
    expect(inHand).toEqual([...inHand].sort((a, b) => a - b));
    const busy = await site.api("GET", "/api/me/tasks", site.person(names[names.length - 1].split("·")[0].trim()).token);
    expect(busy.items.filter((t: any) => ["open", "claimed", "in_progress"].includes(t.wish.status))).toHaveLength(
      inHand[inHand.length - 1],
    );
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((n) => n.includes("青年志愿服务队"))).toBe(true);
    const chosen = names.slice(0, 2).map((n) => n.split("·")[0].trim());
    for (const name of chosen) await s.getByRole("checkbox", { name: new RegExp(`^${name}`) }).check();
    // Two places, two picked: nobody else can be ticked.
    expect(await s.getByRole("checkbox", { checked: false }).first().isDisabled()).toBe(true);
    await expectAccessible(s, "dispatch");
    await screenshot(s, "staff-dispatch");
    await s.getByRole("button", { name: "派给选中的 2 人" }).click();
    await s.getByText("已派单，志愿者会收到通知。").waitFor();
    expect(await s.locator(".page-head .badge").textContent()).toBe("已认领");
    // Both volunteers are named on the wish (in the order their claims were written, not the order ticked).
    const volunteers = s.locator("dd", { hasText: chosen[0] });
    await volunteers.waitFor();
    expect((await volunteers.textContent())!.split("、").sort()).toEqual([...chosen].sort());
    expect(staff.errors).toEqual([]);
    await staff.context.close();

    const member = await site.phoneAt({ as: site.person(chosen[0]) });
    await member.page.goto(`${site.url}/tasks`);
    const task = member.page.locator("li.card", { hasText: "社区活动室搬桌椅" });
    await task.waitFor();
    expect(await task.textContent()).toContain("社区派单");
    await task.getByRole("link", { name: "去签到" }).click();
    await member.page.getByText("这是社区派给您的任务。").waitFor();
    await member.page.getByRole("button", { name: "去不了，谢绝派单" }).waitFor();
    await expectAccessible(member.page, "tasks → dispatched wish");
    expect(member.errors).toEqual([]);
    await member.context.close();
  });

  it("gives a member a numbered certificate, and staff the ledger as CSV and an import report", { timeout: 90_000 }, async () => {
    const member = await site.phoneAt({ as: site.person("李明") });
    const m = member.page;
    await m.goto(`${site.url}/hours`);
    await m.getByRole("heading", { name: "志愿服务证明" }).waitFor();
    // The range starts on 1 January in China time; a run that crossed New Year there starts it at the service's day.
    const from = m.getByLabel("从", { exact: true });
    const served = dayOf(await verifiedAt());
    if (served < (await from.inputValue())) await from.fill(served);
    await m.getByRole("button", { name: "开具证明" }).click();
    await m.getByText("证明已开具。").waitFor();
    const issued = (await m.getByText(/^编号 MW-/).textContent())!;
    const number = /MW-\d{8}-[0-9A-Z]{8}/.exec(issued)![0];
    const popup = m.waitForEvent("popup");
    await m.getByRole("link", { name: "打开可打印的证明" }).click();
    const print = await popup;
    await print.waitForLoadState();
    expect(await print.locator("body").textContent()).toContain(number);
    // The print page opens from a plain link, so it is the public view: the service's category and hours, never its title.
    expect(await print.locator("body").textContent()).not.toContain(title);
    await expectAccessible(m, "hours with certificate");
    expect(member.errors).toEqual([]);
    await member.context.close();

    // A volunteer with no verified hours is told so, in words, not with a form error.
    const idle = await (async () => {
      for (const p of site.demo.people.filter((x) => x.role === "member")) {
        if ((await site.api("GET", `/api/members/${p.id}/hours`, p.token)).entries.length === 0) return p;
      }
      throw new Error("every demo member has hours");
    })();
    const newcomer = await site.phoneAt({ as: idle });
    await newcomer.page.goto(`${site.url}/hours`);
    await newcomer.page.getByRole("button", { name: "开具证明" }).click();
    await newcomer.page.getByRole("alert").waitFor();
    expect(await newcomer.page.getByRole("alert").textContent()).toBe("这段时间里没有核验过的时长，换个日期范围试试。");
    await newcomer.context.close();

    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/stats`);
    await s.getByRole("heading", { name: "导出与导入" }).waitFor();
    // The ledger of the month the wish was verified in, which a run crossing midnight at a month's end leaves behind.
    const month = monthOf(await verifiedAt());
    await s.getByLabel("月份", { exact: true }).fill(month);
    const downloading = s.waitForEvent("download");
    await s.getByRole("button", { name: `导出 ${month} 的服务台账（CSV）` }).click();
    const ledger = await downloading;
    const bytes = readFileSync(await ledger.path());
    // Excel needs the byte-order mark to read Chinese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString("utf8");
    expect(csv).toContain(title);
    await s.getByText("已下载。").waitFor();

    await s.getByRole("link", { name: "从 CSV 导入志愿者" }).click();
    await s.getByRole("heading", { name: "导入志愿者" }).waitFor();
    const rows = "phone,name,branch\n13911112222,周新,第一党支部\nnot-a-phone,无名,第一党支部\n";
    await s.getByLabel("CSV 文件").setInputFiles({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(rows) });
    await s.getByRole("button", { name: "导入", exact: true }).click();
    await s.getByRole("heading", { name: "导入结果" }).waitFor();
    expect(await s.locator(".details").textContent()).toMatch(/新增1/);
    expect(await s.getByText("1 行没有导入：").isVisible()).toBe(true);
    expect(await s.locator(".refused li").allTextContents()).toEqual([expect.stringMatching(/^第 3 行（not-a-phone）：/)]);
    await expectAccessible(s, "import report");
    await screenshot(s, "staff-import");
    const people = await site.api("GET", `/api/communities/${site.demo.communityId}/members?limit=100`, site.person("王主任").token);
    expect(people.items.map((p: { name: string }) => p.name)).toContain("周新");
    expect(staff.errors).toEqual([]);
    await staff.context.close();
  });

  it("lets a volunteer choose what comes by text message, kept for the next visit", { timeout: 60_000 }, async () => {
    const who = site.person("黄丽");
    const { context, page, errors } = await site.phoneAt({ as: who });
    await page.goto(`${site.url}/notifications`);
    await page.getByRole("link", { name: "短信提醒设置" }).click();
    await page.getByRole("heading", { name: "提醒设置" }).waitFor();
    await page.getByRole("checkbox", { name: "任务提醒" }).uncheck();
    await page.getByRole("checkbox", { name: "关爱老人" }).check();
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已保存。").waitFor();
    const prefs = await site.api("GET", "/api/me/preferences", who.token);
    expect(prefs.sms).not.toContain("task-reminder");
    expect(prefs.sms).toContain("task-dispatched");
    expect(prefs.categories).toEqual(["elderly"]);
    await page.reload();
    await page.getByRole("heading", { name: "提醒设置" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "关爱老人" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "任务提醒" }).isChecked()).toBe(false);
    await expectAccessible(page, "settings");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("marks on the board the wishes waiting too long, first; staff reject one with a reason the resident reads", {
    timeout: 90_000,
  }, async () => {
    const stale = await postWish("楼道灯坏了好几天");
    // Two days in review: past the one-day patience for a wish waiting to be reviewed.
    await site.store.doc.send(
      new UpdateCommand({
        TableName: site.store.table,
        Key: { pk: `W#${stale}`, sk: "W" },
        UpdateExpression: "SET updatedAt = :at",
        ExpressionAttributeValues: { ":at": new Date(Date.now() - 2 * 86_400_000).toISOString() },
      }),
    );
    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/board`);
    await s.getByRole("heading", { name: "心愿看板" }).waitFor();
    const review = s.getByRole("button", { name: /^待审核/ });
    await review.getByText(/个等太久/).waitFor();
    expect(await review.getAttribute("aria-pressed")).toBe("true");
    const first = s.locator("li.card").first();
    expect(await first.locator(".card-title").textContent()).toBe("楼道灯坏了好几天");
    expect(await first.textContent()).toMatch(/等太久了：上次处理是(前天|\d+天前)/);
    expect(await s.locator("li.card.overdue").count()).toBe(1);
    await expectAccessible(s, "board");
    await screenshot(s, "staff-board");

    await first.getByRole("link", { name: "楼道灯坏了好几天" }).click();
    await s.getByRole("button", { name: "不通过" }).click();
    await s.getByLabel("不通过的原因").fill("公共照明请拨打物业电话，物业会在当天修好。");
    await s.getByRole("button", { name: "确定不通过" }).click();
    await s.getByText("已告知居民未通过。").waitFor();
    expect(await s.locator(".page-head .badge").textContent()).toBe("未通过");
    expect(staff.errors).toEqual([]);
    await staff.context.close();

    const resident = await site.phoneAt({ as: site.person("李大爷") });
    await resident.page.goto(`${site.url}/mine`);
    const card = resident.page.locator("li.card", { hasText: "楼道灯坏了好几天" });
    expect(await card.locator(".badge").textContent()).toBe("未通过");
    await card.getByRole("link").click();
    await resident.page.getByText("公共照明请拨打物业电话，物业会在当天修好。").first().waitFor();
    expect(await resident.page.getByRole("button", { name: "取消这个心愿" }).count()).toBe(0);
    expect(resident.errors).toEqual([]);
    await resident.context.close();
  });

  it("lets a resident cancel a wish before anyone starts, saying why", { timeout: 60_000 }, async () => {
    const id = await openWish("帮忙给花浇水", 1);
    const { context, page, errors } = await site.phoneAt({ as: site.person("李大爷") });
    await page.goto(`${site.url}/wishes/${id}`);
    await page.getByRole("button", { name: "取消这个心愿" }).click();
    await page.getByLabel("取消的原因").fill("家里人回来了，不用麻烦了。");
    await page.getByRole("button", { name: "确定取消" }).click();
    await page.getByText("心愿已取消。").waitFor();
    expect(await page.locator(".page-head .badge").textContent()).toBe("已取消");
    expect(await page.locator(".timeline li").last().textContent()).toContain("李大爷 取消了心愿: 家里人回来了，不用麻烦了。");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works from a keyboard: skip to the content, claim through the dialog, pick a category with the arrows", {
    timeout: 60_000,
  }, async () => {
    const id = await openWish("帮忙调一下电视机顶盒", 1);
    const { context, page, errors } = await site.phoneAt({ as: site.person("吴敏") });
    await page.goto(`${site.url}/wishes/${id}`);
    const claim = page.getByRole("button", { name: "我来帮忙" });
    await claim.waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("跳到正文");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await claim.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "确定认领？" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("确定认领");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("我来帮忙");
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Enter");
    await page.getByText("认领成功，居民会收到通知。").waitFor();

    await page.goto(`${site.url}/post`);
    const first = page.getByRole("radio", { name: "跑腿代办" });
    await first.focus();
    await page.keyboard.press("Space");
    expect(await first.isChecked()).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("radio", { name: "搬运帮扶" }).isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a person with two roles only what the current one may do, and switches", { timeout: 60_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("王主任") });
    await page.goto(`${site.url}/review`);
    const tabs = page.getByRole("navigation", { name: "主要功能" });
    await tabs.waitFor();
    expect(await tabs.getByRole("link").allTextContents()).toEqual(["待审核", "看板", "待核验", "统计", "我的"]);
    // The role switch is on 我的, not in the header.
    expect(await page.getByRole("banner").getByRole("group", { name: "切换身份" }).count()).toBe(0);
    await tabs.getByRole("link", { name: "我的", exact: true }).click();
    const roles = page.getByRole("group", { name: "切换身份" });
    await roles.waitFor();
    expect(await roles.getByRole("button", { name: "社区工作人员" }).getAttribute("aria-pressed")).toBe("true");
    await roles.getByRole("button", { name: "居民" }).click();
    await page.waitForURL(/\/mine$/);
    expect(await tabs.getByRole("link").allTextContents()).toEqual(["发心愿", "我的心愿", "服务清单", "微心声", "我的"]);
    // A screen reader hears the new page: its heading has focus and names the tab.
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    expect(await page.evaluate(() => [document.activeElement?.textContent, document.title])).toEqual(["我的心愿", "我的心愿 · 微心愿"]);
    // The choice holds on the next visit.
    await page.goto(site.url);
    await page.waitForURL(/\/mine$/);
    await tabs.getByRole("link", { name: "我的", exact: true }).click();
    expect(await roles.getByRole("button", { name: "居民" }).getAttribute("aria-pressed")).toBe("true");
    await roles.getByRole("button", { name: "社区工作人员" }).click();
    await page.waitForURL(/\/review$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("after sign-in goes on only to the app's own pages: an address that leads off-site lands on the home page", {
    timeout: 60_000,
  }, async () => {
    for (const [who, next] of [
      ["张阿姨", "/\\evil.example"],
      ["李大爷", "/%09/evil.example"],
    ] as const) {
      const { context, page, errors } = await site.phoneAt();
      await site.signInThroughUi(page, site.person(who), next);
      await page.getByRole("heading", { name: "我的心愿" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/mine");
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("can be installed: a manifest with name, start page and icons that load", { timeout: 30_000 }, async () => {
    const { context, page } = await site.phoneAt();
    await page.goto(`${site.url}/signin`);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifest = await (await fetch(new URL(href!, site.url))).json();
    expect(manifest).toMatchObject({
      name: "微心愿 Microwish",
      short_name: "微心愿",
      start_url: "/",
      display: "standalone",
      lang: "zh-CN",
    });
    const sizes: string[] = [];
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, site.url));
      expect(res.headers.get("content-type")).toContain("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      sizes.push(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`);
      expect(icon.sizes).toBe(sizes.at(-1));
    }
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(manifest.icons.some((i: { purpose?: string }) => i.purpose === "maskable")).toBe(true);
    const sw = await fetch(`${site.url}/sw.js`);
    expect(sw.headers.get("content-type")).toContain("javascript");
    expect(await sw.text()).toMatch(/"\/index.html","\/manifest.webmanifest"/);
    await context.close();
  });

  it("lets a volunteer give a place back, a resident say the work is not done, and staff confirm for a resident without a phone", {
    timeout: 90_000,
  }, async () => {
    const id = await openWish("帮忙装一下窗帘", 1);
    const volunteer = await site.phoneAt({ as: site.person("徐刚"), at: place });
    const v = volunteer.page;
    await v.goto(`${site.url}/wishes/${id}`);
    await v.getByRole("button", { name: "我来帮忙" }).click();
    await v.getByRole("dialog").getByRole("button", { name: "确定认领" }).click();
    await v.getByText("认领成功，居民会收到通知。").waitFor();
    // The resident's number is there to call, now that the volunteer holds the place.
    expect(await v.getByRole("link", { name: "137 0000 0002" }).getAttribute("href")).toBe("tel:+8613700000002");
    await v.getByRole("button", { name: "去不了，退回认领" }).click();
    await v.getByRole("button", { name: "确定退回" }).click();
    await v.getByText("已退回。").waitFor();
    expect(await v.locator(".page-head .badge").textContent()).toBe("待认领");
    expect(await v.getByRole("link", { name: /0002/ }).count()).toBe(0);

    await v.getByRole("button", { name: "我来帮忙" }).click();
    await v.getByRole("dialog").getByRole("button", { name: "确定认领" }).click();
    await v.getByRole("button", { name: "到达签到" }).click();
    await v.getByText("签到成功，开始计时。").waitFor();
    await v.getByLabel("做了些什么").fill("装好了。");
    await v.getByRole("button", { name: "报告完成" }).click();
    await v.getByText("已报告完成，等居民确认。").waitFor();

    const resident = await site.phoneAt({ as: site.person("李大爷") });
    const r = resident.page;
    await r.goto(`${site.url}/wishes/${id}`);
    await r.getByRole("button", { name: "还没有帮完" }).click();
    await r.getByLabel("还差什么？").fill("左边的窗帘还没挂上。");
    await r.getByRole("button", { name: "告诉志愿者还没完成" }).click();
    await r.getByText("已告诉志愿者还没有完成。").waitFor();
    expect(await r.locator(".page-head .badge").textContent()).toBe("服务中");

    await v.reload();
    await v.getByText("李大爷 表示还没有完成: 左边的窗帘还没挂上。").waitFor();
    await v.getByLabel("做了些什么").fill("左边的也挂好了。");
    await v.getByRole("button", { name: "报告完成" }).click();
    await v.getByText("已报告完成，等居民确认。").waitFor();

    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/wishes/${id}`);
    await s.getByRole("heading", { name: "替居民确认" }).waitFor();
    await s.getByLabel("为什么替居民确认（必填）").fill("李大爷电话里说装好了，他不会用手机。");
    await s.getByRole("button", { name: "确认完成" }).click();
    await s.getByText("已确认，谢谢您的评价。").waitFor();
    expect(await s.locator(".page-head .badge").textContent()).toBe("待核验");
    for (const p of [volunteer, resident, staff]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  it("shows a wish as it is now when the resident comes back to it, without reloading", { timeout: 60_000 }, async () => {
    const id = await postWish("帮忙把旧报纸送去回收");
    const { context, page, errors } = await site.phoneAt({ as: site.person("李大爷") });
    await page.goto(`${site.url}/wishes/${id}`);
    expect(await page.locator(".page-head .badge").textContent()).toBe("待审核");
    await site.api("POST", `/api/wishes/${id}/approve`, site.person("王主任").token, { slots: 1, estimatedMinutes: 30 });
    // The phone loses its network for a moment and gets it back: the page looks again.
    await context.setOffline(true);
    await context.setOffline(false);
    await page.locator(".page-head .badge", { hasText: "待认领" }).waitFor();
    await page.locator(".handshake .code").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells the slower of two members racing for the last place that it is taken", { timeout: 90_000 }, async () => {
    const id = await openWish("帮忙把轮椅搬下楼", 1);
    const racers = await Promise.all([site.person("张伟"), site.person("刘洋")].map((as) => site.phoneAt({ as })));
    for (const { page } of racers) {
      await page.goto(`${site.url}/wishes/${id}`);
      await page.getByRole("button", { name: "我来帮忙" }).click();
      await page.getByRole("dialog", { name: "确定认领？" }).waitFor();
    }
    await Promise.all(racers.map(({ page }) => page.getByRole("button", { name: "确定认领" }).click()));
    const outcomes = await Promise.all(
      racers.map(({ page }) =>
        page
          .locator(".notice")
          .filter({ hasText: /认领成功|晚了一步/ })
          .first()
          .textContent({ timeout: 30_000 }),
      ),
    );
    expect([...outcomes].sort()).toEqual(["晚了一步：名额已经被别的志愿者认领完了。", "认领成功，居民会收到通知。"].sort());
    const loser = racers[outcomes.findIndex((o) => o!.startsWith("晚了一步"))].page;
    await loser.getByText("这个心愿现在不能认领。").waitFor();
    expect(await loser.locator(".page-head .badge").textContent()).toBe("已认领");
    await screenshot(loser, "member-race-lost");
    const wish = await site.api("GET", `/api/wishes/${id}`, site.person("王主任").token);
    expect(wish.claims).toHaveLength(1);
    for (const r of racers) {
      expect(r.errors).toEqual([]);
      await r.context.close();
    }
  });

  it("opens without a network, says so, and keeps a typed wish until it can be sent", { timeout: 90_000 }, async () => {
    const { context, page, errors } = await site.phoneAt({ as: site.person("张阿姨") });
    await page.goto(`${site.url}/mine`);
    await page.getByRole("heading", { name: "我的心愿" }).waitFor();
    // The service worker has cached the shell and taken charge of the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { name: "我的心愿" }).waitFor();
    await page.getByText("现在没有网络：提交等操作要等联网后再试。").waitFor();
    await expectAccessible(page, "offline");
    await screenshot(page, "offline");

    await page.getByRole("link", { name: "发心愿" }).first().click();
    await page.getByRole("radio", { name: "维修服务" }).check();
    await page.getByLabel("想请人帮什么忙？").fill("厨房水龙头漏水");
    await page.getByRole("button", { name: "提交心愿" }).click();
    expect(await page.getByRole("alert").filter({ hasText: /\S/ }).textContent()).toBe(
      "现在没有网络，刚才的操作没有发出去。填的内容还在，联网后再试。",
    );
    expect(await page.getByLabel("想请人帮什么忙？").inputValue()).toBe("厨房水龙头漏水");

    await context.setOffline(false);
    await page.getByRole("button", { name: "提交心愿" }).click();
    await page.waitForURL(/\/wishes\/\w+/);
    await page.getByText("心愿已提交").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("厨房水龙头漏水");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a 320 px phone in both languages, with thumb-sized controls and no axe violation, on every page of every role", {
    timeout: 240_000,
  }, async () => {
    const submitted = await postWish("阳台晾衣架坏了");
    const open = await openWish("周末陪老人下棋", 2);
    const pages: [string, string[]][] = [
      ["王奶奶", ["/post", "/mine", `/wishes/${wishId}`, "/notifications", "/nowhere"]],
      ["李明", ["/hall", "/tasks", "/hours", `/wishes/${open}`, "/notifications", "/settings"]],
      [
        "王主任",
        ["/review", "/board", "/verify", "/stats", "/import", `/wishes/${submitted}`, `/wishes/${open}`, "/notifications", "/settings"],
      ],
    ];
    for (const lang of ["zh-CN", "en"]) {
      for (const [name, paths] of pages) {
        const { context, page, errors } = await site.phoneAt({ as: site.person(name), viewport: { width: 320, height: 640 } });
        await context.addInitScript((l) => localStorage.setItem("mw.lang", l), lang);
        for (const path of paths) {
          await page.goto(site.url + path);
          await page.locator("main h1").waitFor();
          // Checked once the page has what it loads (lists, figures), not while it says it is loading.
          await page.waitForFunction(() => !/正在加载|Loading/.test(document.querySelector("main")!.textContent ?? ""));
          await expectPhoneFriendly(page, `${path} (${name}, ${lang})`);
          // axe once per page: the English pages differ in words, not in structure (and the English test runs axe on several).
          if (lang === "zh-CN") await expectAccessible(page, `${path} (${name})`);
        }
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });
});

/** Does `act` until `expected` shows: what a person does when news has not arrived yet (look again). */
async function eventually(act: () => Promise<unknown>, expected: import("playwright-core").Locator) {
  for (let i = 0; ; i++) {
    await act();
    try {
      await expected.waitFor({ timeout: 2_000 });
      return;
    } catch (err) {
      if (i >= 10) throw err;
    }
  }
}

/** UI text (headings, labels, buttons, badges, navigation, dates) still in Chinese on an English page: should be none. */
async function chromeText(page: import("playwright-core").Page) {
  const names = site.demo.people.map((p) => p.name);
  return page.evaluate(
    (names) =>
      [
        ...document.querySelectorAll(
          "h1:not(#wish-title), h2, label, legend, button, .badge, .tabs a, dt, .hint, .notice, time, .meta > span:first-child",
        ),
      ]
        .map((el) => names.reduce((text, name) => text.replaceAll(name, ""), (el as HTMLElement).innerText.trim()))
        .filter((text) => /\p{Script=Han}/u.test(text) && text !== "中文" && !/幸福里|第.党支部|青年志愿服务队/.test(text)),
    names,
  );
}
