import type { Item } from "../client.js";
import { eq, tx, type KeyQuery, type TransactItem } from "../expression.js";

/**
 * A member who wants to hear of new wishes of one category in one community: one item per
 * (community, category, member), written and deleted with the member's preferences. The stream
 * handler reads one partition for a wish just opened, however many members chose it.
 */
export interface NewWishSubscriber {
  communityId: string;
  category: string;
  userId: string;
  /** wants the morning SMS digest */
  digest?: boolean;
}

export const key = (communityId: string, category: string, userId: string) => ({ pk: `NW#${communityId}#${category}`, sk: `U#${userId}` });

export const put = (s: NewWishSubscriber, at: string): TransactItem =>
  tx.put({ ...key(s.communityId, s.category, s.userId), type: "new-wish-subscriber", ...s, since: at });
export const remove = (s: NewWishSubscriber): TransactItem => tx.delete(key(s.communityId, s.category, s.userId));
export const fromItem = (item: Item): NewWishSubscriber => ({
  communityId: String(item.communityId),
  category: String(item.category),
  userId: String(item.userId),
  digest: Boolean(item.digest),
});

/** Everyone who chose this category in this community; those who want the digest only, when asked. */
export const of = (communityId: string, category: string, opts: { digest?: boolean } = {}): KeyQuery => ({
  pk: key(communityId, category, "").pk,
  filter: opts.digest ? eq("digest", true) : undefined,
});
