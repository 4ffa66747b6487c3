import type { Item } from "../client.js";
import { notExists, tx, type TransactItem } from "../expression.js";

/** A phone number's account: at most one, created under `attribute_not_exists`. */
export interface PhoneLink {
  phone: string;
  userId: string;
}

export const key = (phone: string) => ({ pk: `P#${phone}`, sk: "P" });
export const fromItem = (item: Item): PhoneLink => ({ phone: String(item.pk).slice(2), userId: item.userId });
export const create = (link: PhoneLink): TransactItem =>
  tx.put({ ...key(link.phone), type: "phone", userId: link.userId }, notExists("pk"));
