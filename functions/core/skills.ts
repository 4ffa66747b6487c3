/**
 * Members' skills at work: whom staff dispatch to a wish, best first, and which wishes the hall
 * shows a member who asks for those matching their skills. Members' positions are never stored,
 * so distance here is the distance from the wish to the nearest wish the member already has in
 * hand (a volunteer working next door comes first); members with no located task have none.
 */
import { getMany, queryAll, type Store } from "../store/client.js";
import * as claims from "../store/entities/claim.js";
import * as roles from "../store/entities/role.js";
import * as users from "../store/entities/user.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, Wish } from "../store/entities/index.js";
import { fail } from "./errors.js";
import { distanceMeters } from "./geo.js";
import { hasRole, type Actor } from "./identity.js";
import { matching, type Status } from "./model.js";
import { load } from "./wish.js";
import * as Units from "./units.js";

const live: Status[] = ["open", "claimed", "in_progress"];
const batch = 100;

export interface Candidate {
  id: string;
  name: string;
  branchId?: string;
  skills: string[];
  matched: string[];
  tasksInHand: number;
  distanceMeters?: number;
}

export type CandidateOrder = "skill" | "distance" | "load";

const far = Number.POSITIVE_INFINITY;
const by: Record<CandidateOrder, (a: Candidate, b: Candidate) => number> = {
  skill: (a, b) => b.matched.length - a.matched.length,
  distance: (a, b) => (a.distanceMeters ?? far) - (b.distanceMeters ?? far),
  load: (a, b) => a.tasksInHand - b.tasksInHand,
};
/**
 * The order staff ask for decides what comes first; the other two follow in the default's order.
 * By default skills come before load, and load before distance: distance is only nearness to
 * other tasks, so putting it second would favour members who are already busy.
 */
const orders: Record<CandidateOrder, CandidateOrder[]> = {
  skill: ["skill", "load", "distance"],
  distance: ["distance", "skill", "load"],
  load: ["load", "skill", "distance"],
};

/**
 * Members to dispatch to a wish, best first: by default most skills matched (the `skill` asked for,
 * else those the wish's category calls for), then fewest tasks in hand, then nearest (see above),
 * then by name; `sort` puts distance or load first instead. With `skill`, only members who list it.
 * Members already on the wish and its resident are left out.
 */
export async function candidates(
  store: Store,
  actor: Actor,
  id: string,
  q: { skill?: string; sort?: CandidateOrder } = {},
): Promise<{ items: Candidate[] }> {
  const wish = await load(store, id);
  if (!hasRole(actor, wish.communityId, "staff") && !Units.leads(actor, wish.gridId)) {
    if (!hasRole(actor, wish.communityId, "member") && wish.ownerId !== actor.id) fail("wish.not_found", `No wish ${id} that you can see.`);
    fail("wish.forbidden", "Only staff of this community, or the leader of the wish's grid, may see whom to dispatch.");
  }
  const members = (await queryAll(store, roles.ofCommunity(wish.communityId, { role: "member" }))).map(roles.fromItem);
  const people = [];
  for (let i = 0; i < members.length; i += batch) {
    people.push(
      ...(
        await getMany(
          store,
          members.slice(i, i + batch).map((m) => users.key(m.userId)),
        )
      ).map(users.fromItem),
    );
  }
  const skillsOf = new Map(people.map((u) => [u.id, (u as { skills?: string[] }).skills ?? []]));

  const inHand = (await Promise.all(live.map((s) => queryAll(store, wishes.inStatus(wish.communityId, s))))).flat().map(wishes.fromItem);
  const held: { wish: Wish; claim: Claim }[] = (
    await Promise.all(
      inHand.map(async (w) => (await queryAll(store, claims.ofWish(w.id))).map((c) => ({ wish: w, claim: claims.fromItem(c) }))),
    )
  ).flat();
  const onThis = new Set(held.filter((h) => h.wish.id === wish.id).map((h) => h.claim.memberId));
  const inHandCount = new Map<string, number>();
  const nearest = new Map<string, number>();
  for (const { wish: w, claim } of held) {
    inHandCount.set(claim.memberId, (inHandCount.get(claim.memberId) ?? 0) + 1);
    if (w.id !== wish.id && w.location && wish.location) {
      const d = Math.round(distanceMeters(wish.location, w.location));
      nearest.set(claim.memberId, Math.min(d, nearest.get(claim.memberId) ?? Number.POSITIVE_INFINITY));
    }
  }

  const wanted = q.skill ? [q.skill] : undefined;
  const items = members
    .filter((m) => m.userId !== wish.ownerId && !onThis.has(m.userId))
    .map((m): Candidate => {
      const skills = skillsOf.get(m.userId) ?? [];
      return {
        id: m.userId,
        name: m.name,
        branchId: m.branchId,
        skills,
        matched: matching(skills, wish, wanted),
        tasksInHand: inHandCount.get(m.userId) ?? 0,
        distanceMeters: nearest.get(m.userId),
      };
    })
    .filter((c) => !wanted || c.matched.length > 0);
  const keys = orders[q.sort ?? "skill"].map((k) => by[k]);
  items.sort((a, b) => keys.reduce((d, k) => d || k(a, b), 0) || a.name.localeCompare(b.name, "zh-CN"));
  return { items };
}
