/**
 * Whether the reads people make most stay as fast when the table is a hundred times larger. Two
 * tables in the same DynamoDB Local: one with 1,000 wishes (the measured community's 500 and one
 * other community's), one with 100,000 (the same measured community, item for item, and 199
 * others like it). Each community has two years of history: a staff member, 40 volunteers in
 * three branches, 150 residents, 500 wishes in every state, the claims on them and the month
 * figures they moved (bench/scale-data.ts). The measured volunteer, the community's first, has
 * claimed about a third of its jobs over those two years.
 *
 * Measured through the real app on a real HTTP server, one server per table, requests one at a
 * time, the two tables taking turns so that noise on the machine falls on both alike:
 *   - the open wishes of the community, first page of 50, as a member (the wish hall),
 *   - the member's tasks, first page of 20 (the "my tasks" page: GET /api/me/tasks),
 *   - last month's figures with the detail, as staff (the stats page).
 * Before timing, each answer is checked against the seeded data on both tables (the open list
 * page by page, the tasks in order, the month's figures), so the timings are of real answers.
 *
 * Seeding writes the items directly (BatchWriteItem, 25 a call, many calls at once, unprocessed
 * items retried) into a table made from the one definition (functions/store/table.ts) with its
 * stream switched on once the history is in; its time is printed as information, with no budget.
 *
 *   tsx bench/scale.ts     starts its own DynamoDB Local (in memory), prints the rows, stops it.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "../functions/aws/dynamodb.js";
import { serve } from "@hono/node-server";
import { createApp } from "../functions/app/index.js";
import { issueToken } from "../functions/core/identity.js";
import { monthOf } from "../functions/core/period.js";
import { outboxNotifier } from "../functions/notify/local.js";
import { createStore, type Item, type Store } from "../functions/store/client.js";
import { dynamoClientConfig, startDynamoLocal } from "../functions/store/dynamo-local.js";
import { createTableInput } from "../functions/store/table.js";
import type { Row } from "./rows.js";
import { expectedMonth, expectedOpen, expectedTasks, makeCommunity, type CommunityPlan, type SeededCommunity } from "./scale-data.js";

const secret = "scale-benchmark-secret";
const wishesPerCommunity = 500;
const smallCommunities = 2;
const largeCommunities = 200;
const warmup = 30;
const rounds = Number(process.env.SCALE_ROUNDS ?? 300);
/** BatchWriteItem calls in flight at once while seeding. */
const writers = 16;
const budget = 1.2;

export async function scaleRows(opts: { endpoint: string }): Promise<Row[]> {
  const now = Date.now();
  const plan = (seed: number): CommunityPlan => ({ seed, wishes: wishesPerCommunity, members: 40, residents: 150, months: 24, now });
  const measured = makeCommunity(plan(20_261_122), "幸福里");
  const month = previousMonth(now);
  const others = (count: number) => Array.from({ length: count }, (_, i) => () => makeCommunity(plan(1_000 + i), `第${i + 1}`));

  const small = await seededTable(opts.endpoint, "scale-1k", measured, others(smallCommunities - 1));
  const large = await seededTable(opts.endpoint, "scale-100k", measured, others(largeCommunities - 1));
  const tables = [small, large];
  try {
    const member = { id: measured.members[0].id, token: await issueToken(secret, measured.members[0].id) };
    const staff = { token: await issueToken(secret, measured.staff.id) };
    const reads: Read[] = [
      {
        name: "open wishes of a community (first 50)",
        path: `/api/wishes?communityId=${measured.id}&status=open&limit=50`,
        token: member.token,
        check: (api) => checkOpen(api, measured, member.token),
      },
      {
        name: "a member's tasks (first 20)",
        path: "/api/me/tasks?limit=20",
        token: member.token,
        check: (api) => checkTasks(api, measured, member),
      },
      {
        name: `a month's stats as staff (${month})`,
        path: `/api/communities/${measured.id}/stats?period=${month}`,
        token: staff.token,
        check: (api) => checkStats(api, measured, month, staff.token),
      },
    ];
    for (const t of tables) for (const r of reads) await r.check(t.api);

    const rows: Row[] = [];
    for (const r of reads) {
      const times = await timeBoth(small.api, large.api, r);
      const [s, l] = times.map((x) => ({ median: percentile(x, 50), p99: percentile(x, 99) }));
      const k = l.median / s.median;
      rows.push({
        name: `scale: ${r.name}`,
        figure: `100k wishes: median ${ms(l.median)}, p99 ${ms(l.p99)} · 1k: median ${ms(s.median)}, p99 ${ms(s.p99)} · ${k.toFixed(2)} ×`,
        budget: `median ≤ ${budget} × 1k's`,
        holds: k <= budget,
      });
    }
    rows.push({
      name: "scale: seeding (information)",
      figure: tables
        .map(
          (t) =>
            `${t.wishes.toLocaleString("en")} wishes, ${t.items.toLocaleString("en")} items in ${(t.seedMs / 1000).toFixed(1)} s ` +
            `(${Math.round(t.items / (t.seedMs / 1000))} items/s)`,
        )
        .join(" · "),
      budget: "—",
      holds: true,
    });
    return rows;
  } finally {
    for (const t of tables) await t.drop();
  }
}

interface Read {
  name: string;
  path: string;
  token: string;
  check: (api: Api) => Promise<void>;
}

/** The month before the one `now` falls in, China time: a whole month of closed wishes. */
export function previousMonth(now: number): string {
  const [y, m] = monthOf(new Date(now)).split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** A fresh table with the measured community and `others`, served by the app on its own port. */
async function seededTable(endpoint: string, prefix: string, measured: SeededCommunity, others: (() => SeededCommunity)[]) {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const client = new DynamoDBClient(dynamoClientConfig(endpoint));
  const { StreamSpecification, ...withoutStream } = createTableInput(name);
  await client.send(new CreateTableCommand(withoutStream));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 as any, maxDelay: 1 }, { TableName: name });
  const store = createStore(name, { ...dynamoClientConfig(endpoint), maxAttempts: 10 });
  const started = performance.now();
  let wishes = 0;
  const items = await writeAll(
    store,
    (function* () {
      for (const c of [() => measured, ...others]) {
        const community = c();
        wishes += community.wishes.length;
        yield* community.items;
      }
    })(),
  );
  // History older than a day has left the stream on AWS (records live 24 hours), and DynamoDB
  // Local looks its stream up on every write: the stream goes on after the history is in, so the
  // table is measured as the application defines it.
  await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 as any, maxDelay: 1 }, { TableName: name });
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  if (described.Table?.StreamSpecification?.StreamViewType !== StreamSpecification.StreamViewType) {
    throw new Error(`scale benchmark: the stream of ${name} did not come on`);
  }
  const seedMs = performance.now() - started;
  process.stderr.write(`scale: ${name}: ${wishes} wishes, ${items} items written in ${(seedMs / 1000).toFixed(1)} s\n`);
  const api = await serveApi(store);
  return {
    wishes,
    items,
    seedMs,
    api,
    drop: async () => {
      await api.close();
      await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
      client.destroy();
    },
  };
}

/** Writes every item: 25 a call, `writers` calls in flight, what DynamoDB leaves unprocessed sent again. */
export async function writeAll(store: Store, source: Iterator<Item>): Promise<number> {
  let written = 0;
  const take = () => {
    const batch: Item[] = [];
    for (let n = source.next(); !n.done; n = source.next()) {
      batch.push(n.value);
      if (batch.length === 25) break;
    }
    return batch;
  };
  const writer = async () => {
    for (let batch = take(); batch.length; batch = take()) {
      let pending: any[] = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const out = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table]: pending } }));
        pending = out.UnprocessedItems?.[store.table] ?? [];
      }
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return written;
}

async function serveApi(store: Store) {
  const app = createApp({ store, notifier: outboxNotifier(store), secret: async () => secret, publicUrl: () => "http://127.0.0.1" });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, token: string) => {
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  return { get, close: () => new Promise<void>((done) => server.close(() => done())) };
}
/** What the checks need of a served app: a GET as someone, answering the parsed body of a 200. */
export type Api = Pick<Awaited<ReturnType<typeof serveApi>>, "get">;

/** Sequential requests, the two tables taking turns (which goes first alternating too), after a warm-up. */
async function timeBoth(small: Api, large: Api, read: Read): Promise<[number[], number[]]> {
  const one = async (api: Api) => {
    const t0 = performance.now();
    await api.get(read.path, read.token);
    return performance.now() - t0;
  };
  for (let i = 0; i < warmup; i++) {
    await one(small);
    await one(large);
  }
  const s: number[] = [];
  const l: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      s.push(await one(small));
      l.push(await one(large));
    } else {
      l.push(await one(large));
      s.push(await one(small));
    }
  }
  return [s, l];
}

function same(what: string, got: unknown, want: unknown) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`scale benchmark: ${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

/** The open list, page by page: exactly the community's open wishes, oldest first, 50 on the first page. */
export async function checkOpen(api: Api, c: SeededCommunity, token: string) {
  const want = expectedOpen(c);
  const first = await api.get(`/api/wishes?communityId=${c.id}&status=open&limit=50`, token);
  same(
    "open list, first page",
    first.items.map((w: any) => w.id),
    want.slice(0, 50),
  );
  same("open list, statuses", [...new Set(first.items.map((w: any) => `${w.communityId} ${w.status}`))], [`${c.id} open`]);
  const ids: string[] = first.items.map((w: any) => w.id);
  for (let cursor = first.cursor; cursor; ) {
    const page = await api.get(`/api/wishes?communityId=${c.id}&status=open&limit=50&cursor=${encodeURIComponent(cursor)}`, token);
    ids.push(...page.items.map((w: any) => w.id));
    cursor = page.cursor;
  }
  same("open list, every page", ids, want);
}

/** The member's tasks: their 20 newest claims, each with its wish. */
export async function checkTasks(api: Api, c: SeededCommunity, member: { id: string; token: string }) {
  const want = expectedTasks(c, member.id);
  if (want.length < 40) throw new Error(`scale benchmark: the measured member has only ${want.length} claims`);
  const page = await api.get("/api/me/tasks?limit=20", member.token);
  same(
    "tasks, wishes in order",
    page.items.map((t: any) => t.wish.id),
    want.slice(0, 20),
  );
  same("tasks, claims are the member's", [...new Set(page.items.map((t: any) => t.claim.memberId))], [member.id]);
  if (!page.cursor) throw new Error("scale benchmark: tasks: no cursor past the first 20");
}

/** The month's figures as staff see them, against the same figures added up from the wishes. */
export async function checkStats(api: Api, c: SeededCommunity, month: string, token: string) {
  const want = expectedMonth(c, month);
  if (want.activities < 5) throw new Error(`scale benchmark: only ${want.activities} wishes closed in ${month}`);
  const got = await api.get(`/api/communities/${c.id}/stats?period=${month}`, token);
  same(
    `stats ${month}`,
    {
      activities: got.activities,
      personTimes: got.personTimes,
      hours: got.hours,
      submitted: got.detail?.wishes.submitted,
      approved: got.detail?.wishes.approved,
    },
    want,
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dynamo = await startDynamoLocal();
  try {
    const rows = await scaleRows({ endpoint: dynamo.endpoint });
    for (const r of rows) console.log(`${r.holds ? "ok  " : "FAIL"}  ${r.name}\n      ${r.figure}\n      budget: ${r.budget}`);
    process.exitCode = rows.every((r) => r.holds) ? 0 : 1;
  } finally {
    await dynamo.stop();
  }
}
