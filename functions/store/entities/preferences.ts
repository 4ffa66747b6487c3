import type { Item } from "../client.js";
import { tx, type TransactItem } from "../expression.js";

export interface PreferencesRecord {
  userId: string;
  /** notice kinds that also go out by SMS; the defaults when absent */
  sms?: string[];
  categories?: string[];
  subscriptionArn?: string | null;
  updatedAt?: string;
}

export const key = (userId: string) => ({ pk: `U#${userId}`, sk: "PREF" });
export const fromItem = (item: Item): PreferencesRecord => ({
  userId: item.userId,
  sms: item.sms,
  categories: item.categories,
  subscriptionArn: item.subscriptionArn,
  updatedAt: item.updatedAt,
});
export const isPreferences = (item: Item) => item.sk === "PREF";
export const put = (p: PreferencesRecord): TransactItem => tx.put({ ...key(p.userId), type: "preferences", ...p });
