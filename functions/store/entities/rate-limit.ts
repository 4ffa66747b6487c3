import { lt, notExists, or, tx, type TransactItem } from "../expression.js";

/** One window of a rate limit: hits counted under a condition, the item expiring with the window (TTL). */
export const key = (bucket: string, window: string) => ({ pk: `RL#${bucket}`, sk: window });

export const hit = (k: { pk: string; sk: string }, max: number, expiresAt: number): TransactItem =>
  tx.update(k, { add: { hits: 1 }, set: { expiresAt } }, or(notExists("hits"), lt("hits", max)));
