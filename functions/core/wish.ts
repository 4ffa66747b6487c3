import { createHash, randomInt } from "node:crypto";
import { ulid } from "ulid";
import { getItem, getMany, queryAll, queryPage, transact, type Item, type Store, type TransactItem } from "../store/client.js";
import { Keys, Prefix } from "../store/keys.js";
import * as Community from "./community.js";
import { DomainError, fail } from "./errors.js";
import { hasRole, maskPhone, type Actor } from "./identity.js";
import { countStep } from "./tallies.js";
import { ownerMayCancelFrom, transitions, type CategoryCode, type Notice, type Status, type Transition } from "./model.js";

export interface LatLng {
  lat: number;
  lng: number;
}

export interface NewWish {
  communityId: string;
  category: CategoryCode;
  title: string;
  description: string;
  address?: string;
  location?: LatLng;
  window?: { from: string; to: string };
}

/** A system actor for scheduled jobs (expiry, auto-confirm). */
export const system = { id: "system", name: "system" } as const;
type Who = Actor | typeof system;

const idempotencyTtlSeconds = 24 * 3600;

/** The capacity in which someone acts on a wish: decides both permission and what they see. */
export type Capacity = "owner" | "staff" | "claimant" | "member" | "system";

export function capacities(who: Who, wish: Item, claim?: Item): Capacity[] {
  if (who === system) return ["system"];
  const actor = who as Actor;
  const out: Capacity[] = [];
  if (wish.ownerId === actor.id) out.push("owner");
  if (hasRole(actor, wish.communityId, "staff")) out.push("staff");
  if (hasRole(actor, wish.communityId, "member")) out.push("member");
  if (claim && claim.memberId === actor.id) out.push("claimant");
  return out;
}

/** Whether someone may see the wish at all; those who may not are told it does not exist. */
function canSee(caps: Capacity[], wish: Item) {
  if (caps.some((c) => c === "owner" || c === "staff" || c === "claimant" || c === "system")) return true;
  return caps.includes("member") && wish.status !== "submitted" && wish.status !== "rejected";
}

const notFound = (id: string) => new DomainError("wish.not_found", `No wish ${id} that you can see.`);
const missing = (id: string): never => {
  throw notFound(id);
};

/**
 * The checks every transition makes, in the order a person would want to hear them:
 * whether the wish is there for them, whether they may do this, whether its state allows it.
 */
export function authorize(who: Who, wish: Item, transition: Transition, claim?: Item): Capacity {
  const caps = capacities(who, wish, claim);
  if (!canSee(caps, wish)) throw notFound(wish.id);
  const rule = transitions[transition];
  const allowed = rule.by as readonly string[];
  let cap = caps.find((c) => allowed.includes(c));
  if (!cap) {
    const people = allowed.filter((b) => b !== "system");
    const needs = people.map((b) => (b === "claimant" ? "a volunteer holding a claim on it" : b === "owner" ? "the resident who posted it" : b)).join(" or ");
    fail("wish.forbidden", `Only ${needs} may ${transition} this wish.`, { needs: people });
  }
  const from = transition === "cancel" && cap === "owner" && !caps.includes("staff") ? ownerMayCancelFrom : rule.from;
  if (!(from as readonly string[]).includes(wish.status)) {
    fail("wish.wrong_state", `A wish that is ${wish.status} cannot be ${pastTense[transition]}.`, {
      wishStatus: wish.status,
      allowedFrom: from,
    });
  }
  return cap!;
}

const pastTense: Record<Transition, string> = {
  approve: "approved",
  reject: "rejected",
  dispatch: "dispatched",
  claim: "claimed",
  release: "released",
  decline: "declined",
  "check-in": "checked in to",
  "check-out": "checked out of",
  complete: "completed",
  confirm: "confirmed",
  dispute: "disputed",
  verify: "verified",
  cancel: "cancelled",
  expire: "expired",
};

export async function load(store: Store, id: string): Promise<Item> {
  return (await getItem(store, Keys.wish(id))) ?? missing(id);
}

/** The wish and the acting member's claim, in one consistent round trip. */
export async function loadWithClaim(store: Store, id: string, memberId: string) {
  const items = await getMany(store, [Keys.wish(id), Keys.claim(id, memberId)]);
  const wish = items.find((i) => i.sk === "W") ?? missing(id);
  return { wish, claim: items.find((i) => i.sk !== "W") };
}

export function eventItem(
  wish: Item,
  who: Who,
  kind: Transition | "submit" | Notice,
  to: Status,
  at: string,
  extra: { note?: string; data?: Record<string, unknown> } = {},
) {
  const id = ulid(Date.parse(at));
  return {
    ...Keys.event(wish.id, id),
    type: "event",
    id,
    wishId: wish.id,
    communityId: wish.communityId,
    ownerId: wish.ownerId,
    kind,
    actorId: who.id,
    actorName: who.name,
    at,
    from: kind === "submit" ? null : wish.status,
    to,
    note: extra.note,
    data: extra.data,
  };
}

/**
 * The update that moves a wish: status, index key, version, and the fields given.
 * By default the condition names the version it read, so a wish that changed meanwhile is
 * never clobbered. Steps that many volunteers take side by side (check-in, check-out, release)
 * guard on the states they may leave instead, and move counters with `add`, so that two
 * volunteers arriving at once do not turn each other away.
 */
export function wishUpdate(
  wish: Item,
  to: Status,
  at: string,
  fields: Record<string, unknown> = {},
  guard: { whenStatus?: readonly Status[]; add?: Record<string, number> } = {},
) {
  const names: Record<string, string> = { "#status": "status", "#version": "version" };
  const values: Record<string, unknown> = {
    ":to": to,
    ":one": 1,
    ":at": at,
    ":g": Keys.wishByStatus(wish.communityId, to, wish.createdAt, wish.id).gsi1pk,
  };
  const sets = ["#status = :to", "#version = #version + :one", "updatedAt = :at", "gsi1pk = :g"];
  Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .forEach(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      sets.push(`#f${i} = :f${i}`);
    });
  Object.entries(guard.add ?? {}).forEach(([k, n], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = n;
    sets.push(`#a${i} = #a${i} + :a${i}`);
  });
  let condition = "#version = :v";
  if (guard.whenStatus) {
    guard.whenStatus.forEach((st, i) => (values[`:s${i}`] = st));
    condition = `#status IN (${guard.whenStatus.map((_, i) => `:s${i}`).join(", ")})`;
  } else {
    values[":v"] = wish.version;
  }
  return {
    Update: {
      Key: Keys.wish(wish.id),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  } as TransactItem;
}

/** Reports a lost race on the wish item as what it is now, not as a generic failure. */
export async function changedMeanwhile(store: Store, id: string): Promise<never> {
  const now = await load(store, id);
  throw new DomainError("wish.changed", `The wish changed while you acted on it (it is now ${now.status}); look again.`, {
    wishStatus: now.status,
  });
}

/** Runs a transition's transaction; a failed condition on the wish (index 0) becomes `wish.changed`. */
export async function commit(store: Store, wish: Item, items: TransactItem[], onOther?: (index: number) => never) {
  let lostRace = false;
  try {
    await transact(store, items, (failed) => {
      const other = failed.find((f) => f.index !== 0);
      if (other && onOther) onOther(other.index);
      lostRace = true;
      throw new DomainError("wish.changed", "changed");
    });
  } catch (err) {
    if (lostRace) await changedMeanwhile(store, wish.id);
    throw err;
  }
}

/** A simple move: the wish, its event and its community's month counter. Answers with the wish as it now is. */
async function move(store: Store, wish: Item, who: Who, kind: Transition, to: Status, fields: Record<string, unknown>, note?: string, data?: Record<string, unknown>) {
  const at = new Date().toISOString();
  await commit(store, wish, [
    wishUpdate(wish, to, at, fields),
    { Put: { Item: eventItem(wish, who, kind, to, at, { note, data }) } },
    ...countStep(wish.communityId, kind, at),
  ]);
  return { ...wish, ...fields, status: to, version: wish.version + 1, updatedAt: at };
}

function handshakeCode() {
  return String(randomInt(0, 10_000)).padStart(4, "0");
}

export async function create(store: Store, actor: Actor, input: NewWish, idempotencyKey?: string) {
  const at = new Date().toISOString();
  if (input.window && Date.parse(input.window.from) >= Date.parse(input.window.to)) {
    fail("wish.invalid", "The time window must end after it starts.", { field: "window.to" });
  }
  if (input.window && Date.parse(input.window.to) <= Date.parse(at)) {
    fail("wish.invalid", "The time window is already over.", { field: "window.to" });
  }
  if (!(await Community.exists(store, input.communityId))) {
    fail("wish.invalid", `No community has the id ${input.communityId}.`, { field: "communityId" });
  }
  const fingerprint = createHash("sha256").update(JSON.stringify(input)).digest("hex");
  if (idempotencyKey) {
    const earlier = await replay(store, actor, idempotencyKey, fingerprint);
    if (earlier) return { wish: earlier, replayed: true };
  }
  const id = ulid(Date.parse(at));
  const wish = {
    ...Keys.wish(id),
    ...Keys.wishByStatus(input.communityId, "submitted", at, id),
    ...Keys.wishByOwner(actor.id, at, id),
    ...Keys.wishByCommunity(input.communityId, at, id),
    type: "wish",
    id,
    ...input,
    ownerId: actor.id,
    ownerName: actor.name,
    contactPhone: actor.phone,
    status: "submitted" as Status,
    version: 1,
    slots: 1,
    claimed: 0,
    handshakeCode: handshakeCode(),
    createdAt: at,
    updatedAt: at,
  };
  const items: TransactItem[] = [
    { Put: { Item: wish, ConditionExpression: "attribute_not_exists(pk)" } },
    { Put: { Item: eventItem(wish, actor, "submit", "submitted", at) } },
    ...countStep(input.communityId, "submit", at),
  ];
  if (idempotencyKey) {
    items.push({
      Put: {
        Item: {
          ...Keys.idempotency(actor.id, idempotencyKey),
          type: "idempotency",
          wishId: id,
          fingerprint,
          expiresAt: Math.floor(Date.parse(at) / 1000) + idempotencyTtlSeconds,
        },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
        ExpressionAttributeValues: { ":now": Math.floor(Date.parse(at) / 1000) },
      },
    });
  }
  try {
    await transact(store, items, () => fail("wish.idempotency_race", "raced"));
  } catch (err) {
    if (err instanceof DomainError && err.code === "wish.idempotency_race" && idempotencyKey) {
      const earlier = await replay(store, actor, idempotencyKey, fingerprint);
      if (earlier) return { wish: earlier, replayed: true };
    }
    throw err;
  }
  return { wish, replayed: false };
}

async function replay(store: Store, actor: Actor, key: string, fingerprint: string) {
  const seen = await getItem(store, Keys.idempotency(actor.id, key));
  if (!seen || seen.expiresAt < Math.floor(Date.now() / 1000)) return undefined;
  if (seen.fingerprint !== fingerprint) {
    fail("request.idempotency_mismatch", "This Idempotency-Key was used with a different wish; use a new key.");
  }
  return load(store, seen.wishId);
}

export async function approve(store: Store, actor: Actor, id: string, input: { slots: number; estimatedMinutes: number; deadline?: string }) {
  const wish = await load(store, id);
  authorize(actor, wish, "approve");
  if (input.deadline && Date.parse(input.deadline) <= Date.now()) {
    fail("wish.invalid", "The deadline must be in the future.", { field: "deadline" });
  }
  const at = new Date().toISOString();
  return move(store, wish, actor, "approve", "open", { ...input, approvedAt: at, approvedBy: actor.id }, undefined, input);
}

export async function reject(store: Store, actor: Actor, id: string, input: { reason: string }) {
  const wish = await load(store, id);
  authorize(actor, wish, "reject");
  return move(store, wish, actor, "reject", "rejected", { rejectReason: input.reason }, input.reason);
}

export async function confirm(store: Store, actor: Actor, id: string, input: { rating: number; comment?: string }) {
  const wish = await load(store, id);
  const cap = authorize(actor, wish, "confirm");
  if (cap === "staff" && !input.comment) {
    fail("wish.invalid", "Say in the comment why you confirm on the resident's behalf.", { field: "comment" });
  }
  const fields = { rating: input.rating, comment: input.comment, confirmedBy: actor.id, confirmedAt: new Date().toISOString() };
  return move(store, wish, actor, "confirm", "confirmed", fields, input.comment, { rating: input.rating, onBehalf: cap === "staff" });
}

export async function dispute(store: Store, actor: Actor, id: string, input: { reason: string }) {
  const wish = await load(store, id);
  authorize(actor, wish, "dispute");
  return move(store, wish, actor, "dispute", "in_progress", { disputeReason: input.reason }, input.reason);
}

export async function cancel(store: Store, actor: Actor, id: string, input: { reason: string }) {
  const wish = await load(store, id);
  authorize(actor, wish, "cancel");
  return move(store, wish, actor, "cancel", "cancelled", { cancelReason: input.reason, cancelledAt: new Date().toISOString() }, input.reason);
}

/** Run by the scheduled job: an open wish whose deadline passed expires. */
export async function expire(store: Store, id: string, now = new Date()) {
  const wish = await load(store, id);
  authorize(system, wish, "expire");
  if (!wish.deadline || Date.parse(wish.deadline) > now.getTime()) {
    fail("wish.not_due", `Wish ${id} has not reached its deadline.`);
  }
  return move(store, wish, system, "expire", "expired", { expiredAt: now.toISOString() });
}

/** The wish as a given person may see it: the handshake code and the resident's full phone only for those entitled. */
export function present(wish: Item, caps: Capacity[]) {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, type, handshakeCode, contactPhone, ...rest } = wish;
  const privileged = caps.includes("owner") || caps.includes("staff");
  return {
    ...rest,
    ...(privileged ? { handshakeCode } : {}),
    contactPhone: privileged || caps.includes("claimant") ? contactPhone : maskPhone(contactPhone ?? ""),
  };
}

function presentClaim(claim: Item) {
  const { pk, sk, gsi2pk, gsi2sk, type, ...rest } = claim;
  return rest;
}

function presentEvent(event: Item) {
  const { pk, sk, type, ownerId, communityId, wishId, ...rest } = event;
  return rest;
}

/** The wish, its active claims and its whole timeline: one query on the wish's partition. */
export async function view(store: Store, actor: Actor, id: string) {
  const items = await queryAll(store, {
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": Keys.wish(id).pk },
  });
  const wish = items.find((i) => i.sk === "W");
  if (!wish) throw notFound(id);
  const claims = items.filter((i) => i.sk.startsWith(Prefix.claim));
  const caps = capacities(actor, wish, claims.find((c) => c.memberId === actor.id));
  if (!canSee(caps, wish)) throw notFound(id);
  return {
    ...present(wish, caps),
    claims: claims.map(presentClaim),
    timeline: items.filter((i) => i.sk.startsWith(Prefix.event)).map(presentEvent),
  };
}

export type ListQuery = { communityId?: string; status?: Status; mine?: boolean; cursor?: string; limit?: number };

/**
 * Lists by index: a resident's own wishes, a community's wishes in one status (members see
 * those past review), or all of a community's wishes newest first (staff).
 */
export async function list(store: Store, actor: Actor, q: ListQuery) {
  const limit = q.limit ?? 20;
  if (q.mine) {
    const page = await queryPage(
      store,
      {
        IndexName: "byUser",
        KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :w)",
        ExpressionAttributeValues: { ":pk": `U#${actor.id}`, ":w": Prefix.ownWish },
        ScanIndexForward: false,
        Limit: limit,
      },
      q.cursor,
    );
    const items = q.status ? page.items.filter((w) => w.status === q.status) : page.items;
    return { items: items.map((w) => present(w, ["owner"])), cursor: page.cursor };
  }
  if (!q.communityId) fail("request.invalid_query", "Say which wishes: mine=true, or a communityId.", { field: "communityId" });
  const communityId = q.communityId!;
  const staff = hasRole(actor, communityId, "staff");
  const member = hasRole(actor, communityId, "member");
  if (!staff && !member) fail("wish.forbidden", "Only members and staff of this community may list its wishes.");
  if (!staff && (!q.status || q.status === "submitted" || q.status === "rejected")) {
    fail("wish.forbidden", "Members may list wishes once staff have approved them: give a status such as open.");
  }
  const caps: Capacity[] = staff ? ["staff"] : ["member"];
  const input = q.status
    ? {
        IndexName: "byStatus",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": Keys.wishByStatus(communityId, q.status, "", "").gsi1pk },
        ScanIndexForward: q.status !== "open" ? false : true,
        Limit: limit,
      }
    : {
        IndexName: "byCommunity",
        KeyConditionExpression: "gsi3pk = :pk",
        ExpressionAttributeValues: { ":pk": Keys.wishByCommunity(communityId, "", "").gsi3pk },
        ScanIndexForward: false,
        Limit: limit,
      };
  const page = await queryPage(store, input, q.cursor);
  return { items: page.items.map((w) => present(w, caps)), cursor: page.cursor };
}

/** A member's active claims with the wishes they are on, newest first. */
export async function tasks(store: Store, actor: Actor, cursor?: string, limit = 20) {
  const page = await queryPage(
    store,
    {
      IndexName: "byUser",
      KeyConditionExpression: "gsi2pk = :pk AND begins_with(gsi2sk, :cl)",
      ExpressionAttributeValues: { ":pk": `U#${actor.id}`, ":cl": Prefix.claim },
      ScanIndexForward: false,
      Limit: limit,
    },
    cursor,
  );
  const wishes = await getMany(store, page.items.map((c) => Keys.wish(c.wishId)));
  const byId = new Map(wishes.map((w) => [w.id, w]));
  return {
    items: page.items
      .filter((c) => byId.has(c.wishId))
      .map((c) => ({ claim: presentClaim(c), wish: present(byId.get(c.wishId)!, ["claimant"]) })),
    cursor: page.cursor,
  };
}
