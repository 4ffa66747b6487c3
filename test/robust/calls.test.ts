/**
 * DynamoDB calls per route. Every route of the OpenAPI document (the local-only ones too) is
 * called once, in a representative successful case, while a middleware on the store's client
 * counts the commands it sends (and, for Query and Scan, the index they read). The counts are
 * compared with `calls.baseline.json`:
 *
 * - a route with more calls of any kind than its baseline, or a kind its baseline lacks, fails;
 * - a route that issues a Scan fails, whatever the baseline says;
 * - a route of the document without a baseline, or without a case below, fails;
 * - a route with fewer calls than its baseline passes, and the run prints a note asking to lower
 *   the baseline (so an improvement never blocks anyone, and is written down at the next update).
 *
 * The whole walk runs twice, on two fresh tables, and the two must agree: a count that depends on
 * timing or on something outside the state the walk builds fails as "not deterministic".
 * Counts that grow with the data (paged lists, the inbox, the import, the ledger export) are taken
 * on the fixed state built here: one community of three members and two residents, two
 * notifications in the reader's inbox, three rows imported, one ledger entry. The demo community
 * is not seeded: `GET /api/dev/demo` reads its registry item either way (one GetItem).
 *
 * Regenerate the baseline after a deliberate change:
 *
 *     UPDATE_CALLS=1 npx vitest run test/robust/calls.test.ts
 *
 * Counted at the SDK's initialize step, so one logical call counts once, whatever the SDK retries.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { dayOf, monthOf } from "../../functions/core/period.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { putItem } from "../../functions/store/client.js";
import * as users from "../../functions/store/entities/user.js";
import type { AnyCommand } from "../../functions/aws/dynamodb.js";
import { tx } from "../../functions/store/expression.js";
import { community, newPhone, newWish, person, somewhere, startApi, wishIn, type Api, type Response } from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

const baselineFile = fileURLToPath(new URL("./calls.baseline.json", import.meta.url));
const updating = process.env.UPDATE_CALLS === "1";

type Counts = Record<string, number>;

/** Counts the commands a store sends while a route is being measured. */
function recorder(api: Api) {
  let current: string | undefined;
  let inFlight = 0;
  const byRoute = new Map<string, Counts>();
  const stray: string[] = [];
  const send = api.store.doc.send.bind(api.store.doc);
  api.store.doc.send = (async (command: AnyCommand) => {
    const input = command.input as { TableName?: string; IndexName?: string };
    const name = command.operation;
    // Query and Scan name their index; the table's own key is "Query" alone.
    const kind = (name === "Query" || name === "Scan") && input.IndexName ? `${name} ${input.IndexName}` : name;
    if (current) {
      const counts = byRoute.get(current) ?? {};
      counts[kind] = (counts[kind] ?? 0) + 1;
      byRoute.set(current, counts);
      if (input.TableName && input.TableName !== api.store.table) stray.push(`${current}: ${kind} on ${input.TableName}`);
    }
    inFlight++;
    try {
      return await send(command);
    } finally {
      inFlight--;
    }
  }) as typeof api.store.doc.send;

  /** Runs one call as `route`, expects it to succeed, and waits until no command of it is still going. */
  async function measure(route: string, call: () => Promise<Response>): Promise<Response> {
    if (byRoute.has(route)) throw new Error(`${route} measured twice`);
    await settle();
    current = route;
    byRoute.set(route, {});
    try {
      const res = await call();
      if (res.status >= 300) throw new Error(`${route}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      await settle();
      return res;
    } finally {
      current = undefined;
    }
  }
  async function settle() {
    for (let i = 0; i < 200 && (inFlight > 0 || i < 2); i++) await new Promise((r) => setTimeout(r, 5));
    if (inFlight > 0) throw new Error(`${current}: DynamoDB calls still running 1 s after the answer`);
  }
  return { measure, byRoute, stray };
}

/**
 * The walk: each route of the API once, in the order a community's day would call them. Returns
 * the routes it measured with their counts, keyed as in the OpenAPI document (`GET /api/wishes/{id}`).
 */
async function walk(): Promise<{ counts: Map<string, Counts>; stray: string[]; routes: string[] }> {
  const api = await startApi();
  try {
    const doc = (await api.call("GET", "/api/openapi.json")).body;
    const routes = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const { measure, byRoute, stray } = recorder(api);
    const feed = streamFeed(api.store);
    const handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });

    const c = await community(api.store, { members: 3, residents: 2 });
    const [m0, m1, m2] = c.members;
    const [r0, r1] = c.residents;
    const staff = c.staff;
    // Fixtures made before anything is measured: one wish for each step that needs its own.
    const [wDispatch, wRelease, wReject, wCancel] = await Promise.all([
      wishIn(api, c, "open", { members: [], slots: 1 }),
      wishIn(api, c, "claimed", { members: [m2] }),
      wishIn(api, c, "submitted"),
      wishIn(api, c, "submitted", { owner: r1 }),
    ]);
    // A wish whose window started two minutes ago, claimed and not checked in: for extend and takeover.
    const started = Date.now() - 2 * 60_000;
    const window = { from: new Date(started).toISOString(), to: new Date(started + 3_600_000).toISOString() };
    const wStalled = (await api.call("POST", "/api/wishes", { as: r1, body: newWish(c.id, { window }) })).body.id as string;
    await api.call("POST", `/api/wishes/${wStalled}/approve`, { as: staff, body: { slots: 1, estimatedMinutes: 30 } });
    expect((await api.call("POST", `/api/wishes/${wStalled}/claim`, { as: m2 })).status).toBe(200);
    const today = dayOf(new Date());
    const dayAround = (d: number) => dayOf(new Date(Date.now() + d * 86_400_000));
    const month = monthOf(new Date());

    const go = (method: string, template: string, path: string, opts: Parameters<Api["call"]>[2] = {}) =>
      measure(`${method} ${template}`, () => api.call(method, path, opts));

    await go("GET", "/api/health", "/api/health");

    // Sign-in of a returning resident: a code, read from the local outbox, traded for a token.
    await go("POST", "/api/auth/otp", "/api/auth/otp", { body: { phone: r1.phone } });
    const outbox = await go("GET", "/api/dev/outbox", `/api/dev/outbox?to=${encodeURIComponent(r1.phone)}`);
    const code = /\d{6}/.exec(outbox.body[0].text)![0];
    const session = await go("POST", "/api/auth/token", "/api/auth/token", { body: { phone: r1.phone, code } });
    // A day later the app trades the refresh token for a new pair; on sign-out the session ends.
    const next = await go("POST", "/api/auth/refresh", "/api/auth/refresh", { body: { refreshToken: session.body.refreshToken } });
    await go("POST", "/api/auth/sign-out", "/api/auth/sign-out", { body: { refreshToken: next.body.refreshToken } });
    await go("GET", "/api/dev/demo", "/api/dev/demo");
    await go("GET", "/api/me", "/api/me", { as: r0 });
    await go("PUT", "/api/me", "/api/me", { as: r0, body: { name: r0.name, skills: ["水电维修"] } });
    // Before posting, the form asks what is already open nearby in the category.
    const near = `communityId=${c.id}&category=repair&lat=${somewhere.lat}&lng=${somewhere.lng}`;
    await go("GET", "/api/wishes/similar", `/api/wishes/similar?${near}`, { as: r0 });
    const said = await go("POST", "/api/communities/{id}/voices", `/api/communities/${c.id}/voices`, {
      as: r0,
      body: { text: "楼道灯坏了" },
    });
    await go("POST", "/api/voices/{id}/answer", `/api/voices/${said.body.id}/answer`, { as: staff, body: { text: "明天修" } });
    await go("POST", "/api/voices/{id}/wish", `/api/voices/${said.body.id}/wish`, { as: staff, body: { category: "repair" } });
    await go("GET", "/api/communities/{id}/voices", `/api/communities/${c.id}/voices`);
    const offer = { kind: "skill", title: "上门理发", description: "为老人上门理发", category: "elderly", branchId: c.branches[0].id };
    const item = await go("POST", "/api/communities/{id}/menu", `/api/communities/${c.id}/menu`, { as: staff, body: offer });
    await go("GET", "/api/communities/{id}/menu", `/api/communities/${c.id}/menu`, { as: r0 });
    await go("PUT", "/api/communities/{id}/menu/{itemId}", `/api/communities/${c.id}/menu/${item.body.id}`, {
      as: staff,
      body: { ...offer, when: "每周六上午" },
    });
    await go("POST", "/api/communities/{id}/menu/{itemId}/withdraw", `/api/communities/${c.id}/menu/${item.body.id}/withdraw`, {
      as: staff,
    });

    // One wish through its whole life, each step by whom it belongs to.
    const created = await go("POST", "/api/wishes", "/api/wishes", {
      as: r0,
      body: newWish(c.id),
      headers: { "idempotency-key": "draft-1" },
    });
    const w = created.body.id as string;
    await go("GET", "/api/wishes", `/api/wishes?communityId=${c.id}&status=submitted`, { as: staff });
    await go("GET", "/api/wishes/{id}", `/api/wishes/${w}`, { as: staff });
    await go("POST", "/api/wishes/{id}/approve", `/api/wishes/${w}/approve`, { as: staff, body: { slots: 1, estimatedMinutes: 60 } });
    await go("POST", "/api/wishes/{id}/claim", `/api/wishes/${w}/claim`, { as: m0 });
    await go("GET", "/api/me/tasks", "/api/me/tasks", { as: m0 });
    await go("POST", "/api/wishes/{id}/check-in", `/api/wishes/${w}/check-in`, { as: m0, body: somewhere });
    const handshake = (await api.call("GET", `/api/wishes/${w}`, { as: r0 })).body.handshakeCode as string;
    await go("POST", "/api/wishes/{id}/check-out", `/api/wishes/${w}/check-out`, { as: m0, body: { ...somewhere, code: handshake } });
    await go("POST", "/api/wishes/{id}/complete", `/api/wishes/${w}/complete`, { as: m0, body: { note: "修好了" } });
    await go("POST", "/api/wishes/{id}/dispute", `/api/wishes/${w}/dispute`, { as: r0, body: { reason: "还在滴水" } });
    expect((await api.call("POST", `/api/wishes/${w}/complete`, { as: m0, body: { note: "换了阀芯" } })).status).toBe(200);
    await go("POST", "/api/wishes/{id}/confirm", `/api/wishes/${w}/confirm`, { as: r0, body: { rating: 5, comment: "谢谢" } });
    // Staff's figure, so the entry does not depend on how many minutes the walk took.
    await go("POST", "/api/wishes/{id}/verify", `/api/wishes/${w}/verify`, {
      as: staff,
      body: { minutes: { [m0.id]: 60 }, reason: "按预估计", staffRating: 5 },
    });

    // The steps that need a wish of their own.
    await go("POST", "/api/wishes/{id}/dispatch", `/api/wishes/${wDispatch}/dispatch`, { as: staff, body: { memberIds: [m1.id] } });
    await go("POST", "/api/wishes/{id}/decline", `/api/wishes/${wDispatch}/decline`, { as: m1, body: { reason: "今天没空" } });
    await go("POST", "/api/wishes/{id}/release", `/api/wishes/${wRelease}/release`, { as: m2, body: { reason: "临时有事" } });
    await go("POST", "/api/wishes/{id}/reject", `/api/wishes/${wReject}/reject`, { as: staff, body: { reason: "不在服务范围" } });
    await go("POST", "/api/wishes/{id}/cancel", `/api/wishes/${wCancel}/cancel`, { as: r1, body: { reason: "不需要了" } });
    await go("GET", "/api/wishes/{id}/candidates", `/api/wishes/${wStalled}/candidates`, { as: staff });
    await go("POST", "/api/wishes/{id}/extend", `/api/wishes/${wStalled}/extend`, { as: m2 });
    await go("POST", "/api/wishes/{id}/takeover", `/api/wishes/${wStalled}/takeover`, { as: m1, body: {} });
    await go("POST", "/api/wishes/{id}/takeover/{memberId}/approve", `/api/wishes/${wStalled}/takeover/${m1.id}/approve`, { as: staff });

    // Hours and certificates.
    await go("GET", "/api/members/{id}/hours", `/api/members/${m0.id}/hours`, { as: m0 });
    const cert = await go("POST", "/api/members/{id}/certificates", `/api/members/${m0.id}/certificates`, {
      as: m0,
      body: { from: dayAround(-1), to: dayAround(1) },
    });
    const number = cert.body.number as string;
    await go("GET", "/api/members/{id}/certificates", `/api/members/${m0.id}/certificates`, { as: m0 });
    await go("GET", "/api/certificates/{number}", `/api/certificates/${number}`);
    await go("GET", "/api/certificates/{number}/print", `/api/certificates/${number}/print`);
    await go("GET", "/api/certificates/{number}/verify", `/api/certificates/${number}/verify`);

    // The community: its page, people, rules, figures and rolls.
    await go("GET", "/api/communities/{id}", `/api/communities/${c.id}`);
    await go("GET", "/api/communities/{id}/members", `/api/communities/${c.id}/members`, { as: staff });
    await go("GET", "/api/communities/{id}/settings", `/api/communities/${c.id}/settings`);
    await go("POST", "/api/communities/{id}/settings", `/api/communities/${c.id}/settings`, {
      as: staff,
      body: { fenceRadiusMeters: 400 },
    });
    await go("GET", "/api/communities/{id}/stats", `/api/communities/${c.id}/stats?period=${month}`, { as: staff });
    await go("GET", "/api/communities/{id}/rankings", `/api/communities/${c.id}/rankings?period=${month}&by=branch`, { as: staff });
    await go("GET", "/api/communities/{id}/ledger.csv", `/api/communities/${c.id}/ledger.csv?from=${dayAround(-1)}&to=${today}`, {
      as: staff,
    });
    await go("GET", "/api/communities/{id}/members.csv", `/api/communities/${c.id}/members.csv`, { as: staff });
    const roll = [
      "手机号,姓名,支部",
      `${newPhone()},新队员甲,第一支部`,
      `${newPhone()},新队员乙,第二支部`,
      `${m0.phone},${m0.name},第一支部`,
    ].join("\r\n");
    const imported = await go("POST", "/api/communities/{id}/members/import", `/api/communities/${c.id}/members/import`, {
      as: staff,
      raw: roll,
      headers: { "content-type": "text/csv" },
    });
    expect(imported.body).toMatchObject({ rows: 3, created: 2, refused: [] });

    // An activity: posted, signed up for and withdrawn from, and one under way attended with its poster's token.
    const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
    const activity = (from: number, to: number) => ({
      title: "周六环境清扫",
      description: "清扫小区公共区域。",
      address: "幸福里中心广场",
      location: { lat: somewhere.lat, lng: somewhere.lng },
      window: { from: inMinutes(from), to: inMinutes(to) },
      places: 5,
    });
    const soon = await go("POST", "/api/communities/{id}/activities", `/api/communities/${c.id}/activities`, {
      as: staff,
      body: activity(60, 120),
    });
    const a = soon.body.id as string;
    await go("GET", "/api/communities/{id}/activities", `/api/communities/${c.id}/activities?status=open`, { as: m0 });
    await go("POST", "/api/activities/{id}/signup", `/api/activities/${a}/signup`, { as: m0, body: {} });
    await go("POST", "/api/activities/{id}/withdraw", `/api/activities/${a}/withdraw`, { as: m0 });
    expect((await api.call("POST", `/api/activities/${a}/signup`, { as: m0, body: {} })).status).toBe(200);
    await go("GET", "/api/me/activities", "/api/me/activities", { as: m0 });
    await go("GET", "/api/activities/{id}", `/api/activities/${a}`, { as: staff });
    const grant = (await api.call("POST", "/api/uploads", { as: staff, body: { purpose: "activity", contentType: "image/jpeg", size: 4 } }))
      .body;
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields as Record<string, string>)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: "image/jpeg" }), "photo");
    expect((await fetch(grant.url, { method: "POST", body: form })).status).toBe(204);
    await go("POST", "/api/activities/{id}/photos", `/api/activities/${a}/photos`, { as: staff, body: { photos: [grant.key] } });
    const running = (await api.call("POST", `/api/communities/${c.id}/activities`, { as: staff, body: activity(-5, 20) })).body.id;
    const poster = await go("GET", "/api/activities/{id}/poster", `/api/activities/${running}/poster`, { as: staff });
    const token = /check-in\?t=([\w-]+)/.exec(poster.body)![1];
    await go("POST", "/api/activities/{id}/check-in", `/api/activities/${running}/check-in`, { as: m1, body: { ...somewhere, token } });
    await go("POST", "/api/activities/{id}/check-out", `/api/activities/${running}/check-out`, {
      as: m1,
      body: { ...somewhere, token, comment: "很有意义" },
    });
    // The tree: a county, its staff, its page and audit trail; a registration decided each way; an invitation answered each way.
    const admin = await person(api.store, "平台管理员");
    await putItem(api.store, tx.put(users.toItem({ id: admin.id, phone: admin.phone, name: admin.name, lang: "zh-CN", admin: true })));
    const county = await go("POST", "/api/units", "/api/units", { as: admin, body: { kind: "county", name: "凤县" } });
    const countyId = county.body.id as string;
    await go("POST", "/api/units/{id}/staff", `/api/units/${countyId}/staff`, { as: admin, body: { phone: newPhone(), name: "县干部" } });
    await go("GET", "/api/units/{id}", `/api/units/${countyId}`, { as: admin });
    await go("GET", "/api/units/{id}/audit", `/api/units/${countyId}/audit`, { as: admin });
    await go("GET", "/api/units/{id}/stats", `/api/units/${countyId}/stats?period=2026`, { as: admin });
    await go("GET", "/api/units/{id}/rankings", `/api/units/${countyId}/rankings?period=2026&by=community`, { as: admin });
    const [joining, refused, invitedIn, invitedOut] = [
      await person(api.store, "报到人"),
      await person(api.store, "被拒人"),
      await person(api.store, "受邀人"),
      await person(api.store, "婉拒人"),
    ];
    const reg = await go("POST", "/api/communities/{id}/registrations", `/api/communities/${c.id}/registrations`, {
      as: joining,
      body: { name: "报到人" },
    });
    await go("GET", "/api/communities/{id}/registrations", `/api/communities/${c.id}/registrations`, { as: staff });
    await go("POST", "/api/registrations/{id}/approve", `/api/registrations/${reg.body.id}/approve`, { as: staff });
    const other = await api.call("POST", `/api/communities/${c.id}/registrations`, { as: refused, body: { name: "被拒人" } });
    await go("POST", "/api/registrations/{id}/reject", `/api/registrations/${other.body.id}/reject`, {
      as: staff,
      body: { reason: "不在本社区" },
    });
    await go("GET", "/api/me/registrations", "/api/me/registrations", { as: refused });
    const invite = `${invitedIn.phone},受邀人,\n${invitedOut.phone},婉拒人,\n`;
    await api.call("POST", `/api/communities/${c.id}/members/import`, { as: staff, raw: invite, headers: { "content-type": "text/csv" } });
    await go("GET", "/api/me/invitations", "/api/me/invitations", { as: invitedIn });
    await go("POST", "/api/me/invitations/{id}/accept", `/api/me/invitations/${c.id}/accept`, { as: invitedIn });
    await go("POST", "/api/me/invitations/{id}/decline", `/api/me/invitations/${c.id}/decline`, { as: invitedOut });

    await runJobs(api.store, { now: new Date(Date.parse(inMinutes(21))) });
    await go("POST", "/api/activities/{id}/verify", `/api/activities/${running}/verify`, {
      as: staff,
      body: { minutes: { [m1.id]: 60 }, reason: "按安排" },
    });
    await go("POST", "/api/notices", "/api/notices", { as: staff, body: { activityId: running, text: "感谢参加", sms: true } });

    // The inbox, filled by the stream handler from the walk's own events: m0 hears of the dispute and the close.
    await handle(await feed.next());
    feed.close();
    const inbox = await go("GET", "/api/notifications", "/api/notifications", { as: m0 });
    expect(inbox.body.items.length).toBeGreaterThanOrEqual(2);
    await go("POST", "/api/notifications/{id}/read", `/api/notifications/${inbox.body.items[0].id}/read`, { as: m0 });
    await go("POST", "/api/notifications/read-all", "/api/notifications/read-all", { as: m0 });
    await go("GET", "/api/me/preferences", "/api/me/preferences", { as: m0 });
    await go("POST", "/api/uploads", "/api/uploads", { as: r0, body: { purpose: "wish", contentType: "image/jpeg", size: 300_000 } });
    await go("PUT", "/api/me/preferences", "/api/me/preferences", {
      as: m0,
      body: { lang: "en", sms: ["task-dispatched"], categories: ["repair"] },
    });

    return { counts: byRoute, stray, routes };
  } finally {
    await api.close();
  }
}

const sorted = (o: Counts) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const show = (o: Counts | undefined) =>
  o
    ? Object.entries(o)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none"
    : "no baseline";

let first: Awaited<ReturnType<typeof walk>>;
let second: Awaited<ReturnType<typeof walk>>;
let baseline: Record<string, Counts> = {};

beforeAll(async () => {
  [first, second] = [await walk(), await walk()];
  if (updating) {
    // Written before the checks, which then hold it against the walk that made it: Scans still fail.
    const out: Record<string, Counts> = {};
    for (const route of [...first.routes].sort()) out[route] = sorted(first.counts.get(route) ?? {});
    writeFileSync(baselineFile, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`calls baseline written to ${baselineFile} (${Object.keys(out).length} routes)`);
  }
  try {
    baseline = JSON.parse(readFileSync(baselineFile, "utf8"));
  } catch {
    baseline = {};
  }
}, 120_000);

describe("DynamoDB calls per route", () => {
  it("walks every route of the OpenAPI document, and only those", () => {
    expect(first.routes.length).toBeGreaterThan(40);
    const missing = first.routes.filter((r) => !first.counts.has(r));
    expect(missing, "routes of the document with no case in the walk: add one").toEqual([]);
    const unknown = [...first.counts.keys()].filter((r) => !first.routes.includes(r));
    expect(unknown, "cases for routes the document does not have").toEqual([]);
    expect(first.stray, "calls to a table other than the app's").toEqual([]);
  });

  it("counts the same calls on two walks over fresh tables", () => {
    const differ = first.routes.filter(
      (r) => JSON.stringify(sorted(first.counts.get(r)!)) !== JSON.stringify(sorted(second.counts.get(r)!)),
    );
    expect(
      differ.map((r) => `${r}: ${show(first.counts.get(r))} then ${show(second.counts.get(r))}`),
      "routes whose calls are not deterministic",
    ).toEqual([]);
  });

  it("never scans", () => {
    const scans = first.routes.filter((r) => Object.keys(first.counts.get(r)!).some((k) => k.startsWith("Scan")));
    expect(scans.map((r) => `${r}: ${show(first.counts.get(r))}`)).toEqual([]);
  });

  it("makes no more calls than its baseline on any route", () => {
    const worse: string[] = [];
    const better: string[] = [];
    for (const route of first.routes) {
      const got = first.counts.get(route)!;
      const base = baseline[route];
      if (!base) {
        worse.push(`${route}: ${show(got)} — no baseline`);
        continue;
      }
      const over = Object.entries(got).filter(([kind, n]) => n > (base[kind] ?? 0));
      if (over.length) worse.push(`${route}: ${show(got)} — baseline ${show(base)}`);
      else if (Object.entries(base).some(([kind, n]) => (got[kind] ?? 0) < n))
        better.push(`${route}: ${show(got)} — baseline ${show(base)}`);
    }
    const stale = Object.keys(baseline).filter((r) => !first.routes.includes(r));
    if (better.length || stale.length) {
      console.log(
        [
          "Fewer DynamoDB calls than the baseline: lower it with UPDATE_CALLS=1 npx vitest run test/robust/calls.test.ts",
          ...better,
          ...stale.map((r) => `${r}: in the baseline, no longer in the document`),
        ].join("\n  "),
      );
    }
    expect(
      worse,
      "routes with more DynamoDB calls than test/robust/calls.baseline.json (regenerate it with UPDATE_CALLS=1 when the change is meant)",
    ).toEqual([]);
  });
});
