/**
 * The contract between the API and its clients: every answer a test receives through
 * `startApi().call` holds to the OpenAPI document (test/helpers/contract.ts checks each one, in
 * every API test file). Here: a walk that makes every documented route answer its success at
 * least once, so each 2xx schema meets a real body, and the check itself shown to refuse a status,
 * a media type or a shape the document does not declare.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobs } from "../../functions/core/jobs.js";
import { dayOf } from "../../functions/core/period.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { putItem } from "../../functions/store/client.js";
import * as users from "../../functions/store/entities/user.js";
import { tx } from "../../functions/store/expression.js";
import {
  community,
  newWish,
  person,
  somewhere,
  startApi,
  wishIn,
  type Api,
  type Person,
  type Response,
  type TestCommunity,
} from "../helpers/api.js";
import { check, operations, seen } from "../helpers/contract.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 1 });
});
afterAll(() => api.close());

const day = (d: number) => dayOf(new Date(Date.now() + d * 86_400_000));

/** A photo for an activity, uploaded to the local bucket through the presigned POST: its key. */
async function photoFor(who: Person) {
  const grant = await ok(
    api.call("POST", "/api/uploads", { as: who, body: { purpose: "activity", contentType: "image/jpeg", size: 4 } }),
    201,
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields as Record<string, string>)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: "image/jpeg" }), "photo");
  expect((await fetch(grant.url, { method: "POST", body: form })).status).toBe(204);
  return grant.key as string;
}

async function ok<T = any>(res: Promise<Response<T>>, status = 200): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

describe("every documented route, answering as documented", () => {
  it("answers each route's success with a body its schema accepts", async () => {
    const [m0, m1] = c.members;
    const resident = c.residents[0];
    const staff = c.staff;
    await ok(api.call("GET", "/api/health"));

    await ok(api.call("POST", "/api/auth/otp", { body: { phone: resident.phone } }), 202);
    const [sms] = await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(resident.phone)}`));
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(sms.text)![1];
    const session = await ok(api.call("POST", "/api/auth/token", { body: { phone: resident.phone, code } }));
    const next = await ok(api.call("POST", "/api/auth/refresh", { body: { refreshToken: session.refreshToken } }));
    await ok(api.call("POST", "/api/auth/sign-out", { body: { refreshToken: next.refreshToken } }));
    await ok(api.call("GET", "/api/dev/demo"));

    await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id), headers: { "idempotency-key": "contract-1" } }), 201);
    await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id), headers: { "idempotency-key": "contract-1" } }), 200);
    const id = await wishIn(api, c, "open", { members: [], slots: 2 });
    await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=open`, { as: m0 }));
    await ok(api.call("GET", "/api/wishes?mine=true", { as: resident }));
    await ok(api.call("POST", `/api/wishes/${id}/dispatch`, { as: staff, body: { memberIds: [m1.id] } }));
    await ok(api.call("POST", `/api/wishes/${id}/decline`, { as: m1, body: { reason: "有事" } }));
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m1 }));
    await ok(api.call("POST", `/api/wishes/${id}/release`, { as: m1, body: {} }));
    await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m0 }));
    await ok(api.call("GET", "/api/me/tasks", { as: m0 }));
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m0, body: somewhere }));
    await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m0, body: somewhere }));
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: m0, body: { note: "修好了" } }));
    await ok(api.call("POST", `/api/wishes/${id}/dispute`, { as: resident, body: { reason: "还在漏" } }));
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: m0, body: { note: "这次修好了" } }));
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: resident, body: { rating: 5 } }));
    await ok(
      api.call("POST", `/api/wishes/${id}/verify`, { as: staff, body: { minutes: { [m0.id]: 60 }, reason: "按约定时长", staffRating: 4 } }),
    );
    await ok(api.call("GET", `/api/wishes/${id}`, { as: resident }));
    const rejected = await wishIn(api, c, "submitted");
    await ok(api.call("POST", `/api/wishes/${rejected}/reject`, { as: staff, body: { reason: "不在服务范围" } }));
    const cancelled = await wishIn(api, c, "open");
    await ok(api.call("POST", `/api/wishes/${cancelled}/cancel`, { as: staff, body: { reason: "居民已自行解决" } }));
    const started = Date.now() - 2 * 60_000;
    const window = { from: new Date(started).toISOString(), to: new Date(started + 3_600_000).toISOString() };
    const stalled = (await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { window }) }), 201)).id;
    await ok(api.call("POST", `/api/wishes/${stalled}/approve`, { as: staff, body: { slots: 1, estimatedMinutes: 30 } }));
    await ok(api.call("POST", `/api/wishes/${stalled}/claim`, { as: m0 }));
    await ok(api.call("POST", `/api/wishes/${stalled}/extend`, { as: m0 }));
    await ok(api.call("POST", `/api/wishes/${stalled}/takeover`, { as: m1, body: {} }));
    await ok(api.call("POST", `/api/wishes/${stalled}/takeover/${m1.id}/approve`, { as: staff }));

    await ok(api.call("GET", "/api/me", { as: m0 }));
    await ok(api.call("PUT", "/api/me", { as: m0, body: { name: m0.name, address: "幸福里5号楼" } }));
    await ok(api.call("GET", `/api/wishes/${cancelled}/candidates?skill=${encodeURIComponent("水电维修")}`, { as: staff }));
    await ok(api.call("GET", `/api/communities/${c.id}`));
    const near = `communityId=${c.id}&category=repair&lat=${somewhere.lat}&lng=${somewhere.lng}`;
    await ok(api.call("GET", `/api/wishes/similar?${near}`, { as: resident }));
    const offer = { kind: "service", title: "上门理发", description: "为老人上门理发", category: "elderly", branchId: c.branches[0].id };
    const item = await ok(api.call("POST", `/api/communities/${c.id}/menu`, { as: staff, body: offer }), 201);
    await ok(api.call("PUT", `/api/communities/${c.id}/menu/${item.id}`, { as: staff, body: { ...offer, when: "每周六上午" } }));
    await ok(api.call("GET", `/api/communities/${c.id}/menu`, { as: resident }));
    await ok(api.call("POST", `/api/communities/${c.id}/menu/${item.id}/withdraw`, { as: staff }));
    const voice = await ok(api.call("POST", `/api/communities/${c.id}/voices`, { as: resident, body: { text: "楼道灯坏了" } }), 201);
    await ok(api.call("POST", `/api/voices/${voice.id}/answer`, { as: staff, body: { text: "明天修" } }));
    await ok(api.call("POST", `/api/voices/${voice.id}/wish`, { as: staff, body: { category: "repair" } }), 201);
    await ok(api.call("GET", `/api/communities/${c.id}/voices`));
    await ok(api.call("GET", `/api/communities/${c.id}/voices?status=new`, { as: staff }));
    await ok(api.call("GET", `/api/communities/${c.id}/members`, { as: staff }));
    await ok(api.call("GET", `/api/members/${m0.id}/hours`, { as: m0 }));
    await ok(api.call("GET", `/api/communities/${c.id}/settings`));
    await ok(api.call("POST", `/api/communities/${c.id}/settings`, { as: staff, body: { onTimeClaimHours: 12 } }));
    await ok(api.call("GET", `/api/communities/${c.id}/stats?period=all`));
    await ok(api.call("GET", `/api/communities/${c.id}/stats?period=all`, { as: staff }));
    await ok(api.call("GET", `/api/communities/${c.id}/rankings?period=${day(0).slice(0, 7)}&by=member`, { as: staff }));
    const certificate = await ok(
      api.call("POST", `/api/members/${m0.id}/certificates`, { as: m0, body: { from: day(-1), to: day(1) } }),
      201,
    );
    await ok(api.call("GET", `/api/members/${m0.id}/certificates`, { as: m0 }));
    await ok(api.call("GET", `/api/certificates/${certificate.number}`));
    await ok(api.call("GET", `/api/certificates/${certificate.number}/print`));
    await ok(api.call("GET", `/api/certificates/${certificate.number}/verify`));
    await ok(api.call("GET", "/api/certificates/MW-20260101-00000000/verify"), 404);
    await ok(api.call("GET", `/api/communities/${c.id}/ledger.csv?from=${day(-1)}&to=${day(1)}`, { as: staff }));
    await ok(api.call("GET", `/api/communities/${c.id}/members.csv`, { as: staff }));
    const roll = "phone,name,branch\n13912340001,新志愿者,第一支部\n";
    await ok(
      api.call("POST", `/api/communities/${c.id}/members/import`, { as: staff, raw: roll, headers: { "content-type": "text/csv" } }),
    );

    const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
    const activity = (from: number, to: number) => ({
      title: "周六环境清扫",
      description: "清扫小区公共区域。",
      address: "幸福里中心广场",
      location: { lat: somewhere.lat, lng: somewhere.lng },
      window: { from: inMinutes(from), to: inMinutes(to) },
      places: 5,
      teams: ["清扫组"],
    });
    const soon = await ok(api.call("POST", `/api/communities/${c.id}/activities`, { as: staff, body: activity(30, 90) }), 201);
    await ok(api.call("GET", `/api/communities/${c.id}/activities?status=open`, { as: m0 }));
    await ok(api.call("POST", `/api/activities/${soon.id}/signup`, { as: m0, body: { team: "清扫组" } }));
    await ok(api.call("POST", `/api/activities/${soon.id}/withdraw`, { as: m0 }));
    await ok(api.call("POST", `/api/activities/${soon.id}/signup`, { as: m0, body: {} }));
    await ok(api.call("GET", "/api/me/activities", { as: m0 }));
    const running = await ok(api.call("POST", `/api/communities/${c.id}/activities`, { as: staff, body: activity(-5, 20) }), 201);
    const poster = await ok(api.call("GET", `/api/activities/${running.id}/poster`, { as: staff }));
    const token = /check-in\?t=([\w-]+)/.exec(poster)![1];
    await ok(api.call("POST", `/api/activities/${running.id}/check-in`, { as: m1, body: { ...somewhere, token } }));
    await ok(api.call("POST", `/api/activities/${running.id}/check-out`, { as: m1, body: { ...somewhere, token, comment: "很有意义" } }));
    await ok(api.call("GET", `/api/activities/${running.id}`, { as: staff }));
    await ok(api.call("POST", `/api/activities/${running.id}/photos`, { as: staff, body: { photos: [await photoFor(staff)] } }));
    await runJobs(api.store, { now: new Date(Date.parse(running.window.to) + 60_000) });
    await ok(api.call("POST", `/api/activities/${running.id}/verify`, { as: staff, body: { minutes: { [m1.id]: 60 }, reason: "按安排" } }));
    await ok(api.call("POST", "/api/notices", { as: staff, body: { activityId: running.id, text: "感谢参加", sms: true } }), 202);
    const admin = await person(api.store, "平台管理员");
    await putItem(api.store, tx.put(users.toItem({ id: admin.id, phone: admin.phone, name: admin.name, lang: "zh-CN", admin: true })));
    const county = await ok(api.call("POST", "/api/units", { as: admin, body: { kind: "county", name: "凤县" } }), 201);
    await ok(api.call("POST", `/api/units/${county.id}/staff`, { as: admin, body: { phone: "13912340002", name: "县干部" } }), 201);
    await ok(api.call("GET", `/api/units/${county.id}`, { as: admin }));
    await ok(api.call("GET", `/api/units/${county.id}/audit`, { as: admin }));
    await ok(api.call("GET", `/api/units/${county.id}/stats?period=${day(0).slice(0, 7)}`, { as: admin }));
    await ok(api.call("GET", `/api/units/${county.id}/rankings?period=${day(0).slice(0, 7)}&by=community`, { as: admin }));
    const [joining, refused, invitedIn, invitedOut] = await Promise.all(
      ["报到人", "被拒人", "受邀人", "婉拒人"].map((n) => person(api.store, n)),
    );
    const registration = await ok(
      api.call("POST", `/api/communities/${c.id}/registrations`, { as: joining, body: { name: "报到人" } }),
      201,
    );
    await ok(api.call("GET", `/api/communities/${c.id}/registrations`, { as: staff }));
    await ok(api.call("POST", `/api/registrations/${registration.id}/approve`, { as: staff }));
    const turnedDown = await ok(api.call("POST", `/api/communities/${c.id}/registrations`, { as: refused, body: { name: "被拒人" } }), 201);
    await ok(api.call("POST", `/api/registrations/${turnedDown.id}/reject`, { as: staff, body: { reason: "不在本社区" } }));
    await ok(api.call("GET", "/api/me/registrations", { as: refused }));
    const invite = `${invitedIn.phone},受邀人,\n${invitedOut.phone},婉拒人,\n`;
    await ok(
      api.call("POST", `/api/communities/${c.id}/members/import`, { as: staff, raw: invite, headers: { "content-type": "text/csv" } }),
    );
    await ok(api.call("GET", "/api/me/invitations", { as: invitedIn }));
    await ok(api.call("POST", `/api/me/invitations/${c.id}/accept`, { as: invitedIn }));
    await ok(api.call("POST", `/api/me/invitations/${c.id}/decline`, { as: invitedOut }));

    const feed = streamFeed(api.store);
    await createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} })(await feed.next());
    feed.close();
    const inbox = await ok(api.call("GET", "/api/notifications", { as: m0 }));
    expect(inbox.items.length).toBeGreaterThan(0);
    await ok(api.call("POST", `/api/notifications/${inbox.items[0].id}/read`, { as: m0 }));
    await ok(api.call("POST", "/api/notifications/read-all", { as: m0 }));
    await ok(api.call("GET", "/api/me/preferences", { as: m0 }));
    await ok(api.call("POST", "/api/uploads", { as: resident, body: { purpose: "wish", contentType: "image/jpeg", size: 300_000 } }), 201);
    await ok(api.call("PUT", "/api/me/preferences", { as: m0, body: { lang: "en", sms: ["task-dispatched"], categories: ["repair"] } }));

    const succeeded = new Set(seen.filter((a) => a.route && a.status < 300).map((a) => a.route));
    const documented = operations.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(documented.filter((r) => !succeeded.has(r))).toEqual([]);
    expect(seen.filter((a) => a.violation)).toEqual([]);
  }, 120_000);

  it("documents every refusal the walk and the other API tests meet, each as a problem document", async () => {
    const refusals = [
      await api.call("GET", "/api/me"),
      await api.call("GET", "/api/wishes/no-such-wish", { as: c.residents[0] }),
      await api.call("POST", "/api/wishes", { as: c.residents[0], body: { ...newWish(c.id), title: "" } }),
      await api.call("POST", "/api/wishes", { as: c.residents[0], raw: "{", headers: { "content-type": "application/json" } }),
      await api.call("POST", "/api/wishes", { as: c.residents[0], raw: "title=x", headers: { "content-type": "text/plain" } }),
      await api.call("GET", `/api/communities/${c.id}/members`, { as: c.residents[0] }),
      await api.call("GET", "/api/wishes?limit=0", { as: c.residents[0] }),
      await api.call("GET", "/api/no/such/route"),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 404, 422, 400, 415, 403, 400, 404]);
    for (const r of refusals) expect(r.type).toMatch(/^application\/problem\+json/);
  });
});

describe("the check itself", () => {
  const problem = (status: number, code: string) => ({ type: `urn:microwish:problem:${code}`, title: "t", status, detail: "d", code });
  const aWish = () => ({
    id: "01J",
    communityId: "c",
    category: "repair",
    title: "t",
    description: "d",
    ownerId: "u",
    ownerName: "n",
    contactPhone: "138****0000",
    status: "open",
    version: 2,
    slots: 1,
    claimed: 0,
    createdAt: "2026-11-22T01:00:00.000Z",
    updatedAt: "2026-11-22T01:00:00.000Z",
    claims: [],
    timeline: [],
    photos: [],
    completionPhotos: [],
  });

  it("accepts a documented answer", () => {
    expect(
      check({ method: "GET", path: "/api/wishes/01J", status: 200, type: "application/json", body: aWish() }).violation,
    ).toBeUndefined();
    expect(
      check({ method: "GET", path: "/api/me", status: 401, type: "application/problem+json", body: problem(401, "auth.unauthenticated") })
        .violation,
    ).toBeUndefined();
  });

  it("refuses a status the route does not document", () => {
    expect(
      check({ method: "GET", path: "/api/me", status: 409, type: "application/problem+json", body: problem(409, "wish.full") }).violation,
    ).toMatch(/documents no 409/);
    expect(
      check({ method: "GET", path: "/api/health", status: 500, type: "application/problem+json", body: problem(500, "server.error") })
        .violation,
    ).toMatch(/documents no 500/);
  });

  it("refuses a body without a field the schema requires, or with one it does not list", () => {
    const { status, ...statusless } = aWish();
    expect(check({ method: "GET", path: "/api/wishes/01J", status: 200, type: "application/json", body: statusless }).violation).toMatch(
      /status/,
    );
    const leaky = { ...aWish(), pk: "W#01J" };
    expect(check({ method: "GET", path: "/api/wishes/01J", status: 200, type: "application/json", body: leaky }).violation).toMatch(/pk/);
  });

  it("refuses another media type than the documented one", () => {
    const path = "/api/communities/c/ledger.csv?from=2026-11-01&to=2026-11-30";
    expect(check({ method: "GET", path, status: 200, type: "application/json", body: {} }).violation).toMatch(/text\/csv/);
  });

  it("refuses an answer from a path no route documents, unless it is route.not_found", () => {
    expect(check({ method: "GET", path: "/api/secret", status: 200, type: "application/json", body: {} }).violation).toMatch(
      /no documented route/,
    );
    expect(
      check({ method: "GET", path: "/api/secret", status: 404, type: "application/problem+json", body: problem(404, "route.not_found") })
        .violation,
    ).toBeUndefined();
  });
});
