/**
 * The Lambda bundles as SST v2 deploys them: the same esbuild (the one SST itself depends on) with
 * the options of sst/runtime/handlers/node.js for an ESM function, plus the app's defaults from
 * sst.config.ts (format esm, minify). AWS SDK v3 is bundled (SST leaves only sharp and pg-native
 * out), source maps go to a separate .map file and are not counted.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { BuildOptions, Metafile } from "esbuild";
import { apiEsbuild } from "../stacks/bundling.js";
import { kb, ratio } from "./lib.js";
import type { Row } from "./rows.js";

const require = createRequire(import.meta.url);

/** SST's own esbuild when it has one (that is what `sst deploy` runs), else the project's. */
function sstEsbuild(): typeof import("esbuild") {
  try {
    return require(require.resolve("esbuild", { paths: [resolve("node_modules/sst")] }));
  } catch {
    return require("esbuild");
  }
}

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzip: number;
  metafile: Metafile;
}

/** The banner SST v2 puts on every ESM function: `require` and `__dirname` for CommonJS dependencies. */
const banner = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "",
].join("\n");

export const entries = {
  api: "functions/api.ts",
  pages: "functions/pages.ts",
  docs: "functions/docs.ts",
  stream: "functions/stream.ts",
  cron: "functions/cron.ts",
  floor: "bench/floor.ts",
} as const;

/**
 * What stacks/Api.ts adds to one function's esbuild options: the document's function gets the
 * document, built at deploy time; the API's function leaves out the answers' schemas (stacks/bundling.ts).
 */
async function overrides(name: keyof typeof entries): Promise<Pick<BuildOptions, "define" | "plugins">> {
  if (name === "api") return apiEsbuild;
  if (name !== "docs") return {};
  const { deployedOpenApiJson } = await import("../functions/app/index.js");
  return { define: { __OPENAPI_DOCUMENT__: JSON.stringify(deployedOpenApiJson()) } };
}

export async function buildBundles(outDir: string, names: (keyof typeof entries)[] = ["floor", "api", "pages", "docs", "stream", "cron"]) {
  const esbuild = sstEsbuild();
  const out: Record<string, Bundle> = {};
  for (const name of names) {
    const file = join(outDir, `${name}.mjs`);
    const result = await esbuild.build({
      entryPoints: [resolve(entries[name])],
      platform: "node",
      external: ["sharp", "pg-native"],
      keepNames: true,
      bundle: true,
      logLevel: "silent",
      metafile: true,
      format: "esm",
      target: "esnext",
      mainFields: ["module", "main"],
      banner: { js: banner },
      outfile: file,
      sourcemap: true,
      minify: true,
      ...(await overrides(name)),
    });
    const code = readFileSync(file);
    out[name] = { name, file, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
  }
  return { bundles: out, esbuildVersion: esbuild.version };
}

/** Bytes in a bundle per package (or per folder of the project), largest first. */
export function byPackage(b: Bundle): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [path, output] of Object.entries(b.metafile.outputs)) {
    if (path.endsWith(".map")) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = input.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
      const key = m ? m[1] : input.split("/").slice(0, 2).join("/");
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return new Map([...sizes].sort((a, b) => b[1] - a[1]));
}

/** What `b` carries beyond the floor, by package, largest first. */
export function overFloor(b: Bundle, floor: Bundle, top = 8): string {
  const mine = byPackage(b);
  const base = byPackage(floor);
  return [...mine]
    .map(([k, v]) => [k, v - (base.get(k) ?? 0)] as const)
    .filter(([, d]) => d > 512)
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([k, d]) => `${k} ${kb(d)}`)
    .join(", ");
}

export async function bundleRows(): Promise<{ rows: Row[]; notes: string[]; bundles: Record<string, Bundle>; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "microwish-bench-bundles-"));
  const { bundles, esbuildVersion } = await buildBundles(dir);
  const floor = bundles.floor;
  // The API's function answers people and starts cold on their first tap: it is held closest to the floor.
  const factorOf = (name: string) => (name === "api" ? 1.3 : 1.5);
  const rows: Row[] = [
    { name: "floor bundle (Hono + one GetItem)", figure: `${kb(floor.bytes)}, gzip ${kb(floor.gzip)}`, budget: "reference", holds: true },
  ];
  for (const name of ["api", "pages", "docs", "stream", "cron"] as const) {
    const b = bundles[name];
    const limit = factorOf(name) * floor.bytes;
    rows.push({
      name: `${name} bundle`,
      figure: `${kb(b.bytes)}, gzip ${kb(b.gzip)} (${ratio(b.bytes / floor.bytes)} floor)`,
      budget: `≤ ${factorOf(name)} × floor (${kb(limit)})`,
      holds: b.bytes <= limit,
    });
  }
  const notes = [
    `Bundles: esbuild ${esbuildVersion} (SST v2's own) with SST v2's options for an ESM function: bundle, minify, keepNames, platform ` +
      `node, target esnext, format esm with the createRequire banner, AWS SDK bundled; sizes of the .mjs without its source map.`,
    `api over the floor: ${overFloor(bundles.api, floor)}.`,
  ];
  return { rows, notes, bundles, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
