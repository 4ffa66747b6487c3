#!/usr/bin/env node
/**
 * Fails on any source line longer than 140 characters. Biome's formatter wraps code at that
 * width but leaves long strings, template literals and comments as they are, so this catches
 * what it cannot. Characters are counted as code points: a Chinese character counts as one.
 *
 * Usage: node scripts/line-length.mjs [max]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const max = Number(process.argv[2] ?? 140);
const dirs = ["functions", "web/src", "stacks", "test", "bench", "scripts"];
const files = ["sst.config.ts", "vitest.config.ts", "web/vite.config.ts", "web/service-worker.js", "web/index.html"];
const extensions = /\.(ts|tsx|js|mjs|cjs|css|html)$/;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (extensions.test(entry.name)) yield path;
  }
}

const present = (path) => statSync(path, { throwIfNoEntry: false }) !== undefined;
const paths = [...dirs.flatMap((d) => [...walk(join(root, d))]), ...files.map((f) => join(root, f)).filter(present)];
const long = [];
for (const path of paths) {
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const length = [...line].length;
      if (length > max) long.push(`${relative(root, path)}:${i + 1}: ${length} characters`);
    });
}
if (long.length) {
  console.error(`${long.length} line${long.length === 1 ? "" : "s"} over ${max} characters:\n${long.join("\n")}`);
  process.exit(1);
}
console.log(`${paths.length} files, no line over ${max} characters.`);
