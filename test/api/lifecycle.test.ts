/**
 * The wish lifecycle as people live it, through real HTTP: sign-in by phone and code, the
 * happy path to closed hours, reading lists and details by role, the Lambda entry without
 * the local helpers, and the OpenAPI document that describes the contract.
 */
import { UpdateCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories } from "../../functions/core/model.js";
import { community, newWish, person, somewhere, startApi, wishIn, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** The audit trail reduced to what a reviewer reads: what happened, from which state to which, by whom, with what note. */
function steps(timeline: any[]) {
  return timeline.map((e) => ({ kind: e.kind, from: e.from, to: e.to, actorId: e.actorId, note: e.note }));
}

function expectTimelineWellFormed(timeline: any[]) {
  for (const e of timeline) {
    expect(typeof e.actorName, `actorName of ${e.kind}`).toBe("string");
    expect(Number.isNaN(Date.parse(e.at)), `at of ${e.kind}`).toBe(false);
  }
  const times = timeline.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

/** What a member without a claim may see of a phone number: 138****5678. */
function masked(phone: string) {
  const local = phone.replace(/^\+86/, "");
  return `${local.slice(0, 3)}****${local.slice(-4)}`;
}

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

describe("the happy path, as people do it", () => {
  let c: TestCommunity;
  beforeAll(async () => {
    c = await community(api.store, { members: 2, residents: 0 });
  });

  it("a new resident signs in with a texted code, posts a wish, and it goes all the way to credited hours", async () => {
    const phone = "13912345678";
    const sent = await api.call("POST", "/api/auth/otp", { body: { phone } });
    expect(sent.status).toBe(202);

    const outbox = await api.call("GET", `/api/dev/outbox?to=${phone}`);
    expect(outbox.status).toBe(200);
    expect(outbox.body.length).toBeGreaterThan(0);
    const newest = outbox.body[0];
    expect(newest).toMatchObject({ to: "+8613912345678", channel: "sms" });
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(newest.text)?.[1];
    expect(code, newest.text).toBeDefined();

    const signedIn = await ok(api.call("POST", "/api/auth/token", { body: { phone, code } }));
    expect(typeof signedIn.token).toBe("string");
    const me = await ok(api.call("GET", "/api/me", { as: signedIn.token }));
    expect(me).toMatchObject({ id: signedIn.user.id, phone: "+8613912345678", communities: [] });
    const resident: Person = { id: me.id, name: me.name, phone: me.phone, token: signedIn.token };

    // A flaky network makes phones resend: the same key and body must not post the wish twice.
    const body = newWish(c.id, { title: "帮忙修理晾衣架" });
    const first = await api.call("POST", "/api/wishes", { as: resident, body, headers: { "idempotency-key": "post-1" } });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe("submitted");
    const id = first.body.id as string;
    const again = await api.call("POST", "/api/wishes", { as: resident, body, headers: { "idempotency-key": "post-1" } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    const reused = await api.call("POST", "/api/wishes", {
      as: resident,
      body: { ...body, title: "另一件事" },
      headers: { "idempotency-key": "post-1" },
    });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe("request.idempotency_mismatch");
    const mine = await ok(api.call("GET", "/api/wishes?mine=true", { as: resident }));
    expect(mine.items.map((w: any) => w.id)).toEqual([id]);

    const [m1, m2] = c.members;
    const approved = await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 2, estimatedMinutes: 90 } }));
    expect(approved).toMatchObject({ status: "open", slots: 2, estimatedMinutes: 90 });

    const one = await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m1 }));
    expect(one).toMatchObject({ status: "open", claimed: 1 });
    const two = await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m2 }));
    expect(two).toMatchObject({ status: "claimed", claimed: 2 });

    const started = await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m1, body: somewhere }));
    expect(started.status).toBe("in_progress");
    await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m2, body: somewhere }));
    const code4 = (await ok(api.call("GET", `/api/wishes/${id}`, { as: resident }))).handshakeCode;
    await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m1, body: { ...somewhere, code: code4 } }));
    await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m2, body: somewhere }));
    const done = await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: m1, body: { note: "换了新的晾衣绳" } }));
    expect(done).toMatchObject({ status: "completed", completionNote: "换了新的晾衣绳" });
    const confirmed = await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: resident, body: { rating: 5 } }));
    expect(confirmed).toMatchObject({ status: "confirmed", rating: 5 });
    const closed = await ok(
      api.call("POST", `/api/wishes/${id}/verify`, {
        as: c.staff,
        body: { minutes: { [m1.id]: 80, [m2.id]: 65 }, reason: "按居民反馈核定" },
      }),
    );
    expect(closed.status).toBe("closed");

    for (const [m, minutes] of [
      [m1, 80],
      [m2, 65],
    ] as const) {
      const hours = await ok(api.call("GET", `/api/members/${m.id}/hours`, { as: m }));
      expect(hours.totalMinutes).toBe(minutes);
      expect(hours.entries).toHaveLength(1);
      expect(hours.entries[0]).toMatchObject({ wishId: id, memberId: m.id, minutes, verifierId: c.staff.id, communityId: c.id });
    }
    // The resident's code at check-out is the signature that the work was done.
    const claims = Object.fromEntries(closed.claims.map((cl: any) => [cl.memberId, cl]));
    expect(claims[m1.id].checkOut.signedByResident).toBe(true);
    expect(claims[m2.id].checkOut.signedByResident).toBe(false);

    expect(steps(closed.timeline)).toEqual([
      { kind: "submit", from: null, to: "submitted", actorId: resident.id, note: undefined },
      { kind: "approve", from: "submitted", to: "open", actorId: c.staff.id, note: undefined },
      { kind: "claim", from: "open", to: "open", actorId: m1.id, note: undefined },
      { kind: "claim", from: "open", to: "claimed", actorId: m2.id, note: undefined },
      { kind: "check-in", from: "claimed", to: "in_progress", actorId: m1.id, note: undefined },
      { kind: "check-in", from: "in_progress", to: "in_progress", actorId: m2.id, note: undefined },
      { kind: "check-out", from: "in_progress", to: "in_progress", actorId: m1.id, note: undefined },
      { kind: "check-out", from: "in_progress", to: "in_progress", actorId: m2.id, note: undefined },
      { kind: "complete", from: "in_progress", to: "completed", actorId: m1.id, note: "换了新的晾衣绳" },
      { kind: "confirm", from: "completed", to: "confirmed", actorId: resident.id, note: undefined },
      { kind: "verify", from: "confirmed", to: "closed", actorId: c.staff.id, note: "按居民反馈核定" },
    ]);
    expectTimelineWellFormed(closed.timeline);
    expect(closed.timeline.at(-1).data.credits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ memberId: m1.id, minutes: 80 }),
        expect.objectContaining({ memberId: m2.id, minutes: 65 }),
      ]),
    );
  });
});

describe("hours when staff give no figure", () => {
  let c: TestCommunity;
  beforeAll(async () => {
    c = await community(api.store, { members: 4, residents: 1 });
  });

  /**
   * Check-in and check-out seconds apart measure 0 minutes, so the test moves the claim's
   * check-in back in the table itself (api.store.doc), to a known distance before its check-out.
   */
  async function backdateCheckIn(id: string, memberId: string, msBeforeCheckOut: number) {
    const wish = await ok(api.call("GET", `/api/wishes/${id}`, { as: c.staff }));
    const claim = wish.claims.find((cl: any) => cl.memberId === memberId);
    const at = new Date(Date.parse(claim.checkOut.at) - msBeforeCheckOut).toISOString();
    await api.store.doc.send(
      new UpdateCommand({
        TableName: api.store.table,
        Key: { pk: `W#${id}`, sk: `CL#${memberId}` },
        UpdateExpression: "SET checkIn.#at = :at",
        ExpressionAttributeNames: { "#at": "at" },
        ExpressionAttributeValues: { ":at": at },
      }),
    );
    return at;
  }

  /** Two claim, both check in, only the first checks out; the first completes and the resident confirms. */
  async function confirmedWithOneCheckOut(a: Person, b: Person) {
    const id = await wishIn(api, c, "open", { members: [a, b] });
    for (const m of [a, b]) await ok(api.call("POST", `/api/wishes/${id}/claim`, { as: m }));
    for (const m of [a, b]) await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: a, body: somewhere }));
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: a, body: { note: "做完了" } }));
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 4 } }));
    return id;
  }

  it("credits the measured minutes, floored to the minute, and nothing to a member who never checked out", async () => {
    const [a, b] = c.members;
    const id = await confirmedWithOneCheckOut(a, b);
    const checkInAt = await backdateCheckIn(id, a.id, 95 * 60_000 + 59_000);

    const closed = await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: {} }));
    expect(closed.status).toBe("closed");

    const ha = await ok(api.call("GET", `/api/members/${a.id}/hours`, { as: c.staff }));
    expect(ha.totalMinutes).toBe(95);
    expect(ha.entries).toHaveLength(1);
    expect(ha.entries[0]).toMatchObject({ wishId: id, minutes: 95, measuredMinutes: 95, start: checkInAt });
    const hb = await ok(api.call("GET", `/api/members/${b.id}/hours`, { as: b }));
    expect(hb).toMatchObject({ totalMinutes: 0, entries: [] });

    const verify = closed.timeline.at(-1);
    expect(verify).toMatchObject({ kind: "verify", from: "confirmed", to: "closed", actorId: c.staff.id });
    expect(verify.data.credits).toEqual(
      expect.arrayContaining([
        { memberId: a.id, minutes: 95, measuredMinutes: 95 },
        { memberId: b.id, minutes: 0, measuredMinutes: null },
      ]),
    );
  });

  it("credits a member without a check-out when staff give a figure, and the others their measured time", async () => {
    const [, , a, b] = c.members;
    const id = await confirmedWithOneCheckOut(a, b);
    await backdateCheckIn(id, a.id, 30 * 60_000);

    const missingReason = await api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [b.id]: 45 } } });
    expect(missingReason.status).toBe(422);
    expect(missingReason.body.errors).toHaveProperty("reason");

    const closed = await ok(
      api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [b.id]: 45 }, reason: "忘记签退，按现场记录补录" } }),
    );
    expect(closed.timeline.at(-1).note).toBe("忘记签退，按现场记录补录");
    const ha = await ok(api.call("GET", `/api/members/${a.id}/hours`, { as: a }));
    expect(ha.totalMinutes).toBe(30);
    expect(ha.entries.map((e: any) => e.minutes)).toEqual([30]);
    const hb = await ok(api.call("GET", `/api/members/${b.id}/hours`, { as: b }));
    expect(hb.totalMinutes).toBe(45);
    expect(hb.entries).toHaveLength(1);
    expect(hb.entries[0]).toMatchObject({ wishId: id, minutes: 45 });
    expect(hb.entries[0].end).toBeUndefined();
  });
});

describe("reading wishes", () => {
  let c: TestCommunity;
  let other: TestCommunity;
  let ownA: string[]; // resident A's wishes, oldest first: open, open, submitted
  let ofB: string; // resident B's, claimed by member 0
  beforeAll(async () => {
    c = await community(api.store, { members: 2, residents: 2 });
    other = await community(api.store, { members: 1, residents: 0, name: "别的社区" });
    const [a, b] = c.residents;
    ownA = [
      await wishIn(api, c, "open", { owner: a }),
      await wishIn(api, c, "open", { owner: a }),
      await wishIn(api, c, "submitted", { owner: a }),
    ];
    ofB = await wishIn(api, c, "claimed", { owner: b, members: [c.members[0]] });
  });

  it("a resident's own list has their wishes only, newest first", async () => {
    const mine = await ok(api.call("GET", "/api/wishes?mine=true", { as: c.residents[0] }));
    expect(mine.items.map((w: any) => w.id)).toEqual([...ownA].reverse());
    expect(mine.items.map((w: any) => w.status)).toEqual(["submitted", "open", "open"]);
    const theirs = await ok(api.call("GET", "/api/wishes?mine=true", { as: c.residents[1] }));
    expect(theirs.items.map((w: any) => w.id)).toEqual([ofB]);
  });

  it("a member lists the community's open wishes, phones masked and no handshake code, but not those under review", async () => {
    const m = c.members[1];
    const open = await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=open`, { as: m }));
    expect(open.items.map((w: any) => w.id).sort()).toEqual([ownA[0], ownA[1]].sort());
    for (const w of open.items) {
      expect(w.status).toBe("open");
      expect(w.contactPhone).toBe(masked(c.residents[0].phone));
      expect(w).not.toHaveProperty("handshakeCode");
    }
    for (const q of ["&status=submitted", "&status=rejected", ""]) {
      const refused = await api.call("GET", `/api/wishes?communityId=${c.id}${q}`, { as: m });
      expect(refused.status, q).toBe(403);
      expect(refused.body.code).toBe("wish.forbidden");
    }
    const stranger = await api.call("GET", `/api/wishes?communityId=${c.id}&status=open`, { as: other.members[0] });
    expect(stranger.status).toBe(403);
  });

  it("staff list everything in the community, newest first, and page through it with a cursor", async () => {
    const all = await ok(api.call("GET", `/api/wishes?communityId=${c.id}`, { as: c.staff }));
    const expected = [ofB, ...[...ownA].reverse()];
    expect(all.items.map((w: any) => w.id)).toEqual(expected);
    expect(all.items.find((w: any) => w.id === ownA[2]).status).toBe("submitted");

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ok(
        api.call("GET", `/api/wishes?communityId=${c.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { as: c.staff }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((w: any) => w.id));
      cursor = page.cursor;
      pages += 1;
      if (pages === 1) expect(typeof cursor).toBe("string");
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);

    const garbage = await api.call("GET", `/api/wishes?communityId=${c.id}&cursor=this-is-not-a-cursor`, { as: c.staff });
    expect(garbage.status).toBe(400);
    expect(garbage.body.code).toBe("request.bad_cursor");
  });

  it("a cursor that decodes but was never handed out is a 400, not a server error", async () => {
    const forged = Buffer.from(JSON.stringify({ pk: "W#nothing", sk: "W" })).toString("base64url");
    const res = await api.call("GET", `/api/wishes?communityId=${c.id}&cursor=${forged}`, { as: c.staff });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("request.bad_cursor");
  });

  it("a member's tasks are their active claims with the wishes, and the claimant sees the resident's phone", async () => {
    const tasks = await ok(api.call("GET", "/api/me/tasks", { as: c.members[0] }));
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0].claim).toMatchObject({ wishId: ofB, memberId: c.members[0].id });
    expect(tasks.items[0].wish).toMatchObject({ id: ofB, status: "claimed", contactPhone: c.residents[1].phone });
    const none = await ok(api.call("GET", "/api/me/tasks", { as: c.members[1] }));
    expect(none.items).toEqual([]);
  });

  it("the handshake code is for the owner and staff; the full phone for owner, staff and claimant", async () => {
    const [a, b] = c.residents;
    const [claimant, bystander] = c.members;
    const asOwner = await ok(api.call("GET", `/api/wishes/${ofB}`, { as: b }));
    expect(asOwner.handshakeCode).toMatch(/^\d{4}$/);
    expect(asOwner.contactPhone).toBe(b.phone);
    const asStaff = await ok(api.call("GET", `/api/wishes/${ofB}`, { as: c.staff }));
    expect(asStaff.handshakeCode).toBe(asOwner.handshakeCode);
    expect(asStaff.contactPhone).toBe(b.phone);
    const asClaimant = await ok(api.call("GET", `/api/wishes/${ofB}`, { as: claimant }));
    expect(asClaimant).not.toHaveProperty("handshakeCode");
    expect(asClaimant.contactPhone).toBe(b.phone);
    const asBystander = await ok(api.call("GET", `/api/wishes/${ofB}`, { as: bystander }));
    expect(asBystander).not.toHaveProperty("handshakeCode");
    expect(asBystander.contactPhone).toBe(masked(b.phone));
    expect(JSON.stringify(asBystander)).not.toContain(b.phone.replace(/^\+86/, ""));
    // Another resident is told the wish does not exist.
    const nosy = await api.call("GET", `/api/wishes/${ofB}`, { as: a });
    expect(nosy.status).toBe(404);
  });

  it("a community's page has its name, fence radius, branches and the categories in both languages", async () => {
    const res = await ok(api.call("GET", `/api/communities/${c.id}`));
    expect(res.name).toBe("测试社区");
    expect(res.settings.fenceRadiusMeters).toBe(300);
    expect(res.branches.map((b: any) => b.name).sort()).toEqual(["第一支部", "第二支部"].sort());
    expect(res.branches.map((b: any) => b.id).sort()).toEqual(c.branches.map((b) => b.id).sort());
    expect(res.categories.map((x: any) => x.code)).toEqual(categories.map((x) => x.code));
    for (const cat of res.categories) {
      expect(cat.name["zh-CN"], cat.code).toMatch(/\p{Script=Han}/u);
      expect(cat.name.en, cat.code).toMatch(/^[A-Z][A-Za-z ,]+$/);
    }
    const unknown = await api.call("GET", "/api/communities/no-such-community");
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("community.not_found");
  });
});

describe("the Lambda entry", () => {
  let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
  beforeAll(async () => {
    // functions/api.ts reads its settings at import: they must be set before the dynamic import.
    process.env.TABLE_NAME = "lambda-entry-test";
    process.env.JWT_SECRET = "lambda-entry-test-secret";
    ({ handler } = (await import("../../functions/api.js")) as any);
  });

  function event(method: string, rawPath: string, rawQueryString = "") {
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath,
      rawQueryString,
      headers: {},
      requestContext: {
        accountId: "123456789012",
        apiId: "api",
        domainName: "api.example.test",
        domainPrefix: "api",
        http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "vitest" },
        requestId: "req-1",
        routeKey: "$default",
        stage: "$default",
        time: "01/Jan/2026:00:00:00 +0000",
        timeEpoch: 1767225600000,
      },
      isBase64Encoded: false,
    };
  }

  it("answers health, so the 404s below are about the routes", async () => {
    const res = await handler(event("GET", "/api/health"), {});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
  });

  it("has no dev outbox and no demo tokens", async () => {
    for (const [path, query] of [
      ["/api/dev/outbox", "to=13800138000"],
      ["/api/dev/demo", ""],
    ]) {
      const res = await handler(event("GET", path, query), {});
      expect(res.statusCode, path).toBe(404);
      expect(JSON.parse(res.body).code).toBe("route.not_found");
    }
  });

  it("leaves the document to its own function, which serves it without the dev routes, while the local app's has them", async () => {
    const res = await handler(event("GET", "/api/openapi.json"), {});
    expect(res.statusCode, "API Gateway sends /api/openapi.json to the document's function").toBe(404);
    const { deployedOpenApiJson } = await import("../../functions/app/index.js");
    const lambdaPaths = Object.keys(JSON.parse(deployedOpenApiJson()).paths);
    expect(lambdaPaths).toContain("/api/wishes");
    expect(lambdaPaths.filter((p) => p.startsWith("/api/dev"))).toEqual([]);
    const local = await ok(api.call("GET", "/api/openapi.json"));
    expect(Object.keys(local.paths)).toEqual(expect.arrayContaining(["/api/dev/outbox", "/api/dev/demo"]));
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and has every route of the contract", async () => {
    const doc = await ok(api.call("GET", "/api/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    const contract: [string, string][] = [
      ["get", "/api/health"],
      ["post", "/api/auth/otp"],
      ["post", "/api/auth/token"],
      ["get", "/api/me"],
      ["get", "/api/communities/{id}"],
      ["post", "/api/wishes"],
      ["get", "/api/wishes"],
      ["get", "/api/wishes/{id}"],
      ...[
        "approve",
        "reject",
        "dispatch",
        "claim",
        "release",
        "check-in",
        "check-out",
        "complete",
        "confirm",
        "dispute",
        "verify",
        "cancel",
      ].map((t) => ["post", `/api/wishes/{id}/${t}`] as [string, string]),
      ["get", "/api/members/{id}/hours"],
    ];
    const missing = contract.filter(([method, path]) => !doc.paths[path]?.[method]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
  });

  it("describes the new-wish body with the schema that validates it", async () => {
    const doc = await ok(api.call("GET", "/api/openapi.json"));
    const schema = doc.paths["/api/wishes"].post.requestBody.content["application/json"].schema;
    expect([...schema.required].sort()).toEqual(["category", "communityId", "description", "title"]);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["address", "location", "window"]));

    const c = await community(api.store, { members: 0, residents: 1 });
    const { title, ...untitled } = newWish(c.id);
    const res = await api.call("POST", "/api/wishes", { as: c.residents[0], body: untitled });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("request.invalid_body");
    expect(res.body.errors).toHaveProperty("title");
    expect(Object.keys(res.body.errors)).toEqual(["title"]);
  });

  it("has a readable page", async () => {
    const res = await api.call("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.type).toContain("text/html");
    expect(res.body).toContain("/api/openapi.json");
  });
});

describe("sign-in refusals along the way", () => {
  it("a wrong code does not sign in", async () => {
    const p = await person(api.store, "居民");
    await api.call("POST", "/api/auth/otp", { body: { phone: p.phone } });
    const [msg] = (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(p.phone)}`))) as any[];
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(msg.text)![1];
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const res = await api.call("POST", "/api/auth/token", { body: { phone: p.phone, code: wrong } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("auth.wrong_code");
  });
});
