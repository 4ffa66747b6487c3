/**
 * Cold start: a fresh Node process loads a bundle and answers its first request, an API Gateway
 * HTTP API (payload 2.0) event, against DynamoDB Local, configured by the environment as on
 * Lambda (TABLE_NAME, JWT_SECRET, the SDK's AWS_ENDPOINT_URL_DYNAMODB). The api reads a wish as
 * its owner (token check, the owner's roles, the wish's partition); the floor reads the same
 * wish's item with one GetItem. Runs alternate between the two; the figure is the median time
 * from the start of the import to the answer (Node's own start, the same for both, left out).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bundle } from "./bundles.js";
import { community, freshTable, median, ms, openWish, ratio, secret, serveApi } from "./lib.js";
import type { Row } from "./rows.js";

const child = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
const t1 = performance.now();
const res = await handler(JSON.parse(process.env.BENCH_EVENT), {
  awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 10000,
});
const t2 = performance.now();
const c = process.cpuUsage(c0);
const body = String(res.body);
process.stdout.write(JSON.stringify({
  load: t1 - t0, total: t2 - t0, cpu: (c.user + c.system) / 1000, sinceStart: t2,
  status: res.statusCode, found: body.includes(process.env.BENCH_EXPECT), body: body.slice(0, 300),
}));
process.exit(0);
`;

function httpEvent(path: string, token?: string) {
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: {
      host: "api.example.com",
      "user-agent": "bench",
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "bench",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
      requestId: "bench",
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

interface Run {
  load: number;
  total: number;
  cpu: number;
  sinceStart: number;
  status: number;
  found: boolean;
  body: string;
}

function runOnce(script: string, bundle: string, event: unknown, env: Record<string, string>, expect: string): Promise<Run> {
  return new Promise((done, failed) => {
    const p = spawn(process.execPath, [script], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_OPTIONS: "",
        BENCH_EXPECT: expect,
        BENCH_BUNDLE: bundle,
        BENCH_EVENT: JSON.stringify(event),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", failed);
    p.on("close", (code) => {
      try {
        done(JSON.parse(out));
      } catch {
        failed(new Error(`cold start run exited ${code}: ${err.slice(-500) || out.slice(-500)}`));
      }
    });
  });
}

/** How much longer than the floor the API's first answer may take. */
const loadBudget = 1.25;

export async function coldRows(opts: {
  endpoint: string;
  bundles: Record<string, Bundle>;
  runs?: number;
}): Promise<{ rows: Row[]; notes: string[] }> {
  const runs = opts.runs ?? 15;
  const store = await freshTable(opts.endpoint, "bench-cold");
  const api = await serveApi(store);
  const c = await community(store, { members: 1, residents: 1 });
  const owner = c.residents[0];
  const wishId = await openWish(api, c, owner, 1);
  await api.close();

  const dir = mkdtempSync(join(tmpdir(), "microwish-bench-cold-"));
  const script = join(dir, "cold.mjs");
  writeFileSync(script, child);
  const env = {
    TABLE_NAME: store.table,
    JWT_SECRET: secret,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: opts.endpoint,
    // Lambda runs Node 22, where the SDK has no warning about the Node version to print.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const subjects = {
    api: { bundle: opts.bundles.api.file, event: httpEvent(`/api/wishes/${wishId}`, owner.token) },
    floor: { bundle: opts.bundles.floor.file, event: httpEvent(`/api/items/${encodeURIComponent(`W#${wishId}`)}/W`) },
  };
  const times: Record<"api" | "floor", Run[]> = { api: [], floor: [] };
  try {
    // One of each first, not counted: the files in the page cache, DynamoDB Local's JIT warm.
    for (let i = 0; i < 3; i++) for (const s of Object.values(subjects)) await runOnce(script, s.bundle, s.event, env, wishId);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (["api", "floor"] as const) : (["floor", "api"] as const);
      for (const name of order) {
        const run = await runOnce(script, subjects[name].bundle, subjects[name].event, env, wishId);
        if (run.status !== 200 || !run.found) throw new Error(`cold start of ${name} answered ${run.status} without the wish: ${run.body}`);
        times[name].push(run);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const floor = median(times.floor.map((r) => r.total));
  const apiMedian = median(times.api.map((r) => r.total));
  const describe = (rs: Run[]) =>
    `${ms(median(rs.map((r) => r.total)))} (import ${ms(median(rs.map((r) => r.load)))}; CPU ${ms(median(rs.map((r) => r.cpu)))}; from ` +
    `process start ${ms(median(rs.map((r) => r.sinceStart)))})`;
  return {
    rows: [
      { name: `floor cold start, first GetItem (median of ${runs})`, figure: describe(times.floor), budget: "reference", holds: true },
      {
        name: `api cold start, first GET /api/wishes/:id (median of ${runs})`,
        figure: `${describe(times.api)}, ${ratio(apiMedian / floor)} floor`,
        budget: `≤ ${loadBudget} × floor (${ms(loadBudget * floor)})`,
        holds: apiMedian <= loadBudget * floor,
      },
    ],
    notes: [
      `Cold start: a new \`node\` process per run, ${runs} runs each alternating api and floor after 3 uncounted pairs; the figure is ` +
        `the wall time of the bundle's import plus the first answer, against DynamoDB Local (CPU: the process's own CPU time over the ` +
        `same span, less disturbed by a busy machine).`,
    ],
  };
}
