import { get } from "./api";
import { chooseCommunity, communityId, me, rememberCommunity } from "./session";
import type { Community, Page, Wish } from "./types";

/**
 * Which community the app serves the person in. A link a community shares (`/?c=ID`, e.g. on a
 * QR poster) decides; then a community the person has a role in; then the community of their
 * last wish; then the build's default (`VITE_COMMUNITY_ID`); locally, the demo community.
 */
export async function resolveCommunity(): Promise<string | undefined> {
  const fromLink = new URLSearchParams(location.search).get("c");
  if (fromLink && /^[A-Za-z0-9_-]{1,64}$/.test(fromLink)) {
    chooseCommunity(fromLink);
    return fromLink;
  }
  if (communityId()) return communityId();
  const who = me();
  if (who?.communities[0]) {
    chooseCommunity(who.communities[0].communityId);
    return communityId();
  }
  const candidates: (() => Promise<string | undefined>)[] = [
    async () => (who ? (await get<Page<Wish>>("/api/wishes?mine=true&limit=1")).items[0]?.communityId : undefined),
    async () => import.meta.env.VITE_COMMUNITY_ID,
    async () => (await get<{ communityId: string }>("/api/dev/demo")).communityId,
  ];
  for (const next of candidates) {
    const id = await next().catch(() => undefined);
    if (id) {
      chooseCommunity(id);
      return id;
    }
  }
  return undefined;
}

/**
 * Takes the community GET /api/me named as the one the app opens in, details and all, unless the
 * person chose another one on this phone: nothing more to read for it.
 */
export function openIn(home: Community) {
  if (communityId() && communityId() !== home.id) return;
  chooseCommunity(home.id);
  rememberCommunity(home);
}

const loading = new Map<string, Promise<Community>>();

/** The community's details, remembered; asked for once however many times it is wanted meanwhile. */
export function loadCommunity(id: string): Promise<Community> {
  let pending = loading.get(id);
  if (!pending) {
    pending = get<Community>(`/api/communities/${encodeURIComponent(id)}`)
      .then((c) => {
        rememberCommunity(c);
        return c;
      })
      .finally(() => loading.delete(id));
    loading.set(id, pending);
  }
  return pending;
}
