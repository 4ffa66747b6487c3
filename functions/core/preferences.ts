/**
 * What reaches a person by SMS, and which new wishes a member wants to hear of. Everything also
 * lands in the in-app inbox; SMS costs money and attention, so it is for what the person chose
 * (by default what a volunteer must not miss). A member's categories are filed as new-wish
 * subscribers per community and category, which the stream handler reads when a wish opens.
 */
import { getMany, type Store } from "../store/client.js";
import * as preferences from "../store/entities/preferences.js";
import * as subscribers from "../store/entities/new-wish-subscriber.js";
import * as users from "../store/entities/user.js";
import type { PreferencesRecord, UserRecord } from "../store/entities/index.js";
import type { NewWishSubscriber } from "../store/entities/new-wish-subscriber.js";
import type { TransactItem } from "../store/expression.js";
import { langOf, type Lang } from "../notify/templates.js";
import { defaultSmsKinds, type NoticeKind } from "./audience.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import type { CategoryCode } from "./model.js";
import { write } from "./storage.js";

export interface Preferences {
  lang: Lang;
  /** notice kinds that also go out by SMS */
  sms: NoticeKind[];
  /** categories of new open wishes to hear of; none by default */
  categories: CategoryCode[];
  /** the morning SMS digest of new wishes; unchanged when not given */
  digest?: boolean;
}

/** The message type of a new open wish on the wish-events topic, for integrations. */
export const newWishType = "wish.open";

export function smsKinds(prefs: PreferencesRecord | undefined): readonly NoticeKind[] {
  return (prefs?.sms as NoticeKind[] | undefined) ?? defaultSmsKinds;
}

function memberOf(actor: Actor) {
  return actor.communities.filter((m) => m.roles.includes("member")).map((m) => m.communityId);
}

function shape(lang: Lang, stored: PreferencesRecord | undefined) {
  return {
    lang,
    sms: [...smsKinds(stored)],
    categories: (stored?.categories ?? []) as CategoryCode[],
    communities: stored?.categories?.length ? (stored.communities ?? []) : [],
    digest: Boolean(stored?.digest),
  };
}

export async function get(store: Store, actor: Actor) {
  const [item] = await getMany(store, [preferences.key(actor.id)]);
  return shape(langOf(actor.lang), item && preferences.fromItem(item));
}

/** The (community, category) pairs a choice files the member under. */
function filed(userId: string, communities: string[], categories: string[], digest: boolean): NewWishSubscriber[] {
  return communities.flatMap((communityId) => categories.map((category) => ({ communityId, category, userId, digest })));
}

/** A transaction holds 100 items: the preferences and the user take two. */
const filedPerWrite = 98;

/**
 * Replaces the person's choices; the language is the user's own and moves with them. The member
 * is filed as a new-wish subscriber under each community they volunteer in and each category they
 * chose, and taken out of those they no longer choose, in the same transaction as the choice
 * itself, so what is stored says who hears of a new wish.
 */
export async function put(store: Store, actor: Actor, input: Preferences) {
  const at = new Date().toISOString();
  const [item] = await getMany(store, [preferences.key(actor.id)]);
  const current = item && preferences.fromItem(item);
  const categories = [...new Set(input.categories)];
  const communities = categories.length ? memberOf(actor).sort() : [];
  const digest = input.digest ?? Boolean(current?.digest);
  const now = filed(actor.id, communities, categories, digest);
  const before = filed(actor.id, current?.communities ?? [], current?.categories ?? [], false);
  const same = (a: NewWishSubscriber, b: NewWishSubscriber) => a.communityId === b.communityId && a.category === b.category;
  const changes: TransactItem[] = [
    ...before.filter((b) => !now.some((n) => same(n, b))).map(subscribers.remove),
    // Every pair is written again, so the digest choice is on each of them.
    ...now.map((n) => subscribers.put(n, at)),
  ];
  const chosen: PreferencesRecord = { userId: actor.id, sms: [...new Set(input.sms)], categories, communities, digest, updatedAt: at };
  // A member of many communities choosing many categories: the filing goes first, in parts (each
  // safe to repeat), and the choice is stored last, with the final part.
  while (changes.length > filedPerWrite) {
    const outcome = await write(store, changes.splice(0, filedPerWrite));
    if (!outcome.ok) fail("user.not_found", "This account no longer exists.");
  }
  const outcome = await write(store, [...changes, preferences.put(chosen), users.setLang(actor.id, input.lang)]);
  if (!outcome.ok) fail("user.not_found", "This account no longer exists.");
  return shape(input.lang, chosen);
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
