/**
 * What reaches a person by SMS, and which new wishes a member wants to hear of. Everything also
 * lands in the in-app inbox; SMS costs money and attention, so it is for what the person chose
 * (by default what a volunteer must not miss). New open wishes go to the wish-events topic; a
 * member's categories become the filter policy of their subscription to it.
 */
import { getMany, queryAll, transact, type Item, type Store } from "../store/client.js";
import { Keys } from "../store/keys.js";
import { noSubscriptions, type Subscriptions } from "../notify/subscriptions.js";
import { langOf, type Lang } from "../notify/templates.js";
import { defaultSmsKinds, type NoticeKind } from "./audience.js";
import { fail } from "./errors.js";
import { jsonLog } from "./log.js";
import type { Actor } from "./identity.js";
import type { CategoryCode } from "./model.js";

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

export function smsKinds(prefs: Item | undefined): readonly NoticeKind[] {
  return prefs?.sms ?? defaultSmsKinds;
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

function shape(actor: Actor, lang: Lang, item: Item | undefined) {
  const prefs = { lang, sms: [...smsKinds(item)], categories: (item?.categories ?? []) as CategoryCode[] };
  return { ...prefs, newWishFilter: newWishFilter(memberOf(actor), prefs) };
}

export async function get(store: Store, actor: Actor) {
  const [item] = await getMany(store, [Keys.preferences(actor.id)]);
  return shape(actor, langOf(actor.lang), item);
}

/**
 * Replaces the person's choices; the language is the user's own and moves with them. Their
 * subscription to new wishes is brought in line first, so what is stored says what SNS does.
 */
export async function put(store: Store, actor: Actor, input: Preferences, subscriptions: Subscriptions = noSubscriptions) {
  const at = new Date().toISOString();
  const [current] = await getMany(store, [Keys.preferences(actor.id)]);
  const categories = [...new Set(input.categories)];
  const subscriptionArn = await subscriptions
    .set({ phone: actor.phone, policy: newWishFilter(memberOf(actor), { lang: input.lang, categories }), current: current?.subscriptionArn })
    .catch((err) => {
      jsonLog("error", "subscriptions.failed", { userId: actor.id, error: String(err?.name ?? err), message: String(err?.message ?? "") });
      return fail("preferences.unavailable", "Your choice of new wishes could not be passed on to the text-message service just now; nothing was changed. Try again in a moment.");
    });
  const item = {
    ...Keys.preferences(actor.id),
    type: "preferences",
    userId: actor.id,
    sms: [...new Set(input.sms)],
    categories,
    subscriptionArn,
    updatedAt: at,
  };
  await transact(
    store,
    [
      { Put: { Item: item } },
      {
        Update: {
          Key: Keys.user(actor.id),
          UpdateExpression: "SET lang = :lang",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":lang": input.lang },
        },
      },
    ],
    () => fail("user.not_found", "This account no longer exists."),
  );
  return shape(actor, input.lang, item);
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
  const items: Item[] = [];
  // Two items a person, and BatchGetItem takes 100 keys.
  for (let i = 0; i < ids.length; i += 50) {
    items.push(...(await getMany(store, ids.slice(i, i + 50).flatMap((id) => [Keys.user(id), Keys.preferences(id)]))));
  }
  const byKey = new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
  const key = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
  return new Map(
    ids.map((id) => {
      const user = byKey.get(key(Keys.user(id)));
      const prefs = byKey.get(key(Keys.preferences(id)));
      return [id, user ? { userId: id, phone: user.phone, lang: langOf(user.lang), sms: smsKinds(prefs) } : undefined];
    }),
  );
}

/**
 * The members whose filter policy takes a topic message: what SNS works out from the
 * subscriptions. Local runs use it to fan topic messages out into the dev outbox.
 */
export async function subscribersMatching(store: Store, attributes: Record<string, string>) {
  const communityId = attributes.community;
  if (!communityId) return [];
  const roles = await queryAll(store, {
    IndexName: "byCommunity",
    KeyConditionExpression: "gsi3pk = :pk",
    FilterExpression: "contains(#roles, :member)",
    ExpressionAttributeNames: { "#roles": "roles" },
    ExpressionAttributeValues: { ":pk": Keys.rolePeople(communityId, "").gsi3pk, ":member": "member" },
  });
  const out: { userId: string; phone: string }[] = [];
  for (let i = 0; i < roles.length; i += 50) {
    const ids = roles.slice(i, i + 50).map((r) => r.userId as string);
    const items = await getMany(store, ids.flatMap((id) => [Keys.user(id), Keys.preferences(id)]));
    for (const id of ids) {
      const user = items.find((x) => x.pk === Keys.user(id).pk && x.sk === Keys.user(id).sk);
      const prefs = items.find((x) => x.pk === Keys.user(id).pk && x.sk === Keys.preferences(id).sk);
      if (!user?.phone || !prefs) continue;
      const policy = newWishFilter([communityId], { lang: langOf(user.lang), categories: prefs.categories ?? [] });
      if (matches(policy, attributes)) out.push({ userId: id, phone: user.phone });
    }
  }
  return out;
}
