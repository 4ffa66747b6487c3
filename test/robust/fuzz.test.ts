/**
 * Fuzzing every route of the API with fast-check. The routes are read from `/api/openapi.json`
 * (the local-only ones included), so a new route is fuzzed the day it is declared. Each request is
 * built from arbitrary parts: path parameters (existing ids of the right kind, another community's,
 * ids that do not exist, broken segments), query strings (valid values, mutated values, extra and
 * repeated keys), bodies (random JSON, a valid body with one field mutated, raw non-JSON, oversized),
 * content types and tokens (none, garbage, forged with another secret, expired, from the future,
 * `alg: none`, for a deleted user, and valid ones of each role in two communities).
 *
 * For every request:
 * - the answer is never a 5xx;
 * - a 4xx is `application/problem+json` with `type`, `title`, `status` (equal to the HTTP status)
 *   and `detail` (one documented exception: the public verification page of a certificate answers
 *   an unknown number with a 404 HTML page, because a person who scanned a QR code reads it);
 * - a refused request (4xx) writes nothing: a consistent Scan of the whole test table before and
 *   after must be equal, but for two writes that a refusal makes on purpose, each allowed on its
 *   own route only and only in its exact shape (the item's counter up by one, nothing else):
 *     1. `POST /api/auth/token`: the sign-in code's `tries` (`P#<phone>` / `OTP#<client>`), counted before
 *        the code is compared, so a wrong code (400) keeps its count: guessing stops after five.
 *     2. `POST /api/wishes/{id}/check-out`: the claim's `codeTries` (`W#<wish>` / `CL#<member>`,
 *        from absent to 1 or up by one) on a wrong handshake code (409), so that guessing the
 *        resident's code stops after five.
 *   Not allowed, though it might look like one: the rate-limit counters of `POST /api/auth/otp`.
 *   They move in one transaction with the code, all windows or none, so a refused request (429)
 *   leaves them as they were.
 *   The route is the one the request actually reached (its URL after normalisation), not the
 *   one it was generated for: `..` in a path may lead elsewhere.
 *
 * Requests go out on raw HTTP (node:http), paths as written, each on its own connection. The
 * address and headers stay under 10 KB, the most API Gateway passes on to the Lambda handler;
 * longer ones, which only the Node server sees, are cases of their own at the end of this file.
 *
 * Two settings. By default (in `npm test`) each route gets a short run with fixed seeds, so a
 * failure is reproducible as is. With `ROBUST=full` (`npm run test:robust`) each route gets many
 * more runs and a random base seed, printed at the start; `ROBUST_SEED=<n>` replays a run and
 * `ROBUST_RUNS=<n>` sets the runs per route. fast-check prints the seed, the path and the shrunk
 * request of any failure.
 *
 * The Scan is a test's tool only: no request path of the application scans (see calls.test.ts).
 */
import { request } from "node:http";
import { UpdateCommand } from "../../functions/aws/dynamodb.js";
import fc from "fast-check";
import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { issueToken } from "../../functions/core/identity.js";
import { statuses } from "../../functions/core/model.js";
import { dayOf, monthOf } from "../../functions/core/period.js";
import { devRoutes } from "../../functions/dev/routes.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { encodeCursor, type Item } from "../../functions/store/client.js";
import { Keys } from "../../functions/store/keys.js";
import {
  community,
  newWish,
  person,
  secret,
  somewhere,
  startApi,
  wishIn,
  type Api,
  type Person,
  type TestCommunity,
} from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const full = process.env.ROBUST === "full";
const runsPerRoute = Number(process.env.ROBUST_RUNS ?? (full ? 150 : 10));
const baseSeed = Number(process.env.ROBUST_SEED ?? (full ? Math.floor(Math.random() * 2 ** 31) : 20261203));
/** per route, generously: DynamoDB Local on a busy two-core machine answers in tens of milliseconds */
const routeTimeout = 30_000 + runsPerRoute * 1_500;

// ---------------------------------------------------------------------------------------------
// The routes, from the same document the API serves (built here without a table: it needs none)
// ---------------------------------------------------------------------------------------------

interface RouteInfo {
  key: string;
  method: string;
  template: string;
  pathParams: string[];
  query: { name: string; required: boolean }[];
  hasBody: boolean;
  auth: boolean;
  pattern: RegExp;
}

const docApp = createApp({ store: {} as never, notifier: {} as never, secret: async () => "unused", publicUrl: () => "http://127.0.0.1" }, [
  devRoutes(),
]);
const doc = (await (await docApp.request("/api/openapi.json")).json()) as { paths: Record<string, Record<string, any>> };
const routes: RouteInfo[] = Object.entries(doc.paths).flatMap(([template, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    key: `${method.toUpperCase()} ${template}`,
    method: method.toUpperCase(),
    template,
    pathParams: (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name as string),
    query: (op.parameters ?? [])
      .filter((p: any) => p.in === "query")
      .map((p: any) => ({ name: p.name as string, required: Boolean(p.required) })),
    // A JSON body; the roll import's CSV file has arbitraries of its own (csvBodies).
    hasBody: Boolean(op.requestBody?.content?.["application/json"]),
    auth: Boolean(op.security),
    pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
  })),
);

/** The route a request reached, from the path the server saw (the document and its page are routes too, outside it). */
function routeOf(method: string, pathname: string): string | undefined {
  if (method === "GET" && (pathname === "/api/openapi.json" || pathname === "/api/docs")) return `GET ${pathname}`;
  return routes.find((r) => r.method === method && r.pattern.test(pathname))?.key;
}

// ---------------------------------------------------------------------------------------------
// The world the requests are made in
// ---------------------------------------------------------------------------------------------

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
let admin: Person;
const w: Record<string, string> = {};
let certificateNumber: string;
let notificationIds: string[] = [];
let otpPhone: string;
let otpCode: string;
let handshake: string;
let listCursor: string;
/** activities: one to sign up for, one under way (with its poster's token) */
const act: Record<string, string> = {};
let activityToken: string;
/** messages to the community: a new one, an answered one */
const voice: Record<string, string> = {};
/** items of the service menu: one on offer, one withdrawn */
const menuItem: Record<string, string> = {};

beforeAll(async () => {
  console.log(
    `fuzz: ${full ? "ROBUST=full" : "default"} setting, ${runsPerRoute} runs per route, base seed ${baseSeed} (route i uses seed ` +
      `${baseSeed} + i)`,
  );
  api = await startApi();
  [c, other] = await Promise.all([
    community(api.store, { members: 3, residents: 2 }),
    community(api.store, { members: 1, residents: 1, name: "另一个社区" }),
  ]);
  admin = await person(api.store, "平台管理员");
  await api.store.doc.send(
    new UpdateCommand({
      TableName: api.store.table,
      Key: Keys.user(admin.id),
      UpdateExpression: "SET admin = :t",
      ExpressionAttributeValues: { ":t": true },
    }),
  );
  const [m0, m1, m2] = c.members;
  [
    w.submitted,
    w.open,
    w.claimed,
    w.inProgress,
    w.completed,
    w.confirmed,
    w.toClose,
    w.rejected,
    w.cancelled,
    w.dispatched,
    w.otherOpen,
    w.otherInProgress,
  ] = await Promise.all([
    wishIn(api, c, "submitted"),
    wishIn(api, c, "open", { slots: 2, members: [] }),
    wishIn(api, c, "claimed", { members: [m1] }),
    wishIn(api, c, "in_progress", { members: [m0, m2] }),
    wishIn(api, c, "completed", { members: [m0] }),
    wishIn(api, c, "confirmed", { members: [m2] }),
    wishIn(api, c, "confirmed", { members: [m0] }),
    wishIn(api, c, "rejected"),
    wishIn(api, c, "cancelled"),
    wishIn(api, c, "open", { slots: 1, members: [] }),
    wishIn(api, other, "open"),
    wishIn(api, other, "in_progress"),
  ]);
  const ok = (res: { status: number; body: any }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  ok(await api.call("POST", `/api/wishes/${w.dispatched}/dispatch`, { as: c.staff, body: { memberIds: [m1.id] } }), "dispatch");
  // A closed wish with staff's figure, so that m0 has hours and a certificate.
  ok(
    await api.call("POST", `/api/wishes/${w.toClose}/verify`, { as: c.staff, body: { minutes: { [m0.id]: 90 }, reason: "按签到计" } }),
    "verify",
  );
  w.closed = w.toClose;
  delete w.toClose;
  const cert = ok(
    await api.call("POST", `/api/members/${m0.id}/certificates`, { as: m0, body: { from: day(-1), to: day(1) } }),
    "certificate",
  );
  certificateNumber = cert.body.number;
  // m0's inbox, from the events above, as the stream handler writes it.
  const feed = streamFeed(api.store);
  await createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} })(await feed.next());
  feed.close();
  notificationIds = (ok(await api.call("GET", "/api/notifications", { as: m0 }), "inbox").body.items as { id: string }[]).map((n) => n.id);
  // A sign-in code waiting to be used, so that /auth/token meets a real one.
  otpPhone = c.residents[1].phone;
  ok(await api.call("POST", "/api/auth/otp", { body: { phone: otpPhone } }), "otp");
  otpCode = /\d{6}/.exec(ok(await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(otpPhone)}`), "outbox").body[0].text)![0];
  handshake = ok(await api.call("GET", `/api/wishes/${w.inProgress}`, { as: c.residents[0] }), "wish").body.handshakeCode;
  listCursor = ok(await api.call("GET", `/api/wishes?communityId=${c.id}&limit=1`, { as: c.staff }), "list").body.cursor;
  const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
  const activity = (from: number, to: number) => ({
    title: "周六环境清扫",
    description: "清扫小区公共区域。",
    address: "幸福里中心广场",
    location: { lat: somewhere.lat, lng: somewhere.lng },
    window: { from: inMinutes(from), to: inMinutes(to) },
    places: 3,
    teams: ["清扫组"],
  });
  act.upcoming = ok(
    await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity(600, 720) }),
    "activity",
  ).body.id;
  act.running = ok(
    await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity(-5, 20) }),
    "activity",
  ).body.id;
  const poster = ok(await api.call("GET", `/api/activities/${act.running}/poster`, { as: c.staff }), "poster").body as string;
  activityToken = /check-in\?t=([\w-]+)/.exec(poster)![1];
  for (const name of ["fresh", "answered"]) {
    const said = { as: c.residents[0], body: { text: "楼道的灯坏了" } };
    voice[name] = ok(await api.call("POST", `/api/communities/${c.id}/voices`, said), "voice").body.id;
  }
  ok(await api.call("POST", `/api/voices/${voice.answered}/answer`, { as: c.staff, body: { text: "明天修" } }), "answer");
  voice.cursor = ok(await api.call("GET", `/api/communities/${c.id}/voices?limit=1`, { as: c.staff }), "voices").body.cursor;
  for (const name of ["offered", "withdrawn"]) {
    const item = { kind: "skill", title: "上门理发", description: "为老人上门理发", category: "elderly", branchId: c.branches[0].id };
    menuItem[name] = ok(await api.call("POST", `/api/communities/${c.id}/menu`, { as: c.staff, body: item }), "menu item").body.id;
  }
  ok(await api.call("POST", `/api/communities/${c.id}/menu/${menuItem.withdrawn}/withdraw`, { as: c.staff }), "withdraw");
}, 120_000);
afterAll(async () => {
  const statuses = [...tally.statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
  console.log(
    `fuzz: ${tally.requests} requests (${(tally.requestMs / Math.max(1, tally.requests)).toFixed(1)} ms each), ${tally.scans} scans of ` +
      `${tally.items} items (${(tally.scanMs / Math.max(1, tally.scans)).toFixed(1)} ms each); answers ${statuses}`,
  );
  await api?.close();
});

const day = (d: number) => dayOf(new Date(Date.now() + d * 86_400_000));

// ---------------------------------------------------------------------------------------------
// The table, whole, and what a refusal may change in it
// ---------------------------------------------------------------------------------------------

/** What the runs cost, printed at the end. */
const tally = { requests: 0, requestMs: 0, scans: 0, scanMs: 0, items: 0, statuses: new Map<number, number>() };

/** Every item of the test table, by key, as canonical JSON. */
async function scanTable(): Promise<Map<string, string>> {
  const started = performance.now();
  const out = new Map<string, string>();
  for (const item of await api.everything()) out.set(`${item.pk}|${item.sk}`, canonical(item));
  tally.scans++;
  tally.scanMs += performance.now() - started;
  tally.items = out.size;
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value instanceof Set) return `set(${[...value].map(canonical).sort().join(",")})`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The one attribute `name` went up by one (from absent, counting as 0, when `fromAbsent`), and nothing else changed. */
function onlyCounted(before: Item | undefined, after: Item | undefined, name: string, fromAbsent = false): boolean {
  if (!after) return false;
  if (!before) return false;
  const was = before[name] ?? (fromAbsent ? 0 : undefined);
  if (typeof was !== "number" || after[name] !== was + 1) return false;
  const { [name]: _b, ...restBefore } = before;
  const { [name]: _a, ...restAfter } = after;
  return canonical(restBefore) === canonical(restAfter);
}

/** What a refusal on `route` may write, item by item (see the header of this file). */
const allowedOnRefusal: Record<string, (key: string, before: Item | undefined, after: Item | undefined) => boolean> = {
  "POST /api/auth/token": (key, before, after) => /^P#[^|]+\|OTP#[0-9a-f]+$/.test(key) && onlyCounted(before, after, "tries"),
  "POST /api/wishes/{id}/check-out": (key, before, after) => /^W#[^|]+\|CL#/.test(key) && onlyCounted(before, after, "codeTries", true),
};

function writesOf(before: Map<string, string>, after: Map<string, string>) {
  const changed: { key: string; before?: Item; after?: Item }[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b !== a)
      changed.push({ key, before: b === undefined ? undefined : JSON.parse(b), after: a === undefined ? undefined : JSON.parse(a) });
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** how the body was made, for the report */
  made: string;
}

const short = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

function describeRequest(r: FuzzRequest) {
  const body =
    r.body === undefined
      ? ""
      : typeof r.body === "string"
        ? ` body(${r.made})=${JSON.stringify(short(r.body))}`
        : ` body(${r.made})=<${r.body.length} bytes>`;
  return (
    `${r.method} ${short(r.path + r.query, 400)} ` +
    `headers=${JSON.stringify(Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, short(v, 80)])))}${body}`
  );
}

/**
 * Sends the request as written (the path is not normalised on the way: the server does that), on a
 * connection of its own, and answers what a client would see. A body past a limit is answered 413
 * while it is still being sent and the connection closed: the answer counts, the broken upload not.
 */
function send(r: FuzzRequest): Promise<{ status: number; type: string; text: string; reached?: string }> {
  const base = new URL(api.base);
  const target = r.path + r.query;
  // Framed as every client frames a body (Node would send a DELETE's body unframed).
  const headers = r.body === undefined ? r.headers : { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) };
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: base.hostname, port: base.port, method: r.method, path: target, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers["content-type"] ?? ""),
          text: Buffer.concat(chunks).toString("utf8"),
          // The route the server matched: it resolves dot segments the way URL does.
          reached: routeOf(r.method, new URL(target, api.base).pathname),
        }),
      );
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.end(r.body);
  });
}

/** The properties, for one request. Throws with a readable account of what broke. */
async function check(r: FuzzRequest, state: { before?: Map<string, string> }) {
  const before = (state.before ??= await scanTable());
  const started = performance.now();
  const res = await send(r);
  tally.requests++;
  tally.requestMs += performance.now() - started;
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  const fault = (what: string) =>
    new Error(`${what}\n  request: ${describeRequest(r)}\n  answer: ${res.status} ${res.type} ${short(res.text, 600)}`);
  if (res.status >= 500) throw fault(`a ${res.status}`);
  if (res.status < 400) {
    state.before = undefined; // it may have written: look again before the next request
    return res;
  }
  const htmlVerifyPage = res.reached === "GET /api/certificates/{number}/verify" && res.status === 404 && res.type.startsWith("text/html");
  if (!htmlVerifyPage) {
    if (!/^application\/problem\+json\b/.test(res.type)) throw fault("a 4xx that is not application/problem+json");
    let body: any;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw fault("a problem document that is not JSON");
    }
    const shapeOk =
      body &&
      typeof body.type === "string" &&
      typeof body.title === "string" &&
      body.status === res.status &&
      typeof body.detail === "string" &&
      body.detail.length > 0;
    if (!shapeOk) throw fault("a problem document without type, title, status (equal to the HTTP status) and detail");
  }
  const after = await scanTable();
  const allowed = (res.reached && allowedOnRefusal[res.reached]) || (() => false);
  const wrong = writesOf(before, after).filter((ch) => !allowed(ch.key, ch.before, ch.after));
  if (wrong.length) {
    throw fault(
      `a refusal that wrote: ${short(JSON.stringify(wrong.map((x) => ({ key: x.key, before: x.before, after: x.after }))), 1500)}`,
    );
  }
  state.before = after;
  return res;
}

// --- values ----------------------------------------------------------------------------------

const emojiAndScripts = [
  "😀🎉👩‍👩‍👧‍👦🏳️‍🌈",
  "水龙头 faucet кран صنبور 수도꼭지 🚰",
  "\u202eevil\u202c",
  "a\u200bb\u200d\ufeff",
  "Z̴̡̛a̸l̶g̷o̴ ̵t̶e̷x̸t̷",
  "𠜎𠜱𠝹𠱓",
  "\u0000",
  "line\r\nbreak",
  "tab\there",
  "\ud800",
  "\udfff\ud800",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "../../etc/passwd",
  "   ",
  "",
];
const hugeStrings = ["字".repeat(2_001), "a".repeat(10_000), "😀".repeat(1_001), "x".repeat(70_000)];
/** Raw JSON number literals JSON.stringify cannot write: put in place of a placeholder string. */
const rawNumbers = [
  "1e400",
  "-1e400",
  "-0",
  "1.0000000000000000001",
  "123456789012345678901234567890",
  "0.1e-400",
  "1E2",
  "00",
  "+1",
  ".5",
  "NaN",
  "Infinity",
];
const rawPlaceholder = "\u0001RAW\u0001";

const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, -1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, -(2 ** 31), 2 ** 31, 1e21, 6, 4, 101, 501, 1441, 100_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const oddConstants = [
  ...emojiAndScripts,
  "NaN",
  "Infinity",
  "-1",
  "1e3",
  "0x10",
  "true",
  "null",
  "2026-02-30",
  "2026-13-01",
  "2026-11-22T09:00:00",
  "9999-12-31T23:59:59+14:00",
  "13800138000",
  "+8613800138000",
];
const oddString = fc.oneof(
  fc.constantFrom(...oddConstants, ...hugeStrings),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);
/** The same, short enough for a URL: a query value past 2 KB, none past 3 KB. */
const oddQueryString = fc.oneof(
  fc.constantFrom(...oddConstants, "字".repeat(300), "x".repeat(2_049), "x".repeat(3_000)),
  // cursors that decode but name no position of the list, or do not decode
  fc
    .constantFrom(
      { pk: "W#nothing", sk: "W" },
      { pk: 1 },
      { pk: "", sk: "" },
      { pk: "U#x", sk: "y".repeat(1_100) },
      { pk: "U#x", sk: "N#1", gsi1pk: "x" },
    )
    .map(encodeCursor),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);
/** What a mutated field becomes: wrong types, odd numbers, odd text, nesting, nulls, raw literals. */
const mutant: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 3, arbitrary: oddNumber },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { $ne: null }, JSON.parse('{"__proto__":{"admin":true}}'), [1, 2, 3]),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...rawNumbers).map((n) => ({ [rawPlaceholder]: n })) },
);

function toJsonText(value: unknown): string {
  // A raw literal travels as { [placeholder]: "1e400" } and is written as the bare literal.
  return JSON.stringify(value).replace(new RegExp(`\\{"${rawPlaceholder.replace(/\u0001/g, "\\\\u0001")}":"([^"]*)"\\}`, "g"), "$1");
}

/** Every place in a body a mutation can hit: its fields, nested fields and array elements. */
function placesOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) out.push([...prefix, i], ...placesOf(v, [...prefix, i]));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...placesOf(v, [...prefix, k]));
  return out;
}

function mutate(sample: unknown, place: (string | number)[], op: "set" | "delete" | "extra", value: unknown, extraKey: string): unknown {
  const copy = structuredClone(sample) as any;
  if (place.length === 0) return op === "set" ? value : copy;
  const parent = place.slice(0, -1).reduce((v, k) => v[k], copy);
  const last = place.at(-1)!;
  if (op === "set") parent[last] = value;
  else if (op === "delete") Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (Array.isArray(parent)) parent.push(value);
  else Object.defineProperty(parent, extraKey, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

// --- per-route samples -------------------------------------------------------------------------

/** A valid body for each route that takes one: the base of the near-valid mutations. */
function validBodies(): Record<string, unknown[]> {
  const [m0, m1] = c.members;
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const windowSoon = { from: new Date(Date.now() + 86_400_000).toISOString(), to: new Date(Date.now() + 90_000_000).toISOString() };
  return {
    "POST /api/auth/otp": [{ phone: "13912345678" }, { phone: otpPhone }, { phone: "+447700900123" }],
    "POST /api/auth/token": [
      { phone: otpPhone, code: otpCode },
      { phone: otpPhone, code: "000000" },
      { phone: "13800138000", code: "123456" },
    ],
    "POST /api/auth/refresh": [{ refreshToken: `${"A".repeat(22)}.${"B".repeat(43)}` }],
    "POST /api/auth/sign-out": [{ refreshToken: `${"A".repeat(22)}.${"B".repeat(43)}` }],
    "POST /api/wishes": [
      newWish(c.id),
      newWish(c.id, { window: windowSoon }),
      { communityId: other.id, category: "visit", title: "陪聊", description: "想找人聊聊天" },
      newWish(c.id, { onBehalfOf: { phone: "13700000077", name: "王奶奶" } }),
      newWish(c.id, { category: "elderly", menuItemId: menuItem.offered }),
    ],
    "POST /api/wishes/{id}/approve": [
      { slots: 1, estimatedMinutes: 60 },
      { slots: 3, estimatedMinutes: 90, deadline: future },
    ],
    "POST /api/wishes/{id}/reject": [{ reason: "不在服务范围" }],
    "POST /api/wishes/{id}/dispatch": [{ memberIds: [m1.id] }, { memberIds: [m0.id, c.members[2].id] }],
    "POST /api/wishes/{id}/release": [{ reason: "临时有事" }, {}],
    "POST /api/wishes/{id}/decline": [{ reason: "今天没空" }, {}],
    "POST /api/wishes/{id}/check-in": [somewhere],
    "POST /api/wishes/{id}/check-out": [{ ...somewhere, code: handshake }, { ...somewhere, code: "0000" }, somewhere],
    "POST /api/wishes/{id}/complete": [{ note: "修好了" }],
    "POST /api/wishes/{id}/confirm": [{ rating: 5, comment: "谢谢" }, { rating: 1 }],
    "POST /api/wishes/{id}/dispute": [{ reason: "还在滴水" }],
    "POST /api/wishes/{id}/verify": [{}, { minutes: { [m0.id]: 30 }, reason: "按预估计", staffRating: 4, peopleServed: 2 }],
    "POST /api/wishes/{id}/cancel": [{ reason: "不需要了" }],
    "POST /api/wishes/{id}/takeover": [{}, { memberId: m0.id }],
    "POST /api/communities/{id}/settings": [
      { fenceRadiusMeters: 300 },
      { rankingWeights: { hours: 70, onTime: 10 }, checkInGraceMinutes: 30 },
      { unclaimedAlertHours: 48 },
      { claimGraceMinutes: 45 },
    ],
    "POST /api/members/{id}/certificates": [
      { from: day(-1), to: day(1) },
      { from: day(-30), to: day(0), communityId: c.id },
    ],
    "POST /api/communities/{id}/menu": [
      { kind: "skill", title: "上门理发", description: "为老人上门理发", category: "elderly", branchId: c.branches[0].id },
      {
        kind: "health",
        title: "义诊",
        description: "量血压",
        category: "health",
        when: "每周六上午",
        where: "社区服务站",
        branchId: c.branches[1].id,
      },
    ],
    "PUT /api/communities/{id}/menu/{itemId}": [
      { kind: "service", title: "修自行车", description: "补胎、调刹车", category: "repair", branchId: c.branches[1].id },
    ],
    "POST /api/communities/{id}/voices": [{ text: "希望周末有人陪我下棋" }, { text: "第一行\n第二行 🙂" }],
    "POST /api/voices/{id}/answer": [{ text: "好的，我们安排" }],
    "POST /api/voices/{id}/wish": [{ category: "elderly" }, { category: "repair", title: "修楼道灯" }],
    "PUT /api/me": [{ name: "李明" }, { address: "幸福里3号楼" }, {}, { skills: ["水电维修", "会修自行车"] }, { skills: [] }],
    "POST /api/communities/{id}/activities": [
      {
        title: "健康义诊",
        description: "量血压",
        address: "卫生站",
        location: { lat: somewhere.lat, lng: somewhere.lng },
        window: windowSoon,
        places: 10,
        teams: ["义诊组", "引导组"],
      },
      { title: "清扫", description: "清扫", address: "广场", location: { lat: somewhere.lat, lng: somewhere.lng }, window: windowSoon },
    ],
    "POST /api/activities/{id}/signup": [{ team: "清扫组" }, {}],
    "POST /api/activities/{id}/verify": [{}, { minutes: { [m0.id]: 30 }, reason: "按安排" }],
    "POST /api/activities/{id}/photos": [{ photos: ["photos/activity/none.jpg"] }, { photos: ["a", "b", "c"] }],
    "POST /api/notices": [
      { activityId: act.running, text: "明早八点集合", sms: false },
      { unitId: c.id, branchIds: [c.branches[0].id], text: "本周五开会", sms: true },
      { unitId: other.id, text: "你好" },
    ],
    "POST /api/activities/{id}/check-in": [{ ...somewhere, token: activityToken }],
    "POST /api/activities/{id}/check-out": [
      { ...somewhere, token: activityToken, comment: "很有意义" },
      { ...somewhere, token: activityToken },
    ],
    "POST /api/units": [
      { kind: "county", name: "凤县" },
      { kind: "street", name: "双石铺镇", parentId: "no-such-unit" },
      { kind: "grid", name: "一网格", parentId: c.id, area: [somewhere, { lat: 33.07, lng: 107.03 }, { lat: 33.06, lng: 107.03 }] },
    ],
    "POST /api/units/{id}/staff": [
      { phone: "13912349999", name: "街道干部" },
      { phone: "13912349998", name: "网格长", leader: true },
    ],
    "POST /api/communities/{id}/registrations": [{ name: "报到人" }, { name: "报到人", branchId: c.branches[0].id, note: "转入" }],
    "POST /api/registrations/{id}/reject": [{ reason: "不在本社区" }],
    "PUT /api/me/preferences": [
      { lang: "zh-CN", sms: ["task-dispatched"], categories: ["repair"] },
      { lang: "en", sms: [], categories: [] },
    ],
    "POST /api/uploads": [
      { purpose: "wish", contentType: "image/jpeg", size: 300_000 },
      { purpose: "completion", contentType: "image/webp", size: 2 * 1024 * 1024 },
    ],
  };
}

/** Valid values of each query parameter of a route, by name. */
function validQueryValues(routeKey = ""): Record<string, string[]> {
  if (routeKey === "GET /api/dev/outbox") return { to: [otpPhone, c.members[0].phone, "13900000001"] };
  if (routeKey === "GET /api/communities/{id}/voices") {
    return { status: ["new", "answered"], mine: ["true", "false"], cursor: [voice.cursor], limit: ["1", "20", "100"] };
  }
  return {
    communityId: [c.id, other.id],
    status: [...statuses],
    mine: ["true", "false", "1", "0"],
    cursor: [listCursor],
    limit: ["1", "20", "100"],
    period: [monthOf(new Date()), "2026-Q4", "2026", "all"],
    by: ["branch", "member"],
    skills: ["mine"],
    skill: ["水电维修", "Driving"],
    sort: ["skill", "distance", "load"],
    from: [day(-1), day(-400)],
    to: [day(0), day(1)],
    category: ["repair", "errand"],
    lat: ["33.0676", "33.06"],
    lng: ["107.0238", "107.03"],
  };
}

/** Path parameter values by the collection they name: existing ones, another community's, unknown ones. */
function pathValues(template: string, name: string): string[] {
  const users = [...c.members, c.staff, ...c.residents, ...other.members, other.staff, admin].map((p) => p.id);
  if (name === "memberId") return [...users, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (name === "itemId") return [menuItem.offered, menuItem.withdrawn, menuItem.offered, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/members/")) return [c.members[0].id, c.members[0].id, ...users, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/communities/")) return [c.id, c.id, c.id, other.id, "demo-xingfuli", "no-such-community"];
  if (template.startsWith("/api/wishes/")) return [...Object.values(w), "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/certificates/"))
    return [certificateNumber, certificateNumber.toLowerCase(), ` ${certificateNumber} `, "MW-20261122-7KQ9X3AB", "MW-00000000-00000000"];
  if (template.startsWith("/api/activities/")) return [act.upcoming, act.running, act.upcoming, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/notifications/")) return [...notificationIds, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/voices/")) return [voice.fresh, voice.answered, voice.fresh, "01JZZZZZZZZZZZZZZZZZZZZZZZ"];
  if (template.startsWith("/api/units/")) return [c.id, other.id, "demo-xingfuli", "no-such-unit"];
  if (template.startsWith("/api/me/invitations/")) return [c.id, other.id, "no-such-community"];
  return [...Object.values(w), c.id, ...users, `unknown-${name}`];
}

/** Segments that are not ids: written into the path as they are (no encoding). */
const rawSegments = [
  "a\\b",
  "\\",
  ".",
  "..",
  "%",
  "%00",
  "%zz",
  "%E4%B8",
  "%ED%A0%80",
  "%2F",
  "%2e%2e",
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "-",
  "a".repeat(65),
  "x".repeat(2_500),
  "%F0%9F%98%80",
  ";",
  "a;b=c",
  "%20",
  "+",
];

/**
 * Who may call a route, by the document's own words ("Who: staff."): their tokens come up more
 * often, so that requests get past sign-in and roles to the rules behind them.
 */
function rightfulCallers(route: RouteInfo): Person[] {
  const who = String(doc.paths[route.template][route.method.toLowerCase()].description ?? "").toLowerCase();
  const people: Person[] = [];
  if (who.includes("staff")) people.push(c.staff);
  if (who.includes("member")) people.push(...c.members);
  if (who.includes("owner") || who.includes("resident")) people.push(c.residents[0]);
  if (!people.length) people.push(c.staff, c.members[0], c.residents[0]);
  return people;
}

async function tokens(route: RouteInfo) {
  const [m0, m1] = c.members;
  const rightful = rightfulCallers(route).map((p) => p.token);
  const valid = [
    c.residents[0],
    c.residents[1],
    m0,
    m1,
    c.members[2],
    c.staff,
    other.staff,
    other.members[0],
    other.residents[0],
    admin,
  ].map((p) => p.token);
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const forged = [
    await issueToken("another-secret", m0.id),
    await issueToken("another-secret", c.staff.id),
    await issueToken(secret, c.staff.id, Date.now() - 8 * 86_400_000), // expired
    await issueToken(secret, "01JZZZZZZZZZZZZZZZZZZZZZZZ"), // a user that does not exist
    await sign({ sub: 12345, iat: now, exp: now + 3600 }, secret, "HS256"),
    await sign({ sub: "", iat: now, exp: now + 3600 }, secret, "HS256"),
    await sign({ sub: c.staff.id, iat: now + 86_400, exp: now + 90_000 }, secret, "HS256"), // from the future
    await sign({ sub: c.staff.id, iat: now, exp: now + 3600, nbf: now + 3000 }, secret, "HS256"),
    await sign({ sub: c.staff.id, iat: now, exp: now + 3600 }, secret, "HS512"),
    `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: c.staff.id, iat: now, exp: now + 3600 })}.`,
    `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: c.staff.id })}.${"A".repeat(43)}`,
  ];
  const header = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...rightful).map((t) => `Bearer ${t}`) },
    { weight: 8, arbitrary: fc.constantFrom(...valid).map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: fc.constantFrom(...forged).map((t) => `Bearer ${t}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          "Bearer",
          "Bearer ",
          "Basic dXNlcjpwYXNz",
          "bearer x",
          "Bearer a b",
          `Bearer ${valid[5]}x`,
          `bearer ${valid[5]}`,
          `Bearer  ${valid[5]}`,
          `${valid[5]}`,
          "Bearer ...",
          "Bearer ey",
          `Bearer ${"A".repeat(3_000)}`,
        ),
        fc.string({ unit: "binary-ascii", maxLength: 60 }).map((s) => `Bearer ${s}`),
        fc.string({ unit: "binary-ascii", maxLength: 60 }),
      ),
    },
  );
  return fc.option(header, { freq: 10 });
}

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/problem+json",
      "application/vnd.api+json",
      "application/jsonp",
      "application/json; charset=gbk",
      "text/plain",
      "text/csv",
      "text/html",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/octet-stream",
      "",
      ";;;",
      "json",
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }) },
);

/** A header value fetch will send: Latin-1, no line breaks or NUL. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff\t]/g, "");

const rawBodies = fc.oneof(
  fc.constantFrom(
    "{",
    '{"a":',
    "[1,2",
    "\ufeff{}",
    "{'a':1}",
    "{a:1}",
    "NaN",
    "undefined",
    '{"a":1,}',
    "null",
    "0",
    '"text"',
    "true",
    "[]",
    "1e400",
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
    "[".repeat(20_000) + "]".repeat(20_000),
    `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`,
    "a=1&b=2",
    '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--',
    "\u0000\u0001\u0002",
    " ".repeat(70_000),
    "x".repeat(70_000),
  ),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.json({ maxDepth: 3 }).map((j) => j.slice(0, Math.max(1, j.length - 1))),
);

const csvCell = fc.oneof(
  fc.constantFrom(
    "13912345678",
    "+8613912345678",
    "1391234567",
    "phone",
    "手机号",
    "姓名",
    "第一支部",
    "新支部",
    '"quoted, with comma"',
    '"unclosed',
    "=cmd|' /C calc'!A0",
    "",
    " ",
    "\u0000",
  ),
  oddString,
);
const csvBodies = fc.oneof(
  fc
    .tuple(fc.array(fc.array(csvCell, { minLength: 0, maxLength: 5 }), { minLength: 0, maxLength: 8 }), fc.constantFrom("\n", "\r\n", "\r"))
    .map(([rows, eol]) => rows.map((r) => r.join(",")).join(eol)),
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(
    Buffer.from("手机号,姓名,支部\r\n13912345670,新人,第一支部", "utf16le"),
    new Uint8Array([0xef, 0xbb, 0xbf, 0xff, 0xfe]),
    "x".repeat(2_100_000),
  ),
);

/** The arbitrary request for one route. */
function requestsFor(route: RouteInfo, tokenHeader: fc.Arbitrary<string | null>): fc.Arbitrary<FuzzRequest> {
  const samples = validBodies()[route.key] ?? [];
  const qValues = validQueryValues(route.key);
  const segment = (name: string) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...pathValues(route.template, name)).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom(...rawSegments) },
      {
        weight: 1,
        arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 70 }).map((x) => encodeURIComponent(x.toWellFormed())),
      },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
    );
  const path = fc
    .tuple(...route.pathParams.map((name) => segment(name)))
    .map((values) => route.template.replace(/\{(\w+)\}/g, () => values.shift() ?? ""));

  const queryValue = (name: string) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...(qValues[name] ?? ["x"])) },
      { weight: 2, arbitrary: oddQueryString },
      { weight: 1, arbitrary: oddNumber.map(String) },
    );
  const entry = (name: string) => fc.tuple(fc.constant(name), queryValue(name), fc.boolean());
  const query = fc
    .tuple(
      fc.tuple(...route.query.map((q) => fc.option(entry(q.name), { freq: q.required ? 8 : 2 }))),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([] as [string, string, boolean][]) },
        {
          weight: 1,
          arbitrary: fc.array(
            fc.tuple(
              fc.oneof(
                fc.constantFrom(...route.query.map((q) => q.name), "limit", "cursor", "__proto__", "a[b]", ""),
                fc.string({ maxLength: 8 }),
              ),
              oddQueryString,
              fc.boolean(),
            ),
            { minLength: 1, maxLength: 2 },
          ),
        },
      ),
      fc.option(fc.constantFrom("&", "&&=&", "%", "=x", "?", "&limit"), { freq: 8 }),
    )
    .map(([declared, extra, tail]) => {
      const enc = (x: string) => encodeURIComponent(x.toWellFormed());
      const parts = [...declared.filter((e) => e !== null), ...extra].map(([k, v, encode]) =>
        encode || !/^[\x21-\x7e]*$/.test(v) ? `${enc(k)}=${enc(v)}` : `${enc(k)}=${v.replace(/[#&]/g, "")}`,
      );
      // Within the 10 KB that API Gateway takes for a request line and headers: a longer one never reaches the app.
      let text = "";
      for (const part of parts) if (text.length + part.length < 6_000) text += (text ? "&" : "") + part;
      text += tail ?? "";
      return text ? `?${text}` : "";
    });

  type Body = { body?: string | Uint8Array; made: string };
  const bodyArbs: { weight: number; arbitrary: fc.Arbitrary<Body> }[] = [];
  if (route.method !== "GET") {
    if (samples.length) {
      const nearValid = fc
        .record({
          sample: fc.constantFrom(...samples),
          at: fc.nat(),
          op: fc.constantFrom("set", "set", "set", "delete", "extra") as fc.Arbitrary<"set" | "delete" | "extra">,
          value: mutant,
          extraKey: fc.constantFrom("__proto__", "constructor", "admin", "status", "id", "ownerId", "version", "x"),
        })
        .map(({ sample, at, op, value, extraKey }): Body => {
          const places = placesOf(sample);
          const place = places.length ? places[at % places.length] : [];
          return {
            body: toJsonText(mutate(sample, place, places.length ? op : "set", value, extraKey)),
            made: `near-valid: ${op} ${place.join(".") || "(body)"}`,
          };
        });
      bodyArbs.push({ weight: 8, arbitrary: nearValid });
      // valid bodies reach the domain's own rules (states, roles), where a refusal could come after a write
      bodyArbs.push({ weight: 5, arbitrary: fc.constantFrom(...samples).map((s): Body => ({ body: JSON.stringify(s), made: "valid" })) });
      bodyArbs.push({
        weight: 1,
        arbitrary: fc.constantFrom(...samples).map((s): Body => ({ body: JSON.stringify([s]), made: "valid in an array" })),
      });
    }
    if (route.key === "POST /api/communities/{id}/members/import") {
      bodyArbs.push({ weight: 8, arbitrary: csvBodies.map((b): Body => ({ body: b, made: "csv" })) });
    }
    bodyArbs.push({
      weight: 2,
      arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v): Body => ({ body: JSON.stringify(v), made: "random json" })),
    });
    bodyArbs.push({ weight: 2, arbitrary: rawBodies.map((b): Body => ({ body: b, made: "raw" })) });
    bodyArbs.push({ weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b): Body => ({ body: b, made: "bytes" })) });
    bodyArbs.push({ weight: 1, arbitrary: fc.constant<Body>({ made: "none" }) });
  } else {
    bodyArbs.push({ weight: 1, arbitrary: fc.constant<Body>({ made: "none" }) });
  }
  const body = fc.oneof(...bodyArbs);

  const headers = fc.record({
    authorization: tokenHeader,
    contentType: fc.option(route.key.endsWith("/members/import") ? fc.oneof(fc.constant("text/csv"), contentTypes) : contentTypes, {
      freq: 8,
    }),
    idempotencyKey:
      route.key === "POST /api/wishes"
        ? fc.option(fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 140 }), fc.constantFrom("draft-1", "k".repeat(129), "é")), {
            freq: 2,
          })
        : fc.constant(null),
    accept: fc.option(fc.constantFrom("text/html", "application/xml", "*/*", "application/problem+json"), { freq: 4 }),
  });

  return fc.record({ path, query, body, headers }).map(({ path, query, body, headers: h }): FuzzRequest => {
    const headers: Record<string, string> = {};
    if (h.authorization !== null) headers.authorization = headerSafe(h.authorization);
    if (body.body !== undefined && h.contentType !== null) headers["content-type"] = headerSafe(h.contentType);
    if (h.idempotencyKey !== null) headers["idempotency-key"] = headerSafe(h.idempotencyKey);
    if (h.accept !== null) headers.accept = h.accept;
    const request = { method: route.method, path, query, headers, body: body.body, made: body.made };
    return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
  });
}

// ---------------------------------------------------------------------------------------------
// The runs
// ---------------------------------------------------------------------------------------------

describe("the fuzzer's ground", () => {
  it("has a valid body for every route that takes one, and a value for every query parameter", () => {
    const bodies = validBodies();
    const needBody = routes.filter((r) => r.hasBody).map((r) => r.key);
    expect(
      needBody.filter((k) => !bodies[k]),
      "routes with a request body but no valid sample here",
    ).toEqual([]);
    const missing = routes.flatMap((r) => r.query.filter((q) => !validQueryValues(r.key)[q.name]).map((q) => `${r.key} ${q.name}`));
    expect(missing, "query parameters with no valid value here").toEqual([]);
  });

  it("fuzzes the routes the running API documents", async () => {
    const live = (await api.call("GET", "/api/openapi.json")).body;
    const liveKeys = Object.entries<Record<string, unknown>>(live.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.map((r) => r.key).sort()).toEqual(liveKeys.sort());
    expect(routes.length).toBeGreaterThan(40);
  });
});

/** The state each lifecycle step leaves, for fresh fixtures in long runs. */
const stateLeft: Record<string, Parameters<typeof wishIn>[2]> = {
  "POST /api/wishes/{id}/approve": "submitted",
  "POST /api/wishes/{id}/reject": "submitted",
  "POST /api/wishes/{id}/cancel": "submitted",
  "POST /api/wishes/{id}/dispatch": "open",
  "POST /api/wishes/{id}/claim": "open",
  "POST /api/wishes/{id}/release": "claimed",
  "POST /api/wishes/{id}/decline": "claimed",
  "POST /api/wishes/{id}/check-in": "claimed",
  "POST /api/wishes/{id}/check-out": "in_progress",
  "POST /api/wishes/{id}/complete": "in_progress",
  "POST /api/wishes/{id}/confirm": "completed",
  "POST /api/wishes/{id}/dispute": "completed",
  "POST /api/wishes/{id}/verify": "confirmed",
};

describe(`fuzzing each route (${runsPerRoute} runs each)`, () => {
  for (const [i, route] of routes.entries()) {
    it(
      route.key,
      async () => {
        // Long runs wear the fixtures out (a valid request moves a wish on): give the step a fresh wish in the state it leaves.
        const leaves = full ? stateLeft[route.key] : undefined;
        if (leaves)
          w[`fresh-${route.key}`] = await wishIn(
            api,
            c,
            leaves,
            leaves === "open" ? { members: [], slots: 2 } : { members: [c.members[0]] },
          );
        const state: { before?: Map<string, string> } = {};
        const seen = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(requestsFor(route, await tokens(route)), async (request) => {
            const res = await check(request, state);
            seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          }),
          { numRuns: runsPerRoute, seed: baseSeed + i, endOnFailure: !full },
        );
        if (full)
          console.log(
            `${route.key}: ${[...seen]
              .sort(([a], [b]) => a - b)
              .map(([s, n]) => `${s}×${n}`)
              .join(" ")}`,
          );
      },
      routeTimeout,
    );
  }

  it(
    "POST /api/communities/{id}/members/import: any file a staff member sends",
    async () => {
      // The roll import parses whatever a spreadsheet wrote: its own run, signed in as staff of the community.
      const state: { before?: Map<string, string> } = {};
      const arb = fc
        .record({
          body: csvBodies,
          contentType: fc.option(fc.constantFrom("text/csv", "text/csv; charset=gb18030", "text/plain", "application/octet-stream"), {
            freq: 6,
          }),
        })
        .map(({ body, contentType }): FuzzRequest => {
          const request: FuzzRequest = {
            method: "POST",
            path: `/api/communities/${c.id}/members/import`,
            query: "",
            headers: { authorization: `Bearer ${c.staff.token}`, ...(contentType ? { "content-type": contentType } : {}) },
            body,
            made: "csv",
          };
          return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
        });
      await fc.assert(
        fc.asyncProperty(arb, async (request) => {
          await check(request, state);
        }),
        { numRuns: runsPerRoute, seed: baseSeed - 2, endOnFailure: !full },
      );
    },
    routeTimeout,
  );

  it(
    "answers any other path with a 404 problem, a documented path with another method with a 405 and Allow, and writes nothing",
    async () => {
      const state: { before?: Map<string, string> } = {};
      const arb = fc
        .record({
          method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
          path: fc.oneof(
            fc.constantFrom(...routes.map((r) => r.template.replace(/\{\w+\}/g, "x"))).map((p) => `${p}/extra`),
            // a documented path with a method it does not take (the check below sees which)
            fc.constantFrom(...routes.map((r) => r.template.replace(/\{\w+\}/g, "x"))),
            fc
              .array(fc.oneof(fc.constantFrom(...rawSegments), fc.webSegment()), { minLength: 1, maxLength: 4 })
              .map((s) => `/api/${s.join("/")}`),
          ),
        })
        .map(({ method, path }): FuzzRequest => {
          const request = { method, path, query: "", headers: {}, body: method === "GET" ? undefined : "{}", made: "empty object" };
          return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
        });
      await fc.assert(
        fc.asyncProperty(arb, async (request) => {
          const res = await check(request, state);
          // A path the server cannot read (a backslash in it) is a 400 before any route is looked for.
          const unreadable = res.status === 400 && res.text.includes("request.malformed");
          // The document and its page are paths of the API too, outside the document.
          const paths = [...routes.map((r) => r.template), "/api/openapi.json", "/api/docs"];
          const known = paths.some((p) => new RegExp(`^${p.replace(/\{\w+\}/g, "[^/]+")}/?$`).test(request.path));
          const expected = known ? 405 : 404;
          if (!res.reached && res.status !== expected && !unreadable) {
            throw new Error(`${describeRequest(request)} → ${res.status}, not a ${expected}`);
          }
        }),
        { numRuns: runsPerRoute * 2, seed: baseSeed - 1, endOnFailure: !full },
      );
    },
    routeTimeout,
  );
});

// ---------------------------------------------------------------------------------------------
// What the fuzzer found, kept as plain cases
// ---------------------------------------------------------------------------------------------

describe("requests the Node server refused before the app saw them (found by fuzzing)", () => {
  const raw = (path: string, headers: Record<string, string> = {}): FuzzRequest => ({
    method: "GET",
    path,
    query: "",
    headers,
    made: "none",
  });
  const expectProblem = (res: { status: number; type: string; text: string }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status, code, type: `urn:microwish:problem:${code}` });
    expect(body.title).toEqual(expect.any(String));
    expect(body.detail).toEqual(expect.any(String));
  };

  it("a backslash in the path is a 400 problem document, not a bare 400", async () => {
    expectProblem(await send(raw(`/api/wishes/${w.open}\\approve`)), 400, "request.malformed");
    expectProblem(await send(raw("/api/a\\b", { authorization: `Bearer ${c.staff.token}` })), 400, "request.malformed");
  });

  it("a Host header that names no host is a 400 problem document", async () => {
    expectProblem(await send(raw("/api/health", { host: "exa mple..com:99999" })), 400, "request.malformed");
  });

  it("an address and headers past 16 KB are a 431 problem document, and the server still answers after", async () => {
    const before = await scanTable();
    expectProblem(
      await send(raw(`/api/wishes?communityId=${c.id}&cursor=${"x".repeat(20_000)}`, { authorization: `Bearer ${c.staff.token}` })),
      431,
      "request.head_too_large",
    );
    expectProblem(
      await send(raw("/api/me", { authorization: `Bearer ${c.staff.token}`, "x-padding": "p".repeat(17_000) })),
      431,
      "request.head_too_large",
    );
    expect((await send(raw("/api/health"))).status).toBe(200);
    expect(writesOf(before, await scanTable())).toEqual([]);
  });
});
