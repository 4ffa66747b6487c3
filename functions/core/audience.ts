/**
 * Who hears of what. Each event of a wish's timeline (and each reminder or alert the jobs append)
 * becomes at most one notice per person: residents hear how their wish is doing, volunteers hear
 * of the tasks they hold, staff hear what needs them. Nobody hears of their own step, except the
 * volunteer whose claim is confirmed.
 */
import { getItem, getMany, queryAll, type Store } from "../store/client.js";
import * as claims from "../store/entities/claim.js";
import * as subscribers from "../store/entities/new-wish-subscriber.js";
import * as roles from "../store/entities/role.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, WishEvent } from "../store/entities/index.js";
import * as Units from "./units.js";

export const noticeKinds = [
  // to the resident who posted the wish, or for whom staff took it in
  "wish-taken-in",
  "wish-approved",
  "wish-rejected",
  "wish-claimed",
  "wish-released",
  "wish-started",
  "wish-completed",
  "wish-cancelled",
  "wish-expired",
  // to volunteers, about the tasks they hold
  "task-dispatched",
  "task-confirmed",
  "task-cancelled",
  "task-reminder",
  "task-disputed",
  "task-verified",
  "task-lapsing",
  "task-lapsed",
  "task-takeover-asked",
  "task-handed-over",
  "task-taken-over",
  "menu-ordered",
  // to members who chose the wish's category
  "new-wish",
  // to the leaders of the grid a new wish falls in
  "grid-wish-posted",
  // to the community's staff
  "review-needed",
  "dispatch-declined",
  "wish-waiting",
  "claim-lapsed",
  "claim-extended",
  "takeover-requested",
  // activities and notices
  "activity-absent",
  "activity-verified",
  "notice",
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** What reaches a phone by SMS unless the person says otherwise: what a volunteer must not miss. */
export const defaultSmsKinds: readonly NoticeKind[] = [
  "task-dispatched",
  "task-confirmed",
  "task-cancelled",
  "task-reminder",
  "task-lapsing",
  "task-lapsed",
  "task-handed-over",
  "task-taken-over",
  "grid-wish-posted",
  "menu-ordered",
];

/**
 * What always goes by SMS, whatever the person chose: a resident whose wish staff took in may have
 * no smartphone, and the text is how they learn the code to give the volunteer.
 */
export const alwaysSmsKinds: readonly NoticeKind[] = ["wish-taken-in"];

/**
 * New wishes reach members in the app; by SMS only as the daily digest they may ask for
 * (core/digest.ts), one text a day however many wishes came in.
 */
export const smsNoticeKinds = noticeKinds.filter((k) => k !== "new-wish") as [NoticeKind, ...NoticeKind[]];

/** The wish's facts a message may quote, as they were when the event was handled. */
export interface NoticeParams {
  title: string;
  actor?: string;
  names?: string[];
  note?: string;
  address?: string;
  window?: { from: string; to: string };
  minutes?: number;
  hours?: number;
  category?: string;
  /** a task called off because the wish passed its deadline, not by a person */
  expired?: boolean;
  /** a claim's deadline: when it lapses unless its holder checks in */
  until?: string;
  /** the handshake code, for the resident only */
  code?: string;
}

/** Who hears of an activity's step: the members it names (absence, credit). */
export function activityAudience(
  event: { kind: string; actorId: string; data?: Record<string, unknown> },
  activity: { title: string; address?: string; window?: { from: string; to: string } },
): Notice[] {
  const params: NoticeParams = { title: activity.title, address: activity.address, window: activity.window };
  if (event.kind === "absent") {
    return ((event.data?.memberIds ?? []) as string[]).map((userId) => ({ userId, kind: "activity-absent" as const, params }));
  }
  if (event.kind === "verify") {
    return ((event.data?.credits ?? []) as { memberId: string; minutes: number }[])
      .filter((c) => c.minutes > 0)
      .map((c) => ({ userId: c.memberId, kind: "activity-verified" as const, params: { ...params, minutes: c.minutes } }));
  }
  return [];
}

export interface Notice {
  userId: string;
  kind: NoticeKind;
  params: NoticeParams;
}

export interface Audience {
  notices: Notice[];
  /** a new open wish, for the wish-events topic that integrations subscribe to */
  topic?: { communityId: string; category: string; params: NoticeParams };
}

/** The staff of a community, from the role items on the community index. */
export async function staffOf(store: Store, communityId: string): Promise<string[]> {
  return (await queryAll(store, roles.ofCommunity(communityId, { role: "staff" }))).map((r) => roles.fromItem(r).userId);
}

/**
 * The members who chose this category in this community and volunteer there still: one query on
 * the subscriber index, then their roles in batches (a member who left keeps no say in the index).
 */
export async function subscribersOf(store: Store, communityId: string, category: string): Promise<string[]> {
  const filed = (await queryAll(store, subscribers.of(communityId, category))).map((i) => subscribers.fromItem(i).userId);
  const out = new Set<string>();
  for (let i = 0; i < filed.length; i += 100) {
    const found = await getMany(
      store,
      filed.slice(i, i + 100).map((userId) => roles.key(userId, communityId)),
    );
    for (const r of found.map(roles.fromItem)) if (r.roles.includes("member")) out.add(r.userId);
  }
  return filed.filter((id) => out.has(id));
}

/**
 * The members of one branch. A wish ordered from the service menu goes first to the branch that
 * offers the item: when staff approve it, each of the branch's members is told by name (in the app,
 * and by SMS unless they opt out), before and whatever their category choices; the rest of the
 * community hears as of any new wish (the members who chose its category, and the topic).
 */
async function branchMembers(store: Store, communityId: string, branchId: string): Promise<string[]> {
  return (await queryAll(store, roles.ofCommunity(communityId, { role: "member" })))
    .map(roles.fromItem)
    .filter((r) => r.branchId === branchId)
    .map((r) => r.userId);
}

async function claimsOf(store: Store, wishId: string): Promise<Claim[]> {
  return (await queryAll(store, claims.ofWish(wishId))).map(claims.fromItem);
}

export async function audience(store: Store, event: WishEvent): Promise<Audience> {
  const item = await getItem(store, wishes.key(event.wishId));
  if (!item) return { notices: [] };
  const wish = wishes.fromItem(item);
  const params: NoticeParams = {
    title: wish.title,
    actor: event.actorName,
    note: event.note,
    address: wish.address,
    window: wish.window,
    category: wish.category,
  };
  const notices: Notice[] = [];
  const tell = (userIds: string[], kind: NoticeKind, extra: Partial<NoticeParams> = {}) => {
    for (const userId of userIds) {
      if (userId === event.actorId && kind !== "task-confirmed") continue;
      // One notice per person per event: the first rule that names someone decides what they hear.
      if (notices.some((n) => n.userId === userId)) continue;
      notices.push({ userId, kind, params: { ...params, ...extra } });
    }
  };
  const owner = [wish.ownerId];
  const memberIds = (event.data?.memberIds ?? []) as string[];
  const claimants = async () => (await claimsOf(store, wish.id)).map((c) => c.memberId);
  const claimedBy = async () => (await claimsOf(store, wish.id)).map((c) => c.memberName);

  let topic: Audience["topic"];
  switch (event.kind) {
    case "submit":
      if (event.data?.takenInFor === wish.ownerId) tell(owner, "wish-taken-in", { code: wish.handshakeCode });
      // The grid's leaders answer for its people: they hear first, before the community's staff.
      if (wish.gridId) tell(await Units.leadersOf(store, wish.gridId), "grid-wish-posted");
      tell(await staffOf(store, wish.communityId), "review-needed");
      break;
    case "approve":
      if (wish.branchId)
        tell(
          (await branchMembers(store, wish.communityId, wish.branchId)).filter((id) => id !== wish.ownerId),
          "menu-ordered",
        );
      tell(owner, "wish-approved");
      tell(await subscribersOf(store, wish.communityId, wish.category), "new-wish");
      topic = { communityId: wish.communityId, category: wish.category, params };
      break;
    case "reject":
      tell(owner, "wish-rejected");
      break;
    case "claim":
    case "dispatch":
      tell(memberIds, event.kind === "claim" ? "task-confirmed" : "task-dispatched");
      // The resident hears once every place is taken, with everyone who is coming.
      if (event.to === "claimed") tell(owner, "wish-claimed", { names: await claimedBy() });
      break;
    case "release":
    case "decline":
      if (event.from === "claimed") tell(owner, "wish-released");
      if (event.kind === "decline") tell(await staffOf(store, wish.communityId), "dispatch-declined");
      break;
    case "check-in":
      if (event.from !== "in_progress") tell(owner, "wish-started");
      break;
    case "complete":
      tell(owner, "wish-completed");
      break;
    case "dispute":
      tell(await claimants(), "task-disputed");
      break;
    case "verify":
      for (const credit of (event.data?.credits ?? []) as { memberId: string; minutes: number }[]) {
        if (credit.minutes > 0) tell([credit.memberId], "task-verified", { minutes: credit.minutes });
      }
      break;
    case "cancel":
      tell(owner, "wish-cancelled");
      tell(await claimants(), "task-cancelled");
      break;
    case "expire":
      tell(owner, "wish-expired");
      tell(await claimants(), "task-cancelled", { note: undefined, expired: true });
      break;
    case "remind":
      tell(memberIds, "task-reminder");
      break;
    case "alert":
      tell(await staffOf(store, wish.communityId), "wish-waiting", { hours: event.data?.hours });
      break;
    case "warn":
      tell(memberIds, "task-lapsing", { until: event.data?.releaseAt });
      break;
    case "lapse": {
      const holder = { actor: event.data?.memberName, minutes: event.data?.minutes };
      tell(memberIds, "task-lapsed", holder);
      if (event.from === "claimed") tell(owner, "wish-released", holder);
      tell(await staffOf(store, wish.communityId), "claim-lapsed", holder);
      break;
    }
    case "extend":
      tell(await staffOf(store, wish.communityId), "claim-extended", { until: event.data?.until });
      break;
    case "ask-takeover":
      tell(memberIds, "task-takeover-asked");
      tell(await staffOf(store, wish.communityId), "takeover-requested", { names: [event.data?.holderName] });
      break;
    case "takeover":
      tell(memberIds, "task-handed-over", { names: [event.data?.fromMemberName] });
      tell([event.data?.fromMemberId], "task-taken-over");
      break;
  }
  return { notices, topic };
}
