import { createMemo, createRoot, createSignal } from "solid-js";
import type { Community, Me, Role } from "./types";

/**
 * Who is signed in, in which community and which role they are acting in. Kept in
 * localStorage so that the app opens signed in, and offline with what it last knew.
 */
const store = {
  read<T>(key: string): T | undefined {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  },
  write(key: string, value: unknown) {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Private modes without storage still work for this visit.
    }
  },
};

const [tokenSignal, setToken] = createSignal<string | undefined>(store.read("mw.token"));
const [meSignal, setMe] = createSignal<Me | undefined>(store.read("mw.me"));
const [chosenRole, setChosenRole] = createSignal<Role | undefined>(store.read("mw.role"));
const [communityIdSignal, setCommunityId] = createSignal<string | undefined>(store.read("mw.community"));
const [communitySignal, setCommunity] = createSignal<Community | undefined>(store.read("mw.communityInfo"));
const [expired, setExpired] = createSignal(false);

export const token = tokenSignal;
export const me = meSignal;
export const community = communitySignal;
export const sessionExpired = expired;

export function signIn(t: string, who: Me, refresh?: string) {
  setToken(t);
  store.write("mw.token", t);
  if (refresh) store.write("mw.refresh", refresh);
  setExpired(false);
  updateMe(who);
}

export function updateMe(who: Me) {
  setMe(who);
  store.write("mw.me", who);
  const first = who.communities[0]?.communityId;
  if (first && !who.communities.some((m) => m.communityId === communityIdSignal())) chooseCommunity(first);
}

export function signOut() {
  setToken(undefined);
  setMe(undefined);
  setChosenRole(undefined);
  for (const k of ["mw.token", "mw.refresh", "mw.me", "mw.role"]) store.write(k, undefined);
  // The lists kept for offline are this person's: the next one to sign in on the phone does not see them.
  try {
    for (const k of Object.keys(localStorage)) if (k.startsWith("mw.list.")) localStorage.removeItem(k);
  } catch {
    // No storage: nothing was kept.
  }
}

/** The refresh token kept on the phone, read fresh each time: another tab may have traded it already. */
export const refreshToken = () => store.read<string>("mw.refresh");

/** Takes the pair a refresh gave; the person's details come with it. */
export function refreshed(t: string, refresh: string, who: Me) {
  setToken(t);
  store.write("mw.token", t);
  store.write("mw.refresh", refresh);
  updateMe(who);
}

/** A token the server no longer accepts: back to sign-in, saying why. */
export function signOutExpired() {
  signOut();
  setExpired(true);
}

export function chooseCommunity(id: string) {
  setCommunityId(id);
  store.write("mw.community", id);
}

export const communityId = communityIdSignal;

export function rememberCommunity(c: Community) {
  // The same details read again (GET /api/me brings them at every opening) change nothing on screen:
  // a page drawn from the kept copy keeps its controls, and the focus and choice in them.
  if (JSON.stringify(c) === JSON.stringify(communitySignal())) return;
  setCommunity(c);
  store.write("mw.communityInfo", c);
}

/** Everyone signed in may post wishes; member and staff come from the community's roles. */
export const roles = createRoot(() =>
  createMemo<Role[]>(() => {
    const who = meSignal();
    if (!who) return [];
    const membership = who.communities.find((m) => m.communityId === communityIdSignal());
    const out: Role[] = [];
    if (membership?.roles.includes("staff") || who.admin) out.push("staff");
    if (membership?.roles.includes("member")) out.push("member");
    out.push("resident");
    return out;
  }),
);

export const role = createRoot(() =>
  createMemo<Role>(() => {
    const mine = roles();
    const chosen = chosenRole();
    return chosen && mine.includes(chosen) ? chosen : (mine[0] ?? "resident");
  }),
);

export function chooseRole(r: Role) {
  setChosenRole(r);
  store.write("mw.role", r);
}

/** The county or street a person is staff of: its dashboard is their home. */
export const supervised = () =>
  meSignal()?.units.find((u) => u.roles.includes("staff") && (u.kind === "county" || u.kind === "street"))?.unitId;

export const homeOf = (r: Role) =>
  r === "staff" ? "/review" : r === "member" ? "/hall" : supervised() ? `/units/${supervised()}` : "/mine";
