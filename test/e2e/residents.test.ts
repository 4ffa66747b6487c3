/**
 * Residents first, in real Chromium at 390×844: staff take a wish in for a resident without a
 * smartphone, whose phone gets the handshake code by text (the dev outbox), and the volunteer claims,
 * checks in and checks out with that code; a first sign-in asks for a name; 我的 holds the name,
 * language, settings, role switch and sign-out; 微心声 answered in public, and made into a wish; the
 * post form shows open wishes of the same category nearby before the resident submits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

const place = { lat: 33.0712, lng: 107.0261 };

async function waitFor<T>(what: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await what();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}
const outbox = (phone: string) => site.api<{ kind: string; text: string }[]>("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);

/** Signs in through the page with a phone's code, stopping wherever the app goes next. */
async function signIn(page: import("playwright-core").Page, phone: string) {
  await page.goto(`${site.url}/signin`);
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await page.getByText("验证码已发送").waitFor();
  const sms = await waitFor(async () => (await outbox(`+86${phone}`)).find((m) => m.kind === "sign-in"));
  await page.getByLabel("短信验证码").fill(/(\d{6})/.exec(sms.text)![1]);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

describe("residents first", () => {
  it("staff take a wish in for a resident: the code reaches her phone, and the volunteer checks out with it", {
    timeout: 180_000,
  }, async () => {
    const residentPhone = "13755550001";
    const staff = await site.phoneAt({ as: site.person("王主任"), at: place });
    const s = staff.page;
    await s.goto(`${site.url}/review`);
    await s.getByRole("link", { name: "代居民登记心愿" }).click();
    await s.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await s.getByRole("checkbox", { name: "为来电或上门的居民登记这个心愿" }).check();
    await s.getByLabel("居民手机号").fill(residentPhone);
    await s.getByLabel("居民称呼").fill("孙奶奶");
    await s.getByRole("radio", { name: "跑腿代办" }).check();
    await s.getByLabel("想请人帮什么忙？").fill("帮孙奶奶去药店买降压药");
    await s.getByRole("button", { name: "用我现在的位置" }).click();
    await s.getByText(/已记下位置/).waitFor();
    await expectAccessible(s, "post (staff, for a resident)");
    await expectPhoneFriendly(s, "post (staff, for a resident)");
    await screenshot(s, "staff-take-in");
    await s.getByRole("button", { name: "提交心愿" }).click();
    await s.waitForURL(/\/wishes\/[A-Z0-9]+/);
    await s.getByText("由社区工作人员王主任代为登记").waitFor();
    expect(await s.locator(".details").textContent()).toContain("孙奶奶");
    const wishId = /\/wishes\/([A-Z0-9]+)/.exec(s.url())![1];

    // Her phone gets the code by text, from the stream, as on AWS.
    const sms = await waitFor(async () => (await outbox(`+86${residentPhone}`)).find((m) => m.kind === "wish-taken-in"));
    expect(sms.text).toMatch(/验证码\d{4}/);
    const code = /验证码(\d{4})/.exec(sms.text)![1];

    await s.getByLabel("预计用时（分钟）").fill("40");
    await s.getByRole("button", { name: "通过，发到心愿大厅" }).click();
    await s.getByText("已通过，志愿者现在能认领。").waitFor();

    // The volunteer claims it, arrives, and checks out with the code the resident reads from her text.
    const volunteer = await site.phoneAt({ as: site.person("李明"), at: { lat: place.lat + 0.0002, lng: place.lng } });
    const v = volunteer.page;
    await v.goto(`${site.url}/wishes/${wishId}`);
    await v.getByRole("button", { name: "我来帮忙" }).click();
    await v.getByRole("dialog", { name: "确定认领？" }).getByRole("button", { name: "确定认领" }).click();
    await v.getByRole("button", { name: "到达签到" }).click();
    await v.getByText("签到成功，开始计时。").waitFor();
    await v.getByLabel("居民的完成确认码").fill(code);
    await v.getByRole("button", { name: "签退" }).click();
    await v.getByText("签退成功。").waitFor();
    await v.getByText("居民已确认").waitFor();
    await screenshot(v, "volunteer-signed-by-code");

    // Later she signs in herself (a grandchild's phone will do): she is 孙奶奶 already, and the wish is hers.
    const resident = await site.phoneAt();
    const r = resident.page;
    await signIn(r, residentPhone);
    await r.waitForURL(/\/mine$/);
    await r.getByText("帮孙奶奶去药店买降压药").waitFor();
    for (const p of [staff, volunteer, resident]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  it("a first sign-in asks for a name, and 我的 holds name, language, settings, role switch and sign-out", {
    timeout: 120_000,
  }, async () => {
    const { context, page, errors } = await site.phoneAt();
    await signIn(page, "13755550002");
    await page.getByRole("heading", { name: "您怎么称呼？" }).waitFor();
    await expectAccessible(page, "name step");
    await expectPhoneFriendly(page, "name step");
    await screenshot(page, "name-step");
    // Nothing typed: the server's refusal names the field.
    await page.getByRole("button", { name: "好的" }).click();
    await page.locator(".problem").first().waitFor();
    await page.getByLabel("您的称呼").fill("周阿姨");
    await page.getByRole("button", { name: "好的" }).click();
    await page.waitForURL(/\/mine$/);

    const tabs = page.getByRole("navigation", { name: "主要功能" });
    // The header has no sign-out any more.
    expect(await page.getByRole("banner").getByRole("button", { name: "退出" }).count()).toBe(0);
    await tabs.getByRole("link", { name: "我的", exact: true }).click();
    await page.getByRole("heading", { name: "我的", exact: true }).waitFor();
    expect(await page.getByLabel("您的称呼").inputValue()).toBe("周阿姨");
    await expectAccessible(page, "me");
    await expectPhoneFriendly(page, "me");
    await screenshot(page, "me");
    await page.getByLabel("住址（可不填）").fill("幸福里6号楼");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已保存。").waitFor();
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("mw.token")!));
    expect(await site.api("GET", "/api/me", token)).toMatchObject({ name: "周阿姨", address: "幸福里6号楼", named: true });

    // Language: English from here, and back.
    await page.getByRole("radio", { name: "English" }).check();
    await page.getByRole("heading", { name: "Me", exact: true }).waitFor();
    await page.getByRole("link", { name: "Notification settings" }).waitFor();
    await page.getByRole("radio", { name: "中文" }).check();
    await page.getByRole("heading", { name: "我的", exact: true }).waitFor();

    await page.getByRole("button", { name: "退出" }).click();
    await page.getByRole("heading", { name: "登录" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("微心声: a resident's message, answered by staff in public; another made into a wish", { timeout: 120_000 }, async () => {
    const resident = await site.phoneAt({ as: site.person("张阿姨") });
    const r = resident.page;
    await r.goto(`${site.url}/mine`);
    await r.getByRole("navigation", { name: "主要功能" }).getByRole("link", { name: "微心声" }).click();
    await r.getByRole("heading", { name: "微心声" }).waitFor();
    await r.getByLabel("想对社区说的话").fill("小区东门的路灯不亮了，晚上走路看不清。");
    await r.getByRole("button", { name: "发送" }).click();
    await r.getByText("已收到，社区回复后会公开在这里。").waitFor();
    await r.getByLabel("想对社区说的话").fill("希望有人教我用手机挂号。");
    await r.getByRole("button", { name: "发送" }).click();
    await r.getByText("已收到，社区回复后会公开在这里。").waitFor();
    await expectAccessible(r, "voices (resident)");
    await expectPhoneFriendly(r, "voices (resident)");

    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/voices`);
    const lamp = s.locator("li.card", { hasText: "路灯不亮" });
    await lamp.getByLabel("回复（会公开）").fill("已联系物业，今晚修好。");
    await lamp.getByRole("button", { name: "公开回复" }).click();
    await s.locator("section", { hasText: "社区的回复" }).getByText("已联系物业，今晚修好。").waitFor();
    await expectAccessible(s, "voices (staff)");
    await screenshot(s, "staff-voices");

    const phoneHelp = s.locator("li.card", { hasText: "用手机挂号" });
    await phoneHelp.getByLabel("转为心愿的类别").selectOption("digital");
    await phoneHelp.getByRole("button", { name: "转为心愿" }).click();
    await s.waitForURL(/\/wishes\/[A-Z0-9]+/);
    expect(await s.locator(".details").textContent()).toContain("张阿姨");

    // The resident sees the answer in public, with names and no phone numbers.
    await r.reload();
    const answered = r.locator("li.card", { hasText: "路灯不亮" });
    await answered.getByText("已联系物业，今晚修好。").waitFor();
    expect(await r.locator("main").textContent()).not.toMatch(/1[3-9]\d{9}|\*\*\*\*/);
    await screenshot(r, "resident-voices");
    for (const p of [resident, staff]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });

  it("the post form shows an open wish of the same category nearby before submitting", { timeout: 120_000 }, async () => {
    // The demo's open carry wish (帮忙把旧衣柜搬下楼) stands at 33.0684, 107.0244; 陈先生 is about 11 m south of it.
    const neighbour = await site.phoneAt({ as: site.person("陈先生"), at: { lat: 33.0683, lng: 107.0244 } });
    const r = neighbour.page;
    await r.goto(`${site.url}/post`);
    await r.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await r.getByRole("radio", { name: "搬运帮扶" }).check();
    await r.getByLabel("想请人帮什么忙？").fill("帮忙搬个旧柜子");
    await r.getByRole("button", { name: "用我现在的位置" }).click();
    const hint = r.getByRole("region", { name: "附近已有类似心愿" });
    await hint.getByText("帮忙把旧衣柜搬下楼").waitFor();
    expect(await hint.textContent()).toMatch(/相距约\s*1\d\s*米/);
    // Another category has nothing like it there: the hint goes.
    await r.getByRole("radio", { name: "关爱老人" }).check();
    await hint.waitFor({ state: "detached" });
    await r.getByRole("radio", { name: "搬运帮扶" }).check();
    await hint.getByText("帮忙把旧衣柜搬下楼").waitFor();
    expect(await r.locator("main").textContent()).not.toMatch(/1[3-9]\d{9}|\*\*\*\*/);
    await expectAccessible(r, "post (similar wishes)");
    await expectPhoneFriendly(r, "post (similar wishes)");
    await hint.scrollIntoViewIfNeeded();
    await screenshot(r, "resident-similar");
    // It is a hint, not a stop: the resident may still post.
    await r.getByRole("button", { name: "提交心愿" }).click();
    await r.waitForURL(/\/wishes\/[A-Z0-9]+/);
    expect(neighbour.errors).toEqual([]);
    await neighbour.context.close();
  });
});
