/**
 * A resident's phone number reaches only those entitled to it, on every route of the API.
 *
 * The rule (DESIGN.md section 2, README "A resident's phone number is masked"): a resident's full
 * number may be shown to the resident themself, to staff of a community the resident's wish is
 * in, and to a volunteer while holding an active claim on that resident's wish and the work is
 * still to do (the wish open, claimed or in progress; only where that wish is shown). Once the
 * volunteer marks it done, or it is cancelled, expired or closed, or the claim is given back,
 * the volunteer sees the masked form again. Everyone else (anonymous callers, other residents, members without a claim,
 * staff of other communities) gets at most the masked form (136****1234).
 *
 * The routes come from /api/openapi.json; each is driven as every role (anonymous, another
 * resident, a member with no claim, the member holding the claim, staff of another community,
 * staff of the wish's community, the resident), successes and refusals alike, and every answer
 * (body and headers) is searched for every resident's number in the forms people write it. Who
 * holds a claim is read from the table after each request, not from the answer. The dev routes
 * (outbox, demo) exist only under npm start and are left out; SMS texts are not answers.
 */
import { GetCommand, QueryCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expire } from "../../functions/core/wish.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import {
  community,
  newWish,
  somewhere,
  startApi,
  wishIn,
  type Api,
  type Person,
  type Response,
  type TestCommunity,
} from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let a: TestCommunity;
let b: TestCommunity;
type Role = { name: string; who?: Person };
let roles: Role[];
const wishes = new Map<string, { owner: Person; communityId: string }>();
const driven = new Set<string>();
const findings: string[] = [];
/** Numbers seen where they are allowed: shows that the search does find them. */
const sightings = new Set<string>();
let checked = 0;

/** Every way a number is written: +8613612345678, 8613612345678, 13612345678, 136 1234 5678, 136-1234-5678. */
const formsOf = (phone: string) => {
  const local = phone.replace(/^\+86/, "");
  return [
    phone,
    phone.slice(1),
    local,
    `${local.slice(0, 3)} ${local.slice(3, 7)} ${local.slice(7)}`,
    `${local.slice(0, 3)}-${local.slice(3, 7)}-${local.slice(7)}`,
  ];
};

const residents = () => [...a.residents, ...b.residents];

async function claimants(wishId: string): Promise<Set<string>> {
  const res = await api.store.doc.send(
    new QueryCommand({
      TableName: api.store.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :cl)",
      ExpressionAttributeValues: { ":pk": `W#${wishId}`, ":cl": "CL#" },
      ConsistentRead: true,
    }),
  );
  return new Set((res.Items ?? []).map((i) => i.sk.slice(3)));
}

/** Whether the wish's work is still to do, read from the table: only then may its claimants call the resident. */
async function inWork(wishId: string): Promise<boolean> {
  const key = { pk: `W#${wishId}`, sk: "W" };
  const res = await api.store.doc.send(new GetCommand({ TableName: api.store.table, Key: key, ConsistentRead: true }));
  return ["open", "claimed", "in_progress"].includes(res.Item?.status);
}

/** Whose numbers this role may see anywhere: their own; staff, their community's residents. */
function entitledEverywhere(role: Role): Set<string> {
  const out = new Set<string>();
  if (!role.who) return out;
  out.add(role.who.phone);
  if (role.who === a.staff) for (const r of a.residents) out.add(r.phone);
  if (role.who === b.staff) for (const r of b.residents) out.add(r.phone);
  return out;
}

/** Where a wish is shown, its owner's number is also for the staff of its community and, while the work is to do, its claimants. */
async function entitledOnWish(role: Role, wishId: string): Promise<Set<string>> {
  const out = entitledEverywhere(role);
  const wish = wishes.get(wishId);
  if (!wish || !role.who) return out;
  const staffOf = wish.communityId === a.id ? a.staff : b.staff;
  if (role.who === staffOf || role.who === wish.owner) out.add(wish.owner.phone);
  else if ((await claimants(wishId)).has(role.who.id) && (await inWork(wishId))) out.add(wish.owner.phone);
  return out;
}

/** Searches a value for numbers the role may not see: a wish's subtree by the wish's rule, the rest by the role's own. */
async function scan(role: Role, value: unknown, where: string, allowed: Set<string>): Promise<void> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) await scan(role, v, `${where}[${i}]`, allowed);
    return;
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const wishId =
      typeof obj.id === "string" && wishes.has(obj.id)
        ? obj.id
        : typeof obj.wishId === "string" && wishes.has(obj.wishId)
          ? obj.wishId
          : undefined;
    const here = wishId ? new Set([...allowed, ...(await entitledOnWish(role, wishId))]) : allowed;
    for (const [k, v] of Object.entries(obj)) await scan(role, v, `${where}.${k}`, here);
    return;
  }
  if (typeof value !== "string" && typeof value !== "number") return;
  const text = String(value);
  for (const r of residents()) {
    const seen = formsOf(r.phone).find((form) => text.includes(form));
    if (!seen) continue;
    if (allowed.has(r.phone)) sightings.add(`${role.name} ← ${r === a.residents[0] ? "the resident" : "another"}`);
    else findings.push(`${role.name}: ${where} shows ${r.name}'s number (${seen})`);
  }
}

/** One request as one role, recorded against its route template, and its answer searched. */
async function drive(
  role: Role,
  method: string,
  template: string,
  path: string,
  opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  driven.add(`${method.toUpperCase()} ${template}`);
  const res: Response = await api.call(method, path, { as: role.who, ...opts });
  expect(res.status, `${role.name} ${method} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
  const wishId = /\/api\/wishes\/([^/?]+)/.exec(path)?.[1];
  const allowed = wishId && wishes.has(wishId) ? await entitledOnWish(role, wishId) : entitledEverywhere(role);
  let body: unknown = res.body;
  if (typeof body === "string" && res.type.includes("json")) body = JSON.parse(body);
  await scan(role, body, `${method} ${path} body`, allowed);
  const headers: Record<string, string> = {};
  for (const [k, v] of res.headers) headers[k] = v;
  await scan(role, headers, `${method} ${path} headers`, entitledEverywhere(role));
  checked++;
  return res;
}

async function track(owner: Person, c: TestCommunity, status: Parameters<typeof wishIn>[2], opts: Parameters<typeof wishIn>[3] = {}) {
  const id = await wishIn(api, c, status, { owner, ...opts });
  wishes.set(id, { owner, communityId: c.id });
  return id;
}

beforeAll(async () => {
  api = await startApi();
  a = await community(api.store, { members: 2, residents: 2, name: "甲社区" });
  b = await community(api.store, { members: 1, residents: 2, name: "乙社区" });
  roles = [
    { name: "anonymous" },
    { name: "another resident", who: a.residents[1] },
    { name: "staff of another community", who: b.staff },
    { name: "member without a claim", who: a.members[1] },
    { name: "member holding the claim", who: a.members[0] },
    { name: "staff of the community", who: a.staff },
    { name: "the resident", who: a.residents[0] },
  ];
}, 60_000);
afterAll(() => api?.close());

describe("a resident's number, across every route and role", () => {
  it("drives every lifecycle step as every role, and no answer shows a number to someone not entitled", async () => {
    const owner = a.residents[0];
    const claimant = a.members[0];
    const prepare: Record<string, () => Promise<string>> = {
      approve: () => track(owner, a, "submitted"),
      reject: () => track(owner, a, "submitted"),
      cancel: () => track(owner, a, "claimed", { members: [claimant] }),
      dispatch: () => track(owner, a, "open"),
      claim: () => track(owner, a, "open"),
      release: () => track(owner, a, "claimed", { members: [claimant] }),
      decline: async () => {
        const id = await track(owner, a, "open");
        const res = await api.call("POST", `/api/wishes/${id}/dispatch`, { as: a.staff, body: { memberIds: [claimant.id] } });
        expect(res.status).toBe(200);
        return id;
      },
      "check-in": () => track(owner, a, "claimed", { members: [claimant] }),
      "check-out": () => track(owner, a, "in_progress", { members: [claimant] }),
      complete: async () => {
        const id = await track(owner, a, "in_progress", { members: [claimant] });
        expect((await api.call("POST", `/api/wishes/${id}/check-out`, { as: claimant, body: somewhere })).status).toBe(200);
        return id;
      },
      confirm: () => track(owner, a, "completed", { members: [claimant] }),
      dispute: () => track(owner, a, "completed", { members: [claimant] }),
      verify: () => track(owner, a, "confirmed", { members: [claimant] }),
    };
    const bodies: Record<string, unknown> = {
      approve: { slots: 2, estimatedMinutes: 60 },
      reject: { reason: "不在服务范围" },
      cancel: { reason: "不需要了" },
      dispatch: { memberIds: [a.members[1].id] },
      release: {},
      decline: {},
      "check-in": somewhere,
      "check-out": somewhere,
      complete: { note: "好了" },
      confirm: { rating: 5, comment: "谢谢" },
      dispute: { reason: "没修好" },
      // Staff's figure: the steps above take no time, and no minutes means no ledger entry (nor certificate).
      verify: { minutes: { [claimant.id]: 45 }, reason: "核实时长" },
    };
    for (const [step, make] of Object.entries(prepare)) {
      const id = await make();
      for (const role of roles) await drive(role, "POST", `/api/wishes/{id}/${step}`, `/api/wishes/${id}/${step}`, { body: bodies[step] });
      // After the step, the wish as each role now sees it.
      for (const role of roles) await drive(role, "GET", "/api/wishes/{id}", `/api/wishes/${id}`);
    }
    // Wishes in every state for the lists, one of them the other resident's, one in the other community.
    for (const status of [
      "submitted",
      "open",
      "claimed",
      "in_progress",
      "completed",
      "confirmed",
      "closed",
      "rejected",
      "cancelled",
    ] as const) {
      await track(owner, a, status, { members: [claimant] });
    }
    // After the work, the claim kept as a record: cancelled by staff in progress, expired with a place taken.
    const stopped = await track(owner, a, "in_progress", { members: [claimant] });
    const cancelled = await api.call("POST", `/api/wishes/${stopped}/cancel`, { as: a.staff, body: { reason: "居民已搬走" } });
    expect(cancelled.status).toBe(200);
    const lapsing = await track(owner, a, "submitted");
    const deadline = new Date(Date.now() + 3600_000).toISOString();
    const terms = { slots: 2, estimatedMinutes: 60, deadline };
    const approved = await api.call("POST", `/api/wishes/${lapsing}/approve`, { as: a.staff, body: terms });
    expect(approved.status).toBe(200);
    expect((await api.call("POST", `/api/wishes/${lapsing}/claim`, { as: claimant })).status).toBe(200);
    await expire(api.store, lapsing, new Date(Date.parse(deadline) + 60_000));
    // A dispute sends the work back: the number is the volunteer's again.
    const disputed = await track(owner, a, "completed", { members: [claimant] });
    expect((await api.call("POST", `/api/wishes/${disputed}/dispute`, { as: owner, body: { reason: "还在漏水" } })).status).toBe(200);
    await track(a.residents[1], a, "claimed", { members: [a.members[1]] });
    await track(b.residents[0], b, "claimed", { members: [b.members[0]] });
    for (const role of roles) {
      await drive(role, "POST", "/api/wishes", "/api/wishes", { body: newWish(a.id), headers: { "idempotency-key": `k-${role.name}` } });
    }
    expect(findings).toEqual([]);
  }, 300_000);

  it("reads every other route as every role, notifications included, and no answer shows a number to someone not entitled", async () => {
    // The notifications the stream handler writes for everything above.
    const feed = streamFeed(api.store);
    await createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} })(await feed.next());
    feed.close();

    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const cert = await api.call("POST", `/api/members/${a.members[0].id}/certificates`, {
      as: a.members[0],
      body: { from: "2020-01-01", to: today, communityId: a.id },
    });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    const number = cert.body.number as string;

    const people = [a.members[0], a.members[1], a.residents[0], a.residents[1], b.residents[0], a.staff];
    const statuses = [
      "submitted",
      "open",
      "claimed",
      "in_progress",
      "completed",
      "confirmed",
      "closed",
      "rejected",
      "cancelled",
      "expired",
    ];
    const gets: [string, string][] = [
      ["/api/health", "/api/health"],
      ["/api/openapi.json", "/api/openapi.json"],
      ["/api/docs", "/api/docs"],
      ["/api/me", "/api/me"],
      ["/api/me/tasks", "/api/me/tasks"],
      ["/api/me/preferences", "/api/me/preferences"],
      ["/api/notifications", "/api/notifications"],
      ["/api/wishes", "/api/wishes?mine=true"],
      ...[a.id, b.id].flatMap((cid) =>
        statuses.map((s): [string, string] => ["/api/wishes", `/api/wishes?communityId=${cid}&status=${s}`]),
      ),
      ...[...wishes.keys()].map((id): [string, string] => ["/api/wishes/{id}", `/api/wishes/${id}`]),
      ...[a.id, b.id].flatMap((cid): [string, string][] => [
        ["/api/communities/{id}", `/api/communities/${cid}`],
        ["/api/communities/{id}/settings", `/api/communities/${cid}/settings`],
        ["/api/communities/{id}/stats", `/api/communities/${cid}/stats?period=${month}`],
        ["/api/communities/{id}/stats", `/api/communities/${cid}/stats?period=all`],
        ["/api/communities/{id}/rankings", `/api/communities/${cid}/rankings?period=${month}&by=member`],
        ["/api/communities/{id}/rankings", `/api/communities/${cid}/rankings?period=${month}&by=branch`],
        ["/api/communities/{id}/members", `/api/communities/${cid}/members`],
        ["/api/communities/{id}/ledger.csv", `/api/communities/${cid}/ledger.csv?from=2020-01-01&to=${today}`],
        ["/api/communities/{id}/members.csv", `/api/communities/${cid}/members.csv`],
        ["/api/units/{id}", `/api/units/${cid}`],
        ["/api/units/{id}/audit", `/api/units/${cid}/audit`],
        ["/api/units/{id}/stats", `/api/units/${cid}/stats?period=${month}`],
        ["/api/units/{id}/rankings", `/api/units/${cid}/rankings?period=${month}&by=member`],
        ["/api/communities/{id}/registrations", `/api/communities/${cid}/registrations`],
      ]),
      ["/api/me/invitations", "/api/me/invitations"],
      ["/api/me/registrations", "/api/me/registrations"],
      ...people.flatMap((p): [string, string][] => [
        ["/api/members/{id}/hours", `/api/members/${p.id}/hours`],
        ["/api/members/{id}/certificates", `/api/members/${p.id}/certificates`],
      ]),
      ["/api/certificates/{number}", `/api/certificates/${number}`],
      ["/api/certificates/{number}/print", `/api/certificates/${number}/print`],
      ["/api/certificates/{number}/verify", `/api/certificates/${number}/verify`],
    ];
    // An activity of community A, and a claimed wish of A for the claim's own routes.
    const inADay = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
    const newActivity = () => ({
      title: "周六环境清扫",
      description: "清扫小区公共区域。",
      address: "幸福里小区中心广场",
      location: { lat: somewhere.lat, lng: somewhere.lng },
      window: { from: inADay(24), to: inADay(26) },
      places: 20,
    });
    const posted = await api.call("POST", `/api/communities/${a.id}/activities`, { as: a.staff, body: newActivity() });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const activityId = posted.body.id as string;
    const held = await track(a.residents[0], a, "claimed", { members: [a.members[0]] });
    gets.push(
      ["/api/wishes/{id}/candidates", `/api/wishes/${held}/candidates`],
      ["/api/communities/{id}/activities", `/api/communities/${a.id}/activities`],
      ["/api/me/activities", "/api/me/activities"],
      ["/api/activities/{id}", `/api/activities/${activityId}`],
      ["/api/activities/{id}/poster", `/api/activities/${activityId}/poster`],
      ["/api/communities/{id}/voices", `/api/communities/${a.id}/voices`],
      ["/api/communities/{id}/menu", `/api/communities/${a.id}/menu`],
      ["/api/wishes/similar", `/api/wishes/similar?communityId=${a.id}&category=repair&lat=${somewhere.lat}&lng=${somewhere.lng}`],
    );
    for (const role of roles) for (const [template, path] of gets) await drive(role, "GET", template, path);

    // The remaining writes, as every role.
    for (const role of roles) {
      const notes = role.who ? await api.call("GET", "/api/notifications", { as: role.who }) : undefined;
      const noteId = notes?.body.items?.[0]?.id ?? "01NOSUCHNOTIFICATION000000";
      await drive(role, "POST", "/api/notifications/{id}/read", `/api/notifications/${noteId}/read`);
      await drive(role, "POST", "/api/notifications/read-all", "/api/notifications/read-all");
      await drive(role, "PUT", "/api/me/preferences", "/api/me/preferences", { body: { lang: "zh-CN" } });
      await drive(role, "POST", "/api/communities/{id}/settings", `/api/communities/${a.id}/settings`, {
        body: { fenceRadiusMeters: 300 },
      });
      await drive(role, "POST", "/api/members/{id}/certificates", `/api/members/${a.members[0].id}/certificates`, {
        body: { from: "2020-01-01", to: today, communityId: a.id },
      });
      await drive(role, "POST", "/api/communities/{id}/members/import", `/api/communities/${a.id}/members/import`, {
        raw: "phone,name,branch\n13912345678,新志愿者,第一支部\n",
        headers: { "content-type": "text/csv" },
      });
      await drive(role, "POST", "/api/units", "/api/units", { body: { kind: "street", name: "街道", parentId: a.id } });
      await drive(role, "POST", "/api/units/{id}/staff", `/api/units/${a.id}/staff`, { body: { phone: "13912345679", name: "社区干部" } });
      const reg = await drive(role, "POST", "/api/communities/{id}/registrations", `/api/communities/${a.id}/registrations`, {
        body: { name: "报到人" },
      });
      const regId = reg?.body?.id ?? "01NOSUCHREGISTRATION000000";
      await drive(role, "POST", "/api/registrations/{id}/reject", `/api/registrations/${regId}/reject`, { body: { reason: "不在本社区" } });
      await drive(role, "POST", "/api/registrations/{id}/approve", `/api/registrations/${regId}/approve`);
      await drive(role, "POST", "/api/me/invitations/{id}/accept", `/api/me/invitations/${a.id}/accept`);
      await drive(role, "POST", "/api/me/invitations/{id}/decline", `/api/me/invitations/${a.id}/decline`);
      await drive(role, "PUT", "/api/me", "/api/me", { body: { name: role.who?.name ?? "某人" } });
      await drive(role, "POST", "/api/wishes/{id}/extend", `/api/wishes/${held}/extend`);
      await drive(role, "POST", "/api/wishes/{id}/takeover", `/api/wishes/${held}/takeover`, { body: {} });
      await drive(role, "POST", "/api/wishes/{id}/takeover/{memberId}/approve", `/api/wishes/${held}/takeover/${a.members[1].id}/approve`);
      await drive(role, "POST", "/api/communities/{id}/activities", `/api/communities/${a.id}/activities`, { body: newActivity() });
      await drive(role, "POST", "/api/activities/{id}/signup", `/api/activities/${activityId}/signup`, { body: {} });
      const at = { ...somewhere, token: "not-the-posters-token" };
      await drive(role, "POST", "/api/activities/{id}/check-in", `/api/activities/${activityId}/check-in`, { body: at });
      await drive(role, "POST", "/api/activities/{id}/check-out", `/api/activities/${activityId}/check-out`, { body: at });
      await drive(role, "POST", "/api/activities/{id}/withdraw", `/api/activities/${activityId}/withdraw`);
      await drive(role, "POST", "/api/activities/{id}/photos", `/api/activities/${activityId}/photos`, { body: { photos: ["x"] } });
      await drive(role, "POST", "/api/activities/{id}/verify", `/api/activities/${activityId}/verify`, { body: {} });
      await drive(role, "POST", "/api/notices", "/api/notices", { body: { activityId, text: "明早八点集合。" } });
      await drive(role, "POST", "/api/uploads", "/api/uploads", { body: { purpose: "wish", contentType: "image/jpeg", size: 1000 } });
      const voice = await drive(role, "POST", "/api/communities/{id}/voices", `/api/communities/${a.id}/voices`, {
        body: { text: "小区东门的路灯坏了。" },
      });
      const voiceId = voice?.body?.id ?? "01NOSUCHVOICE0000000000000";
      await drive(role, "POST", "/api/voices/{id}/answer", `/api/voices/${voiceId}/answer`, { body: { text: "已报修，本周修好。" } });
      await drive(role, "POST", "/api/voices/{id}/wish", `/api/voices/${voiceId}/wish`, { body: { category: "repair" } });
      const offer = { kind: "service", title: "上门理发", description: "为老人上门理发", category: "elderly", branchId: a.branches[0].id };
      const offered = await drive(role, "POST", "/api/communities/{id}/menu", `/api/communities/${a.id}/menu`, { body: offer });
      const itemId = offered?.body?.id ?? "01NOSUCHMENUITEM0000000000";
      const itemPath = `/api/communities/${a.id}/menu/${itemId}`;
      await drive(role, "POST", "/api/wishes", "/api/wishes", { body: newWish(a.id, { category: "elderly", menuItemId: itemId }) });
      await drive(role, "PUT", "/api/communities/{id}/menu/{itemId}", itemPath, { body: { ...offer, when: "每周六上午" } });
      await drive(role, "POST", "/api/communities/{id}/menu/{itemId}/withdraw", `${itemPath}/withdraw`);
      // Signing in answers with the person's own number only.
      await drive(role, "POST", "/api/auth/otp", "/api/auth/otp", { body: { phone: role.who?.phone ?? "+8613600000000" } });
      // The code the person was sent, so that the refresh token below is a live one.
      const phone = role.who?.phone ?? "+8613600000000";
      const outbox = (await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body as { text: string }[];
      const code = /(?<!\d)(\d{6})(?!\d)/.exec(outbox[0]?.text ?? "")?.[1] ?? "000000";
      const signedIn = await drive(role, "POST", "/api/auth/token", "/api/auth/token", { body: { phone, code } });
      // A refresh token the caller holds: one from this sign-in when it worked, else one of the right shape.
      const refreshToken = signedIn?.body?.refreshToken ?? `${"A".repeat(22)}.${"B".repeat(43)}`;
      await drive(role, "POST", "/api/auth/refresh", "/api/auth/refresh", { body: { refreshToken } });
      await drive(role, "POST", "/api/auth/sign-out", "/api/auth/sign-out", { body: { refreshToken } });
    }
    expect(findings).toEqual([]);
  }, 300_000);

  it("covered every route the API documents, except the local-only dev routes", async () => {
    const doc = (await api.call("GET", "/api/openapi.json")).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((r) => !r.includes("/api/dev/"));
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((r) => !driven.has(r))).toEqual([]);
    expect(checked).toBeGreaterThan(700);
  });

  it("the entitled did see the numbers (so the rule was exercised both ways)", () => {
    expect([...sightings].sort()).toEqual(
      expect.arrayContaining([
        "member holding the claim ← the resident",
        "staff of the community ← the resident",
        "staff of the community ← another",
        "the resident ← the resident",
        "another resident ← another",
      ]),
    );
    // (The member "without a claim" takes one along the way, by claim and by dispatch, and then may see the number there.)
    expect([...sightings].filter((s) => s.startsWith("anonymous"))).toEqual([]);
  });

  it("the search itself finds each written form in a body or a header, and masked forms pass", async () => {
    const before = findings.length;
    const local = a.residents[0].phone.slice(3);
    const forms = formsOf(a.residents[0].phone);
    for (const form of forms) await scan(roles[0], { deep: [{ note: `call ${form} please` }] }, "probe", new Set());
    await scan(roles[0], { contactPhone: `${local.slice(0, 3)}****${local.slice(-4)}` }, "probe", new Set());
    expect(findings.splice(before)).toHaveLength(forms.length);
  });

  it("the search would have found a number: the resident's own answers show it, and staff's on their community's wishes", async () => {
    const owner = a.residents[0];
    const id = [...wishes.entries()].find(([, w]) => w.owner === owner)![0];
    for (const who of [owner, a.staff]) {
      const res = await api.call("GET", `/api/wishes/${id}`, { as: who });
      expect(JSON.stringify(res.body)).toContain(owner.phone);
    }
    const masked = await api.call("GET", `/api/wishes/${id}`, { as: a.members[1] });
    const local = owner.phone.slice(3);
    expect(JSON.stringify(masked.body)).toContain(`${local.slice(0, 3)}****${local.slice(-4)}`);
  });
});
