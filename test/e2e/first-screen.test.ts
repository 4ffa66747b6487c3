/**
 * Opening the app signed in, the first screen waits on one round of reads: who the person is (with
 * the community the app opens in), the bell's count and the home's list all leave before any of
 * them has answered, each once, and nothing is read after them to draw the screen (no newest wish
 * to find the community, no community details). Told by the order in which Chromium reports the
 * requests and their answers, not by the clock.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSite, type DemoPerson, type Site } from "./browser.js";

let site: Site;
let communityName: string;
beforeAll(async () => {
  site = await startSite();
  communityName = (await site.api("GET", `/api/communities/${site.demo.communityId}`)).name;
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

/** The API reads of a page, as `sent /api/...` and `answered /api/...` in the order the browser reports them. */
function apiTraffic(page: Page) {
  const events: string[] = [];
  const api = (url: string) => {
    const u = new URL(url);
    return u.pathname.startsWith("/api/") ? u.pathname + u.search : undefined;
  };
  page.on("request", (r) => {
    const path = api(r.url());
    if (path) events.push(`sent ${path}`);
  });
  page.on("response", (r) => {
    const path = api(r.url());
    if (path) events.push(`answered ${path}`);
  });
  return {
    events,
    sent: () => events.filter((e) => e.startsWith("sent ")).map((e) => e.slice(5)),
    /** The reads that left before the first answer came. */
    sentBeforeAnyAnswer: () => {
      const first = events.findIndex((e) => e.startsWith("answered "));
      return events.slice(0, first < 0 ? events.length : first).map((e) => e.slice(5));
    },
  };
}

/** Opens the app at / on a phone holding `kept` in localStorage; back when the first card and the community's name show. */
async function open(who: DemoPerson, kept: Record<string, unknown> = {}) {
  const { context, page, errors } = await site.phoneAt({ as: who });
  await context.addInitScript((kept) => {
    for (const [k, v] of Object.entries(kept)) if (!localStorage.getItem(k)) localStorage.setItem(k, JSON.stringify(v));
  }, kept);
  const traffic = apiTraffic(page);
  await page.goto(`${site.url}/`);
  await page.locator("li.card").first().waitFor();
  await page.locator("header .community").getByText(communityName).waitFor();
  // Whatever the screen still asks for once it shows is asked for now.
  await page.waitForLoadState("networkidle");
  return { context, page, errors, traffic };
}

describe("the first screen, opened signed in", () => {
  it("a resident whose phone keeps only the token: me, the bell and the list in one round, the community with me", async () => {
    const resident = site.person("李大爷");
    const { context, page, errors, traffic } = await open(resident);
    expect(new URL(page.url()).pathname).toBe("/mine");
    const reads = ["/api/wishes?mine=true&limit=20", "/api/me", "/api/notifications?limit=1"];
    expect(traffic.sentBeforeAnyAnswer().sort(), traffic.events.join("\n")).toEqual([...reads].sort());
    expect(traffic.sent().sort(), traffic.events.join("\n")).toEqual([...reads].sort());
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a member whose phone knows who and where from before: the hall's list leaves with me and the bell", async () => {
    const member = site.demo.people.find((p) => p.role === "member")!;
    const me = await site.api("GET", "/api/me", member.token);
    const { community: _, ...who } = me;
    const { context, page, errors, traffic } = await open(member, { "mw.me": who, "mw.community": site.demo.communityId });
    expect(new URL(page.url()).pathname).toBe("/hall");
    const list = `/api/wishes?communityId=${encodeURIComponent(site.demo.communityId)}&status=open&limit=50`;
    const reads = [list, "/api/me", "/api/notifications?limit=1"];
    // The hall's activities may leave in the same round; what it reads later, it reads once the screen is there.
    expect(traffic.sentBeforeAnyAnswer(), traffic.events.join("\n")).toEqual(expect.arrayContaining(reads));
    for (const read of reads)
      expect(
        traffic.sent().filter((s) => s === read),
        traffic.events.join("\n"),
      ).toHaveLength(1);
    // The community's details came with me: not read on their own.
    expect(
      traffic.sent().filter((s) => /^\/api\/communities\/[^/?]+$/.test(s)),
      traffic.events.join("\n"),
    ).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
