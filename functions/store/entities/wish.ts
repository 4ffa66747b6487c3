import type { CategoryCode, Status } from "../../core/model.js";
import type { Item } from "../client.js";
import {
  and,
  atLeast,
  beginsWith,
  below,
  eq,
  le,
  notExists,
  oneOf,
  tx,
  type Condition,
  type KeyQuery,
  type TransactItem,
} from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

export interface LatLng {
  lat: number;
  lng: number;
}

/** A wish as its transitions leave it; each step adds the fields it names. */
export interface Wish {
  id: string;
  communityId: string;
  category: CategoryCode;
  title: string;
  description: string;
  address?: string;
  location?: LatLng;
  window?: { from: string; to: string };
  ownerId: string;
  ownerName: string;
  contactPhone?: string;
  /** staff who typed the wish in for a resident who phoned or walked in */
  takenInBy?: { id: string; name: string };
  status: Status;
  version: number;
  slots: number;
  claimed: number;
  handshakeCode: string;
  createdAt: string;
  updatedAt: string;
  estimatedMinutes?: number;
  deadline?: string;
  approvedAt?: string;
  approvedBy?: string;
  alertedAt?: string;
  firstClaimedAt?: string;
  rejectReason?: string;
  startedAt?: string;
  completedAt?: string;
  completionNote?: string;
  completedBy?: string;
  /** the resident's photos (bucket keys); answers carry short-lived URLs instead */
  photoKeys?: string[];
  /** the volunteers' photos of the work done */
  completionPhotoKeys?: string[];
  rating?: number;
  comment?: string;
  confirmedBy?: string;
  confirmedAt?: string;
  autoConfirmed?: boolean;
  disputeReason?: string;
  cancelReason?: string;
  cancelledAt?: string;
  expiredAt?: string;
  closedAt?: string;
  verifiedBy?: string;
  verifierName?: string;
  staffRating?: number;
  /** the community's place in the organisation tree, its id last: who supervises it reads it by this */
  unitPath?: string[];
  /** the service menu item a resident ordered it from */
  menuItemId?: string;
  /** the branch offering that item, whose members hear of the wish first */
  branchId?: string;
  /** the grid the wish's location falls in, whose leaders hear of it first */
  gridId?: string;
  /** a close too large for one transaction: how many volunteers each transaction credits, and how many are done */
  crediting?: { chunks: number[]; done: number };
}

/** Fields a step may set on the wish besides its status. */
export type WishFields = Partial<
  Omit<Wish, "id" | "communityId" | "ownerId" | "status" | "version" | "createdAt" | "updatedAt" | "claimed">
>;

export const key = (id: string) => ({ pk: `W#${id}`, sk: "W" });
export const byStatusKey = (communityId: string, status: string, createdAt: string, id: string) => ({
  gsi1pk: `C#${communityId}#S#${status}`,
  gsi1sk: `${createdAt}#${id}`,
});
export const byOwnerKey = (ownerId: string, createdAt: string, id: string) => ({ gsi2pk: `U#${ownerId}`, gsi2sk: `W#${createdAt}#${id}` });
export const byCommunityKey = (communityId: string, createdAt: string, id: string) => ({
  gsi3pk: `C#${communityId}#W`,
  gsi3sk: `${createdAt}#${id}`,
});

export function toItem(wish: Wish): Item {
  return {
    ...key(wish.id),
    ...byStatusKey(wish.communityId, wish.status, wish.createdAt, wish.id),
    ...byOwnerKey(wish.ownerId, wish.createdAt, wish.id),
    ...byCommunityKey(wish.communityId, wish.createdAt, wish.id),
    type: "wish",
    ...wish,
  };
}

export const fromItem: (item: Item) => Wish = shapeOf;
export const isWish = (item: Item) => item.sk === "W";

export const create = (wish: Wish): TransactItem => tx.put(toItem(wish), notExists("pk"));

/**
 * Moves a wish: status, index key, version, and the fields given. By default the condition names
 * the version it read, so a wish that changed meanwhile is never clobbered. Steps that many
 * volunteers take side by side (check-in, check-out, release) guard on the states they may leave
 * instead, and move counters by increments, so two volunteers arriving at once do not turn each
 * other away.
 */
export function move(
  wish: Wish,
  to: Status,
  at: string,
  fields: WishFields = {},
  guard: { whenStatus?: readonly Status[]; increment?: { claimed?: number } } = {},
): TransactItem {
  return tx.update(
    key(wish.id),
    {
      set: { ...fields, status: to, updatedAt: at, gsi1pk: byStatusKey(wish.communityId, to, wish.createdAt, wish.id).gsi1pk },
      increment: { version: 1, ...guard.increment },
    },
    guard.whenStatus ? oneOf("status", guard.whenStatus) : eq("version", wish.version),
  );
}

/**
 * Takes `count` places on an open wish. The condition is exact when the wish fills up (its status
 * flips to `claimed` in the same write) and a bound that leaves a place free otherwise, so that
 * concurrent claims on a large wish do not all collide. The first claim ever stamps
 * `firstClaimedAt`, exactly once.
 */
export function takePlaces(wish: Wish, count: number, at: string): { item: TransactItem; to: Status } {
  const to: Status = wish.claimed + count === wish.slots ? "claimed" : "open";
  const first = !wish.firstClaimedAt;
  const room: Condition = to === "claimed" ? eq("claimed", wish.claimed) : le("claimed", wish.slots - count - 1);
  const item = tx.update(
    key(wish.id),
    {
      set: {
        status: to,
        gsi1pk: byStatusKey(wish.communityId, to, wish.createdAt, wish.id).gsi1pk,
        updatedAt: at,
        firstClaimedAt: first ? at : undefined,
      },
      increment: { claimed: count, version: 1 },
    },
    and(eq("status", "open"), room, first && notExists("firstClaimedAt")),
  );
  return { item, to };
}

/** Notes that staff heard of an open wish nobody claimed: once, and only while that is still so. */
export const alerted = (wish: Wish, at: string): TransactItem =>
  tx.update(key(wish.id), { set: { alertedAt: at } }, and(eq("status", "open"), eq("claimed", 0), notExists("alertedAt")));

/** A condition that the wish is still in one of these states, for steps that write beside it. */
export const stillIn = (wish: Wish, statuses: readonly Status[]): TransactItem => tx.check(key(wish.id), oneOf("status", statuses));

/** Advances a split close by one transaction; the condition names the progress it expects. */
export function creditingStep(id: string, done: number, last: boolean): TransactItem {
  return tx.update(key(id), last ? { remove: ["crediting"] } : { set: { "crediting.done": done + 1 } }, eq("crediting.done", done));
}

/** The wish's partition: the wish, its active claims and its timeline. */
export const partition = (id: string): KeyQuery => ({ pk: key(id).pk });
/** A resident's own wishes, newest first; filtered to one status when given. */
export const ofOwner = (ownerId: string, status?: Status): KeyQuery => ({
  index: "byUser",
  pk: `U#${ownerId}`,
  sk: beginsWith("W#"),
  forward: false,
  filter: status && eq("status", status),
});
/** A community's wishes in one status, oldest first (or newest first); `createdBefore` bounds the range. */
export const inStatus = (communityId: string, status: Status, opts: { newestFirst?: boolean; createdBefore?: string } = {}): KeyQuery => ({
  index: "byStatus",
  pk: byStatusKey(communityId, status, "", "").gsi1pk,
  sk: opts.createdBefore ? below(opts.createdBefore) : undefined,
  forward: !opts.newestFirst,
});
/**
 * A community's wishes in one status and category posted since a time: a range on the status
 * index's sort key (creation time first), the category filtered on the read.
 */
export const inStatusSince = (communityId: string, status: Status, since: string, category: CategoryCode): KeyQuery => ({
  index: "byStatus",
  pk: byStatusKey(communityId, status, "", "").gsi1pk,
  sk: atLeast(since),
  filter: eq("category", category),
});
/** A community's wishes, newest first. */
export const ofCommunity = (communityId: string): KeyQuery => ({
  index: "byCommunity",
  pk: byCommunityKey(communityId, "", "").gsi3pk,
  forward: false,
});

/** The capacity in which someone sees a wish. */
export type Audience = "owner" | "staff" | "claimant" | "member" | "system";

/** What everyone who may see the wish at all sees. */
const shown = fields(`
  id communityId category title description address location window ownerId ownerName takenInBy status version
  slots claimed createdAt updatedAt estimatedMinutes deadline approvedAt approvedBy alertedAt
  firstClaimedAt rejectReason startedAt completedAt completionNote completedBy rating comment
  confirmedBy confirmedAt autoConfirmed disputeReason cancelReason cancelledAt expiredAt closedAt
  verifiedBy verifierName staffRating crediting unitPath gridId menuItemId branchId
`) satisfies (keyof Wish)[];
/**
 * What a neighbour about to post sees of a wish that may be the same thing: what and when, how far
 * along; never who, where exactly, or how to reach them.
 */
const hinted = fields("id communityId category title status slots claimed createdAt") satisfies (keyof Wish)[];
export const presentHint = (wish: Wish) => pick(wish, hinted);

/**
 * States in which a volunteer holding a claim still has the work to do, and so may need to call
 * the resident. Once they mark it done (`completed`; a dispute brings it back to `in_progress`),
 * or the wish ends, their claim stays as a record but the number is masked for them again.
 */
export const reachableWhile: readonly Status[] = ["open", "claimed", "in_progress"];

/**
 * Only the resident and staff see the handshake code; they, and volunteers holding a claim while
 * the work is still to do, see the full phone.
 */
export type PresenterCovers = Proven<
  Decided<Wish, (typeof shown)[number], "handshakeCode" | "contactPhone" | "photoKeys" | "completionPhotoKeys">
>;

/** The wish as a given person sees it: the handshake code and the resident's full phone only for those entitled. */
export function present(wish: Wish, audiences: readonly Audience[], mask: (phone: string) => string) {
  const privileged = audiences.includes("owner") || audiences.includes("staff");
  const working = audiences.includes("claimant") && reachableWhile.includes(wish.status);
  return {
    ...pick(wish, shown),
    ...(privileged ? { handshakeCode: wish.handshakeCode } : {}),
    contactPhone: privileged || working ? wish.contactPhone : mask(wish.contactPhone ?? ""),
  };
}
