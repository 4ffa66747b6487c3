import type { Item } from "../client.js";
import { exists, notExists, tx, type KeyQuery, type TransactItem, type Update } from "../expression.js";
import { shapeOf } from "./item.js";

export interface CommunityRecord {
  id: string;
  name: string;
  /** the fence and the rules of hours; stored whole, read over the defaults */
  settings?: Record<string, unknown>;
  createdAt: string;
}

export const key = (id: string) => ({ pk: `C#${id}`, sk: "C" });
export const fromItem: (item: Item) => CommunityRecord = shapeOf;
export const isCommunity = (item: Item) => item.sk === "C";

export const create = (c: CommunityRecord): TransactItem => tx.put({ ...key(c.id), type: "community", ...c }, notExists("pk"));
/** The whole settings map is written back: the community item always has one. */
export const setSettings = (id: string, settings: Record<string, unknown>): Update =>
  tx.update(key(id), { set: { settings } }, exists("pk"));

/** The community and its branches: one query on its partition. */
export const partition = (id: string): KeyQuery => ({ pk: key(id).pk });
