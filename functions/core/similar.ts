/**
 * Duplicate hints: before posting, a neighbour sees the wishes still being done nearby that may be
 * the same thing (the broken stair light two residents report on the same day).
 */
import { queryAll, type Store } from "../store/client.js";
import * as wishes from "../store/entities/wish.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { distanceMeters } from "./geo.js";
import type { Actor } from "./identity.js";
import type { CategoryCode, Status } from "./model.js";
import type { LatLng } from "./wish.js";

export const radiusMeters = 50;
export const withinDays = 7;
/** Past review and not yet done: what a neighbour would otherwise post again. */
export const stillOpen: readonly Status[] = ["open", "claimed", "in_progress"];
const shown = 5;

export interface SimilarQuery extends LatLng {
  communityId: string;
  category: CategoryCode;
}

/**
 * The nearest few, nearest first. Anyone signed in may post in a community, so anyone signed in
 * may ask. No geographic index: the status index holds a community's wishes by status in order of
 * posting, so the last week is one key range per status, the category a filter on that read, and
 * the 50 m a distance taken here. A community has tens of such wishes in a week, not thousands;
 * a county-wide search would want a geohash key instead.
 */
export async function near(store: Store, _actor: Actor, q: SimilarQuery, now = Date.now()) {
  if (!(await Community.exists(store, q.communityId))) fail("community.not_found", `No community ${q.communityId}.`);
  const since = new Date(now - withinDays * 24 * 3600_000).toISOString();
  const found = await Promise.all(
    stillOpen.map((status) => queryAll(store, wishes.inStatusSince(q.communityId, status, since, q.category))),
  );
  const here = { lat: q.lat, lng: q.lng };
  const items = found
    .flat()
    .map(wishes.fromItem)
    .flatMap((w) => (w.location ? [{ wish: w, meters: distanceMeters(here, w.location) }] : []))
    .filter((n) => n.meters <= radiusMeters)
    .sort((a, b) => a.meters - b.meters)
    .slice(0, shown)
    .map((n) => ({ ...wishes.presentHint(n.wish), distanceMeters: Math.round(n.meters) }));
  return { items };
}
