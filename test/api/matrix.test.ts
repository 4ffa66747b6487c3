/**
 * The refusal matrix: every lifecycle route, tried on a wish in every state, by everyone who might
 * call it. What is refused answers 401/403/404/409 as the rules say, as a problem document, and
 * leaves the wish's partition exactly as it was. What the rules allow is shown to work.
 *
 * The expectations come from `transitions` and `ownerMayCancelFrom` in the model, the same data the
 * code reads; so that a mistake in that data is caught too, hand-written cases below state a few
 * outcomes literally, and the successes are listed by hand and must match the model's allowed set.
 */
import { sign } from "hono/utils/jwt/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../functions/core/identity.js";
import { ownerMayCancelFrom, statuses, transitions, type Status, type Transition } from "../../functions/core/model.js";
import { expire } from "../../functions/core/wish.js";
import {
  community,
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

type Route = Exclude<Transition, "expire">;
/** The steps some person may take; the system's own (expire) have no route. */
const routes = (Object.keys(transitions) as Transition[]).filter((t): t is Route =>
  (transitions[t].by as readonly string[]).some((by) => by !== "system"),
);

const roleNames = [
  "owner",
  "resident",
  "member",
  "claimant",
  "staff",
  "otherStaff",
  "otherMember",
  "noToken",
  "forgedToken",
  "expiredToken",
] as const;
type RoleName = (typeof roleNames)[number];

/** States where no volunteer can hold a claim: the claimant is left out there. */
const unclaimable: readonly Status[] = ["submitted", "rejected"];

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
let forged: string;
let stale: string;
/** one wish per state, shared by every refusal: a refusal writes nothing, which each case proves */
const shared = {} as Record<Status, string>;
/** the wish's partition as last seen, so that each case compares with the moment before it */
const last = {} as Record<Status, string>;

const owner = () => c.residents[0];
const claimant = () => c.members[0];
const plainMember = () => c.members[1];
const spare = () => c.members[2];

function actor(role: RoleName): Person | string | undefined {
  switch (role) {
    case "owner":
      return owner();
    case "resident":
      return c.residents[1];
    case "member":
      return plainMember();
    case "claimant":
      return claimant();
    case "staff":
      return c.staff;
    case "otherStaff":
      return other.staff;
    case "otherMember":
      return other.members[0];
    case "noToken":
      return undefined;
    case "forgedToken":
      return forged;
    case "expiredToken":
      return stale;
  }
}

const bodies: Record<Route, () => unknown> = {
  approve: () => ({ slots: 1, estimatedMinutes: 60 }),
  reject: () => ({ reason: "不在服务范围" }),
  dispatch: () => ({ memberIds: [spare().id] }),
  claim: () => undefined,
  release: () => ({}),
  decline: () => ({}),
  "check-in": () => somewhere,
  "check-out": () => somewhere,
  complete: () => ({ note: "修好了" }),
  confirm: () => ({ rating: 4 }),
  dispute: () => ({ reason: "还在漏水" }),
  verify: () => ({}),
  cancel: () => ({ reason: "不需要了" }),
};

type Outcome = { status: number; code: string };

/**
 * What the rules say of one attempt: signed in at all (401), able to see the wish (404), in a role
 * the transition names (403), from a state it leaves (409). `undefined` when it is allowed.
 */
function expected(t: Route, state: Status, role: RoleName): Outcome | undefined {
  if (role === "noToken") return { status: 401, code: "auth.unauthenticated" };
  if (role === "forgedToken") return { status: 401, code: "auth.bad_token" };
  if (role === "expiredToken") return { status: 401, code: "auth.token_expired" };
  const caps: string[] = {
    owner: ["owner"],
    resident: [],
    member: ["member"],
    claimant: ["member", "claimant"],
    staff: ["staff"],
    otherStaff: [],
    otherMember: [],
  }[role];
  const sees = caps.some((x) => x !== "member") || (caps.includes("member") && !unclaimable.includes(state));
  if (!sees) return { status: 404, code: "wish.not_found" };
  const rule = transitions[t];
  const cap = caps.find((x) => (rule.by as readonly string[]).includes(x));
  if (!cap) return { status: 403, code: "wish.forbidden" };
  const from: readonly Status[] = t === "cancel" && cap === "owner" ? ownerMayCancelFrom : rule.from;
  if (from.includes(state)) return undefined;
  // A wish that is claimed is full: the member is told so rather than that its state is wrong.
  return { status: 409, code: t === "claim" && state === "claimed" ? "wish.full" : "wish.wrong_state" };
}

function rolesIn(state: Status): RoleName[] {
  return roleNames.filter((r) => r !== "claimant" || !unclaimable.includes(state));
}

function expectProblem(res: Response, want: Outcome) {
  expect({ status: res.status, code: res.body?.code }, JSON.stringify(res.body).slice(0, 400)).toEqual(want);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status: want.status,
    detail: expect.stringMatching(/\S/),
    code: want.code,
  });
}

const post = (t: Route, id: string, as: Person | string | undefined, body = bodies[t]()) =>
  api.call("POST", `/api/wishes/${id}/${t}`, { as, body });

const turns = {} as Record<Status, Promise<unknown>>;
/**
 * Cases run side by side, but one at a time on each shared wish: so a write that should not
 * have happened shows up in the case that made it, not in a neighbour's.
 */
function onWish<T>(state: Status, run: () => Promise<T>): Promise<T> {
  const turn = (turns[state] ?? Promise.resolve()).then(run, run);
  turns[state] = turn.catch(() => undefined);
  return turn;
}

/** Tries a step on a shared wish and checks that the wish's partition is as it was the moment before. */
async function refused(t: Route, state: Status, as: Person | string | undefined, want: Outcome) {
  const { res, before, after } = await onWish(state, async () => {
    const res = await post(t, shared[state], as);
    const after = await snapshot(api.store, [`W#${shared[state]}`]);
    const before = last[state];
    last[state] = after;
    return { res, before, after };
  });
  expectProblem(res, want);
  if (want.code === "wish.wrong_state") expect(res.body.wishStatus).toBe(state);
  expect(after, "the refused request wrote to the wish").toBe(before);
}

function ok(res: Response, what: string) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** An open wish with a deadline a minute away, `slots` places and the claimant on one; expired an hour later. */
async function expiredWish() {
  const id = ok(await api.call("POST", "/api/wishes", { as: owner(), body: newWish(c.id) }), "create").body.id as string;
  const deadline = new Date(Date.now() + 60_000).toISOString();
  ok(await post("approve", id, c.staff, { slots: 2, estimatedMinutes: 60, deadline }), "approve");
  ok(await post("claim", id, claimant()), "claim");
  await expire(api.store, id, new Date(Date.now() + 3600_000));
  return id;
}

async function dispatched(slots: number) {
  const id = await wishIn(api, c, "open", { members: [], slots });
  ok(await post("dispatch", id, c.staff, { memberIds: [claimant().id] }), "dispatch");
  return id;
}

beforeAll(async () => {
  api = await startApi();
  [c, other] = await Promise.all([
    community(api.store, { members: 3, residents: 2 }),
    community(api.store, { members: 1, residents: 1, name: "另一个社区" }),
  ]);
  const now = Math.floor(Date.now() / 1000);
  forged = await sign({ sub: owner().id, iat: now, exp: now + 3600 }, "not-the-server-secret", "HS256");
  stale = await issueToken(secret, owner().id, Date.now() - 8 * 24 * 3600_000);
  const m = [claimant()];
  const built = await Promise.all([
    wishIn(api, c, "submitted"),
    // Two places, one taken: open, with a claimant on it.
    wishIn(api, c, "claimed", { members: m, slots: 2 }),
    wishIn(api, c, "claimed", { members: m }),
    wishIn(api, c, "in_progress", { members: m }),
    wishIn(api, c, "completed", { members: m }),
    wishIn(api, c, "confirmed", { members: m }),
    wishIn(api, c, "closed", { members: m }),
    wishIn(api, c, "rejected"),
    wishIn(api, c, "claimed", { members: m }).then(async (id) => {
      ok(await post("cancel", id, owner()), "cancel");
      return id;
    }),
    expiredWish(),
  ]);
  const order: Status[] = [
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
  for (const [i, s] of order.entries()) shared[s] = built[i];
  for (const s of order) {
    const seen = await api.call("GET", `/api/wishes/${shared[s]}`, { as: c.staff });
    expect(seen.body.status, `the shared ${s} wish`).toBe(s);
    last[s] = await snapshot(api.store, [`W#${shared[s]}`]);
  }
}, 60_000);
afterAll(() => api?.close());

describe("the matrix covers the model", () => {
  it("has a valid body for every route and a wish for every status", () => {
    expect(Object.keys(bodies).sort()).toEqual([...routes].sort());
    expect(Object.keys(shared).sort()).toEqual([...statuses].sort());
  });
});

describe.each(routes)("POST /api/wishes/:id/%s refused", (t) => {
  // Role by role, so that neighbouring cases, which run side by side, are on different wishes.
  const cases = roleNames.flatMap((role) =>
    statuses.flatMap((state) => {
      const want = rolesIn(state).includes(role) ? expected(t, state, role) : undefined;
      return want ? [{ state, role, want, label: `${want.status} ${want.code}` }] : [];
    }),
  );
  it.concurrent.each(cases)("on a $state wish by $role → $label", async ({ state, role, want }) => {
    await refused(t, state, actor(role), want);
  });
});

/**
 * Outcomes written out by hand, not derived from the model: were `transitions` or
 * `ownerMayCancelFrom` wrong, the generated cases would agree with the mistake, these would not.
 * Some are refusals the model's table allows but the step's own rules do not.
 */
const byHand: [Route, Status, RoleName, number, string][] = [
  ["cancel", "in_progress", "owner", 409, "wish.wrong_state"],
  ["cancel", "completed", "owner", 409, "wish.wrong_state"],
  ["cancel", "confirmed", "owner", 409, "wish.wrong_state"],
  ["cancel", "closed", "staff", 409, "wish.wrong_state"],
  ["cancel", "expired", "staff", 409, "wish.wrong_state"],
  ["cancel", "open", "resident", 404, "wish.not_found"],
  ["cancel", "open", "member", 403, "wish.forbidden"],
  ["approve", "submitted", "member", 404, "wish.not_found"],
  ["approve", "open", "member", 403, "wish.forbidden"],
  ["approve", "open", "claimant", 403, "wish.forbidden"],
  ["approve", "submitted", "owner", 403, "wish.forbidden"],
  ["approve", "submitted", "otherStaff", 404, "wish.not_found"],
  ["approve", "open", "staff", 409, "wish.wrong_state"],
  ["reject", "rejected", "staff", 409, "wish.wrong_state"],
  ["claim", "open", "staff", 403, "wish.forbidden"],
  ["claim", "open", "owner", 403, "wish.forbidden"],
  ["claim", "open", "otherMember", 404, "wish.not_found"],
  ["claim", "claimed", "member", 409, "wish.full"],
  ["claim", "expired", "member", 409, "wish.wrong_state"],
  ["claim", "open", "claimant", 409, "claim.exists"],
  ["dispatch", "claimed", "staff", 409, "wish.wrong_state"],
  ["dispatch", "open", "member", 403, "wish.forbidden"],
  ["release", "in_progress", "claimant", 409, "wish.wrong_state"],
  ["release", "claimed", "member", 403, "wish.forbidden"],
  ["release", "claimed", "staff", 403, "wish.forbidden"],
  ["decline", "claimed", "claimant", 409, "claim.not_dispatched"],
  ["check-in", "in_progress", "claimant", 409, "claim.checked_in"],
  ["check-in", "completed", "claimant", 409, "wish.wrong_state"],
  ["check-out", "claimed", "claimant", 409, "wish.wrong_state"],
  ["complete", "claimed", "claimant", 409, "wish.wrong_state"],
  ["complete", "in_progress", "staff", 403, "wish.forbidden"],
  ["confirm", "completed", "member", 403, "wish.forbidden"],
  ["confirm", "completed", "claimant", 403, "wish.forbidden"],
  ["confirm", "completed", "resident", 404, "wish.not_found"],
  ["dispute", "confirmed", "owner", 409, "wish.wrong_state"],
  ["verify", "confirmed", "owner", 403, "wish.forbidden"],
  ["verify", "completed", "staff", 409, "wish.wrong_state"],
  ["verify", "closed", "staff", 409, "wish.wrong_state"],
  ["verify", "confirmed", "noToken", 401, "auth.unauthenticated"],
  ["verify", "confirmed", "forgedToken", 401, "auth.bad_token"],
  ["verify", "confirmed", "expiredToken", 401, "auth.token_expired"],
];

describe("refusals stated by hand", () => {
  it.concurrent.each(byHand)("%s on a %s wish by %s → %i %s", async (t, state, role, status, code) => {
    await refused(t, state, actor(role), { status, code });
  });
});

/** A fresh wish for a success, and who acts on it. */
type Setup = () => Promise<{ id: string; as: Person }>;
const fresh =
  (status: Parameters<typeof wishIn>[2], who: () => Person, opts: { slots?: number; members?: () => Person[] } = {}): Setup =>
  async () => ({ id: await wishIn(api, c, status, { members: opts.members?.() ?? [claimant()], slots: opts.slots }), as: who() });

/**
 * Every combination the model allows, by hand, with what it leads to. The set must equal the
 * model's allowed set (less the one that only a second claim would exercise), so neither can drift.
 */
const successes: { t: Route; state: Status; role: RoleName; to: Status; setup: Setup; body?: unknown }[] = [
  { t: "approve", state: "submitted", role: "staff", to: "open", setup: fresh("submitted", () => c.staff) },
  { t: "reject", state: "submitted", role: "staff", to: "rejected", setup: fresh("submitted", () => c.staff) },
  { t: "dispatch", state: "open", role: "staff", to: "claimed", setup: fresh("open", () => c.staff) },
  { t: "claim", state: "open", role: "member", to: "claimed", setup: fresh("open", plainMember) },
  { t: "release", state: "open", role: "claimant", to: "open", setup: fresh("claimed", claimant, { slots: 2 }) },
  { t: "release", state: "claimed", role: "claimant", to: "open", setup: fresh("claimed", claimant) },
  { t: "decline", state: "open", role: "claimant", to: "open", setup: async () => ({ id: await dispatched(2), as: claimant() }) },
  { t: "decline", state: "claimed", role: "claimant", to: "open", setup: async () => ({ id: await dispatched(1), as: claimant() }) },
  { t: "check-in", state: "open", role: "claimant", to: "in_progress", setup: fresh("claimed", claimant, { slots: 2 }) },
  { t: "check-in", state: "claimed", role: "claimant", to: "in_progress", setup: fresh("claimed", claimant) },
  {
    t: "check-in",
    state: "in_progress",
    role: "claimant",
    to: "in_progress",
    // Two volunteers, the first already there: the second arrives.
    setup: async () => {
      const id = await wishIn(api, c, "claimed", { members: [claimant(), plainMember()] });
      ok(await post("check-in", id, claimant()), "first check-in");
      return { id, as: plainMember() };
    },
  },
  { t: "check-out", state: "in_progress", role: "claimant", to: "in_progress", setup: fresh("in_progress", claimant) },
  { t: "complete", state: "in_progress", role: "claimant", to: "completed", setup: fresh("in_progress", claimant) },
  { t: "confirm", state: "completed", role: "owner", to: "confirmed", setup: fresh("completed", owner) },
  {
    t: "confirm",
    state: "completed",
    role: "staff",
    to: "confirmed",
    setup: fresh("completed", () => c.staff),
    body: { rating: 4, comment: "电话联系了老人，她说修好了" },
  },
  { t: "dispute", state: "completed", role: "owner", to: "in_progress", setup: fresh("completed", owner) },
  { t: "dispute", state: "completed", role: "staff", to: "in_progress", setup: fresh("completed", () => c.staff) },
  { t: "verify", state: "confirmed", role: "staff", to: "closed", setup: fresh("confirmed", () => c.staff) },
  { t: "cancel", state: "submitted", role: "owner", to: "cancelled", setup: fresh("submitted", owner) },
  { t: "cancel", state: "open", role: "owner", to: "cancelled", setup: fresh("open", owner) },
  { t: "cancel", state: "claimed", role: "owner", to: "cancelled", setup: fresh("claimed", owner) },
  { t: "cancel", state: "submitted", role: "staff", to: "cancelled", setup: fresh("submitted", () => c.staff) },
  { t: "cancel", state: "open", role: "staff", to: "cancelled", setup: fresh("open", () => c.staff) },
  { t: "cancel", state: "claimed", role: "staff", to: "cancelled", setup: fresh("claimed", () => c.staff) },
  { t: "cancel", state: "in_progress", role: "staff", to: "cancelled", setup: fresh("in_progress", () => c.staff) },
  { t: "cancel", state: "completed", role: "staff", to: "cancelled", setup: fresh("completed", () => c.staff) },
  { t: "cancel", state: "confirmed", role: "staff", to: "cancelled", setup: fresh("confirmed", () => c.staff) },
];

describe("what the rules allow works", () => {
  it("lists exactly the combinations the model allows", () => {
    const allowed = routes.flatMap((t) =>
      statuses.flatMap((state) => rolesIn(state).flatMap((role) => (expected(t, state, role) ? [] : [`${t} ${state} ${role}`]))),
    );
    // A claimant claiming again is allowed by role and state, and refused as claim.exists (above).
    const listed = [...successes.map((s) => `${s.t} ${s.state} ${s.role}`), "claim open claimant"];
    expect(listed.sort()).toEqual(allowed.sort());
  });

  it.concurrent.each(successes)("$t on a $state wish by $role → $to", async ({ t, state, to, setup, body }) => {
    const { id, as } = await setup();
    const before = await api.call("GET", `/api/wishes/${id}`, { as: c.staff });
    expect(before.body.status).toBe(state);
    const res = await post(t, id, as, body ?? bodies[t]());
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    expect(res.body.status).toBe(to);
    const event = res.body.timeline.at(-1);
    expect(event).toMatchObject({ kind: t, actorId: as.id, from: state, to });
    expect(res.body.timeline).toHaveLength(before.body.timeline.length + 1);
  });
});

describe("ids that name no wish", () => {
  const unknown = "01J0000000000000000000NONE";
  const odd = [
    ["an emoji", "%F0%9F%98%80"],
    ["200 characters", "a".repeat(200)],
    ["a broken escape", "%E0%A4%A"],
    ["a NUL byte", "abc%00def"],
    ["an encoded slash", "..%2F..%2Fhealth"],
    ["a dot", "01J0000000000000000000NON.E"],
    ["Chinese", "%E5%BF%83%E6%84%BF"],
  ] as const;
  const all: [string, string, Route | "get"][] = [];
  for (const [what, id] of [["an unknown id", unknown] as const, ...odd]) {
    for (const t of [...routes, "get" as const]) all.push([what, id, t]);
  }

  it.concurrent.each(all)("%s (%s) on %s → 404 wish.not_found", async (_what, id, t) => {
    const res =
      t === "get"
        ? await api.call("GET", `/api/wishes/${id}`, { as: c.staff })
        : await post(t, id, t === "claim" ? plainMember() : c.staff);
    expectProblem(res, { status: 404, code: "wish.not_found" });
  });
});

describe("another community's wish", () => {
  const seers: RoleName[] = ["otherStaff", "otherMember", "resident"];
  const cases = (["submitted", "open", "in_progress", "closed", "expired"] as Status[]).flatMap((state) =>
    seers.map((role) => ({ state, role })),
  );

  it.each(cases)("GET a $state wish as $role → 404", async ({ state, role }) => {
    const res = await api.call("GET", `/api/wishes/${shared[state]}`, { as: actor(role) });
    expectProblem(res, { status: 404, code: "wish.not_found" });
    expect(res.body.title).not.toContain("测试社区");
  });

  it("is there for its own staff", async () => {
    const res = await api.call("GET", `/api/wishes/${shared.open}`, { as: c.staff });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(shared.open);
  });
});
