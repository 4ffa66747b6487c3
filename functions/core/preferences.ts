/**
 * What reaches a person by SMS, and which new wishes a member wants to hear of. Everything also
 * lands in the in-app inbox; SMS costs money and attention, so it is for what the person chose
 * (by default what a volunteer must not miss). New open wishes go to the wish-events topic; a
 * member's categories become the filter policy of their subscription to it.
 */
import { getMany, queryAll, type Store } from "../store/client.js";
import * as preferences from "../store/entities/preferences.js";
import * as roles from "../store/entities/role.js";
import * as users from "../store/entities/user.js";
import type { PreferencesRecord, UserRecord } from "../store/entities/index.js";
import { noSubscriptions, type Subscriptions } from "../notify/subscriptions.js";
import { langOf, type Lang } from "../notify/templates.js";
import { defaultSmsKinds, type NoticeKind } from "./audience.js";
import { fail } from "./errors.js";
import { jsonLog } from "./log.js";
import type { Actor } from "./identity.js";
import type { CategoryCode } from "./model.js";
import { write } from "./storage.js";

export interface Preferences {
  lang: Lang;
  /** notice kinds that also go out by SMS */
  sms: NoticeKind[];
  /** categories of new open wishes to hear of by SMS; none by default */
  categories: CategoryCode[];
}

export type FilterPolicy = Record<string, string[]>;

/** The message type of a new open wish on the topic. */
export const newWishType = "wish.open";

export function smsKinds(prefs: PreferencesRecord | undefined): readonly NoticeKind[] {
  return (prefs?.sms as NoticeKind[] | undefined) ?? defaultSmsKinds;
}

/**
 * The SNS subscription filter policy for a member's choice: their communities, the categories
 * they picked, new open wishes only, in their language. No categories, or no community where
 * they volunteer: no subscription at all.
 */
export function newWishFilter(communities: string[], prefs: Pick<Preferences, "lang" | "categories">): FilterPolicy | null {
  if (communities.length === 0 || prefs.categories.length === 0) return null;
  return { community: [...communities].sort(), category: [...prefs.categories], type: [newWishType], lang: [prefs.lang] };
}

/** SNS's exact-match filter policy semantics: every key present, each value one of the listed. */
export function matches(policy: FilterPolicy | null, attributes: Record<string, string>): boolean {
  if (!policy) return false;
  return Object.entries(policy).every(([key, allowed]) => attributes[key] !== undefined && allowed.includes(attributes[key]));
}

function memberOf(actor: Actor) {
  return actor.communities.filter((m) => m.roles.includes("member")).map((m) => m.communityId);
}

function shape(actor: Actor, lang: Lang, stored: PreferencesRecord | undefined) {
  const prefs = { lang, sms: [...smsKinds(stored)], categories: (stored?.categories ?? []) as CategoryCode[] };
  return { ...prefs, newWishFilter: newWishFilter(memberOf(actor), prefs) };
}

export async function get(store: Store, actor: Actor) {
  const [item] = await getMany(store, [preferences.key(actor.id)]);
  return shape(actor, langOf(actor.lang), item && preferences.fromItem(item));
}

/**
 * Replaces the person's choices; the language is the user's own and moves with them. Their
 * subscription to new wishes is brought in line first, so what is stored says what SNS does.
 */
export async function put(store: Store, actor: Actor, input: Preferences, subscriptions: Subscriptions = noSubscriptions) {
  const at = new Date().toISOString();
  const [item] = await getMany(store, [preferences.key(actor.id)]);
  const current = item && preferences.fromItem(item);
  const categories = [...new Set(input.categories)];
  const subscriptionArn = await subscriptions
    .set({
      phone: actor.phone,
      policy: newWishFilter(memberOf(actor), { lang: input.lang, categories }),
      current: current?.subscriptionArn ?? undefined,
    })
    .catch((err) => {
      jsonLog("error", "subscriptions.failed", { userId: actor.id, error: String(err?.name ?? err), message: String(err?.message ?? "") });
      return fail(
        "preferences.unavailable",
        "Your choice of new wishes could not be passed on to the text-message service just now; nothing was changed. Try again in a " +
          "moment.",
      );
    });
  const chosen: PreferencesRecord = { userId: actor.id, sms: [...new Set(input.sms)], categories, subscriptionArn, updatedAt: at };
  const outcome = await write(store, [preferences.put(chosen), users.setLang(actor.id, input.lang)]);
  if (!outcome.ok) fail("user.not_found", "This account no longer exists.");
  return shape(actor, input.lang, chosen);
}

export interface Recipient {
  userId: string;
  phone?: string;
  lang: Lang;
  sms: readonly NoticeKind[];
}

/** The people notices go to: phone, language and SMS choices, in one batch read. */
export async function recipients(store: Store, userIds: string[]): Promise<Map<string, Recipient | undefined>> {
  const ids = [...new Set(userIds)];
  const people = new Map<string, { user?: UserRecord; prefs?: PreferencesRecord }>(ids.map((id) => [id, {}]));
  // Two items a person, and BatchGetItem takes 100 keys.
  for (let i = 0; i < ids.length; i += 50) {
    await readPeople(store, ids.slice(i, i + 50), people);
  }
  return new Map(
    ids.map((id) => {
      const { user, prefs } = people.get(id)!;
      return [id, user ? { userId: id, phone: user.phone, lang: langOf(user.lang), sms: smsKinds(prefs) } : undefined];
    }),
  );
}

/** Users and their preferences in one batch read, filed by user id. */
async function readPeople(store: Store, ids: string[], into: Map<string, { user?: UserRecord; prefs?: PreferencesRecord }>) {
  for (const item of await getMany(
    store,
    ids.flatMap((id) => [users.key(id), preferences.key(id)]),
  )) {
    const userId = String(item.pk).slice(2);
    const entry = into.get(userId) ?? {};
    if (users.isUser(item)) entry.user = users.fromItem(item);
    if (preferences.isPreferences(item)) entry.prefs = preferences.fromItem(item);
    into.set(userId, entry);
  }
}

/**
 * The members whose filter policy takes a topic message: what SNS works out from the
 * subscriptions. Local runs use it to fan topic messages out into the dev outbox.
 */
export async function subscribersMatching(store: Store, attributes: Record<string, string>) {
  const communityId = attributes.community;
  if (!communityId) return [];
  const members = (await queryAll(store, roles.ofCommunity(communityId, { role: "member" }))).map(roles.fromItem);
  const out: { userId: string; phone: string }[] = [];
  for (let i = 0; i < members.length; i += 50) {
    const ids = members.slice(i, i + 50).map((r) => r.userId);
    const people = new Map<string, { user?: UserRecord; prefs?: PreferencesRecord }>();
    await readPeople(store, ids, people);
    for (const id of ids) {
      const { user, prefs } = people.get(id) ?? {};
      if (!user?.phone || !prefs) continue;
      const policy = newWishFilter([communityId], { lang: langOf(user.lang), categories: (prefs.categories ?? []) as CategoryCode[] });
      if (matches(policy, attributes)) out.push({ userId: id, phone: user.phone });
    }
  }
  return out;
}
