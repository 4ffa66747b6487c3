import type { Item } from "../client.js";
import { tx, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

export interface PreferencesRecord {
  userId: string;
  /** notice kinds that also go out by SMS; the defaults when absent */
  sms?: string[];
  categories?: string[];
  /** the communities the categories were filed under as new-wish subscribers when saved */
  communities?: string[];
  /** a morning SMS counting the day before's new wishes */
  digest?: boolean;
  updatedAt?: string;
}

export const key = (userId: string) => ({ pk: `U#${userId}`, sk: "PREF" });
export const fromItem: (item: Item) => PreferencesRecord = shapeOf;
export const isPreferences = (item: Item) => item.sk === "PREF";
export const put = (p: PreferencesRecord): TransactItem => tx.put({ ...key(p.userId), type: "preferences", ...p });
