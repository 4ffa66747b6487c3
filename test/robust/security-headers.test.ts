/**
 * Security headers as `npm start` serves them (startLocal: the built web app and the API on one
 * origin), and the app in real Chromium under its Content-Security-Policy: no violation on any
 * page of any role, the API's HTML pages (certificate, verification, docs) styled and scripted
 * by hash, and an injected inline script refused, which shows the watch for violations works.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCsp, siteCsp } from "../../functions/app/security.js";
import { startSite, type Site } from "../e2e/browser.js";

let site: Site;
let certificate: { number: string; printUrl: string; verifyUrl: string };

beforeAll(async () => {
  site = await startSite();
  // A certificate for a demo volunteer with verified hours, for its print and verify pages.
  const staff = site.demo.people.find((p) => p.role === "staff")!;
  for (const m of site.demo.people.filter((p) => p.role === "member")) {
    const hours = await site.api("GET", `/api/members/${m.id}/hours`, staff.token);
    if (!hours.entries?.length) continue;
    const days = hours.entries.map((e: any) => (e.start ?? e.verifiedAt).slice(0, 10)).sort();
    const from = new Date(Date.parse(days[0]) - 86400_000).toISOString().slice(0, 10);
    const to = new Date(Date.parse(days.at(-1)) + 86400_000).toISOString().slice(0, 10);
    certificate = await site.api("POST", `/api/members/${m.id}/certificates`, m.token, { from, to, communityId: site.demo.communityId });
    break;
  }
  expect(certificate?.number, "the demo has a volunteer with verified hours").toBeDefined();
}, 240_000);
afterAll(() => site?.stop());

const headersOf = async (path: string, init?: RequestInit) => {
  const res = await fetch(site.url + path, init);
  await res.arrayBuffer();
  return res;
};

const common = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

describe("headers from the local server", () => {
  it("the built index.html has no inline script, style or handler, so the CSP needs neither 'unsafe-inline' nor hashes", async () => {
    const html = await (await fetch(`${site.url}/index.html`)).text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(
      [...html.matchAll(/<script\b([^>]*)>/g)].every((m) => /\bsrc=/.test(m[1])),
      "every script has a src",
    ).toBe(true);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it.each(["/", "/index.html", "/signin", "/wishes/01ANYTHING", "/manifest.webmanifest", "/sw.js"])(
    "%s: the app's CSP and the common headers",
    async (path) => {
      const res = await headersOf(path);
      expect(res.status).toBe(200);
      for (const [name, value] of Object.entries(common)) expect(res.headers.get(name), name).toBe(value);
      expect(res.headers.get("content-security-policy")).toBe(siteCsp(undefined, site.photoEndpoint));
      expect(res.headers.get("permissions-policy")).toMatch(/geolocation=\(self\)/);
    },
  );

  it("a built script and stylesheet carry them too, with their real types (nosniff needs them right)", async () => {
    const html = await (await fetch(`${site.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    for (const [path, type] of [
      [script, /javascript/],
      [style, /text\/css/],
    ] as const) {
      const res = await headersOf(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBe(siteCsp(undefined, site.photoEndpoint));
    }
  });

  it("the CSP is the strict one: the app's own origin only, no inline code, no framing", () => {
    const csp = siteCsp();
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "manifest-src 'self'",
      "worker-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ]) {
      expect(csp.split("; ")).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe|\*|http:/);
    expect(siteCsp("https://abc.execute-api.ap-southeast-1.amazonaws.com").split("; ")).toContain(
      "connect-src 'self' https://abc.execute-api.ap-southeast-1.amazonaws.com",
    );
    // The photo bucket: uploads go there and photos come from there, picked ones from blob: URLs; forms still post nowhere else.
    const withPhotos = siteCsp("https://api.example", "https://photos.s3.ap-southeast-1.amazonaws.com");
    expect(withPhotos.split("; ")).toEqual(
      expect.arrayContaining([
        "connect-src 'self' https://api.example https://photos.s3.ap-southeast-1.amazonaws.com",
        "img-src 'self' data: blob: https://photos.s3.ap-southeast-1.amazonaws.com",
        "form-action 'self'",
      ]),
    );
  });

  it.each([
    ["GET", "/api/health", 200],
    ["GET", "/api/openapi.json", 200],
    ["GET", "/api/no-such-route", 404],
    ["POST", "/api/wishes", 401],
    ["GET", "/api/certificates/MW-00000000-NOPE0000", 404],
  ])("%s %s → %i: the common headers and a CSP that lets nothing run", async (method, path, status) => {
    const res = await headersOf(path, { method });
    expect(res.status).toBe(status);
    for (const [name, value] of Object.entries(common)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get("content-security-policy")).toBe(apiCsp);
  });

  it("the API's HTML pages get a CSP naming exactly their inline style and script by hash", async () => {
    for (const path of [new URL(certificate.printUrl).pathname, new URL(certificate.verifyUrl).pathname, "/api/docs"]) {
      const res = await fetch(site.url + path);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      for (const [name, value] of Object.entries(common)) expect(res.headers.get(name), name).toBe(value);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'/);
      expect(csp).not.toMatch(/unsafe/);
      expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    }
  });
});

/** A browser context that records every CSP violation the page reports, and console complaints about the policy. */
async function watched(opts: Parameters<Site["phoneAt"]>[0] = {}) {
  const phone = await site.phoneAt(opts);
  await phone.context.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
    (window as any).__printed = 0;
    window.print = () => void (window as any).__printed++;
  });
  const console: string[] = [];
  phone.page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  return { ...phone, console };
}
const violations = (page: Page) => page.evaluate(() => (window as any).__violations as string[]);

async function visit(page: Page, path: string, ready: (page: Page) => Promise<unknown>) {
  await page.goto(site.url + path);
  await ready(page);
  return violations(page);
}

describe("the app in Chromium under its CSP", () => {
  const closing: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of closing) await c.close();
  });

  it("signs in through the page, and every role's pages load with no CSP violation; the service worker registers", async () => {
    const seen: Record<string, string[]> = {};
    const resident = site.demo.people.find((p) => p.role === "resident")!;
    const member = site.demo.people.find((p) => p.role === "member")!;
    const staff = site.demo.people.find((p) => p.role === "staff")!;

    const signIn = await watched();
    closing.push(signIn.context);
    await site.signInThroughUi(signIn.page, resident);
    seen["sign-in → home"] = await violations(signIn.page);
    expect(await signIn.page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL)), "worker-src 'self'").toBe(
      `${site.url}/sw.js`,
    );

    const heading = (p: Page) => p.locator("h1").first().waitFor();
    const pages: [typeof resident, string[]][] = [
      [resident, ["/mine", "/post", "/notifications", "/settings"]],
      [member, ["/hall", "/tasks", "/hours"]],
      [staff, ["/review", "/board", "/verify", "/stats", "/import"]],
    ];
    for (const [who, paths] of pages) {
      const phone = await watched({ as: who });
      closing.push(phone.context);
      for (const path of paths) {
        seen[`${who.role} ${path}`] = await visit(phone.page, path, async (p) => {
          await heading(p);
          await p.waitForLoadState("networkidle");
        });
      }
      // A wish's page, reached from the first list that shows one.
      const list = await site.api("GET", `/api/wishes?communityId=${site.demo.communityId}&status=open`, staff.token);
      const wishId = (list.items ?? list)[0]?.id;
      if (wishId && who.role !== "resident") seen[`${who.role} wish`] = await visit(phone.page, `/wishes/${wishId}`, heading);
      expect(phone.errors, `${who.role}: page errors`).toEqual([]);
      expect(phone.console, `${who.role}: console`).toEqual([]);
    }
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(14);
    expect(Object.entries(seen).filter(([, v]) => v.length)).toEqual([]);
    expect(signIn.console).toEqual([]);
  }, 240_000);

  it("an inline script slipped into the page is refused and reported: the watch above would have seen it", async () => {
    const phone = await watched();
    closing.push(phone.context);
    await phone.page.goto(`${site.url}/signin`);
    await phone.page.locator("h1").first().waitFor();
    await phone.page.addScriptTag({ content: "window.__ran = true" }).catch(() => undefined);
    await phone.page.evaluate(() => {
      const d = document.createElement("div");
      d.setAttribute("style", "color: red");
      document.body.append(d);
    });
    await phone.page.waitForTimeout(200);
    expect(await phone.page.evaluate(() => (window as any).__ran)).toBeUndefined();
    const seen = await violations(phone.page);
    expect(seen.some((v) => v.startsWith("script-src"))).toBe(true);
    expect(seen.some((v) => v.startsWith("style-src"))).toBe(true);
  });

  it("a page in a frame elsewhere is refused (frame-ancestors 'none')", async () => {
    const phone = await watched();
    closing.push(phone.context);
    await phone.page.setContent(`<iframe src="${site.url}/signin"></iframe>`);
    await phone.page.waitForTimeout(1000);
    const frame = phone.page.frames()[1];
    expect(frame, "the frame exists").toBeDefined();
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "") : "";
    expect(text).not.toMatch(/微心愿|验证码/);
  });

  it("the certificate page prints styled, with its QR code, and its print button works, with no violation", async () => {
    const phone = await watched();
    closing.push(phone.context);
    await phone.page.goto(certificate.printUrl);
    expect(await phone.page.locator("h1").evaluate((h) => getComputedStyle(h).textAlign)).toBe("center");
    expect(await phone.page.locator(".sub").evaluate((d) => getComputedStyle(d).textAlign)).toBe("center");
    expect(await phone.page.locator(".qr svg").count()).toBe(1);
    expect(await phone.page.locator(".qr").evaluate((d) => d.getBoundingClientRect().width)).toBeGreaterThan(50);
    await phone.page.getByRole("button", { name: /Print/ }).click();
    expect(await phone.page.evaluate(() => (window as any).__printed)).toBe(1);
    expect(await violations(phone.page)).toEqual([]);

    await phone.page.goto(certificate.verifyUrl);
    expect(await phone.page.locator(".ok").evaluate((p) => getComputedStyle(p).color)).toBe("rgb(16, 107, 42)");
    expect(await violations(phone.page)).toEqual([]);
    expect(phone.console).toEqual([]);
  });

  it("the API docs page runs its script (the operations appear) with no violation", async () => {
    const phone = await watched();
    closing.push(phone.context);
    await phone.page.goto(`${site.url}/api/docs`);
    await phone.page.locator("details.op").first().waitFor();
    const ops = await phone.page.locator("details.op").count();
    expect(ops).toBeGreaterThan(20);
    expect(await violations(phone.page)).toEqual([]);
    expect(phone.console).toEqual([]);
  });
});
