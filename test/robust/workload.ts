/**
 * The robustness suite's shared parts: the local server run the way `npm start` runs it (a child
 * process in a process group of its own, with DynamoDB Local on disk under a data directory), the
 * demo people, a mixed workload of residents, members and staff (autocannon for the crowd, a few
 * full lifecycles beside it for the hours), a record of every write the server acknowledged, and
 * the checks that the data still holds together afterwards.
 *
 * `ROBUST=full` (npm run test:robust) runs the long setting; npm test runs a short one.
 */
import { between } from "../../functions/store/expression.js";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { audience, defaultSmsKinds } from "../../functions/core/audience.js";
import { monthOf } from "../../functions/core/period.js";
import { createStore, getMany, queryAll, type Item, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import * as eventItems from "../../functions/store/entities/event.js";
import { Keys } from "../../functions/store/keys.js";

export const full = process.env.ROBUST === "full";

const root = fileURLToPath(new URL("../..", import.meta.url));
const table = "microwish";

// ---------------------------------------------------------------------------------------------
// The server as npm start runs it

/** Process groups started here, killed whole (server, its DynamoDB Local JVM, esbuild) at the end. */
const groups = new Set<number>();
const dirs: string[] = [];

export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** An empty web build: the API is what is under test, the server only needs an app shell to serve. */
export function webDir() {
  const dir = tempDir("mw-robust-web-");
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>微心愿</title>");
  return dir;
}

/** Kills every process group started here and removes the temporary directories; safe to call twice. */
export function cleanUp() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
  }
  groups.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = net.createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => done(port));
    });
  });
}

/** `pid (comm) state ppid ...` of a process, or undefined when it is gone. */
function stat(pid: number): { comm: string; state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const [state, ppid] = text.slice(close + 2).split(" ");
    return { comm: text.slice(text.indexOf("(") + 1, close), state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The DynamoDB Local JVM the server started: its child named java. */
function jvmOf(serverPid: number): number | undefined {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.ppid === serverPid && s.comm === "java") return Number(name);
  }
  return undefined;
}

const gone = (pid: number) => {
  const s = stat(pid);
  return !s || s.state === "Z" || s.state === "X";
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Server {
  url: string;
  pid: number;
  jvmPid: number;
  dynamoPort: number;
  /** a client of the server's own DynamoDB Local, for reading the table as it is */
  store: Store;
  /** when the server said it was running */
  readyAt: string;
  /**
   * kill -9 the server and its JVM at once (the whole process group; the signal goes before the
   * first await), and wait until both are gone
   */
  crash(): Promise<void>;
  /** Ctrl-C, as a person stops npm start */
  stop(): Promise<void>;
  output(): string;
}

/** Starts `node --import tsx functions/local.ts` as npm start does, on the data directory given. */
export async function startServer(dataDir: string, web: string): Promise<Server> {
  const dynamoPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--disable-warning=NodeVersionSupportWarning", "--import", "tsx", "functions/local.ts"],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        DYNAMO_PORT: String(dynamoPort),
        WEB_DIR: web,
        TABLE_NAME: table,
      },
    },
  );
  const pid = child.pid!;
  groups.add(pid);
  let tail = "";
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  const url = await new Promise<string>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error(`the server did not start within 150 s:\n${tail}`)), 150_000);
    const look = () => {
      const m = /Microwish is running at (http:\/\/\S+)/.exec(tail);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", look);
        ready(m[1]);
      }
    };
    child.stdout!.on("data", look);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      failed(new Error(`the server exited (${signal ?? code}) before it was running:\n${tail}`));
    });
  }).catch(async (err) => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
    throw err;
  });
  const readyAt = new Date().toISOString();
  const jvmPid = jvmOf(pid);
  if (!jvmPid) throw new Error("the server's DynamoDB Local JVM was not found among its children");
  const store = createStore(table, { ...dynamoClientConfig(`http://127.0.0.1:${dynamoPort}`), maxAttempts: 3 });

  return {
    url,
    pid,
    jvmPid,
    dynamoPort,
    store,
    readyAt,
    output: () => tail,
    async crash() {
      process.kill(-pid, "SIGKILL");
      await exited;
      for (let i = 0; i < 200 && !gone(jvmPid); i++) await sleep(50);
      if (!gone(jvmPid)) throw new Error(`DynamoDB Local (pid ${jvmPid}) outlived kill -9 of its process group`);
      store.doc.destroy();
    },
    async stop() {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {}
      const late = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {}
      }, 20_000);
      await exited;
      clearTimeout(late);
      store.doc.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The demo people and plain HTTP

export interface DemoPerson {
  id: string;
  name: string;
  phone: string;
  role: "resident" | "member" | "staff";
  branchId?: string;
  communityId?: string;
  token: string;
}
export interface Demo {
  communityId: string;
  staff: DemoPerson;
  members: DemoPerson[];
  residents: DemoPerson[];
  everyone: DemoPerson[];
}

export async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: { [name: string]: string } = {},
) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get("content-type") ?? "").includes("json") && text ? JSON.parse(text) : text };
}

export async function demo(base: string): Promise<Demo> {
  const res = await call(base, "GET", "/api/dev/demo");
  if (res.status !== 200) throw new Error(`GET /api/dev/demo answered ${res.status}`);
  const people = res.body.people as DemoPerson[];
  return {
    communityId: res.body.communityId,
    staff: people.find((p) => p.role === "staff")!,
    // The demo county's other communities have their own members and residents.
    members: people.filter((p) => p.role === "member" && !p.communityId),
    residents: people.filter((p) => p.role === "resident" && !p.communityId),
    everyone: people,
  };
}

// ---------------------------------------------------------------------------------------------
// What the server said

/** A write the server acknowledged (2xx), with the state it reported. */
export interface Ack {
  step: "create" | "approve" | "claim" | "check-in" | "check-out" | "complete" | "confirm" | "verify";
  wishId: string;
  status: string;
  memberId?: string;
  /** minutes staff gave at verification */
  minutes?: Record<string, number>;
  /** when the answer came (ms since the epoch) */
  at?: number;
}

/** Every answer, counted by status (and by problem code when not 2xx), and every acknowledged write. */
export class Answers {
  acks: Ack[] = [];
  counts = new Map<string, number>();
  /** answers the workload did not expect: `step status code` */
  unexpected: string[] = [];
  /** requests that got no answer at all (socket errors), by message */
  failures: string[] = [];
  /** creates sent with an Idempotency-Key and not answered yet: what a client would send again */
  pending = new Map<string, { token: string; body: ReturnType<typeof wishBody> }>();
  lifecycles = 0;

  answer(step: string, status: number, body: any, expected: { status: number; codes: string[] }[] = []) {
    const code = status >= 300 ? (typeof body === "object" && body ? body.code : String(body).slice(0, 80)) : undefined;
    const key = code ? `${status} ${code}` : String(status);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (status >= 300 && !expected.some((e) => e.status === status && e.codes.includes(code))) this.unexpected.push(`${step} ${key}`);
  }

  ack(a: Ack) {
    this.acks.push({ ...a, at: Date.now() });
  }

  /** Counts by status, e.g. `{ "200": 1234, "201": 120, "409 wish.full": 12 }`. */
  byStatus() {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

// ---------------------------------------------------------------------------------------------
// The workload

const autocannon = createRequire(import.meta.url)("autocannon") as (
  opts: Record<string, unknown>,
  done: (err: Error | null, result: any) => void,
) => { stop(): void };

/** Where the workload's wishes are: volunteers check in and out standing at the spot. */
export const spot = { lat: 33.0676, lng: 107.0238 };
const position = { ...spot, accuracy: 15 };

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const json = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const categories = ["errand", "carry", "repair", "elderly", "cleaning", "digital"];

/** Every wish the workload posts has a title and an Idempotency-Key of its own, across rounds too. */
let posted = 0;

function wishBody(communityId: string, n: number) {
  return {
    communityId,
    category: categories[n % categories.length],
    title: `压力测试心愿 ${n}`,
    description: "请志愿者帮忙：负载与崩溃测试写下的心愿。",
    address: `幸福里${(n % 9) + 1}号楼`,
    location: spot,
  };
}

export interface LoadFigures {
  seconds: number;
  connections: number;
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  lifecycles: number;
}

export interface Load {
  /** ends the load early (the crash test calls it right after the kill) */
  stop(): void;
  done: Promise<LoadFigures>;
}

/**
 * Residents post wishes and read their lists and wishes, staff read the review queue, approve,
 * read the stats, members list the hall, claim (409 when the wish is full or already theirs) and
 * read the wish, and everyone reads their notifications: autocannon's request sequence on each
 * connection, with `setupRequest` choosing who and what. Beside it `lifecycles` loops take wishes
 * through the whole lifecycle to verification, so hours reach the ledger while the load runs.
 */
export function startLoad(
  base: string,
  d: Demo,
  rec: Answers,
  opts: { seconds: number; connections: number; lifecycles: number; crashing?: boolean },
): Load {
  const url = new URL(base);
  const submitted: string[] = [];
  const open: string[] = [];
  const period = monthOf(new Date());
  const ok = () => [] as { status: number; codes: string[] }[];
  const parse = (body: string) => {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  };
  const read = (step: string) => (status: number, body: string) => rec.answer(step, status, status >= 300 ? parse(body) : undefined, ok());

  const requests = [
    {
      method: "POST",
      path: "/api/wishes",
      setupRequest(req: any, ctx: any) {
        ctx.resident = pick(d.residents);
        const n = posted++;
        const body = wishBody(d.communityId, n);
        ctx.key = `load-${n}`;
        rec.pending.set(ctx.key, { token: ctx.resident.token, body });
        return { ...req, headers: { ...json(ctx.resident.token), "idempotency-key": ctx.key }, body: JSON.stringify(body) };
      },
      onResponse(status: number, body: string, ctx: any) {
        const w = parse(body);
        rec.pending.delete(ctx.key);
        rec.answer("create", status, w);
        if (status === 201) {
          rec.ack({ step: "create", wishId: w.id, status: w.status });
          submitted.push(w.id);
          ctx.own = w.id;
        }
      },
    },
    {
      method: "GET",
      setupRequest: (req: any, ctx: any) => ({ ...req, path: "/api/wishes?mine=true&limit=20", headers: auth(ctx.resident.token) }),
      onResponse: read("my wishes"),
    },
    {
      method: "GET",
      setupRequest: (req: any) => ({
        ...req,
        path: `/api/wishes?communityId=${d.communityId}&status=submitted&limit=50`,
        headers: auth(d.staff.token),
      }),
      onResponse: read("review queue"),
    },
    {
      method: "POST",
      setupRequest(req: any, ctx: any) {
        const id = submitted.shift();
        if (!id) return null;
        ctx.approving = id;
        const slots = 1 + Math.floor(Math.random() * 3);
        return {
          ...req,
          path: `/api/wishes/${id}/approve`,
          headers: json(d.staff.token),
          body: JSON.stringify({ slots, estimatedMinutes: 60 }),
        };
      },
      onResponse(status: number, body: string, ctx: any) {
        const w = parse(body);
        rec.answer("approve", status, w);
        if (status === 200) {
          rec.ack({ step: "approve", wishId: ctx.approving, status: w.status });
          open.push(ctx.approving);
        }
      },
    },
    {
      method: "GET",
      setupRequest(req: any, ctx: any) {
        ctx.member = pick(d.members);
        return { ...req, path: `/api/wishes?communityId=${d.communityId}&status=open&limit=50`, headers: auth(ctx.member.token) };
      },
      onResponse: read("hall"),
    },
    {
      method: "POST",
      setupRequest(req: any, ctx: any) {
        // The newest few: volunteers crowd the same wishes, so some find them full.
        const id = pick(open.slice(-6));
        if (!id) return null;
        ctx.claiming = id;
        return { ...req, path: `/api/wishes/${id}/claim`, headers: auth(ctx.member.token), body: undefined };
      },
      onResponse(status: number, body: string, ctx: any) {
        const w = parse(body);
        rec.answer("claim", status, w, [{ status: 409, codes: ["wish.full", "claim.exists"] }]);
        if (status === 200) {
          rec.ack({ step: "claim", wishId: ctx.claiming, memberId: ctx.member.id, status: w.status });
          const i = open.indexOf(ctx.claiming);
          if (w.status === "claimed" && i >= 0) open.splice(i, 1);
        }
      },
    },
    {
      method: "GET",
      setupRequest: (req: any, ctx: any) => ({ ...req, path: `/api/wishes/${ctx.claiming}`, headers: auth(ctx.member.token) }),
      onResponse: read("wish (member)"),
    },
    {
      method: "GET",
      setupRequest: (req: any) => ({
        ...req,
        path: `/api/communities/${d.communityId}/stats?period=${period}`,
        headers: auth(d.staff.token),
      }),
      onResponse: read("stats"),
    },
    {
      method: "GET",
      setupRequest: (req: any, ctx: any) => ({ ...req, path: `/api/wishes/${ctx.own}`, headers: auth(ctx.resident.token) }),
      onResponse: read("wish (owner)"),
    },
    {
      method: "GET",
      setupRequest: (req: any) => ({ ...req, path: "/api/notifications?limit=20", headers: auth(pick(d.everyone).token) }),
      onResponse: read("notifications"),
    },
  ];

  let stopped = false;
  let instance: { stop(): void } | undefined;
  const crowd = new Promise<any>((done, failed) => {
    instance = autocannon(
      { url: `${url.protocol}//${url.host}`, connections: opts.connections, duration: opts.seconds, timeout: 10, requests },
      (err, result) => (err ? failed(err) : done(result)),
    );
  });
  const loops = Array.from({ length: opts.lifecycles }, (_, i) => lifecycleLoop(base, d, rec, i, () => stopped, opts.crashing ?? false));
  const ending = setTimeout(() => (stopped = true), opts.seconds * 1000);

  const done = (async () => {
    const result = await crowd;
    stopped = true;
    clearTimeout(ending);
    await Promise.all(loops);
    return {
      seconds: opts.seconds,
      connections: opts.connections,
      requests: result.requests.total,
      throughput: result.requests.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      errors: result.errors,
      timeouts: result.timeouts,
      statuses: Object.fromEntries(
        Object.entries(result.statusCodeStats as Record<string, { count: number }>).map(([k, v]) => [k, v.count]),
      ),
      lifecycles: rec.lifecycles,
    };
  })();
  return {
    stop() {
      stopped = true;
      instance?.stop();
    },
    done,
  };
}

/** One volunteer team's whole job, again and again: post, approve, claim, check in and out, complete, confirm, verify. */
async function lifecycleLoop(base: string, d: Demo, rec: Answers, loop: number, stopped: () => boolean, crashing: boolean) {
  let round = 0;
  while (!stopped()) {
    try {
      await lifecycle(base, d, rec, loop, round++);
    } catch (err) {
      // A request the crash cut off has no answer; the next one would find no server either.
      if (crashing) return;
      rec.failures.push(String((err as Error)?.message ?? err));
      return;
    }
  }
}

async function lifecycle(base: string, d: Demo, rec: Answers, loop: number, round: number) {
  const resident = d.residents[(loop + round) % d.residents.length];
  const size = 1 + ((loop + round) % 2);
  const first = (loop * 5 + round * 3) % d.members.length;
  const team = Array.from({ length: size }, (_, i) => d.members[(first + i) % d.members.length]);
  const step = async (name: Ack["step"], token: string, path: string, body: unknown, ack: Partial<Ack> = {}, key?: string) => {
    const res = await call(base, "POST", path, token, body, key ? { "idempotency-key": key } : {});
    if (key) rec.pending.delete(key);
    rec.answer(`lifecycle ${name}`, res.status, res.body);
    if (res.status >= 300) throw new Error(`${name} answered ${res.status} ${res.body?.code}: ${res.body?.detail}`);
    rec.ack({ step: name, wishId: res.body.id, status: res.body.status, ...ack });
    return res.body;
  };
  const n = posted++;
  const key = `lifecycle-${n}`;
  const body = wishBody(d.communityId, n);
  rec.pending.set(key, { token: resident.token, body });
  const wish = await step("create", resident.token, "/api/wishes", body, {}, key);
  const at = `/api/wishes/${wish.id}`;
  await step("approve", d.staff.token, `${at}/approve`, { slots: size, estimatedMinutes: 60 });
  for (const m of team) await step("claim", m.token, `${at}/claim`, undefined, { memberId: m.id });
  for (const m of team) await step("check-in", m.token, `${at}/check-in`, position, { memberId: m.id });
  for (const m of team) await step("check-out", m.token, `${at}/check-out`, { ...position, code: wish.handshakeCode }, { memberId: m.id });
  await step("complete", team[0].token, `${at}/complete`, { note: "已完成。" });
  await step("confirm", resident.token, `${at}/confirm`, { rating: 1 + (round % 5) });
  // Two rounds in three staff give the minutes; in the third the measured minutes (none to speak of) stand.
  const minutes = round % 3 === 2 ? undefined : Object.fromEntries(team.map((m, i) => [m.id, 30 + 15 * ((round + i) % 8)]));
  await step(
    "verify",
    d.staff.token,
    `${at}/verify`,
    { minutes, reason: minutes ? "按现场记录核定" : undefined, staffRating: 5 },
    { minutes },
  );
  rec.lifecycles++;
}

/**
 * Sends again, with the same Idempotency-Key, every post in flight at the kill, as a phone
 * whose request failed would. Each answer must be 201 (it never got in) or 200 (it did, and this
 * is the same wish again); the wish is then acknowledged like any other.
 */
export async function retryPending(base: string, rec: Answers, inFlight: Set<string>) {
  const retried: { key: string; status: number; title: string }[] = [];
  for (const [key, { token, body }] of rec.pending) {
    // autocannon keeps reconnecting after the kill and builds posts that never leave: not sent, not retried.
    if (!inFlight.has(key)) continue;
    const res = await call(base, "POST", "/api/wishes", token, body, { "idempotency-key": key });
    rec.answer("create again", res.status, res.body);
    if (res.status === 200 || res.status === 201) rec.ack({ step: "create", wishId: res.body.id, status: "submitted" });
    retried.push({ key, status: res.status, title: body.title });
  }
  rec.pending.clear();
  return retried;
}

/** Titles that more than one wish carries: a post that went in twice. */
export function duplicates(wishes: Map<string, WishRead>, titles: string[]) {
  const wanted = new Set(titles);
  const seen = new Map<string, number>();
  for (const { wish } of wishes.values()) if (wanted.has(wish.title)) seen.set(wish.title, (seen.get(wish.title) ?? 0) + 1);
  return [...wanted].filter((t) => (seen.get(t) ?? 0) !== 1).map((t) => `${t}: ${seen.get(t) ?? 0} wishes`);
}

// ---------------------------------------------------------------------------------------------
// The checks

const order = ["submitted", "open", "claimed", "in_progress", "completed", "confirmed", "closed"];
const notices = new Set(["remind", "alert"]);

export interface WishRead {
  wish: Item;
  claims: Item[];
  events: Item[];
}

async function inBatches<T, R>(xs: T[], size: number, each: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < xs.length; i += size) out.push(...(await Promise.all(xs.slice(i, i + size).map(each))));
  return out;
}

/** Every wish of the community (the index, and every id the server acknowledged), each read whole and consistently. */
export async function readWishes(store: Store, communityId: string, acks: Ack[]): Promise<Map<string, WishRead>> {
  const listed = await queryAll(store, { index: "byCommunity", pk: Keys.wishByCommunity(communityId, "", "").gsi3pk });
  const ids = [...new Set([...listed.map((w) => w.id as string), ...acks.map((a) => a.wishId)])];
  const reads = await inBatches(ids, 16, async (id) => {
    const items = await queryAll(store, { pk: Keys.wish(id).pk, consistent: true });
    return [id, items] as const;
  });
  const out = new Map<string, WishRead>();
  for (const [id, items] of reads) {
    const wish = items.find((i) => i.sk === "W");
    if (!wish) continue;
    out.set(id, {
      wish,
      claims: items.filter((i) => i.sk.startsWith("CL#")),
      events: items.filter((i) => i.sk.startsWith("E#")).sort((a, b) => a.at.localeCompare(b.at) || a.sk.localeCompare(b.sk)),
    });
  }
  return out;
}

/** Every acknowledged write is there, in the state it reported or a later one. */
export async function checkAcks(store: Store, acks: Ack[], wishes: Map<string, WishRead>): Promise<string[]> {
  return (await lostAcks(store, acks, wishes)).map((l) => l.problem);
}

/** The acknowledged writes that are not there (or not in their state), each with what is wrong. */
export async function lostAcks(store: Store, acks: Ack[], wishes: Map<string, WishRead>): Promise<{ ack: Ack; problem: string }[]> {
  const out: { ack: Ack; problem: string }[] = [];
  for (const a of acks) {
    const problems: string[] = [];
    const read = wishes.get(a.wishId);
    if (!read) {
      out.push({ ack: a, problem: `${a.step} of wish ${a.wishId} was acknowledged (${a.status}) but the wish is gone` });
      continue;
    }
    const now = read.wish.status;
    if (order.indexOf(now) < order.indexOf(a.status))
      problems.push(`${a.step} of wish ${a.wishId} was acknowledged as ${a.status}, the wish is now ${now}`);
    if (a.memberId) {
      const claim = read.claims.find((c) => c.memberId === a.memberId);
      if (!claim) problems.push(`${a.step} of wish ${a.wishId} by ${a.memberId} was acknowledged but the claim is gone`);
      else if (a.step === "check-in" && !claim.checkIn)
        problems.push(`check-in on wish ${a.wishId} by ${a.memberId} was acknowledged but is not on the claim`);
      else if (a.step === "check-out" && !claim.checkOut)
        problems.push(`check-out on wish ${a.wishId} by ${a.memberId} was acknowledged but is not on the claim`);
    }
    if (a.step === "verify") {
      const credits = (read.events.findLast((e) => e.kind === "verify")?.data?.credits ?? []) as { memberId: string; minutes: number }[];
      if (a.minutes) {
        for (const [memberId, minutes] of Object.entries(a.minutes)) {
          if (credits.find((c) => c.memberId === memberId)?.minutes !== minutes)
            problems.push(`verify of wish ${a.wishId} gave ${memberId} ${minutes} minutes; the event says otherwise`);
        }
      }
      const keys = credits.filter((c) => c.minutes > 0).map((c) => Keys.ledger(c.memberId, a.wishId));
      const entries = await getMany(store, keys);
      for (const c of credits.filter((c) => c.minutes > 0)) {
        const e = entries.find((x) => x.memberId === c.memberId);
        if (e?.minutes !== c.minutes)
          problems.push(
            `verify of wish ${a.wishId} was acknowledged but ${c.memberId}'s ledger entry is ${e ? `${e.minutes} min` : "missing"}`,
          );
      }
    }
    for (const problem of problems) out.push({ ack: a, problem });
  }
  return out;
}

/**
 * No wish is half-moved: its counter equals its claims, its status agrees with them and with its
 * index key, its version counts its transitions, its timeline ends in its status, every check-in
 * and check-out on a claim is in the timeline, and a closed wish has its ledger entries.
 */
export async function checkWishes(store: Store, wishes: Map<string, WishRead>): Promise<string[]> {
  const problems: string[] = [];
  const say = (w: Item, what: string) => problems.push(`wish ${w.id} (${w.status}): ${what}`);
  for (const { wish: w, claims, events } of wishes.values()) {
    if (w.claimed !== claims.length) say(w, `counter says ${w.claimed} claimed, ${claims.length} claim items`);
    if (w.gsi1pk !== Keys.wishByStatus(w.communityId, w.status, w.createdAt, w.id).gsi1pk) say(w, `status index key is ${w.gsi1pk}`);
    if ((w.status === "submitted" || w.status === "rejected") && claims.length) say(w, "has claims before approval");
    if (w.status === "open" && w.claimed >= w.slots) say(w, `open with ${w.claimed} of ${w.slots} places taken`);
    if (w.status === "claimed" && w.claimed !== w.slots) say(w, `claimed with ${w.claimed} of ${w.slots} places taken`);
    if (["in_progress", "completed", "confirmed", "closed"].includes(w.status) && !claims.some((c) => c.checkIn))
      say(w, "under way with nobody checked in");
    if (["completed", "confirmed", "closed"].includes(w.status) && !w.completedAt) say(w, "done without completedAt");
    if (w.status === "closed" && (!w.closedAt || w.crediting)) say(w, "closed without closedAt, or still crediting");
    const moves = events.filter((e) => !notices.has(e.kind));
    if (moves.length !== w.version) say(w, `version ${w.version} but ${moves.length} transitions in the timeline`);
    if (moves.at(-1)?.to !== w.status) say(w, `timeline ends in ${moves.at(-1)?.to}`);
    for (const c of claims) {
      const took = events.some((e) => (e.kind === "claim" || e.kind === "dispatch") && e.data?.memberIds?.includes(c.memberId));
      if (!took) say(w, `claim of ${c.memberId} is not in the timeline`);
      if (c.checkIn && !events.some((e) => e.kind === "check-in" && e.actorId === c.memberId))
        say(w, `check-in of ${c.memberId} is not in the timeline`);
      if (c.checkOut && !events.some((e) => e.kind === "check-out" && e.actorId === c.memberId))
        say(w, `check-out of ${c.memberId} is not in the timeline`);
      if (c.checkIn && !events.some((e) => e.kind === "check-in" && e.actorId === c.memberId && e.data?.at === c.checkIn.at))
        say(w, `check-in of ${c.memberId} differs from its event`);
    }
    const took = events
      .filter((e) => e.kind === "claim" || e.kind === "dispatch")
      .reduce((s, e) => s + (e.data?.memberIds?.length ?? 0), 0);
    const gaveBack = events.filter((e) => e.kind === "release" || e.kind === "decline").length;
    if (took - gaveBack !== claims.length)
      say(w, `timeline takes ${took} places and gives back ${gaveBack}, ${claims.length} claims remain`);
    if (w.status === "closed") {
      const credits = (events.findLast((e) => e.kind === "verify")?.data?.credits ?? []) as { memberId: string; minutes: number }[];
      const entries = await getMany(
        store,
        credits.filter((c) => c.minutes > 0).map((c) => Keys.ledger(c.memberId, w.id)),
      );
      for (const c of credits.filter((c) => c.minutes > 0)) {
        if (entries.find((e) => e.memberId === c.memberId)?.minutes !== c.minutes) say(w, `ledger entry of ${c.memberId} missing or wrong`);
      }
    }
  }
  return problems;
}

/**
 * The figures hold: each member's and branch's tally and the community's totals equal the sum
 * of the ledger entries they count, every entry is of a closed wish, and the community's month
 * counters equal the steps in the timelines (wishes posted, approved, closed, first claimed).
 */
export async function checkFigures(store: Store, d: Demo, wishes: Map<string, WishRead>): Promise<string[]> {
  const problems: string[] = [];
  const c = d.communityId;
  const all: Item[] = [];
  for (const m of d.members) {
    const items = await queryAll(store, { pk: `U#${m.id}`, sk: between("HL#", "HT$"), consistent: true });
    const entries = items.filter((i) => i.sk.startsWith("HL#"));
    all.push(...entries);
    const tally = items.find((i) => i.sk === `HT#${c}`);
    const sum = entries.reduce((s, e) => s + e.minutes, 0);
    if ((tally?.totalMinutes ?? 0) !== sum || (tally?.entries ?? 0) !== entries.length) {
      problems.push(
        `${m.name}'s tally is ${tally?.totalMinutes ?? 0} min in ${tally?.entries ?? 0} entries; the ledger has ${sum} min in ` +
          `${entries.length}`,
      );
    }
    for (const month of new Set(entries.map((e) => e.month as string))) {
      const inMonth = entries.filter((e) => e.month === month);
      const minutes = inMonth.reduce((s, e) => s + e.minutes, 0);
      if (tally?.[`${month}#minutes`] !== minutes || tally?.[`${month}#entries`] !== inMonth.length)
        problems.push(`${m.name}'s ${month} tally differs from the ledger`);
    }
    for (const e of entries) {
      const w = wishes.get(e.wishId)?.wish;
      if (w?.status !== "closed") problems.push(`${m.name} has a ledger entry for wish ${e.wishId}, which is ${w?.status ?? "missing"}`);
    }
  }
  const figures = await queryAll(store, { pk: `CT#${c}`, consistent: true });
  for (const branchId of new Set(d.members.map((m) => m.branchId!))) {
    const tally = figures.find((i) => i.sk === `B#${branchId}`);
    const inBranch = all.filter((e) => e.branchId === branchId);
    const sum = inBranch.reduce((s, e) => s + e.minutes, 0);
    if ((tally?.totalMinutes ?? 0) !== sum || (tally?.entries ?? 0) !== inBranch.length)
      problems.push(
        `branch ${branchId}'s tally is ${tally?.totalMinutes ?? 0} min in ${tally?.entries ?? 0}; its ledger ${sum} in ${inBranch.length}`,
      );
  }
  const total = figures.find((i) => i.sk === "C");
  const sum = all.reduce((s, e) => s + e.minutes, 0);
  const closed = [...wishes.values()].filter((w) => w.wish.status === "closed").length;
  if ((total?.totalMinutes ?? 0) !== sum || (total?.entries ?? 0) !== all.length || (total?.closed ?? 0) !== closed) {
    problems.push(
      `the community's totals are ${total?.totalMinutes ?? 0} min, ${total?.entries ?? 0} entries, ${total?.closed ?? 0} closed; the ` +
        `ledger has ${sum} min in ${all.length} entries and ${closed} wishes are closed`,
    );
  }
  const events = [...wishes.values()].flatMap((w) => w.events);
  const months = new Set([...all.map((e) => e.month as string), ...events.map((e) => monthOf(e.at))]);
  for (const month of months) {
    const stats = figures.find((i) => i.sk === `S#${month}`);
    const inMonth = all.filter((e) => e.month === month);
    const counted = (kind: string) => events.filter((e) => e.kind === kind && monthOf(e.at) === month).length;
    const firstClaims = [...wishes.values()].filter((w) => w.wish.firstClaimedAt && monthOf(w.wish.firstClaimedAt) === month).length;
    const want = {
      minutes: inMonth.reduce((s, e) => s + e.minutes, 0),
      entries: inMonth.length,
      submitted: counted("submit"),
      approved: counted("approve"),
      closed: counted("verify"),
      claimed: firstClaims,
    };
    const have = Object.fromEntries(Object.keys(want).map((k) => [k, stats?.[k] ?? 0]));
    if (JSON.stringify(have) !== JSON.stringify(want))
      problems.push(`month ${month} counts ${JSON.stringify(have)}; the items say ${JSON.stringify(want)}`);
  }
  return problems;
}

/**
 * Every event since `since` has reached everyone it concerns: an in-app notification per
 * recipient, and for what goes by SMS, the SMS marked sent. Waits up to `waitMs` for the stream
 * poller to catch up; answers with what is still missing and how long it waited.
 */
export async function checkNotifications(store: Store, wishes: Map<string, WishRead>, since: string, waitMs: number) {
  const events = [...wishes.values()].flatMap((w) => w.events).filter((e) => e.at > since);
  const expected: { userId: string; eventId: string; sms: boolean; what: string }[] = [];
  await inBatches(events, 16, async (e) => {
    const { notices } = await audience(store, eventItems.fromItem(e));
    for (const n of notices)
      expected.push({
        userId: n.userId,
        eventId: e.id,
        sms: defaultSmsKinds.includes(n.kind),
        what: `${n.kind} of ${e.kind} on wish ${e.wishId}`,
      });
  });
  const started = Date.now();
  let missing: string[] = [];
  do {
    const keys = expected.map((x) => Keys.notification(x.userId, x.eventId));
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) items.push(...(await getMany(store, keys.slice(i, i + 100))));
    const have = new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
    missing = expected
      .filter((x) => {
        const k = Keys.notification(x.userId, x.eventId);
        const item = have.get(`${k.pk}|${k.sk}`);
        return !item || (x.sms && !item.smsSentAt);
      })
      .map((x) => `${x.what} to ${x.userId}`);
    if (!missing.length) break;
    await sleep(1_000);
  } while (Date.now() - started < waitMs);
  return { events: events.length, notices: expected.length, missing, waitedMs: Date.now() - started };
}

/** What the stream poller wrote about itself: its checkpoint and dead letters. */
export function pollerFiles(dataDir: string) {
  const checkpoint = join(dataDir, "stream-checkpoint.json");
  const dead = join(dataDir, "stream-dead-letters.jsonl");
  return {
    checkpoint: existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, "utf8")) : undefined,
    deadLetters: existsSync(dead) ? readFileSync(dead, "utf8").split("\n").filter(Boolean).length : 0,
  };
}

export function dataDir() {
  const dir = tempDir("mw-robust-data-");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * How many wish events the stream held beyond the poller's checkpoint as it was at the kill: the
 * events the restarted poller had to pick up. Read with a reader of its own, from the same
 * positions. `streamChanged` when the table's stream is not the one the checkpoint names.
 */
export async function eventsBeyond(
  dynamoPort: number,
  checkpoint: { streamArn?: string; shards: Record<string, string>; closed: string[] },
  until: string,
) {
  const config = dynamoClientConfig(`http://127.0.0.1:${dynamoPort}`);
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  try {
    const arn = (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
    if (arn !== checkpoint.streamArn) return { streamChanged: true, events: 0 };
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards ?? [];
    let events = 0;
    for (const shard of shards) {
      const id = shard.ShardId!;
      if (checkpoint.closed.includes(id)) continue;
      const after = checkpoint.shards[id];
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: id,
            ...(after ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after } : { ShardIteratorType: "TRIM_HORIZON" }),
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const r of out.Records ?? []) {
          const image = r.dynamodb?.NewImage;
          if (r.eventName === "INSERT" && image?.type?.S === "event" && (image.at?.S ?? "") <= until) events++;
        }
        if (!out.Records?.length) break;
        iterator = out.NextShardIterator;
      }
    }
    return { streamChanged: false, events };
  } finally {
    dynamo.destroy();
    streams.destroy();
  }
}
