/**
 * The web app in real Chromium: the app built once into a scratch directory (so tests never race
 * `npm start`'s web/dist), served with the API by `startLocal` exactly as `npm start` serves it,
 * and phones as browser contexts at 390×844 with a position, a language and, if given, a token.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Page } from "playwright-core";
import { build } from "vite";
import { expect } from "vitest";
import { startLocal } from "../../functions/local.js";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const phone = { width: 390, height: 844 };
export const shots = resolve("test-results/e2e");

/** The production build, as `npm start` and the StaticSite make it (vitest's NODE_ENV=test would otherwise make a development one). */
export async function buildWeb(outDir: string) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: resolve("web/vite.config.ts"), mode: "production", logLevel: "error", build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface DemoPerson {
  id: string;
  name: string;
  phone: string;
  role: "staff" | "member" | "resident";
  token: string;
}

export async function startSite() {
  const dirs = [mkdtempSync(join(tmpdir(), "microwish-e2e-data-")), mkdtempSync(join(tmpdir(), "microwish-e2e-web-"))];
  const [dataDir, webDir] = dirs;
  await buildWeb(webDir);
  const local = await startLocal({ dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Chromium 150 gives each new document its own frame host (RenderDocument), and the offline emulation
      // Playwright sends does not reach it: a page reloaded "offline" would read navigator.onLine as true.
      "--disable-features=RenderDocument",
    ],
  });
  mkdirSync(shots, { recursive: true });
  const demo = (await (await fetch(`${local.url}/api/dev/demo`)).json()) as { communityId: string; people: DemoPerson[] };

  async function api<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(local.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }

  /** A phone: its own browser context, optionally somewhere, in a language, already signed in. */
  async function phoneAt(
    opts: { at?: { lat: number; lng: number }; locale?: string; as?: DemoPerson; viewport?: { width: number; height: number } } = {},
  ) {
    const context = await browser.newContext({
      viewport: opts.viewport ?? phone,
      locale: opts.locale ?? "zh-CN",
      // Phones in the communities keep China time, whatever the zone of the machine running the tests.
      timezoneId: "Asia/Shanghai",
      ...(opts.at ? { geolocation: { latitude: opts.at.lat, longitude: opts.at.lng, accuracy: 15 }, permissions: ["geolocation"] } : {}),
    });
    if (opts.as) {
      await context.addInitScript((token) => {
        if (!localStorage.getItem("mw.token")) localStorage.setItem("mw.token", JSON.stringify(token));
      }, opts.as.token);
    }
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { context, page, errors };
  }

  /** Signs in through the sign-in page: the phone number, then the code from the dev outbox. */
  async function signInThroughUi(page: Page, who: DemoPerson, next?: string) {
    await page.goto(`${local.url}/signin${next === undefined ? "" : `?next=${encodeURIComponent(next)}`}`);
    await page.getByLabel("手机号").fill(who.phone.replace("+86", ""));
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByText("验证码已发送").waitFor();
    const outbox = await api<{ text: string; kind: string }[]>("GET", `/api/dev/outbox?to=${encodeURIComponent(who.phone)}`);
    const code = /(\d{6})/.exec(outbox.find((m) => m.kind === "sign-in")!.text)![1];
    await page.getByLabel("短信验证码").fill(code);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  }

  async function stop() {
    await browser.close().catch(() => undefined);
    await local.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }

  const person = (name: string) => demo.people.find((p) => p.name === name)!;
  return {
    url: local.url,
    store: local.store,
    photoEndpoint: local.photoEndpoint,
    browser,
    demo,
    person,
    api,
    phoneAt,
    signInThroughUi,
    stop,
  };
}

export type Site = Awaited<ReturnType<typeof startSite>>;

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core in the page: no serious or critical violation. */
export async function expectAccessible(page: Page, name: string) {
  // Evaluated, not added as an inline <script>: the app's CSP refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ["violations"] }));
  const bad = (result.violations as any[])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(" ")).join(" | ")}`);
  expect(bad, `axe on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

/** Nothing sideways to scroll, and every control big enough for a thumb. */
export async function expectPhoneFriendly(page: Page, name: string) {
  const report = await page.evaluate(() => {
    const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
    const small = [
      ...document.querySelectorAll<HTMLElement>(
        "button, a.button, .tabs a, input:not([type=radio]):not([type=checkbox]), select, textarea, .chip span, .stars label, label.check",
      ),
    ]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(
        ({ el, box }) =>
          `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 20)}" ` +
          `${Math.round(box.width)}×${Math.round(box.height)}`,
      );
    return { wide, scrollWidth: document.documentElement.scrollWidth, small };
  });
  expect(report.wide, `${name} scrolls sideways (${report.scrollWidth}px)`).toBe(false);
  expect(report.small, `${name}: tap targets under 44px`).toEqual([]);
}
