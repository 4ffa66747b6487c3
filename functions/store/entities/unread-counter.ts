import { tx, type TransactItem } from "../expression.js";

/** The unread counter, moved in the same transaction as each notification and each read mark. */
export const key = (userId: string) => ({ pk: `U#${userId}`, sk: "NC" });
export const countOf = (item: { unread?: number } | undefined) => Math.max(0, item?.unread ?? 0);
export const add = (userId: string, n: number): TransactItem => tx.update(key(userId), { add: { unread: n } });
