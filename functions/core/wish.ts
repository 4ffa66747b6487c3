import { createHash, randomInt } from "node:crypto";
import { ulid } from "ulid";
import { getItem, getMany, queryAll, type Item, type Store, type TransactItem } from "../store/client.js";
import * as claims from "../store/entities/claim.js";
import * as events from "../store/entities/event.js";
import * as idempotencyKeys from "../store/entities/idempotency.js";
import * as takeovers from "../store/entities/takeover.js";
import * as wishes from "../store/entities/wish.js";
import type { Audience, Claim, LatLng, Wish, WishFields } from "../store/entities/index.js";
import { DomainError, fail } from "./errors.js";
import { findOrCreateUser, hasChosenName, hasRole, loadActor, maskPhone, setProfile, type Actor, type User } from "./identity.js";
import * as Units from "./units.js";
import { countStep } from "./tallies.js";
import {
  notOnOwnWish,
  ownerMayCancelFrom,
  transitions,
  matching,
  type CategoryCode,
  type ClaimStep,
  type Notice,
  type Status,
  type Transition,
} from "./model.js";
import * as Menu from "./menu.js";
import * as Photos from "./photos.js";
import type { PhotoBucket } from "./photos.js";
import { page, write } from "./storage.js";

export type { LatLng, Wish } from "../store/entities/index.js";

export interface NewWish {
  communityId: string;
  category: CategoryCode;
  title: string;
  description: string;
  address?: string;
  location?: LatLng;
  window?: { from: string; to: string };
  /** staff taking the wish in for a resident: the resident owns it */
  onBehalfOf?: { phone: string; name: string };
  /** an order from the community's service menu */
  menuItemId?: string;
}

/** A system actor for scheduled jobs (expiry, auto-confirm). */
export const system = { id: "system", name: "system" } as const;
type Who = Actor | typeof system;

const idempotencyTtlSeconds = 24 * 3600;

/**
 * The capacity in which someone acts on a wish: decides both permission and what they see. A grid's
 * leader sees the wishes of the grid from the moment they are posted, as a member sees them, and may
 * dispatch to them.
 */
export type Capacity = Audience | "leader";

/** What only a grid's leader may do besides what the model gives members. */
const leaderMay: readonly Transition[] = ["dispatch"];

/** The capacities a presenter knows: a leader sees a wish as a member does. */
const seenAs = (caps: Capacity[]): Audience[] => {
  const out = caps.filter((c): c is Audience => c !== "leader");
  return out.length || !caps.includes("leader") ? out : ["member"];
};

export function capacities(who: Who, wish: Wish, claim?: Claim): Capacity[] {
  if (who === system) return ["system"];
  const actor = who as Actor;
  const out: Capacity[] = [];
  if (wish.ownerId === actor.id) out.push("owner");
  if (hasRole(actor, wish.communityId, "staff")) out.push("staff");
  if (hasRole(actor, wish.communityId, "member")) out.push("member");
  if (claim && claim.memberId === actor.id) out.push("claimant");
  if (Units.leads(actor, wish.gridId)) out.push("leader");
  return out;
}

/** Staff of a street or county above the wish's community: they read it as a member would, and act on nothing. */
const supervising = (actor: Actor, wish: Wish) => Units.reaches(actor, wish.unitPath ?? [wish.communityId]);

/** Whether someone may see the wish at all; those who may not are told it does not exist. */
export function canSee(caps: Capacity[], wish: Wish) {
  if (caps.some((c) => c === "owner" || c === "staff" || c === "claimant" || c === "leader" || c === "system")) return true;
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
export function authorize(who: Who, wish: Wish, transition: Transition, claim?: Claim): Capacity {
  const caps = capacities(who, wish, claim);
  if (!canSee(caps, wish)) {
    if (who !== system && supervising(who as Actor, wish)) {
      fail("wish.forbidden", `You supervise this community and may read its wishes; only its own staff may ${transition} them.`, {
        needs: ["staff"],
      });
    }
    throw notFound(wish.id);
  }
  const rule = transitions[transition];
  const allowed = [...(rule.by as readonly string[]), ...(leaderMay.includes(transition) ? ["leader"] : [])];
  const cap = caps.find((c) => allowed.includes(c));
  if (!cap) {
    const people = allowed.filter((b) => b !== "system");
    const named: Record<string, string> = {
      claimant: "a volunteer holding a claim on it",
      owner: "the resident who posted it",
      leader: "the leader of its grid",
    };
    const needs = people.map((b) => named[b] ?? b).join(" or ");
    fail("wish.forbidden", `Only ${needs} may ${transition} this wish.`, { needs: people });
  }
  if (caps.includes("owner") && notOnOwnWish.includes(transition)) {
    const what = transition === "claim" ? "take it" : "do the work";
    fail("wish.own_wish", `You posted this wish: someone else must ${what}.`, { ownerId: wish.ownerId });
  }
  if (transition === "confirm" && caps.includes("claimant")) {
    fail("wish.own_wish", "You hold a claim on this wish: the resident, or staff who took no part, confirm its work.");
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

export async function load(store: Store, id: string): Promise<Wish> {
  const item = await getItem(store, wishes.key(id));
  return item ? wishes.fromItem(item) : missing(id);
}

/** The wish and the acting member's claim, in one consistent round trip. */
export async function loadWithClaim(store: Store, id: string, memberId: string): Promise<{ wish: Wish; claim?: Claim }> {
  const items = await getMany(store, [wishes.key(id), claims.key(id, memberId)]);
  const wish = items.find(wishes.isWish);
  if (!wish) return missing(id);
  const claim = items.find(claims.isClaim);
  return { wish: wishes.fromItem(wish), claim: claim && claims.fromItem(claim) };
}

/** The event a step appends to the wish's timeline, to go in the step's own transaction. */
export function eventItem(
  wish: Wish,
  who: Who,
  kind: Transition | "submit" | Notice | ClaimStep,
  to: Status,
  at: string,
  extra: { note?: string; data?: Record<string, unknown> } = {},
): TransactItem {
  const id = ulid(Date.parse(at));
  return events.create({
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
  });
}

/** The update that moves a wish (see `wishes.move` for the conditions it writes under). */
export const wishUpdate = wishes.move;

/** Reports a lost race on the wish item as what it is now, not as a generic failure. */
export async function changedMeanwhile(store: Store, id: string): Promise<never> {
  const now = await load(store, id);
  throw new DomainError("wish.changed", `The wish changed while you acted on it (it is now ${now.status}); look again.`, {
    wishStatus: now.status,
  });
}

/**
 * Runs a transition's transaction. A failed condition on another item than the wish goes to
 * `onOther` (which names the rule); a failed condition on the wish (index 0) is `wish.changed`.
 */
export async function commit(store: Store, wish: Wish, items: TransactItem[], onOther?: (index: number) => never) {
  const outcome = await write(store, items);
  if (outcome.ok) return;
  const other = outcome.failed.find((f) => f.index !== 0);
  if (other && onOther) onOther(other.index);
  await changedMeanwhile(store, wish.id);
}

/** A simple move: the wish, its event and its community's month counter. Answers with the wish as it now is. */
async function move(
  store: Store,
  wish: Wish,
  who: Who,
  kind: Transition,
  to: Status,
  fields: WishFields,
  note?: string,
  data?: Record<string, unknown>,
): Promise<Wish> {
  const at = new Date().toISOString();
  await commit(store, wish, [
    wishUpdate(wish, to, at, fields),
    eventItem(wish, who, kind, to, at, { note, data }),
    ...countStep(wish.communityId, kind, at),
  ]);
  return { ...wish, ...fields, status: to, version: wish.version + 1, updatedAt: at };
}

function handshakeCode() {
  return String(randomInt(0, 10_000)).padStart(4, "0");
}

/**
 * What a wish made from something else brings: its owner (the resident who asked) and a write that
 * must hold in the same transaction, with the refusal to give when it does not.
 */
export interface Origin {
  owner: User;
  also: (wishId: string) => TransactItem;
  refused: () => never;
}

export async function create(
  store: Store,
  actor: Actor,
  given: NewWish & { photos?: string[] },
  idempotencyKey?: string,
  bucket?: PhotoBucket,
  origin?: Origin,
) {
  const { photos, ...input } = given;
  const at = new Date().toISOString();
  if (input.window && Date.parse(input.window.from) >= Date.parse(input.window.to)) {
    fail("wish.invalid", "The time window must end after it starts.", { field: "window.to" });
  }
  if (input.window && Date.parse(input.window.to) <= Date.parse(at)) {
    fail("wish.invalid", "The time window is already over.", { field: "window.to" });
  }
  // A wish with a place finds the grid it falls in, whose leaders hear of it first.
  const [unitPath, gridId] = await Promise.all([
    Units.communityPath(store, input.communityId),
    input.location ? Units.gridAt(store, input.communityId, input.location) : undefined,
  ]);
  if (!unitPath) fail("wish.invalid", `No community has the id ${input.communityId}.`, { field: "communityId" });
  const { onBehalfOf, ...fields } = input;
  if (onBehalfOf && !hasRole(actor, input.communityId, "staff")) {
    fail("wish.forbidden", "Only staff of this community may take a wish in on a resident's behalf.", { field: "onBehalfOf" });
  }
  // An order from the menu takes the item's category and carries its offering branch.
  const ordered = input.menuItemId ? await Menu.orderable(store, input.communityId, input.menuItemId) : undefined;
  if (ordered && ordered.category !== input.category) {
    fail("wish.invalid", `An order of "${ordered.title}" is in the category ${ordered.category}.`, { field: "category" });
  }
  const fingerprint = createHash("sha256").update(JSON.stringify(given)).digest("hex");
  if (idempotencyKey) {
    const earlier = await replay(store, actor, idempotencyKey, fingerprint);
    if (earlier) return { wish: earlier, replayed: true };
  }
  // Staff taking a wish in on a resident's behalf attach photos they uploaded themselves.
  const photoKeys = await Photos.attach(bucket, actor, "wish", photos);
  const owner = origin?.owner ?? (onBehalfOf ? await residentFor(store, onBehalfOf) : actor);
  const takenIn = owner.id !== actor.id;
  const id = ulid(Date.parse(at));
  const wish: Wish = {
    id,
    ...fields,
    ...(ordered ? { branchId: ordered.branchId } : {}),
    ...(photoKeys.length ? { photoKeys } : {}),
    ownerId: owner.id,
    ownerName: owner.name,
    contactPhone: owner.phone,
    ...(takenIn ? { takenInBy: { id: actor.id, name: actor.name } } : {}),
    status: "submitted",
    version: 1,
    slots: 1,
    claimed: 0,
    handshakeCode: handshakeCode(),
    createdAt: at,
    updatedAt: at,
    unitPath,
    ...(gridId ? { gridId } : {}),
  };
  const items: TransactItem[] = [
    wishes.create(wish),
    eventItem(wish, actor, "submit", "submitted", at, takenIn ? { data: { takenInFor: owner.id } } : {}),
    ...countStep(input.communityId, "submit", at),
  ];
  const also = origin?.also(id);
  if (also) items.push(also);
  if (idempotencyKey) {
    const nowSeconds = Math.floor(Date.parse(at) / 1000);
    const record = { wishId: id, fingerprint, expiresAt: nowSeconds + idempotencyTtlSeconds };
    items.push(idempotencyKeys.take(actor.id, idempotencyKey, record, nowSeconds));
  }
  const outcome = await write(store, items);
  if (!outcome.ok) {
    if (also && outcome.failed.some((f) => f.index === items.indexOf(also))) origin!.refused();
    // Only the key can fail (the wish's id is new): the same key raced in from another request.
    const earlier = idempotencyKey ? await replay(store, actor, idempotencyKey, fingerprint) : undefined;
    if (earlier) return { wish: earlier, replayed: true };
    fail("wish.idempotency_race", "raced");
  }
  return { wish, replayed: false };
}

/**
 * The resident a wish is taken in for: the account of that phone, made if there is none. A resident
 * who never chose a name gets the one staff heard; one who did keeps their own.
 */
async function residentFor(store: Store, who: { phone: string; name: string }) {
  const user = await findOrCreateUser(store, who);
  if (user.name === who.name || hasChosenName(user)) return user;
  const actor = await loadActor(store, user.id);
  return actor ? setProfile(store, actor, { name: who.name }) : user;
}

async function replay(store: Store, actor: Actor, key: string, fingerprint: string) {
  const item = await getItem(store, idempotencyKeys.key(actor.id, key));
  const seen = item && idempotencyKeys.fromItem(item);
  if (!seen || seen.expiresAt < Math.floor(Date.now() / 1000)) return undefined;
  if (seen.fingerprint !== fingerprint) {
    fail("request.idempotency_mismatch", "This Idempotency-Key was used with a different wish; use a new key.");
  }
  return load(store, seen.wishId);
}

export async function approve(
  store: Store,
  actor: Actor,
  id: string,
  input: { slots: number; estimatedMinutes: number; deadline?: string },
) {
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
  // The claim comes in the same read: whoever worked on the wish may not confirm it.
  const { wish, claim } = await loadWithClaim(store, id, actor.id);
  const cap = authorize(actor, wish, "confirm", claim);
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
  return move(
    store,
    wish,
    actor,
    "cancel",
    "cancelled",
    { cancelReason: input.reason, cancelledAt: new Date().toISOString() },
    input.reason,
  );
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
export function present(wish: Wish, caps: Capacity[]) {
  return wishes.present(wish, seenAs(caps), maskPhone);
}

/** The wish's partition (the wish, its claims, its timeline) read strongly consistently, as a step reads it before acting. */
export function readPartition(store: Store, id: string) {
  return queryAll(store, { ...wishes.partition(id), consistent: true });
}

/** The wish's partition key, for `remember` and `written` (store/client.ts). */
export const partitionKey = (id: string) => wishes.key(id).pk;

/** The wish, its active claims, its whole timeline (one query on the wish's partition) and read URLs for its photos. */
export async function view(store: Store, actor: Actor, id: string, bucket?: PhotoBucket) {
  return viewOf(actor, id, await queryAll(store, wishes.partition(id)), bucket);
}

/** The wish as `view` answers it, from its partition's items; not found when `actor` may not see it. */
export async function viewOf(actor: Actor, id: string, items: Item[], bucket?: PhotoBucket) {
  const head = items.find(wishes.isWish);
  if (!head) throw notFound(id);
  const wish = wishes.fromItem(head);
  const active = items.filter(claims.isClaim).map(claims.fromItem);
  const caps = capacities(
    actor,
    wish,
    active.find((c) => c.memberId === actor.id),
  );
  const supervisor = !canSee(caps, wish) && supervising(actor, wish);
  if (!canSee(caps, wish) && !supervisor) throw notFound(id);
  const asks = takeovers.pending(items.filter(takeovers.isTakeover).map(takeovers.fromItem), active);
  return {
    ...present(wish, supervisor ? ["member"] : caps),
    claims: active.map(claims.present),
    timeline: items.filter(events.isEvent).map((e) => events.present(events.fromItem(e))),
    photos: await Photos.readable(bucket, wish.photoKeys),
    completionPhotos: await Photos.readable(bucket, wish.completionPhotoKeys),
    ...(asks.length ? { takeovers: asks } : {}),
  };
}

export type ListQuery = { communityId?: string; status?: Status; mine?: boolean; cursor?: string; limit?: number; skills?: "mine" };

/**
 * Lists by index: a resident's own wishes (in one status, filtered on the index and read on
 * until the page is full), a community's wishes in one status (members see those past review),
 * or all of a community's wishes newest first (staff).
 */
export async function list(store: Store, actor: Actor, q: ListQuery) {
  const limit = q.limit ?? 20;
  if (q.mine) {
    const own = await page(store, wishes.ofOwner(actor.id, q.status), q.cursor, wishes.fromItem, limit);
    return { items: own.items.map((w) => present(w, ["owner"])), cursor: own.cursor };
  }
  if (!q.communityId) fail("request.invalid_query", "Say which wishes: mine=true, or a communityId.", { field: "communityId" });
  const communityId = q.communityId!;
  const staff = hasRole(actor, communityId, "staff");
  const member = hasRole(actor, communityId, "member");
  // Staff above the community read its list as its staff do, shown as a member sees each wish.
  const supervisor = !staff && (await Units.mayRead(store, actor, communityId));
  if (!staff && !member && !supervisor) fail("wish.forbidden", "Only members and staff of this community may list its wishes.");
  if (!staff && !supervisor && (!q.status || q.status === "submitted" || q.status === "rejected")) {
    fail("wish.forbidden", "Members may list wishes once staff have approved them: give a status such as open.");
  }
  const caps: Capacity[] = staff ? ["staff"] : ["member"];
  const query = q.status ? wishes.inStatus(communityId, q.status, { newestFirst: q.status !== "open" }) : wishes.ofCommunity(communityId);
  const found = await page(store, { ...query, limit }, q.cursor, wishes.fromItem);
  // "Matches my skills" narrows the page read; the cursor still walks the whole list.
  const shown = q.skills === "mine" ? found.items.filter((w) => matching(actor.skills ?? [], w).length > 0) : found.items;
  return { items: shown.map((w) => present(w, caps)), cursor: found.cursor };
}

/** A member's active claims with the wishes they are on, newest first. */
export async function tasks(store: Store, actor: Actor, cursor?: string, limit = 20) {
  const held = await page(store, claims.ofMember(actor.id, limit), cursor, claims.fromItem);
  const found = await getMany(
    store,
    held.items.map((c) => wishes.key(c.wishId)),
  );
  const byId = new Map(found.map((w) => [w.id as string, wishes.fromItem(w)]));
  return {
    items: held.items
      .filter((c) => byId.has(c.wishId))
      .map((c) => ({ claim: claims.present(c), wish: present(byId.get(c.wishId)!, ["claimant"]) })),
    cursor: held.cursor,
  };
}
