#!/usr/bin/env node
/**
 * Runs the unit layer and the tests whose outcome could hang on the hour or the date under a
 * fake clock (libfaketime) at instants where China time (UTC+8) turns a day, a month or a year
 * over while UTC does not, or the other way round. The clock moves on from each instant.
 *
 * Usage: npm run test:hours [-- test files...]   (files given replace the default set)
 */
import { spawnSync } from "node:child_process";

const instants = [
  ["2026-12-04 15:30:00", "23:30 in China: windows opened now cross midnight there"],
  ["2026-12-31 16:20:00", "00:20 on 1 January in China: a new day, month and year there, still 31 December in UTC"],
  ["2026-11-30 23:50:00", "07:50 on 1 December in China, the last minutes of November in UTC"],
  ["2026-11-30 13:30:00", "21:30 on 30 November in China: work done a few hours from now falls in December there"],
  ["2027-02-28 16:10:00", "00:10 on 1 March in China, the end of February in UTC"],
];
const timeSensitive = [
  "test/unit/",
  "test/notify/templates.test.ts",
  "test/notify/sns.test.ts",
  "test/notify/jobs.test.ts",
  "test/hours/figures.test.ts",
  "test/hours/certificates.test.ts",
  "test/hours/csv.test.ts",
  "test/hours/attendance.test.ts",
  "test/hours/verify.test.ts",
  "test/api/lifecycle-paths.test.ts",
  "test/api/activities.test.ts",
  "test/api/activity-attendance.test.ts",
  "test/api/activity-close.test.ts",
  "test/api/rollups.test.ts",
  "test/api/record-scope.test.ts",
  "test/notify/claim-expiry.test.ts",
  "test/notify/digest.test.ts",
  "test/robust/calls.test.ts",
  "test/robust/security-phones.test.ts",
  "test/robust/security-auth.test.ts",
  "test/bench/scale-data.test.ts",
];

if (spawnSync("faketime", ["-f", "@2026-01-01 00:00:00", "true"]).status !== 0) {
  console.error("faketime (libfaketime) is needed: apt-get install faketime");
  process.exit(1);
}
const files = process.argv.slice(2);
// One clock for every process: without FAKETIME_DONT_RESET each child (a test worker, DynamoDB
// Local, a restarted server) would start again at the instant, behind the tokens its parent signed.
const env = { ...process.env, NODE_OPTIONS: "--disable-warning=NodeVersionSupportWarning", FAKETIME_DONT_RESET: "1" };
const results = [];
for (const [instant, why] of instants) {
  console.log(`\n==> ${instant} UTC: ${why}`);
  const started = Date.now();
  const run = spawnSync("faketime", ["-f", `@${instant}`, "npx", "vitest", "run", ...(files.length ? files : timeSensitive)], {
    stdio: "inherit",
    env,
  });
  results.push(`${run.status === 0 ? "passed" : "FAILED"}  ${instant} UTC  (${Math.round((Date.now() - started) / 1000)} s)`);
}
console.log(`\n${results.join("\n")}`);
process.exit(results.every((r) => r.startsWith("passed")) ? 0 : 1);
