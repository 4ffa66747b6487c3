/**
 * Bad input on every route that takes any, through real HTTP: wrong types, missing fields,
 * nesting where a value belongs, oversized text, non-JSON, broken JSON, bodies that are not
 * objects, out-of-range numbers and numbers DynamoDB cannot store, broken text, bad phones, sign-in abuse, bad tokens and other
 * communities' wishes. Each refusal is a 4xx problem document that names the field at fault,
 * and leaves the table as it was.
 */
import { QueryCommand, UpdateCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { issueToken } from "../../functions/core/identity.js";
import {
  community,
  newPhone,
  newWish,
  secret,
  snapshot,
  somewhere,
  startApi,
  wishIn,
  type Api,
  type Person,
  type Response,
  type TestCommunity,
} from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
/** one wish in each state a transition leaves, so that an input wrongly accepted would write */
const w = {} as Record<"submitted" | "open" | "claimed" | "dispatched" | "inProgress" | "completed" | "confirmed", string>;

const m = (i: number) => c.members[i];
const owner = () => c.residents[0];
/** posts wishes only in the tests below, so the length of their own list shows what was written */
const poster = () => c.residents[1];

beforeAll(async () => {
  api = await startApi();
  [c, other] = await Promise.all([
    community(api.store, { members: 3, residents: 2 }),
    community(api.store, { members: 1, residents: 1, name: "另一个社区" }),
  ]);
  [w.submitted, w.open, w.claimed, w.dispatched, w.inProgress, w.completed, w.confirmed] = await Promise.all([
    wishIn(api, c, "submitted"),
    wishIn(api, c, "open", { slots: 2, members: [] }),
    wishIn(api, c, "claimed", { members: [m(1)] }),
    wishIn(api, c, "open", { slots: 1, members: [] }),
    wishIn(api, c, "in_progress", { members: [m(0)] }),
    wishIn(api, c, "completed", { members: [m(0)] }),
    wishIn(api, c, "confirmed", { members: [m(0)] }),
  ]);
  const dispatched = await api.call("POST", `/api/wishes/${w.dispatched}/dispatch`, { as: c.staff, body: { memberIds: [m(1).id] } });
  expect(dispatched.status).toBe(200);
}, 60_000);
afterAll(() => api.close());

/** A refusal as a client sees it: the status, a problem document that agrees with it, and the field at fault. */
function expectProblem(res: Response, status: number, opts: { code?: string; field?: string; only?: boolean } = {}) {
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(res.body.type).toEqual(expect.stringMatching(/^urn:microwish:problem:/));
  expect(res.body.title).toEqual(expect.any(String));
  expect(res.body.detail).toEqual(expect.any(String));
  if (opts.code) expect(res.body.code).toBe(opts.code);
  if (opts.field) {
    const named = Object.keys(res.body.errors ?? {}).filter((k) => k === opts.field || k.startsWith(`${opts.field}.`));
    expect(named, `errors: ${JSON.stringify(res.body.errors)}`).not.toEqual([]);
    // The case's body is valid but for this one field, so nothing else may be blamed.
    if (opts.only) expect(Object.keys(res.body.errors)).toEqual(named);
  }
}

// ---------------------------------------------------------------------------------------------
// The routes that take a body, each with a valid body and the fields it is made of.
// ---------------------------------------------------------------------------------------------

type Kind = "string" | "number" | "object" | "array";
interface Field {
  path: string;
  kind: Kind;
  required: boolean;
}
interface BodyRoute {
  name: string;
  path: () => string;
  as: () => Person | undefined;
  valid: () => Record<string, any>;
  fields: Field[];
  /** what the route would write if it accepted the input */
  written: () => Promise<unknown>;
}

const wishPartition = (id: () => string) => () => snapshot(api.store, [`W#${id()}`]);
const ownWishes = async () => {
  const res = await api.call("GET", "/api/wishes?mine=true&limit=100", { as: poster() });
  expect(res.status).toBe(200);
  return { count: res.body.items.length, user: await snapshot(api.store, [`U#${poster().id}`]) };
};
const phoneItems = (phone: string) => () => snapshot(api.store, [`P#${phone}`, `RL#otp#${phone}`, `OUT#${phone}`]);

const f = (path: string, kind: Kind, required = true): Field => ({ path, kind, required });
const reasonRoute = (name: string, id: () => string, as: () => Person, required: boolean): BodyRoute => ({
  name: `POST /api/wishes/:id/${name}`,
  path: () => `/api/wishes/${id()}/${name}`,
  as,
  valid: () => ({ reason: "临时有事" }),
  fields: [f("reason", "string", required)],
  written: wishPartition(id),
});
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const inTwoHours = () => new Date(Date.now() + 7200_000).toISOString();
const signInPhone = "+8613900139000";

const bodyRoutes: BodyRoute[] = [
  {
    name: "POST /api/auth/otp",
    path: () => "/api/auth/otp",
    as: () => undefined,
    valid: () => ({ phone: signInPhone }),
    fields: [f("phone", "string")],
    written: phoneItems(signInPhone),
  },
  {
    name: "POST /api/auth/token",
    path: () => "/api/auth/token",
    as: () => undefined,
    valid: () => ({ phone: signInPhone, code: "123456" }),
    fields: [f("phone", "string"), f("code", "string")],
    written: phoneItems(signInPhone),
  },
  {
    name: "POST /api/wishes",
    path: () => "/api/wishes",
    as: poster,
    valid: () => newWish(c.id, { window: { from: inAnHour(), to: inTwoHours() } }),
    fields: [
      f("communityId", "string"),
      f("category", "string"),
      f("title", "string"),
      f("description", "string"),
      f("address", "string", false),
      f("location", "object", false),
      f("location.lat", "number"),
      f("location.lng", "number"),
      f("window", "object", false),
      f("window.from", "string"),
      f("window.to", "string"),
    ],
    written: ownWishes,
  },
  {
    name: "POST /api/wishes/:id/approve",
    path: () => `/api/wishes/${w.submitted}/approve`,
    as: () => c.staff,
    valid: () => ({ slots: 2, estimatedMinutes: 60, deadline: inTwoHours() }),
    fields: [f("slots", "number", false), f("estimatedMinutes", "number"), f("deadline", "string", false)],
    written: wishPartition(() => w.submitted),
  },
  reasonRoute(
    "reject",
    () => w.submitted,
    () => c.staff,
    true,
  ),
  {
    name: "POST /api/wishes/:id/dispatch",
    path: () => `/api/wishes/${w.open}/dispatch`,
    as: () => c.staff,
    valid: () => ({ memberIds: [m(2).id] }),
    fields: [f("memberIds", "array")],
    written: wishPartition(() => w.open),
  },
  reasonRoute(
    "release",
    () => w.claimed,
    () => m(1),
    false,
  ),
  reasonRoute(
    "decline",
    () => w.dispatched,
    () => m(1),
    false,
  ),
  {
    name: "POST /api/wishes/:id/check-in",
    path: () => `/api/wishes/${w.claimed}/check-in`,
    as: () => m(1),
    valid: () => ({ ...somewhere }),
    fields: [f("lat", "number"), f("lng", "number"), f("accuracy", "number")],
    written: wishPartition(() => w.claimed),
  },
  {
    name: "POST /api/wishes/:id/check-out",
    path: () => `/api/wishes/${w.inProgress}/check-out`,
    as: () => m(0),
    valid: () => ({ ...somewhere, code: "1234" }),
    fields: [f("lat", "number"), f("lng", "number"), f("accuracy", "number"), f("code", "string", false)],
    written: wishPartition(() => w.inProgress),
  },
  {
    name: "POST /api/wishes/:id/complete",
    path: () => `/api/wishes/${w.inProgress}/complete`,
    as: () => m(0),
    valid: () => ({ note: "修好了" }),
    fields: [f("note", "string")],
    written: wishPartition(() => w.inProgress),
  },
  {
    name: "POST /api/wishes/:id/confirm",
    path: () => `/api/wishes/${w.completed}/confirm`,
    as: owner,
    valid: () => ({ rating: 5, comment: "谢谢" }),
    fields: [f("rating", "number"), f("comment", "string", false)],
    written: wishPartition(() => w.completed),
  },
  reasonRoute("dispute", () => w.completed, owner, true),
  {
    name: "POST /api/wishes/:id/verify",
    path: () => `/api/wishes/${w.confirmed}/verify`,
    as: () => c.staff,
    valid: () => ({ minutes: { [m(0).id]: 30 }, reason: "按实际服务时间" }),
    fields: [f("minutes", "object", false), f("minutes.$member", "number", false), f("reason", "string", false)],
    written: wishPartition(() => w.confirmed),
  },
  reasonRoute(
    "cancel",
    () => w.open,
    () => c.staff,
    true,
  ),
];

function setPath(body: Record<string, any>, path: string, value: unknown) {
  const out = structuredClone(body);
  const keys = path.split(".");
  let at: any = out;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys.at(-1)!] = value;
  return out;
}
function dropPath(body: Record<string, any>, path: string) {
  const out = structuredClone(body);
  const keys = path.split(".");
  let at: any = out;
  for (const k of keys.slice(0, -1)) at = at[k];
  delete at[keys.at(-1)!];
  return out;
}

const nesting = { deep: { deeper: { deepest: [1, { x: null }] } } };
const wrongValues: Record<Kind, [string, unknown][]> = {
  string: [
    ["a number", 42],
    ["a boolean", true],
    ["an array", ["x"]],
    ["null", null],
    ["a nested object", nesting],
  ],
  number: [
    ["a numeric string", "3"],
    ["an empty string", ""],
    ["an array", [1]],
    ["null", null],
    ["a boolean", true],
    ["a nested object", nesting],
  ],
  object: [
    ["a string", "x"],
    ["a number", 7],
    ["an array", [1, 2]],
    ["null", null],
  ],
  array: [
    ["a string", "x"],
    ["a number", 5],
    ["null", null],
    ["a nested object", nesting],
    ["an array of numbers", [5]],
    ["an empty array", []],
  ],
};

// The table is built before the community exists: the member's id is filled in when a case runs.
const routeFields = (r: BodyRoute) => r.fields;
const realPath = (path: string) => (path === "minutes.$member" ? `minutes.${m(0).id}` : path);

const typeCases = bodyRoutes.flatMap((r) =>
  routeFields(r).flatMap((fd) => wrongValues[fd.kind].map(([what, value]) => ({ route: r, field: fd.path, what, value }))),
);
const missingCases = bodyRoutes.flatMap((r) =>
  routeFields(r)
    .filter((fd) => fd.required)
    .map((fd) => ({ route: r, field: fd.path })),
);
const stringCases = bodyRoutes.flatMap((r) =>
  routeFields(r)
    .filter((fd) => fd.kind === "string")
    .map((fd) => ({ route: r, field: fd.path })),
);

/** Sends a request and checks it wrote nothing; answers the response. */
async function refusedWithoutWriting(r: BodyRoute, opts: { body?: unknown; raw?: string; headers?: Record<string, string> }) {
  const before = await r.written();
  const res = await api.call("POST", r.path(), { as: r.as(), ...opts });
  expect(await r.written()).toEqual(before);
  return res;
}

describe("the valid bodies the cases start from are accepted", () => {
  // Otherwise every refusal below could be for the wrong reason. Routes whose valid body would
  // use up a fixture are checked through the lifecycle tests instead; these write nothing lasting.
  it("a new wish with every field", async () => {
    const r = bodyRoutes.find((x) => x.name === "POST /api/wishes")!;
    const before = await ownWishes();
    const res = await api.call("POST", r.path(), { as: r.as(), body: r.valid() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await ownWishes()).count).toBe(before.count + 1);
  });
});

describe("wrong types", () => {
  it.each(typeCases.map((x) => ({ ...x, name: x.route.name })))(
    "$name: $field as $what → 422 naming it",
    async ({ route, field, value }) => {
      const res = await refusedWithoutWriting(route, { body: setPath(route.valid(), realPath(field), value) });
      expectProblem(res, 422, { code: "request.invalid_body", field: realPath(field), only: true });
    },
  );
});

describe("missing fields", () => {
  it.each(missingCases.map((x) => ({ ...x, name: x.route.name })))("$name without $field → 422 Required", async ({ route, field }) => {
    const res = await refusedWithoutWriting(route, { body: dropPath(route.valid(), realPath(field)) });
    expectProblem(res, 422, { code: "request.invalid_body", field: realPath(field), only: true });
    expect(res.body.errors[realPath(field)]).toBe("Required.");
  });
});

describe("oversized text", () => {
  it.each(stringCases.map((x) => ({ ...x, name: x.route.name })))("$name: 60 KB of $field → 422 naming it", async ({ route, field }) => {
    const body = setPath(route.valid(), realPath(field), "长".repeat(20 * 1024));
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(64 * 1024);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(60 * 1024);
    const res = await refusedWithoutWriting(route, { body });
    expectProblem(res, 422, { code: "request.invalid_body", field: realPath(field), only: true });
  });

  it.each(stringCases.map((x) => ({ ...x, name: x.route.name })))("$name: 100 KB of $field → 413", async ({ route, field }) => {
    const res = await refusedWithoutWriting(route, { body: setPath(route.valid(), realPath(field), "x".repeat(100 * 1024)) });
    expectProblem(res, 413, { code: "request.too_large" });
  });
});

// DynamoDB stores 0 and magnitudes from 1e-130 to just under 1e126, and refuses the whole write
// for any other number: every numeric field must turn such a number away itself, naming it.
const unstorable: [string, number][] = [
  ["1e-200", 1e-200],
  ["-1e-131", -1e-131],
  ["the smallest double, 5e-324", 5e-324],
  ["1e126", 1e126],
  ["-1e200", -1e200],
];
const numberCases = bodyRoutes.flatMap((r) =>
  routeFields(r)
    .filter((fd) => fd.kind === "number")
    .flatMap((fd) => unstorable.map(([what, value]) => ({ route: r, field: fd.path, what, value }))),
);

describe("numbers DynamoDB cannot store", () => {
  it.each(numberCases.map((x) => ({ ...x, name: x.route.name })))(
    "$name: $field = $what → 422 naming it",
    async ({ route, field, value }) => {
      const res = await refusedWithoutWriting(route, { body: setPath(route.valid(), realPath(field), value) });
      expectProblem(res, 422, { code: "request.invalid_body", field: realPath(field), only: true });
    },
  );

  it("a wish placed at the smallest storable latitude is posted and reads back as sent", async () => {
    const r = bodyRoutes.find((x) => x.name === "POST /api/wishes")!;
    const body = setPath(r.valid(), "location", { lat: 1e-130, lng: -1e-130 });
    const res = await api.call("POST", r.path(), { as: r.as(), body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const read = await api.call("GET", `/api/wishes/${res.body.id}`, { as: r.as() });
    expect(read.body.location).toEqual({ lat: 1e-130, lng: -1e-130 });
  });
});

const bodyShapes: { what: string; opts: { raw?: string; headers?: Record<string, string> }; status: number; field?: string }[] = [
  { what: "JSON sent as text/plain", opts: { raw: '{"reason":"x"}', headers: { "content-type": "text/plain" } }, status: 415 },
  {
    what: "a form",
    opts: { raw: "reason=x&phone=13800138000", headers: { "content-type": "application/x-www-form-urlencoded" } },
    status: 415,
  },
  { what: "JSON as application/xml", opts: { raw: '{"reason":"x"}', headers: { "content-type": "application/xml" } }, status: 415 },
  { what: "a trailing comma", opts: { raw: '{"reason":"x",}' }, status: 400 },
  { what: "single quotes and bare keys", opts: { raw: "{reason:'x'}" }, status: 400 },
  { what: "a cut-off object", opts: { raw: '{"reason":"x"' }, status: 400 },
  { what: "a JSON array", opts: { raw: '[{"reason":"x"}]' }, status: 422, field: "(body)" },
  { what: "a JSON number", opts: { raw: "42" }, status: 422, field: "(body)" },
  { what: "a JSON string", opts: { raw: '"reason"' }, status: 422, field: "(body)" },
  { what: "JSON null", opts: { raw: "null" }, status: 422, field: "(body)" },
  { what: "JSON true", opts: { raw: "true" }, status: 422, field: "(body)" },
];

describe("bodies that are not a JSON object", () => {
  const cases = bodyRoutes.flatMap((route) => bodyShapes.map((s) => ({ ...s, route, name: route.name })));
  it.each(cases)("$name with $what → $status", async ({ route, opts, status, field }) => {
    const res = await refusedWithoutWriting(route, opts);
    expectProblem(res, status, { field });
  });
});

describe("an empty body", () => {
  // An empty body reads as {}, so that steps whose fields are all optional need none; where a
  // field is required, the refusal names each missing one.
  const cases = bodyRoutes
    .map((route) => ({
      route,
      name: route.name,
      required: route.fields.filter((x) => x.required && !x.path.includes(".")).map((x) => x.path),
    }))
    .filter((x) => x.required.length > 0);
  it.each(cases.flatMap((x) => ["", "  \n"].map((raw) => ({ ...x, raw, shown: JSON.stringify(raw) }))))(
    "$name with the body $shown → 422 naming $required",
    async ({ route, raw, required }) => {
      const res = await refusedWithoutWriting(route, { raw });
      expectProblem(res, 422, { code: "request.invalid_body" });
      expect(res.body.errors).toEqual(Object.fromEntries(required.map((x) => [x, "Required."])));
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

describe("GET /api/wishes with a bad query → 400 naming the parameter", () => {
  const cases: { what: string; query: () => string; field: string }[] = [
    { what: "limit=abc", query: () => `communityId=${c.id}&status=open&limit=abc`, field: "limit" },
    { what: "limit=0", query: () => `communityId=${c.id}&status=open&limit=0`, field: "limit" },
    { what: "limit=101", query: () => `communityId=${c.id}&status=open&limit=101`, field: "limit" },
    { what: "limit=1.5", query: () => `communityId=${c.id}&status=open&limit=1.5`, field: "limit" },
    { what: "limit=-1", query: () => `communityId=${c.id}&status=open&limit=-1`, field: "limit" },
    { what: "an unknown status", query: () => `communityId=${c.id}&status=finished`, field: "status" },
    { what: "mine=yes", query: () => "mine=yes", field: "mine" },
    { what: "a communityId with a slash", query: () => "communityId=a%2F..%2Fb&status=open", field: "communityId" },
    { what: "a communityId of 10 KB", query: () => `communityId=${"c".repeat(10 * 1024)}&status=open`, field: "communityId" },
    { what: "a cursor of 3000 characters", query: () => `communityId=${c.id}&status=open&cursor=${"a".repeat(3000)}`, field: "cursor" },
    { what: "neither mine nor a communityId", query: () => "status=open", field: "communityId" },
  ];
  it.each(cases)("$what", async ({ query, field }) => {
    const res = await api.call("GET", `/api/wishes?${query()}`, { as: c.staff });
    expectProblem(res, 400, { field });
  });

  it("a cursor this API never gave out → 400 request.bad_cursor", async () => {
    for (const cursor of ["not-a-cursor!!", Buffer.from('{"pk":"W#x","sk":"W"}').toString("base64url")]) {
      const res = await api.call("GET", `/api/wishes?communityId=${c.id}&status=open&cursor=${cursor}`, { as: c.staff });
      expectProblem(res, 400, { code: "request.bad_cursor" });
    }
  });
});

describe("GET /api/dev/outbox with a bad `to` → 400 naming it", () => {
  it.each([
    { what: "no to", query: "" },
    { what: "to=abc", query: "to=abc" },
    { what: "to=12345", query: "to=12345" },
    { what: "to of 40 digits", query: `to=${"1".repeat(40)}` },
    { what: "to of 10 KB", query: `to=${"1".repeat(10 * 1024)}` },
    { what: "an empty to", query: "to=" },
  ])("$what", async ({ query }) => {
    const res = await api.call("GET", `/api/dev/outbox?${query}`);
    expectProblem(res, 400, { code: "request.invalid_query", field: "to" });
  });

  it("a well-formed number with nothing sent to it → 200 and an empty list", async () => {
    const res = await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent("+8613700137000")}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const family = "👨‍👩‍👧‍👦";
const flags = "🇨🇳🇯🇵🇸🇦";

describe("text", () => {
  it("emoji and mixed scripts round-trip exactly", async () => {
    const title = `${family}${flags} 帮忙修电脑 help مساعدة 手伝い`;
    const description = `中文 English العربية 日本語\n第二行：${family} 🧑🏽‍🦯 ${flags}\nصباح الخير — おはよう`;
    const address = "幸福里3号楼 🏠 Building 3 المبنى";
    const created = await api.call("POST", "/api/wishes", { as: poster(), body: newWish(c.id, { title, description, address }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const got = await api.call("GET", `/api/wishes/${created.body.id}`, { as: poster() });
    expect(got.status).toBe(200);
    expect(got.body.title).toBe(title);
    expect(got.body.description).toBe(description);
    expect(got.body.address).toBe(address);
    // Members read the same text in the community's list.
    await api.call("POST", `/api/wishes/${created.body.id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } });
    const listed = await api.call("GET", `/api/wishes?communityId=${c.id}&status=open&limit=100`, { as: m(2) });
    expect(listed.body.items.find((x: any) => x.id === created.body.id)?.title).toBe(title);
  });

  // Length is counted in code points: a ZWJ family is 7, a flag 2, an emoji face 1 (but 2 UTF-16 units).
  const titles: { what: string; title: string; points: number; accepted: boolean }[] = [
    { what: "80 emoji faces", title: "😀".repeat(80), points: 80, accepted: true },
    { what: "81 emoji faces", title: "😀".repeat(81), points: 81, accepted: false },
    { what: "40 flags", title: "🇨🇳".repeat(40), points: 80, accepted: true },
    { what: "41 flags", title: "🇨🇳".repeat(41), points: 82, accepted: false },
    { what: "11 ZWJ families and 3 faces", title: family.repeat(11) + "😀".repeat(3), points: 80, accepted: true },
    { what: "11 ZWJ families and 4 faces", title: family.repeat(11) + "😀".repeat(4), points: 81, accepted: false },
    { what: "80 Chinese characters", title: "帮".repeat(80), points: 80, accepted: true },
    { what: "81 Chinese characters", title: "帮".repeat(81), points: 81, accepted: false },
  ];
  it.each(titles)("a title of $what ($points code points) is accepted: $accepted", async ({ title, points, accepted }) => {
    expect([...title].length).toBe(points);
    const before = await ownWishes();
    const res = await api.call("POST", "/api/wishes", { as: poster(), body: newWish(c.id, { title }) });
    if (accepted) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.title).toBe(title);
      expect((await ownWishes()).count).toBe(before.count + 1);
    } else {
      expectProblem(res, 422, { code: "request.invalid_body", field: "title" });
      expect(res.body.errors.title).toBe("At most 80 characters.");
      expect(await ownWishes()).toEqual(before);
    }
  });

  // JSON escapes, so that the broken strings travel as they are and not as U+FFFD.
  const broken: { what: string; field: string; json: string }[] = [
    { what: "a lone high surrogate in the title", field: "title", json: '"修\\ud800理"' },
    { what: "a lone low surrogate in the title", field: "title", json: '"\\udc00修理"' },
    { what: "a reversed surrogate pair in the title", field: "title", json: '"修理\\udc00\\ud800"' },
    { what: "a lone surrogate in the description", field: "description", json: '"请帮忙\\ud83d"' },
    { what: "a lone surrogate in the address", field: "address", json: '"\\ud800"' },
    { what: "NUL in the title", field: "title", json: '"修\\u0000理"' },
    { what: "BEL in the title", field: "title", json: '"修理\\u0007"' },
    { what: "an ANSI escape in the title", field: "title", json: '"\\u001b[31m修理"' },
    { what: "DEL in the title", field: "title", json: '"修\\u007f理"' },
    { what: "a line break in the title", field: "title", json: '"修\\n理"' },
    { what: "a tab in the title", field: "title", json: '"修\\t理"' },
    { what: "NUL in the description", field: "description", json: '"第一行\\n第二\\u0000行"' },
    { what: "a title of spaces", field: "title", json: '"     "' },
    { what: "a title of ideographic spaces", field: "title", json: '"\\u3000\\u3000"' },
    { what: "an empty title", field: "title", json: '""' },
    { what: "a description of line breaks", field: "description", json: '"\\n\\n  \\n"' },
  ];
  it.each(broken)("$what → 422 naming $field", async ({ field, json }) => {
    const body = newWish(c.id) as Record<string, unknown>;
    body[field] = "@@FIELD@@";
    const raw = JSON.stringify(body).replace('"@@FIELD@@"', json);
    const before = await ownWishes();
    const res = await api.call("POST", "/api/wishes", { as: poster(), raw });
    expectProblem(res, 422, { code: "request.invalid_body", field });
    expect(await ownWishes()).toEqual(before);
  });

  it.each([
    { route: "reject", id: () => w.submitted, as: () => c.staff, body: '{"reason":"\\ud800"}', field: "reason" },
    { route: "complete", id: () => w.inProgress, as: () => m(0), body: '{"note":"done\\u0000"}', field: "note" },
    { route: "confirm", id: () => w.completed, as: owner, body: '{"rating":5,"comment":"\\udfff"}', field: "comment" },
    { route: "cancel", id: () => w.open, as: () => c.staff, body: '{"reason":"  \\u3000 "}', field: "reason" },
  ])("broken text in a transition ($route $field) → 422, nothing written", async ({ route, id, as, body, field }) => {
    const before = await snapshot(api.store, [`W#${id()}`]);
    const res = await api.call("POST", `/api/wishes/${id()}/${route}`, { as: as(), raw: body });
    expectProblem(res, 422, { code: "request.invalid_body", field });
    expect(await snapshot(api.store, [`W#${id()}`])).toEqual(before);
  });

  it("a line break is fine in a description, and kept", async () => {
    const description = "第一行\n第二行\r\n第三行";
    const res = await api.call("POST", "/api/wishes", { as: poster(), body: newWish(c.id, { description }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.description).toBe(description);
  });
});

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

describe("numbers out of range", () => {
  const cases: {
    what: string;
    route: string;
    id: () => string;
    as: () => Person;
    body: () => Record<string, unknown>;
    field: string;
    code?: string;
  }[] = [
    ...[0, 501, 1.5, "3", -1].map((slots) => ({
      what: `slots ${JSON.stringify(slots)}`,
      route: "approve",
      id: () => w.submitted,
      as: () => c.staff,
      body: () => ({ slots, estimatedMinutes: 60 }),
      field: "slots",
    })),
    ...[1, 4, 1441, 100_000, 30.5].map((estimatedMinutes) => ({
      what: `estimatedMinutes ${estimatedMinutes}`,
      route: "approve",
      id: () => w.submitted,
      as: () => c.staff,
      body: () => ({ slots: 1, estimatedMinutes }),
      field: "estimatedMinutes",
    })),
    {
      what: "a deadline in the past",
      route: "approve",
      id: () => w.submitted,
      as: () => c.staff,
      body: () => ({ slots: 1, estimatedMinutes: 60, deadline: new Date(Date.now() - 60_000).toISOString() }),
      field: "deadline",
      code: "wish.invalid",
    },
    {
      what: "a deadline without a zone",
      route: "approve",
      id: () => w.submitted,
      as: () => c.staff,
      body: () => ({ slots: 1, estimatedMinutes: 60, deadline: "2099-01-01T09:00:00" }),
      field: "deadline",
    },
    ...[0, 6, 4.5, -1].map((rating) => ({
      what: `rating ${rating}`,
      route: "confirm",
      id: () => w.completed,
      as: owner,
      body: () => ({ rating }),
      field: "rating",
    })),
    ...(
      [
        ["lat 91", { lat: 91 }, "lat"],
        ["lat -91", { lat: -91 }, "lat"],
        ["lng -181", { lng: -181 }, "lng"],
        ["lng 181", { lng: 181 }, "lng"],
        ["accuracy 0", { accuracy: 0 }, "accuracy"],
        ["accuracy -5", { accuracy: -5 }, "accuracy"],
        ["accuracy 100001", { accuracy: 100_001 }, "accuracy"],
      ] as const
    ).map(([what, change, field]) => ({
      what: `check-in with ${what}`,
      route: "check-in",
      id: () => w.claimed,
      as: () => m(1),
      body: () => ({ ...somewhere, ...change }),
      field,
    })),
    {
      what: "check-out with a 5-digit code",
      route: "check-out",
      id: () => w.inProgress,
      as: () => m(0),
      body: () => ({ ...somewhere, code: "12345" }),
      field: "code",
    },
    ...[-5, 2000, 1.5].map((minutes) => ({
      what: `verify with ${minutes} minutes`,
      route: "verify",
      id: () => w.confirmed,
      as: () => c.staff,
      body: () => ({ minutes: { [m(0).id]: minutes }, reason: "按实际服务时间" }),
      field: "minutes",
    })),
    {
      what: "verify with minutes for a member who holds no claim",
      route: "verify",
      id: () => w.confirmed,
      as: () => c.staff,
      body: () => ({ minutes: { [m(2).id]: 30 }, reason: "按实际服务时间" }),
      field: "minutes",
      code: "hours.invalid",
    },
    {
      what: "verify with minutes but no reason",
      route: "verify",
      id: () => w.confirmed,
      as: () => c.staff,
      body: () => ({ minutes: { [m(0).id]: 30 } }),
      field: "reason",
      code: "hours.invalid",
    },
    {
      what: "dispatch of someone who is not a member here",
      route: "dispatch",
      id: () => w.open,
      as: () => c.staff,
      body: () => ({ memberIds: [other.members[0].id] }),
      field: "memberIds",
      code: "wish.invalid",
    },
    {
      what: "dispatch of 51 members",
      route: "dispatch",
      id: () => w.open,
      as: () => c.staff,
      body: () => ({ memberIds: Array.from({ length: 51 }, (_, i) => `M${i}`) }),
      field: "memberIds",
    },
  ];
  it.each(cases)("$route: $what → 422 naming $field", async ({ route, id, as, body, field, code }) => {
    const before = await snapshot(api.store, [`W#${id()}`]);
    const res = await api.call("POST", `/api/wishes/${id()}/${route}`, { as: as(), body: body() });
    expectProblem(res, 422, { code: code ?? "request.invalid_body", field });
    expect(await snapshot(api.store, [`W#${id()}`])).toEqual(before);
  });

  it("verify names the very member whose minutes are wrong", async () => {
    const res = await api.call("POST", `/api/wishes/${w.confirmed}/verify`, {
      as: c.staff,
      body: { minutes: { [m(0).id]: 2000 }, reason: "按实际服务时间" },
    });
    expectProblem(res, 422, { field: `minutes.${m(0).id}` });
    const stranger = await api.call("POST", `/api/wishes/${w.confirmed}/verify`, {
      as: c.staff,
      body: { minutes: { [m(2).id]: 30 }, reason: "按实际服务时间" },
    });
    expectProblem(stranger, 422, { field: "minutes" });
    expect(stranger.body.memberIds).toEqual([m(2).id]);
  });

  const wishCases: { what: string; extra: () => Record<string, unknown>; field: string; code?: string }[] = [
    { what: "lat 91", extra: () => ({ location: { lat: 91, lng: 107 } }), field: "location.lat" },
    { what: "lng -181", extra: () => ({ location: { lat: 33, lng: -181 } }), field: "location.lng" },
    { what: "a location without lng", extra: () => ({ location: { lat: 33 } }), field: "location.lng" },
    { what: "an unknown category", extra: () => ({ category: "plumbing" }), field: "category" },
    {
      what: "a window whose end is before its start",
      extra: () => ({ window: { from: inTwoHours(), to: inAnHour() } }),
      field: "window.to",
      code: "wish.invalid",
    },
    {
      what: "a window that ends when it starts",
      extra: () => {
        const at = inAnHour();
        return { window: { from: at, to: at } };
      },
      field: "window.to",
      code: "wish.invalid",
    },
    {
      what: "a window already over",
      extra: () => ({ window: { from: new Date(Date.now() - 7200_000).toISOString(), to: new Date(Date.now() - 3600_000).toISOString() } }),
      field: "window.to",
      code: "wish.invalid",
    },
    { what: "a window in words", extra: () => ({ window: { from: "tomorrow morning", to: inTwoHours() } }), field: "window.from" },
    {
      what: "a community that does not exist",
      extra: () => ({ communityId: "01NOSUCHCOMMUNITY0000000000" }),
      field: "communityId",
      code: "wish.invalid",
    },
  ];
  it.each(wishCases)("POST /api/wishes with $what → 422 naming $field", async ({ extra, field, code }) => {
    const before = await ownWishes();
    const res = await api.call("POST", "/api/wishes", { as: poster(), body: newWish(c.id, extra()) });
    expectProblem(res, 422, { code: code ?? "request.invalid_body", field });
    expect(await ownWishes()).toEqual(before);
  });

  it.each([
    { slots: 1, estimatedMinutes: 5 },
    { slots: 500, estimatedMinutes: 1440 },
  ])("the edges are accepted: slots $slots, estimatedMinutes $estimatedMinutes", async (body) => {
    const id = await wishIn(api, c, "submitted");
    const res = await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "open", ...body });
  });
});

describe("fields nobody asked for", () => {
  it("are dropped, never stored: a resident cannot set status, owner, places or the handshake code", async () => {
    const body = {
      ...newWish(c.id),
      status: "closed",
      ownerId: owner().id,
      slots: 99,
      claimed: 42,
      version: 1000,
      handshakeCode: "0000",
      pk: "W#hijack",
      extra: nesting,
      location: { lat: 33, lng: 107, altitude: nesting },
    };
    const res = await api.call("POST", "/api/wishes", { as: poster(), body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const got = await api.call("GET", `/api/wishes/${res.body.id}`, { as: poster() });
    expect(got.body).toMatchObject({
      status: "submitted",
      ownerId: poster().id,
      slots: 1,
      claimed: 0,
      version: 1,
      location: { lat: 33, lng: 107 },
    });
    expect(got.body.handshakeCode).toMatch(/^\d{4}$/);
    expect(got.body).not.toHaveProperty("extra");
    expect(got.body.location).not.toHaveProperty("altitude");
    expect(await snapshot(api.store, ["W#hijack"])).toBe("[]");
  });
});

// ---------------------------------------------------------------------------------------------
// Phones and sign-in
// ---------------------------------------------------------------------------------------------

describe("phones", () => {
  it.each(["12345", "+86 138", "abc", "1".repeat(40), "+86 138 0013 800", "23800138000", "+8612800138000", "", " "])(
    "%j → 422 naming phone",
    async (phone) => {
      const res = await api.call("POST", "/api/auth/otp", { body: { phone } });
      expectProblem(res, 422, { code: "request.invalid_body", field: "phone" });
      const token = await api.call("POST", "/api/auth/token", { body: { phone, code: "123456" } });
      expectProblem(token, 422, { code: "request.invalid_body", field: "phone" });
    },
  );

  it("a number written with dashes is accepted, and the code goes to its normal form", async () => {
    const res = await api.call("POST", "/api/auth/otp", { body: { phone: "138-0013-8000" } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const outbox = await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent("+8613800138000")}`);
    expect(outbox.body).toHaveLength(1);
    expect(outbox.body[0].text).toMatch(/(?<!\d)\d{6}(?!\d)/);
  });

  it("spaces are fine too", async () => {
    const res = await api.call("POST", "/api/auth/otp", { body: { phone: "+86 138 0013 8001" } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });
});

async function askCode(phone: string) {
  const res = await api.call("POST", "/api/auth/otp", { body: { phone } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const outbox = await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);
  return /(?<!\d)(\d{6})(?!\d)/.exec(outbox.body[0].text)![1];
}
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const redeem = (phone: string, code: string) => api.call("POST", "/api/auth/token", { body: { phone, code } });

describe("sign-in", () => {
  it("a wrong code → 400 auth.wrong_code with the tries left", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const res = await redeem(phone, wrongOf(code));
    expectProblem(res, 400, { code: "auth.wrong_code" });
    expect(res.body.triesLeft).toBe(4);
    expect((await redeem(phone, wrongOf(code))).body.triesLeft).toBe(3);
    // Still good after a couple of slips.
    expect((await redeem(phone, code)).status).toBe(200);
  });

  it("five wrong codes lock it: the right one is then refused with 429 auth.locked", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await redeem(phone, wrongOf(code));
      expectProblem(res, 400, { code: "auth.wrong_code" });
      left.push(res.body.triesLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const right = await redeem(phone, code);
    expectProblem(right, 429, { code: "auth.locked" });
    expect(right.body).not.toHaveProperty("token");
  });

  it("asking twice within a minute → 429 auth.rate_limited with retry-after, and no second code", async () => {
    // The limit counts in fixed minutes: two requests straddling the top of one would land in two.
    vi.useFakeTimers({ now: Math.ceil(Date.now() / 60_000) * 60_000, toFake: ["Date"], shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const phone = newPhone();
    await askCode(phone);
    const again = await api.call("POST", "/api/auth/otp", { body: { phone } });
    expectProblem(again, 429, { code: "auth.rate_limited" });
    const retryAfter = Number(again.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(again.body.retryAfter).toBe(retryAfter);
    const outbox = await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);
    expect(outbox.body).toHaveLength(1);
  });

  it("an expired code → 400 auth.code_expired", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const otp = await api.store.doc.send(
      new QueryCommand({
        TableName: api.store.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :otp)",
        ExpressionAttributeValues: { ":pk": `P#${phone}`, ":otp": "OTP#" },
        ConsistentRead: true,
      }),
    );
    await api.store.doc.send(
      new UpdateCommand({
        TableName: api.store.table,
        Key: { pk: `P#${phone}`, sk: otp.Items![0].sk },
        UpdateExpression: "SET expiresAt = :past",
        ExpressionAttributeValues: { ":past": Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    expectProblem(await redeem(phone, code), 400, { code: "auth.code_expired" });
  });

  it("a code works once", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const first = await redeem(phone, code);
    expect(first.status).toBe(200);
    expect(first.body.token).toEqual(expect.any(String));
    expectProblem(await redeem(phone, code), 400, { code: "auth.code_expired" });
  });

  it("a code for a number that never asked → 400 auth.code_expired", async () => {
    expectProblem(await redeem(newPhone(), "123456"), 400, { code: "auth.code_expired" });
  });

  it.each(["12345", "1234567", "abcdef", "12 456", "１２３４５６"])("a code of %j → 422 naming code", async (code) => {
    expectProblem(await redeem(newPhone(), code), 422, { code: "request.invalid_body", field: "code" });
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

describe("tokens", () => {
  const cases: { what: string; header: () => Promise<string | undefined>; code: string }[] = [
    { what: "no Authorization", header: async () => undefined, code: "auth.unauthenticated" },
    { what: "Bearer with nothing after it", header: async () => "Bearer ", code: "auth.unauthenticated" },
    { what: "Basic credentials", header: async () => `Basic ${Buffer.from("a:b").toString("base64")}`, code: "auth.unauthenticated" },
    { what: "Bearer garbage", header: async () => "Bearer garbage", code: "auth.bad_token" },
    {
      what: "a token signed with another secret",
      header: async () => `Bearer ${await issueToken("another-secret", c.staff.id)}`,
      code: "auth.bad_token",
    },
    {
      what: "a token for a user that does not exist",
      header: async () => `Bearer ${await issueToken(secret, "01NOSUCHUSER00000000000000")}`,
      code: "auth.bad_token",
    },
    {
      what: "an expired token",
      header: async () => `Bearer ${await issueToken(secret, c.staff.id, Date.now() - 8 * 86400_000)}`,
      code: "auth.token_expired",
    },
    {
      what: "a token with its payload altered",
      header: async () => {
        const [h, , s] = (await issueToken(secret, owner().id)).split(".");
        const payload = Buffer.from(JSON.stringify({ sub: c.staff.id, iat: 1, exp: 9_999_999_999 })).toString("base64url");
        return `Bearer ${h}.${payload}.${s}`;
      },
      code: "auth.bad_token",
    },
  ];
  it.each(cases)("$what → 401 $code", async ({ header, code }) => {
    const value = await header();
    const headers: Record<string, string> = value === undefined ? {} : { authorization: value };
    expectProblem(await api.call("GET", "/api/me", { headers }), 401, { code });

    const before = await snapshot(api.store, [`W#${w.submitted}`]);
    const approve = await api.call("POST", `/api/wishes/${w.submitted}/approve`, { headers, body: { slots: 1, estimatedMinutes: 30 } });
    expectProblem(approve, 401, { code });
    expect(await snapshot(api.store, [`W#${w.submitted}`])).toEqual(before);
  });

  it("the same person's valid token is let in (the cases above fail for the token alone)", async () => {
    const res = await api.call("GET", "/api/me", { as: c.staff });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(c.staff.id);
  });
});

// ---------------------------------------------------------------------------------------------
// Another community
// ---------------------------------------------------------------------------------------------

describe("another community's wish", () => {
  it.each([
    {
      what: "staff of another community approving",
      route: "approve",
      id: () => w.submitted,
      as: () => other.staff,
      body: () => ({ slots: 1, estimatedMinutes: 30 }),
    },
    {
      what: "staff of another community cancelling",
      route: "cancel",
      id: () => w.open,
      as: () => other.staff,
      body: () => ({ reason: "越权" }),
    },
    {
      what: "staff of another community dispatching their own member",
      route: "dispatch",
      id: () => w.open,
      as: () => other.staff,
      body: () => ({ memberIds: [other.members[0].id] }),
    },
    { what: "a member of another community claiming", route: "claim", id: () => w.open, as: () => other.members[0], body: () => undefined },
    { what: "staff of another community verifying", route: "verify", id: () => w.confirmed, as: () => other.staff, body: () => ({}) },
  ])("$what → 404, nothing written", async ({ route, id, as, body }) => {
    const before = await snapshot(api.store, [`W#${id()}`]);
    const res = await api.call("POST", `/api/wishes/${id()}/${route}`, { as: as(), body: body() });
    expectProblem(res, 404, { code: "wish.not_found" });
    expect(await snapshot(api.store, [`W#${id()}`])).toEqual(before);
    expectProblem(await api.call("GET", `/api/wishes/${id()}`, { as: as() }), 404, { code: "wish.not_found" });
  });
});
