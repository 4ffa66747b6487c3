import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { QueryCommand } from "../../functions/aws/dynamodb.js";
import { createApp } from "../../functions/app/index.js";
import { serveNode } from "../../functions/app/node-server.js";
import * as Community from "../../functions/core/community.js";
import { findOrCreateUser, issueToken } from "../../functions/core/identity.js";
import type { SmsRules } from "../../functions/core/sms.js";
import { devRoutes } from "../../functions/dev/routes.js";
import { startLocalS3 } from "../../functions/dev/s3-local.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStore, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { holdToContract } from "./contract.js";
import { freshTable } from "./db.js";

export const secret = "test-secret-for-signing-tokens";

export interface Person {
  id: string;
  name: string;
  phone: string;
  token: string;
}

export interface Response<T = any> {
  status: number;
  body: T;
  type: string;
  headers: Headers;
}

/**
 * A running API for one test file: its own table in the run's DynamoDB Local, its own photo
 * bucket in a local S3 server (s3rver, files in a temporary folder), the real Hono app behind a
 * real HTTP server on a free port, and `call` to talk to it as a given person.
 * Every answer `call` receives is held to the OpenAPI document (test/helpers/contract.ts).
 */
export async function startApi(opts: { sms?: SmsRules } = {}) {
  const { tableName, endpoint, doc } = await freshTable();
  const store = createStore(tableName, dynamoClientConfig(endpoint));
  const s3Dir = mkdtempSync(join(tmpdir(), "microwish-s3-"));
  const s3 = await startLocalS3({ directory: s3Dir });
  // The server's own address, as `npm start` configures it: known once it listens.
  let base = "";
  const deps = {
    store,
    notifier: outboxNotifier(store),
    secret: async () => secret,
    publicUrl: () => base,
    sms: opts.sms,
    photos: s3.photos,
  };
  const app = createApp(deps, [devRoutes()]);
  const server = serveNode({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call<T = any>(
    method: string,
    path: string,
    opts: { as?: Person | string; body?: unknown; raw?: string; headers?: Record<string, string>; from?: string } = {},
  ): Promise<Response<T>> {
    const token = typeof opts.as === "string" ? opts.as : opts.as?.token;
    const headers: Record<string, string> = { ...opts.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers["content-type"] ??= "application/json";
    const sent = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (opts.from) {
      const answer = await callFrom(opts.from, method, base + path, headers, sent);
      holdToContract({ method, path, status: answer.status, type: answer.type, body: answer.body });
      return answer;
    }
    const res = await fetch(base + path, { method, headers, body: sent });
    const type = res.headers.get("content-type") ?? "";
    const text = await res.text();
    const body = type.includes("json") && text ? JSON.parse(text) : text;
    holdToContract({ method, path, status: res.status, type, body });
    return { status: res.status, body, type, headers: res.headers };
  }

  /** Every item of the table, by the SDK's consistent Scan: a test's view of all; the app reads by key or index only. */
  async function everything(): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    base,
    store,
    call,
    everything,
    s3,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await s3.stop();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
export type Api = Awaited<ReturnType<typeof startApi>>;

/**
 * A request sent from another address of the loopback range (127.0.0.2, ...): the server sees it
 * on its socket as it sees a phone's address, so tests can play several clients without trusting a header.
 */
function callFrom(localAddress: string, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return new Promise((done, failed) => {
    const req = request(url, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const type = String(res.headers["content-type"] ?? "");
        const text = Buffer.concat(chunks).toString("utf8");
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out.set(name, String(value));
        done({ status: res.statusCode ?? 0, body: type.includes("json") && text ? JSON.parse(text) : text, type, headers: out });
      });
      res.on("error", failed);
    });
    req.on("error", failed);
    req.end(body);
  });
}

let phoneSeq = 0;
/** A fresh mainland mobile number, unique within the run. */
export function newPhone() {
  phoneSeq += 1;
  return `+86136${String(process.pid % 10_000).padStart(4, "0")}${String(phoneSeq).padStart(4, "0")}`;
}

export async function person(store: Store, name: string): Promise<Person> {
  const phone = newPhone();
  const user = await findOrCreateUser(store, { phone, name });
  return { id: user.id, name, phone, token: await issueToken(secret, user.id) };
}

/**
 * A community with one staff member, `members` volunteers in two branches and `residents`
 * residents, each with a token. Made through the domain functions, as an admin would.
 */
export async function community(store: Store, opts: { members?: number; residents?: number; name?: string } = {}) {
  const { id, branches } = await Community.create(store, { name: opts.name ?? "测试社区", branches: ["第一支部", "第二支部"] });
  const staff = await person(store, "社区工作人员");
  await Community.appoint(store, { communityId: id, userId: staff.id, name: staff.name, roles: ["staff"] });
  const members: (Person & { branchId: string })[] = [];
  for (let i = 0; i < (opts.members ?? 3); i++) {
    const m = await person(store, `志愿者${i + 1}`);
    const branchId = branches[i % branches.length].id;
    await Community.appoint(store, { communityId: id, userId: m.id, name: m.name, roles: ["member"], branchId });
    members.push({ ...m, branchId });
  }
  const residents: Person[] = [];
  for (let i = 0; i < (opts.residents ?? 2); i++) residents.push(await person(store, `居民${i + 1}`));
  return { id, branches, staff, members, residents };
}
export type TestCommunity = Awaited<ReturnType<typeof community>>;

export const somewhere = { lat: 33.0676, lng: 107.0238, accuracy: 20 };

export function newWish(communityId: string, extra: Record<string, unknown> = {}) {
  return {
    communityId,
    category: "repair",
    title: "厨房水龙头漏水",
    description: "水龙头一直滴水，想请人帮忙换个阀芯。",
    address: "幸福里3号楼",
    location: { lat: 33.0676, lng: 107.0238 },
    ...extra,
  };
}

/** Every item in the table, by key: to show that a refused request wrote nothing. */
export async function snapshot(store: Store, partitions: string[]) {
  const out: Record<string, unknown>[] = [];
  for (const pk of partitions) {
    const res = await store.doc.send(
      new QueryCommand({
        TableName: store.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ConsistentRead: true,
      }),
    );
    out.push(...(res.Items ?? []));
  }
  return JSON.stringify(out);
}

/**
 * Drives a wish through the API to the given status and returns its id. Claims are taken by
 * `members` (all of them, with `slots` equal to their number); the first one completes.
 */
export async function wishIn(
  api: Api,
  c: TestCommunity,
  status: "submitted" | "open" | "claimed" | "in_progress" | "completed" | "confirmed" | "closed" | "rejected" | "cancelled",
  opts: { owner?: Person; members?: Person[]; slots?: number } = {},
): Promise<string> {
  const owner = opts.owner ?? c.residents[0];
  const members = opts.members ?? [c.members[0]];
  const expectOk = (res: Response, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const created = expectOk(await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id) }), "create");
  const id = created.body.id as string;
  if (status === "submitted") return id;
  if (status === "rejected") {
    expectOk(await api.call("POST", `/api/wishes/${id}/reject`, { as: c.staff, body: { reason: "不在服务范围" } }), "reject");
    return id;
  }
  if (status === "cancelled") {
    expectOk(await api.call("POST", `/api/wishes/${id}/cancel`, { as: owner, body: { reason: "不需要了" } }), "cancel");
    return id;
  }
  const slots = opts.slots ?? members.length;
  expectOk(await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots, estimatedMinutes: 60 } }), "approve");
  if (status === "open") return id;
  for (const m of members) expectOk(await api.call("POST", `/api/wishes/${id}/claim`, { as: m }), "claim");
  if (status === "claimed") return id;
  for (const m of members) expectOk(await api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }), "check-in");
  if (status === "in_progress") return id;
  for (const m of members) expectOk(await api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: somewhere }), "check-out");
  expectOk(await api.call("POST", `/api/wishes/${id}/complete`, { as: members[0], body: { note: "修好了" } }), "complete");
  if (status === "completed") return id;
  expectOk(await api.call("POST", `/api/wishes/${id}/confirm`, { as: owner, body: { rating: 5, comment: "谢谢" } }), "confirm");
  if (status === "confirmed") return id;
  expectOk(await api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: {} }), "verify");
  return id;
}
