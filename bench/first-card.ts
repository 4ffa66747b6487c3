/**
 * Cold start on a throttled phone: the time from opening the app signed in to the first wish card
 * on a resident's home (/mine) and a volunteer's (/hall), in Chromium at 390×844 with the CPU 4×
 * slower (CDP Emulation.setCPUThrottlingRate) and a 1.6 Mbps, 150 ms round-trip network (CDP
 * Network.emulateNetworkConditions), cache off and no service worker: a first visit.
 *
 *   npx tsx bench/first-card.ts [--url http://127.0.0.1:3000] [--runs 5]
 *
 * With --url it measures what `npm start` serves there; without, it starts the same local
 * server (startLocal, a fresh data directory, the production build) and stops it after.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import type { Row } from "./rows.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The phone: 4× CPU, 1.6 Mbps down, 750 kbps up, 150 ms round trip. */
const phone = { cpu: 4, latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8 };
/** Budget for the median first card on the throttled phone: the issue found 4–6 s too slow. */
const budgetMs = 4_000;

interface Person {
  role: string;
  token: string;
  name: string;
}

async function measure(url: string, runs: number) {
  const demo = (await (await fetch(`${url}/api/dev/demo`)).json()) as { people: Person[] };
  const who = { resident: demo.people.find((p) => p.role === "resident")!, member: demo.people.find((p) => p.role === "member")! };
  const kept = Object.fromEntries(
    await Promise.all(
      (["resident", "member"] as const).map(async (role) => {
        const me = await (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${who[role].token}` } })).json();
        const communityId = me.communities[0]?.communityId;
        return [role, { "mw.token": who[role].token, "mw.me": me, ...(communityId ? { "mw.community": communityId } : {}) }];
      }),
    ),
  ) as Record<"resident" | "member", Record<string, unknown>>;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const times: Record<"resident" | "member", number[]> = { resident: [], member: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const role of ["resident", "member"] as const) {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", serviceWorkers: "block" });
        // A phone that used the app before: signed in, who and where it knows; only the files are not cached.
        await context.addInitScript((kept) => {
          for (const [k, v] of Object.entries(kept)) localStorage.setItem(k, JSON.stringify(v));
        }, kept[role]);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
        await cdp.send("Network.emulateNetworkConditions", {
          offline: false,
          latency: phone.latency,
          downloadThroughput: phone.down,
          uploadThroughput: phone.up,
        });
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: phone.cpu });
        await page.goto(`${url}/`, { waitUntil: "commit" });
        await page.locator("li.card").first().waitFor({ timeout: 60_000 });
        // From the navigation's start, by the page's own clock.
        times[role].push(await page.evaluate(() => performance.now()));
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return times;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The local server as `npm start` runs it, on a fresh data directory. */
async function startServer() {
  const { buildWeb } = await import("../test/e2e/browser.js");
  const { startLocal } = await import("../functions/local.js");
  const dirs = [mkdtempSync(join(tmpdir(), "microwish-first-card-data-")), mkdtempSync(join(tmpdir(), "microwish-first-card-web-"))];
  await buildWeb(dirs[1]);
  const local = await startLocal({ dataDir: dirs[0], port: 0, host: "127.0.0.1", table: "microwish", webDir: dirs[1], quiet: true });
  return {
    url: local.url,
    stop: async () => {
      await local.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export async function firstCardRows(opts: { url?: string; runs?: number } = {}): Promise<{ rows: Row[]; notes: string[] }> {
  const server = opts.url ? undefined : await startServer();
  try {
    const times = await measure(opts.url ?? server!.url, opts.runs ?? 5);
    const rows = (["resident", "member"] as const).map((role) => {
      const m = median(times[role]);
      return {
        name: `first card, ${role === "resident" ? "resident /mine" : "member /hall"} (4× CPU, 1.6 Mbps, 150 ms)`,
        figure: `${(m / 1000).toFixed(2)} s median of ${times[role].length}`,
        budget: `≤ ${(budgetMs / 1000).toFixed(1)} s`,
        holds: m <= budgetMs,
      };
    });
    const notes = (["resident", "member"] as const).map((role) => `${role}: ${times[role].map((t) => (t / 1000).toFixed(2)).join(", ")} s`);
    return { rows, notes };
  } finally {
    await server?.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve("bench/first-card.ts")) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const { rows, notes } = await firstCardRows({ url: arg("url"), runs: Number(arg("runs") ?? 5) });
  for (const r of rows) console.log(`${r.name}: ${r.figure} (budget ${r.budget}${r.holds ? "" : ", NOT held"})`);
  for (const n of notes) console.log(`  ${n}`);
}
