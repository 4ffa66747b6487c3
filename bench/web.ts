/**
 * The web app. (1) The JavaScript each role's first page loads, gzipped, from the production
 * build's manifest, counted as test/e2e/budget.test.ts counts it: the entry and its static
 * imports, the page's lazily loaded chunk and its imports, and the English catalogue (the worst
 * case, an English reader). (2) Lighthouse's mobile performance score (default: Moto G Power
 * screen, simulated slow 4G and 4× CPU slowdown) of a resident's home, /mine, opened signed in.
 *
 * Served as on AWS: one origin, as the Web stack's CloudFront distribution is. The built files
 * with the StaticSite's cache headers and compressed as CloudFront compresses (brotli for a browser
 * that takes it, else gzip), unknown paths answered with index.html; /api/* from the API on the
 * same origin (CloudFront's /api/* behaviour, compressing too), so the browser makes the calls it
 * makes in production: same-origin, no CORS preflight, on the site's connections.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { getRequestListener } from "@hono/node-server";
import { createApp, type Deps } from "../functions/app/index.js";
import { issueToken } from "../functions/core/identity.js";
import { demoPeople, seedDemo } from "../functions/dev/seed.js";
import { outboxNotifier } from "../functions/notify/local.js";
import { freshTable, kb, secret } from "./lib.js";
import type { Row } from "./rows.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromeFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const budgetBytes = 50 * 1024;

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** The production build, as the StaticSite makes it (`vite build` in web/): the app calls its own origin's /api. */
async function buildWeb(outDir: string) {
  const { build } = await import("vite");
  const saved = { nodeEnv: process.env.NODE_ENV, api: process.env.VITE_API_URL };
  process.env.NODE_ENV = "production";
  delete process.env.VITE_API_URL;
  try {
    await build({ configFile: resolve("web/vite.config.ts"), mode: "production", logLevel: "error", build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = saved.nodeEnv;
    if (saved.api !== undefined) process.env.VITE_API_URL = saved.api;
  }
}

function firstPageJs(outDir: string) {
  const manifest: Record<string, Chunk> = JSON.parse(readFileSync(join(outDir, ".vite/manifest.json"), "utf8"));
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const i of manifest[key].imports ?? []) closure(i, seen);
    return seen;
  };
  const gzipped = (keys: Iterable<string>) =>
    [...keys].reduce((sum, k) => sum + gzipSync(readFileSync(join(outDir, manifest[k].file)), { level: 9 }).length, 0);
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
  const english = "src/i18n/en.ts";
  const pages = (manifest[entry].dynamicImports ?? []).filter((k) => k.startsWith("src/pages/"));
  const sizeOf = (page: string) => gzipped(closure(english, closure(page, closure(entry))));
  return { pages, sizeOf, entryOnly: gzipped(closure(entry)) };
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};
const compressible = new Set([".html", ".js", ".css", ".json", ".webmanifest", ".svg", ".txt"]);

/** CloudFront's choice of encoding for what a browser accepts: brotli if it takes it, else gzip, else none. */
const encodingOf = (accepts: string) => (/\bbr\b/.test(accepts) ? "br" : /\bgzip\b/.test(accepts) ? "gzip" : undefined);

/**
 * The API as CloudFront's /api/* behaviour passes it on: nothing cached, and answers of 1,000 bytes
 * up of a text type compressed at the edge (`compress: true`), as the site's files are.
 */
function apiBehaviour(fetchApi: (req: Request) => Response | Promise<Response>) {
  return getRequestListener(async (req) => {
    const res = await fetchApi(req);
    const type = res.headers.get("content-type") ?? "";
    if (res.headers.has("content-encoding") || !/json|text|xml/.test(type)) return res;
    const raw = Buffer.from(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    if (raw.length >= 1000) {
      const encoding = encodingOf(req.headers.get("accept-encoding") ?? "");
      if (encoding) {
        headers.set("content-encoding", encoding);
        headers.append("vary", "accept-encoding");
        return new Response(encoding === "br" ? brotliCompressSync(raw) : gzipSync(raw), { status: res.status, headers });
      }
    }
    return new Response(raw, { status: res.status, headers });
  });
}

/** The site as the Web stack's distribution serves it: the StaticSite's bucket, and /api/* from the API. */
function site(root: string, api: ReturnType<typeof apiBehaviour>) {
  const cache = new Map<string, { raw: Buffer; br?: Buffer; gz?: Buffer }>();
  const load = (file: string) => {
    let entry = cache.get(file);
    if (!entry) {
      const raw = readFileSync(file);
      const ext = extname(file);
      // CloudFront compresses objects from 1,000 bytes up, of the usual text types.
      const worth = compressible.has(ext) && raw.length >= 1000;
      entry = {
        raw,
        br: worth ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) : undefined,
        gz: worth ? gzipSync(raw, { level: 9 }) : undefined,
      };
      cache.set(file, entry);
    }
    return entry;
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path.startsWith("/api/")) return api(req, res);
    let file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, "index.html");
    const ext = extname(file);
    const { raw, br, gz } = load(file);
    // Small files and other types are kept as they are (`br` and `gz` are made together, or neither).
    const encoding = br && gz ? encodingOf(String(req.headers["accept-encoding"] ?? "")) : undefined;
    const body = encoding === "br" ? br! : encoding === "gzip" ? gz! : raw;
    res.setHeader("content-type", types[ext] ?? "application/octet-stream");
    res.setHeader("cache-control", ext === ".html" ? "max-age=0,no-cache,no-store,must-revalidate" : "max-age=31536000,public,immutable");
    if (encoding) res.setHeader("content-encoding", encoding);
    res.setHeader("vary", "accept-encoding");
    res.setHeader("content-length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return server;
}

const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<string>((ready) => server.listen(0, "127.0.0.1", () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

export async function webRows(opts: { endpoint: string; lighthouseRuns?: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const runs = opts.lighthouseRuns ?? 5;
  const rows: Row[] = [];
  const notes: string[] = [];
  const outDir = mkdtempSync(join(tmpdir(), "microwish-bench-web-"));
  const store = await freshTable(opts.endpoint, "bench-web");
  await seedDemo(store);
  const resident = (await demoPeople(store)).people.find((p) => p.role === "resident")!;
  const token = await issueToken(secret, resident.id);

  let siteOrigin = "";
  const deps = {
    store,
    notifier: outboxNotifier(store),
    secret: async () => secret,
    siteOrigins: () => [siteOrigin],
    publicUrl: () => siteOrigin,
  };
  const app = createApp(deps as Deps);
  const server = site(outDir, apiBehaviour(app.fetch));
  siteOrigin = await listen(server);
  let chrome: { port: number; kill(): void } | undefined;
  try {
    await buildWeb(outDir);
    const js = firstPageJs(outDir);
    const firstPages: [string, string][] = [
      ["signed out: /signin", "src/pages/sign-in.tsx"],
      ["resident: /mine", "src/pages/my-wishes.tsx"],
      ["member: /hall", "src/pages/hall.tsx"],
      ["staff: /review", "src/pages/review.tsx"],
    ];
    for (const [who, page] of firstPages) {
      if (!js.pages.includes(page)) throw new Error(`the build has no lazily loaded ${page}`);
      const bytes = js.sizeOf(page);
      rows.push({ name: `web first-page JS, ${who}`, figure: `${kb(bytes)} gzip`, budget: "≤ 50 KB", holds: bytes <= budgetBytes });
    }
    const worst = js.pages.map((p) => [p, js.sizeOf(p)] as const).sort((a, b) => b[1] - a[1])[0];
    rows.push({
      name: `web first-page JS, largest of ${js.pages.length} pages`,
      figure: `${kb(worst[1])} gzip (${worst[0].replace("src/pages/", "")})`,
      budget: "≤ 50 KB",
      holds: worst[1] <= budgetBytes,
    });

    // Lighthouse in its own Chromium; the resident's token put in the site's localStorage first,
    // on a page that loads no script (so no service worker is there before the measured load).
    const { launch } = await import("chrome-launcher");
    const { default: lighthouse } = await import("lighthouse");
    const { chromium } = await import("playwright-core");
    chrome = await launch({ chromePath: chromiumPath, chromeFlags });
    const port = chrome.port;
    /** Before each run: a first visit's browser (no HTTP cache, no service worker, no cache storage), signed in. */
    const prepare = async () => {
      const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      const page = await cdp.contexts()[0].newPage();
      await page.goto(`${siteOrigin}/manifest.webmanifest`);
      const session = await page.context().newCDPSession(page);
      await session.send("Network.clearBrowserCache");
      await session.send("Storage.clearDataForOrigin", { origin: siteOrigin, storageTypes: "service_workers,cache_storage,indexeddb" });
      await page.evaluate((t) => {
        localStorage.clear();
        localStorage.setItem("mw.token", JSON.stringify(t));
      }, token);
      await page.close();
      await cdp.close();
    };

    const url = `${siteOrigin}/mine`;
    const scores: number[] = [];
    const metrics: Record<string, number[]> = { FCP: [], LCP: [], TBT: [], CLS: [], SI: [], bench: [] };
    for (let i = 0; i < runs; i++) {
      await prepare();
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance"],
        disableStorageReset: true,
      });
      const lhr = result!.lhr;
      if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      if (!lhr.finalDisplayedUrl.endsWith("/mine"))
        throw new Error(`lighthouse ended on ${lhr.finalDisplayedUrl}, not the resident's home`);
      scores.push(Math.round((lhr.categories.performance.score ?? 0) * 100));
      // The whole report, for a closer look: BENCH_LIGHTHOUSE_REPORT=/tmp/lhr.json npm run bench -- --only=web
      if (process.env.BENCH_LIGHTHOUSE_REPORT) writeFileSync(process.env.BENCH_LIGHTHOUSE_REPORT, JSON.stringify(lhr));
      const a = lhr.audits;
      metrics.FCP.push(a["first-contentful-paint"].numericValue ?? NaN);
      metrics.LCP.push(a["largest-contentful-paint"].numericValue ?? NaN);
      metrics.TBT.push(a["total-blocking-time"].numericValue ?? NaN);
      metrics.CLS.push(a["cumulative-layout-shift"].numericValue ?? NaN);
      metrics.SI.push(a["speed-index"].numericValue ?? NaN);
      metrics.bench.push(lhr.environment.benchmarkIndex);
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const score = mid(scores);
    rows.push({
      name: `Lighthouse mobile performance, resident's home /mine (median of ${runs})`,
      figure:
        `${score} (runs ${scores.join(", ")}; FCP ${Math.round(mid(metrics.FCP))} ms, LCP ${Math.round(mid(metrics.LCP))} ms, ` +
        `TBT ${Math.round(mid(metrics.TBT))} ms, CLS ${mid(metrics.CLS).toFixed(3)}; machine's benchmarkIndex ` +
        `${Math.round(mid(metrics.bench))})`,
      budget: "≥ 95",
      holds: score >= 95,
    });
    notes.push(
      `Web: ${url} with the demo resident's token in localStorage (\`mw.token\`), the site's files brotli-compressed as CloudFront ` +
        "sends them to Chromium, the API on the same origin under /api/ as CloudFront's /api/* behaviour serves it (its answers " +
        "compressed alike, no CORS preflight); Lighthouse 12.2.3, mobile form factor, " +
        "default simulated throttling, before each run the HTTP cache, service worker and cache storage cleared and localStorage " +
        "holding only the token (Lighthouse's own storage reset would sign the resident out), HTTP/1.1 on loopback.",
    );
  } finally {
    chrome?.kill();
    await new Promise((done) => server.close(done));
    rmSync(outDir, { recursive: true, force: true });
  }
  return { rows, notes };
}
