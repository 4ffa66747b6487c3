import type { Item } from "../client.js";
import { notExists, tx, type Put, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

export interface Branch {
  id: string;
  communityId: string;
  name: string;
}

export const prefix = "B#";
export const key = (communityId: string, id: string) => ({ pk: `C#${communityId}`, sk: `${prefix}${id}` });
export const toItem = (b: Branch): Item => ({ ...key(b.communityId, b.id), type: "branch", ...b });
export const fromItem: (item: Item) => Branch = shapeOf;
export const isBranch = (item: Item) => item.sk.startsWith(prefix);

export const create = (b: Branch): TransactItem => tx.put(toItem(b));
/** A branch made on the fly (by an import) never replaces one of the same id. */
export const add = (b: Branch): Put => tx.put(toItem(b), notExists("pk"));
