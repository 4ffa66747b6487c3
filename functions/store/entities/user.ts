import type { Item } from "../client.js";
import { between, exists, notExists, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

export interface UserRecord {
  id: string;
  phone: string;
  name: string;
  lang: "zh-CN" | "en";
  address?: string;
  admin?: boolean;
  createdAt?: string;
}

export const key = (id: string) => ({ pk: `U#${id}`, sk: "U" });
export const toItem = (u: UserRecord): Item => ({ ...key(u.id), type: "user", ...u });
export const fromItem: (item: Item) => UserRecord = shapeOf;
export const isUser = (item: Item) => item.sk === "U";

export const create = (u: UserRecord): TransactItem => tx.put(toItem(u), notExists("pk"));
/** The language is the person's own; only an account that exists takes it. */
export const setLang = (id: string, lang: UserRecord["lang"]): TransactItem => tx.update(key(id), { set: { lang } }, exists("pk"));

/** The name and address a person gives themselves; only an account that exists takes them. */
export const setProfile = (id: string, changes: Partial<Pick<UserRecord, "name" | "address">>) =>
  tx.update(key(id), { set: changes }, exists("pk"));

/** The user and their roles (`R#…` sorts before `U`): one range of the partition. */
export const withRoles = (id: string): KeyQuery => ({ pk: key(id).pk, sk: between("R#", "U") });
