/**
 * Fast on a slow phone: whichever page a person opens first, the JavaScript it needs (the entry,
 * its static imports, that page's own lazily loaded chunk with its imports, and the English
 * catalogue for those who read English) is at most 50 KB gzipped. Other pages stay out of the
 * first load. Measured on the production build's manifest.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "./browser.js";

const budgetBytes = 50 * 1024;

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const outDir = mkdtempSync(join(tmpdir(), "microwish-budget-"));
let manifest: Record<string, Chunk>;

beforeAll(async () => {
  await buildWeb(outDir);
  manifest = JSON.parse(readFileSync(join(outDir, ".vite/manifest.json"), "utf8"));
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The chunk and everything it imports statically: what the browser fetches before it runs. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key].imports ?? []) closure(i, seen);
  return seen;
}

const gzipped = (keys: Iterable<string>) =>
  [...keys].reduce((sum, k) => sum + gzipSync(readFileSync(join(outDir, manifest[k].file)), { level: 9 }).length, 0);

describe("bundle budget", () => {
  it("loads every page first with at most 50 KB of JavaScript, gzipped", () => {
    const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
    const pages = (manifest[entry].dynamicImports ?? []).filter((k) => k.startsWith("src/pages/"));
    // An English reader also loads the English catalogue first: count it for everyone, the worst case.
    const english = "src/i18n/en.ts";
    expect(Object.values(manifest).some((c) => c.dynamicImports?.includes(english))).toBe(true);
    expect(closure(entry).has(english)).toBe(false);
    expect(pages.map((p) => p.replace(/^src\/pages\//, "")).sort()).toEqual(
      [
        "activities.tsx",
        "activity/index.tsx",
        "board.tsx",
        "hall.tsx",
        "hours.tsx",
        "import.tsx",
        "join.tsx",
        "map.tsx",
        "me.tsx",
        "menu.tsx",
        "my-wishes.tsx",
        "not-found.tsx",
        "notifications.tsx",
        "post.tsx",
        "review.tsx",
        "settings.tsx",
        "sign-in.tsx",
        "stats.tsx",
        "tasks.tsx",
        "unit-admin.tsx",
        "units.tsx",
        "verify-queue.tsx",
        "voices.tsx",
        "wish/index.tsx",
      ].sort(),
    );
    const sizes = Object.fromEntries(pages.map((p) => [p, gzipped(closure(english, closure(p, closure(entry))))]));
    for (const [page, bytes] of Object.entries(sizes)) expect(bytes, `${page}: ${bytes} bytes`).toBeLessThanOrEqual(budgetBytes);
    expect(gzipped(closure(entry))).toBeGreaterThan(5_000);
  });

  it("keeps the pages, and staff's tools on a wish, out of the entry's static imports", () => {
    const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
    const first = [...closure(entry)].map((k) => manifest[k].src ?? k);
    expect(first.filter((src) => /pages\//.test(src))).toEqual([]);
    const wishPage = closure("src/pages/wish/index.tsx");
    expect([...wishPage].some((k) => /staff-actions/.test(k))).toBe(false);
    expect(manifest["src/pages/wish/index.tsx"].dynamicImports).toContain("src/pages/wish/staff-actions.tsx");
    // Charts load with the figures page only, and after it.
    expect([...closure("src/pages/stats.tsx")].some((k) => /bars/.test(k))).toBe(false);
    expect(manifest["src/pages/stats.tsx"].dynamicImports).toContain("src/ui/bars.tsx");
    // Leaflet and its stylesheet come with the map only, after the map page's own code.
    const leaflet = Object.keys(manifest).find((k) => manifest[k].src === "src/ui/map-view.ts")!;
    expect(manifest["src/pages/map.tsx"].dynamicImports).toContain(leaflet);
    for (const page of Object.keys(manifest).filter((k) => k.startsWith("src/pages/")))
      expect([...closure(page)], page).not.toContain(leaflet);
    const css = (keys: Iterable<string>) => [...keys].flatMap((k) => (manifest[k] as Chunk & { css?: string[] }).css ?? []);
    expect(css(closure(entry)).some((f) => readFileSync(join(outDir, f), "utf8").includes(".leaflet-container"))).toBe(false);
    expect(css([leaflet]).some((f) => readFileSync(join(outDir, f), "utf8").includes(".leaflet-container"))).toBe(true);
  });
});
