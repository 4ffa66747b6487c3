/**
 * What the benchmark's parts share: figures (median, percentiles, sizes), a fresh table in the
 * run's DynamoDB Local, and a community of people made through the domain functions, as an
 * administrator would make it, with tokens signed by the benchmark's own secret.
 */
import { randomBytes } from "node:crypto";
import { Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { serve } from "@hono/node-server";
import { createApp } from "../functions/app/index.js";
import * as Community from "../functions/core/community.js";
import { findOrCreateUser, issueToken } from "../functions/core/identity.js";
import { outboxNotifier } from "../functions/notify/local.js";
import { createStore, type Store } from "../functions/store/client.js";
import { dynamoClientConfig } from "../functions/store/dynamo-local.js";
import { createTableInput } from "../functions/store/table.js";
import type { Row } from "./rows.js";

export const secret = "benchmark-secret-for-signing-tokens";

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
export const median = (values: number[]) => percentile(values, 50);

export const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ratio = (n: number) => `${n.toFixed(2)} ×`;

/** Milliseconds from now until `done()` answers true, asked every 20 ms; throws after 30 s, naming `what`. */
export async function timeUntil(done: () => Promise<boolean>, what: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await done()) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error(`${what} did not happen in 30 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A row of latencies against a p95 budget: median, p95 and max, and how many were timed. */
export function latencyRow(name: string, took: number[], budgetMs: number, of: string): Row {
  const p95 = percentile(took, 95);
  return {
    name,
    figure: `p50 ${ms(median(took))}, p95 ${ms(p95)}, max ${ms(Math.max(...took))} (${took.length} ${of})`,
    budget: `p95 ≤ ${budgetMs / 1000} s`,
    holds: p95 <= budgetMs,
  };
}

/**
 * A new, empty table with the application's schema. `sockets`: how many connections the store's
 * client may open to DynamoDB Local at once (the SDK's default is 50).
 */
export async function freshTable(endpoint: string, prefix: string, sockets?: number): Promise<Store> {
  const tableName = `${prefix}-${randomBytes(4).toString("hex")}`;
  const client = new DynamoDBClient(dynamoClientConfig(endpoint));
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 as any, maxDelay: 1 }, { TableName: tableName });
  client.destroy();
  const requestHandler = sockets ? { requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: sockets }) } } : {};
  return createStore(tableName, { ...dynamoClientConfig(endpoint), ...requestHandler });
}

export interface Person {
  id: string;
  name: string;
  phone: string;
  token: string;
}

let phoneSeq = 0;
const newPhone = () => `+86137${String(process.pid % 10_000).padStart(4, "0")}${String(++phoneSeq).padStart(4, "0")}`;

export async function person(store: Store, name: string): Promise<Person> {
  const phone = newPhone();
  const user = await findOrCreateUser(store, { phone, name });
  return { id: user.id, name, phone, token: await issueToken(secret, user.id) };
}

/** A community with one staff member, `members` volunteers and `residents` residents. */
export async function community(store: Store, opts: { members: number; residents: number }) {
  const { id, branches } = await Community.create(store, { name: "基准社区", branches: ["第一支部", "第二支部"] });
  const staff = await person(store, "社区工作人员");
  await Community.appoint(store, { communityId: id, userId: staff.id, name: staff.name, roles: ["staff"] });
  const members: Person[] = [];
  const made = await inBatches(opts.members, 20, async (i) => {
    const m = await person(store, `志愿者${i + 1}`);
    await Community.appoint(store, {
      communityId: id,
      userId: m.id,
      name: m.name,
      roles: ["member"],
      branchId: branches[i % branches.length].id,
    });
    return m;
  });
  members.push(...made);
  const residents = await inBatches(opts.residents, 20, (i) => person(store, `居民${i + 1}`));
  return { id, staff, members, residents };
}
export type BenchCommunity = Awaited<ReturnType<typeof community>>;

/** `count` calls of `make`, at most `width` at a time, results in order. */
export async function inBatches<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  for (let start = 0; start < count; start += width) {
    const batch = Array.from({ length: Math.min(width, count - start) }, (_, k) => start + k);
    await Promise.all(batch.map(async (i) => (out[i] = await make(i))));
  }
  return out;
}

/** The real Hono app behind a real HTTP server on a free port, as the tests and `npm start` serve it. */
export async function serveApi(store: Store) {
  const app = createApp({ store, notifier: outboxNotifier(store), secret: async () => secret, publicUrl: () => "http://127.0.0.1" });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(method: string, path: string, as?: Person, body?: unknown) {
    const headers: Record<string, string> = {};
    if (as) headers.authorization = `Bearer ${as.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text && /json/.test(res.headers.get("content-type") ?? "") ? JSON.parse(text) : text };
  }

  return { base, app, call, close: () => new Promise<void>((done) => server.close(() => done())) };
}
export type ServedApi = Awaited<ReturnType<typeof serveApi>>;

/** A wish posted by `owner` and approved by staff with `slots` places: open, ready to claim. */
export async function openWish(api: ServedApi, c: BenchCommunity, owner: Person, slots: number, title = "厨房水龙头漏水"): Promise<string> {
  const created = await api.call("POST", "/api/wishes", owner, {
    communityId: c.id,
    category: "repair",
    title,
    description: "水龙头一直滴水，想请人帮忙换个阀芯。",
    address: "幸福里3号楼",
    location: { lat: 33.0676, lng: 107.0238 },
  });
  if (created.status !== 201) throw new Error(`post a wish: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const approved = await api.call("POST", `/api/wishes/${id}/approve`, c.staff, { slots, estimatedMinutes: 60 });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  return id;
}
