/**
 * Photos in real Chromium at 390×844: a resident picks a large camera-sized image, the phone
 * shrinks it and uploads it straight to the local S3 server with the presigned POST the API
 * grants, posts the wish with it, and sees it on the wish page; staff of the community see it
 * too. A file that is not a photo is refused on the phone, in Chinese, before anything is sent.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

/** A 3200×2400 PNG drawn in the browser: twice the longest side the phone sends. */
async function bigPng(): Promise<Buffer> {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const data = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 3200;
    canvas.height = 2400;
    const ctx = canvas.getContext("2d")!;
    const sky = ctx.createLinearGradient(0, 0, 3200, 2400);
    sky.addColorStop(0, "#1e88e5");
    sky.addColorStop(1, "#fdd835");
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, 3200, 2400);
    for (let i = 0; i < 400; i++) {
      ctx.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`;
      ctx.fillRect((i * 211) % 3200, (i * 97) % 2400, 120, 80);
    }
    return canvas.toDataURL("image/png").split(",")[1];
  });
  await context.close();
  return Buffer.from(data, "base64");
}

/** Picks files the way a person does: the button opens the phone's chooser. */
async function pick(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "添加照片" }).click()]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(files);
}

/** The image's natural size once it has loaded (0×0 if it never does). */
async function loaded(page: Page, selector: string) {
  await page.waitForFunction((s) => {
    const img = document.querySelector<HTMLImageElement>(s);
    return img?.complete && img.naturalWidth > 0;
  }, selector);
  return page.$eval(selector, (img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight }));
}

describe("photos", () => {
  it("a resident posts a wish with a photo shrunk on the phone; she and staff see it", { timeout: 180_000 }, async () => {
    const png = await bigPng();
    expect(png.length).toBeGreaterThan(100_000);
    const resident = await site.phoneAt({ as: site.person("张阿姨") });
    const r = resident.page;
    const refusedLoads: string[] = [];
    r.on("console", (m) => m.type() === "error" && refusedLoads.push(m.text()));
    await r.goto(`${site.url}/post`);
    await r.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await r.getByRole("radio", { name: "跑腿代办" }).check();
    const title = `帮忙看看楼道灯 ${Date.now()}`;
    await r.getByLabel("想请人帮什么忙？").fill(title);

    // Not a photo: said on the phone, nothing added.
    await pick(r, [{ name: "清单.txt", mimeType: "text/plain", buffer: Buffer.from("不是照片") }]);
    await r.getByRole("alert").getByText("“清单.txt”不是照片：请选 JPEG、PNG 或 WebP 图片。").waitFor();
    expect(await r.locator(".photo-picker .thumbs li").count()).toBe(0);

    // A camera-sized photo: shrunk, uploaded, shown as a thumbnail once sent.
    await pick(r, [{ name: "楼道.png", mimeType: "image/png", buffer: png }]);
    await r.getByRole("img", { name: "第 1 张照片" }).waitFor();
    await r.getByRole("progressbar").waitFor({ state: "detached" });
    expect(await r.getByRole("alert").textContent()).toBe("");
    await loaded(r, ".photo-picker .thumbs img");
    await expectAccessible(r, "post with a photo");
    await expectPhoneFriendly(r, "post with a photo");
    await screenshot(r, "post-with-photo");

    await r.getByRole("button", { name: "提交心愿" }).click();
    await r.waitForURL(/\/wishes\/[A-Z0-9]+/);
    const wishId = /\/wishes\/([A-Z0-9]+)/.exec(r.url())![1];
    await r.getByRole("heading", { name: "照片", exact: true }).waitFor();
    const thumb = await loaded(r, "section .thumbs img");
    // The phone sent at most 1600 px on the longest side, in the original's proportions.
    expect(thumb).toEqual({ width: 1600, height: 1200 });
    await r.getByRole("button", { name: "看第 1 张大图" }).click();
    const full = r.getByRole("dialog", { name: "第 1 张照片" });
    await full.waitFor();
    expect(await loaded(r, "dialog.photo-full img")).toEqual({ width: 1600, height: 1200 });
    await expectAccessible(r, "wish page with a photo, full size");
    await screenshot(r, "wish-photo-full");
    await full.getByRole("button", { name: "关闭" }).click();
    await full.waitFor({ state: "hidden" });
    await expectAccessible(r, "wish page with a photo");

    // What reached the bucket: a JPEG under her own uploads, read through the short-lived URL.
    const wish = await site.api("GET", `/api/wishes/${wishId}`, site.person("张阿姨").token);
    expect(wish.photos).toHaveLength(1);
    expect(wish.photos[0].key).toMatch(new RegExp(`^photos/${site.person("张阿姨").id}/wish/[0-9A-Z]{26}\\.jpg$`));
    expect(wish.photos[0].url.startsWith(`${site.photoEndpoint}/`)).toBe(true);
    const stored = await fetch(wish.photos[0].url);
    expect(stored.headers.get("content-type")).toBe("image/jpeg");
    const bytes = new Uint8Array(await stored.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(bytes.length).toBeLessThanOrEqual(2 * 1024 * 1024);

    // Staff of the community open the wish to review it: the photo is there for them too.
    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/wishes/${wishId}`);
    await s.getByRole("heading", { name: title }).waitFor();
    expect(await loaded(s, "section .thumbs img")).toEqual({ width: 1600, height: 1200 });
    await expectAccessible(s, "wish page with a photo (staff)");

    expect(refusedLoads.filter((m) => /Content Security Policy|CORS|Failed to load/i.test(m))).toEqual([]);
    for (const p of [resident, staff]) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  });
});
