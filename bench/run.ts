/**
 * `npm run bench`: every figure with its budget, measured side by side in one run against its
 * own DynamoDB Local (in memory, stopped at the end). Budgets compare with a floor measured in
 * the same run, since a shared machine's absolute times say little. Exits 1 when any budget
 * fails; the table also goes to bench/latest.md, with the command that made it.
 *
 *   npm run bench                                  everything
 *   npm run bench -- --only=bundles,cold,overhead  some parts (contention, delivery, web, scale, rollups, jobs too)
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { startDynamoLocal, type DynamoLocal } from "../functions/store/dynamo-local.js";
import { buildBundles, bundleRows, type Bundle } from "./bundles.js";
import type { Row } from "./rows.js";

const parts = ["bundles", "cold", "overhead", "contention", "delivery", "web", "first-card", "scale", "rollups", "jobs"] as const;
type Part = (typeof parts)[number];

function chosen(argv: string[]): Part[] {
  const only = argv.find((a) => a.startsWith("--only="));
  if (!only) return [...parts];
  const names = only
    .slice("--only=".length)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(parts as readonly string[]).includes(n));
  if (unknown.length) {
    console.error(`bench: no part named ${unknown.join(", ")}; the parts are ${parts.join(", ")}`);
    process.exit(2);
  }
  return parts.filter((p) => names.includes(p));
}

interface Section {
  part: Part;
  rows: Row[];
  notes: string[];
  seconds: number;
}

async function main() {
  // The SDK's notice that it will soon need Node 22 (Lambda runs 22) would only clutter the table.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const wanted = chosen(process.argv.slice(2));
  const full = wanted.length === parts.length;
  const started = new Date();
  const sections: Section[] = [];
  let db: DynamoLocal | undefined;
  let bundles: Record<string, Bundle> | undefined;
  const cleanups: (() => void)[] = [];

  const run = async (part: Part, measure: () => Promise<{ rows: Row[]; notes?: string[] }>) => {
    if (!wanted.includes(part)) return;
    const t0 = performance.now();
    process.stderr.write(`bench: ${part}…\n`);
    try {
      const { rows, notes = [] } = await measure();
      sections.push({ part, rows, notes, seconds: (performance.now() - t0) / 1000 });
    } catch (err: any) {
      sections.push({
        part,
        rows: [
          {
            name: `${part}: could not be measured`,
            figure: String(err?.message ?? err)
              .split("\n")[0]
              .slice(0, 200),
            budget: "measured",
            holds: false,
          },
        ],
        notes: [],
        seconds: (performance.now() - t0) / 1000,
      });
      process.stderr.write(`bench: ${part} failed: ${err?.stack ?? err}\n`);
    }
    process.stderr.write(`bench: ${part} done in ${Math.round((performance.now() - t0) / 1000)} s\n`);
  };
  const endpoint = async () => {
    db ??= await startDynamoLocal();
    return db.endpoint;
  };

  try {
    await run("bundles", async () => {
      const out = await bundleRows();
      bundles = out.bundles;
      cleanups.push(out.cleanup);
      return out;
    });
    await run("cold", async () => {
      if (!bundles) {
        const { mkdtempSync, rmSync } = await import("node:fs");
        const { join } = await import("node:path");
        const { tmpdir } = await import("node:os");
        const dir = mkdtempSync(join(tmpdir(), "microwish-bench-bundles-"));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        bundles = (await buildBundles(dir, ["floor", "api"])).bundles;
      }
      const { coldRows } = await import("./cold.js");
      return coldRows({ endpoint: await endpoint(), bundles });
    });
    await run("overhead", async () => {
      const { overheadRows } = await import("./overhead.js");
      return overheadRows({ endpoint: await endpoint() });
    });
    await run("contention", async () => {
      const { contentionRows } = await import("./contention.js");
      return contentionRows({ endpoint: await endpoint() });
    });
    await run("delivery", async () => {
      const { deliveryRows } = await import("./delivery.js");
      return deliveryRows();
    });
    await run("web", async () => {
      const { webRows } = await import("./web.js");
      return webRows({ endpoint: await endpoint() });
    });
    await run("first-card", async () => {
      const { firstCardRows } = await import("./first-card.js");
      return firstCardRows();
    });
    await run("scale", async () => {
      let scale: { scaleRows(opts: { endpoint: string }): Promise<Row[]> };
      try {
        scale = await import("./scale.js" as string);
      } catch (err: any) {
        if (err?.code !== "ERR_MODULE_NOT_FOUND" || !/scale/.test(String(err?.message))) throw err;
        return { rows: [{ name: "scale: not built", figure: "bench/scale.ts is missing", budget: "measured", holds: false }] };
      }
      return { rows: await scale.scaleRows({ endpoint: await endpoint() }) };
    });
    await run("rollups", async () => {
      const { rollupRows } = await import("./rollups.js");
      return rollupRows({ endpoint: await endpoint() });
    });
    await run("jobs", async () => {
      const { jobRows } = await import("./jobs.js");
      return jobRows({ endpoint: await endpoint() });
    });
  } finally {
    await db?.stop();
    for (const c of cleanups) c();
  }

  const rows = sections.flatMap((s) => s.rows.map((r) => ({ part: s.part, ...r })));
  const ok = rows.every((r) => r.holds);
  const command = `npm run bench${full ? "" : ` -- --only=${wanted.join(",")}`}`;
  const cpu = cpus();
  const header = [
    `Command: \`${command}\``,
    `Date: ${started.toISOString().replace(/\.\d+Z$/, "Z")}, ${Math.round((Date.now() - started.getTime()) / 1000)} s`,
    `Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown"}), ${process.platform}/${process.arch}`,
  ];
  printTable(header, rows, ok);
  writeFileSync("bench/latest.md", markdown(header, sections, ok, full));
  console.log("\nWritten to bench/latest.md");
  process.exitCode = ok ? 0 : 1;
}

function printTable(header: string[], rows: (Row & { part: string })[], ok: boolean) {
  const cells = rows.map((r) => [r.part, r.name, r.figure, r.budget, r.holds ? "yes" : "NO"]);
  const titles = ["part", "measure", "figure", "budget", "holds"];
  const widths = titles.map((t, i) => Math.max(t.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(`\n${header.join("\n")}\n`);
  console.log(line(titles));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
  console.log(`\n${ok ? "Every budget holds." : `${rows.filter((r) => !r.holds).length} budget(s) do not hold.`}`);
}

function markdown(header: string[], sections: Section[], ok: boolean, full: boolean) {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const out = [
    `# Benchmark: latest run${full ? "" : ` (parts: ${sections.map((s) => s.part).join(", ")})`}`,
    "",
    ...header.map((h) => `${h}  `),
    "",
  ];
  out.push("| part | measure | figure | budget | holds |", "| --- | --- | --- | --- | --- |");
  for (const s of sections)
    for (const r of s.rows)
      out.push(`| ${s.part} | ${esc(r.name)} | ${esc(r.figure)} | ${esc(r.budget)} | ${r.holds ? "yes" : "**no**"} |`);
  out.push("", ok ? "Every budget holds." : "Some budgets do not hold (marked **no**).", "", "## How each part was measured", "");
  for (const s of sections) for (const n of s.notes) out.push(`- ${n}`);
  out.push(...sections.map((s) => `- ${s.part}: ${Math.round(s.seconds)} s.`), "");
  return out.join("\n");
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exitCode = 1;
});
