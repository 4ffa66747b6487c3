/**
 * Activities in real Chromium at 390×844: staff post one through the form (China time), a member
 * signs up in a team, then opens the link the poster's QR code carries, as a phone camera would,
 * and lands on the check-in; a check-in from too far, or with another code, is refused in Chinese;
 * from inside the fence it succeeds, and the check-out's comment (心得) shows on staff's attendance.
 * Staff's photo, picked on the form and uploaded straight to the local S3 server, shows on the
 * member's activity page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toChinaInput } from "../../web/src/data/china-time.js";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

const place = { lat: 33.0712, lng: 107.0261 };
/** About 55 m north of the place: inside the 300 m fence. */
const inside = { lat: place.lat + 0.0005, lng: place.lng };
/** About 1.1 km north: outside it. */
const outside = { lat: place.lat + 0.01, lng: place.lng };

/** The check-in link printed under the poster's QR code: what a phone's camera opens. */
async function posterLink(activityId: string, token: string) {
  const res = await fetch(`${site.url}/api/activities/${activityId}/poster`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const link = /<p class="link">([^<]+)<\/p>/.exec(html)?.[1].replaceAll("&amp;", "&");
  expect(link).toMatch(new RegExp(`/activities/${activityId}/check-in\\?t=[A-Za-z0-9_-]+$`));
  return link!;
}

/** An 800×600 PNG drawn in the browser, as a phone's gallery would hand one over. */
async function photo(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 800;
    canvas.height = 600;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#2e7d32";
    ctx.fillRect(0, 0, 800, 600);
    ctx.fillStyle = "#fdd835";
    ctx.fillRect(200, 150, 400, 300);
    return canvas.toDataURL("image/png").split(",")[1];
  });
  return Buffer.from(data, "base64");
}

/** The image's natural size once it has loaded (0×0 if it never does). */
async function loaded(page: Page, selector: string) {
  await page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(sel);
    return img?.complete && img.naturalWidth > 0;
  }, selector);
  return page.$eval(selector, (img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight }));
}

const title = () => `社区环境整治周末行动 ${Date.now().toString(36)}`;

async function postThroughForm(s: Page, name: string, window: { from: Date; to: Date }) {
  await s.goto(`${site.url}/board`);
  await s.getByRole("link", { name: "集体活动" }).click();
  await s.getByRole("heading", { name: "集体活动" }).waitFor();
  await s.getByRole("link", { name: "发布活动" }).click();
  await s.getByRole("heading", { name: "发布活动" }).waitFor();
  await s.getByLabel("活动名称").fill(name);
  await s.getByLabel("活动内容").fill("清理小区绿化带垃圾，自带手套。");
  await s.getByLabel("活动地点").fill("幸福里小区东门广场");
  await s.getByRole("button", { name: "用我现在的位置" }).click();
  await s.getByText(/已记下位置/).waitFor();
  await s.getByLabel("从").fill(toChinaInput(window.from));
  await s.getByLabel("到").fill(toChinaInput(window.to));
  await s.getByLabel("名额（可不填）").fill("10");
  await s.getByLabel("分队（可不填）").fill("东片，西片");
  // A photo of the place, picked as a person does, shrunk and uploaded before the form is sent.
  const png = await photo(s);
  const [chooser] = await Promise.all([s.waitForEvent("filechooser"), s.getByRole("button", { name: "添加照片" }).click()]);
  await chooser.setFiles([{ name: "广场.png", mimeType: "image/png", buffer: png }]);
  await s.getByRole("img", { name: "第 1 张照片" }).waitFor();
  await s.getByRole("progressbar").waitFor({ state: "detached" });
  await loaded(s, ".photo-picker .thumbs img");
  await expectAccessible(s, "post an activity");
  await expectPhoneFriendly(s, "post an activity");
  await screenshot(s, "staff-post-activity");
  await s.getByRole("button", { name: "发布", exact: true }).click();
  await s.waitForURL(/\/activities\/[A-Z0-9]+\?posted=1/);
  await s.getByText("活动已发布，社区成员现在可以报名。").waitFor();
  return /\/activities\/([A-Z0-9]+)/.exec(s.url())![1];
}

describe("activities", () => {
  it("staff post an activity; a member signs up, scans the poster into check-in, checks out with a comment staff see", {
    timeout: 240_000,
  }, async () => {
    const staffPerson = site.person("王主任");
    const staff = await site.phoneAt({ as: staffPerson, at: place });
    const s = staff.page;
    // Sign-up closes at the start; check-in opens an hour before it and check-out half an hour before the end.
    const now = Date.now();
    const window = { from: new Date(now + 10 * 60_000), to: new Date(now + 25 * 60_000) };
    const name = title();
    const id = await postThroughForm(s, name, window);

    // What staff posted, as the API keeps it: the times typed are China time, the place is where the phone was.
    const posted = await site.api("GET", `/api/activities/${id}`, staffPerson.token);
    expect(Date.parse(posted.window.from)).toBe(Math.floor(window.from.getTime() / 60_000) * 60_000);
    expect(Date.parse(posted.window.to)).toBe(Math.floor(window.to.getTime() / 60_000) * 60_000);
    expect(posted).toMatchObject({ title: name, places: 10, teams: ["东片", "西片"], status: "open" });
    expect(posted.location.lat).toBeCloseTo(place.lat, 5);
    expect(posted.photos).toHaveLength(1);
    expect(posted.photos[0].key).toMatch(new RegExp(`^photos/${staffPerson.id}/activity/[0-9A-Z]{26}\\.jpg$`));
    await s.getByRole("heading", { name: "活动照片", exact: true }).waitFor();

    // The poster, laid out for print, carries the same link as the page the API serves.
    const link = await posterLink(id, staffPerson.token);
    await s.getByRole("link", { name: "打印签到海报" }).click();
    await s.getByRole("heading", { name: "签到海报" }).waitFor();
    await s.locator(".poster-qr svg").waitFor();
    expect(await s.locator(".poster-link").textContent()).toBe(link);
    expect(await s.locator(".poster").textContent()).toContain(name);
    await expectAccessible(s, "poster");
    await screenshot(s, "staff-poster");

    // A member finds it in the hall, beside wishes, and signs up in a team.
    const memberPerson = site.person("李明");
    const member = await site.phoneAt({ as: memberPerson, at: outside });
    const m = member.page;
    await m.goto(`${site.url}/hall`);
    await m.getByRole("button", { name: /^集体活动/ }).click();
    await m.getByRole("link", { name }).click();
    await m.getByRole("heading", { name }).waitFor();
    expect(await m.locator(".details").textContent()).toContain("已报名 0 人，共 10 个名额，还剩 10 个");
    // Staff's photo, read through its short-lived URL.
    await m.getByRole("heading", { name: "活动照片", exact: true }).waitFor();
    expect(await loaded(m, "section .thumbs img")).toEqual({ width: 800, height: 600 });
    await m.getByRole("radio", { name: "西片" }).check();
    await m.getByRole("button", { name: "我要报名" }).click();
    await m.getByText(/报名成功/).waitFor();
    expect(await m.locator(".stamp").first().textContent()).toContain("西片");
    expect(await m.locator(".details").textContent()).toContain("还剩 9 个");
    await expectAccessible(m, "activity (member, signed up)");
    await expectPhoneFriendly(m, "activity (member, signed up)");
    await screenshot(m, "member-activity");

    // Scanning the poster opens the check-in. From a kilometre away: refused, with the distance, in Chinese.
    await m.goto(link);
    await m.getByRole("heading", { name: "到了吗？" }).waitFor();
    await m.getByRole("button", { name: "签到", exact: true }).click();
    await m
      .getByRole("alert")
      .getByText(/签到没成功：您离活动地点约 [\d.]+\s?公里/)
      .waitFor();
    // A code from nowhere near this poster: refused, whatever the place.
    await m.goto(`${site.url}/activities/${id}/check-in?t=not-the-poster-code`);
    await m.getByRole("button", { name: "签到", exact: true }).click();
    await m.getByRole("alert").getByText("这个二维码不是这个活动的签到海报上的。请到活动地点扫现场海报。").waitFor();
    expect((await site.api("GET", `/api/activities/${id}`, memberPerson.token)).mySignup.checkIn).toBeUndefined();

    // At the place, the phone gives a fresh position: checked in.
    await member.context.setGeolocation({ latitude: inside.lat, longitude: inside.lng, accuracy: 15 });
    await m.goto(link);
    await m.getByRole("button", { name: "签到", exact: true }).click();
    await m.getByText("签到成功。").waitFor();
    await m.getByText(/签到 · 离活动地点 \d+\s?米/).waitFor();
    await expectAccessible(m, "activity check-in");
    await expectPhoneFriendly(m, "activity check-in");
    await screenshot(m, "member-activity-checked-in");

    // Leaving, with a comment.
    const comment = "第一次参加环境整治，邻居们都很热情。";
    await m.getByLabel("心得（可不填）").fill(comment);
    await m.getByRole("button", { name: "签退", exact: true }).click();
    await m.getByText("签退成功，谢谢参加！").waitFor();
    await m.locator(".comments").getByText(comment).waitFor();
    await screenshot(m, "member-activity-checked-out");

    // Staff see who came, per team, with the comment; and tell the activity's people something.
    await s.goto(`${site.url}/activities/${id}`);
    const attendance = s.locator("section.panel", { has: s.getByRole("heading", { name: "报名和出勤" }) });
    await attendance.getByRole("heading", { name: /西片 · 报名 1 · 签到 1 · 缺勤 0/ }).waitFor();
    const row = attendance.locator("li", { hasText: "李明" });
    expect(await row.textContent()).toMatch(/签到.*签退/);
    expect(await row.textContent()).toContain(comment);
    // A photo of the day, added afterwards (图文): staff and the member see both.
    const later = s.locator("form", { has: s.getByRole("heading", { name: "活动照片（图文记录）" }) });
    const [chooser] = await Promise.all([s.waitForEvent("filechooser"), later.getByRole("button", { name: "添加照片" }).click()]);
    await chooser.setFiles([{ name: "合影.png", mimeType: "image/png", buffer: await photo(s) }]);
    await later.getByRole("img", { name: "第 1 张照片" }).waitFor();
    await later.getByRole("progressbar").waitFor({ state: "detached" });
    await later.getByRole("button", { name: "加上这些照片" }).click();
    await s.getByText("照片已加上。").waitFor();
    await s
      .locator("section", { has: s.getByRole("heading", { name: "活动照片", exact: true }) })
      .locator(".thumbs img")
      .nth(1)
      .waitFor();
    expect(await later.locator(".photo-picker .thumbs li").count()).toBe(0);
    expect((await site.api("GET", `/api/activities/${id}`, memberPerson.token)).photos).toHaveLength(2);
    await s.getByLabel("通知内容").fill("明天的活动改在西门集合。");
    await s.getByRole("button", { name: "发送", exact: true }).click();
    await s.getByText("已发给 1 人。").waitFor();
    await expectAccessible(s, "activity (staff)");
    await expectPhoneFriendly(s, "activity (staff)");
    await screenshot(s, "staff-activity-attendance");

    for (const p of [staff, member]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });
});
