import type { Item } from "../client.js";
import { and, eq, gt, notExists, tx, type Delete, type Put, type Update } from "../expression.js";
import { shapeOf } from "./item.js";

/**
 * A signed-in device: the refresh token's hash (never the token), whose it is and until when.
 * Each use replaces the hash, so a token works once; the item's TTL is `expiresAt`.
 */
export interface Session {
  id: string;
  userId: string;
  hash: string;
  createdAt: string;
  refreshedAt?: string;
  /** epoch seconds */
  expiresAt: number;
}

export const key = (id: string) => ({ pk: `RT#${id}`, sk: "RT" });
export const fromItem: (item: Item) => Session = shapeOf;

export const create = (s: Session): Put => tx.put({ ...key(s.id), type: "session", ...s }, notExists("pk"));

/** Trades the presented token's hash for the next one, only while it is the current one and unexpired. */
export const rotate = (id: string, presented: string, next: string, at: string, nowSeconds: number, expiresAt: number): Update =>
  tx.update(key(id), { set: { hash: next, refreshedAt: at, expiresAt } }, and(eq("hash", presented), gt("expiresAt", nowSeconds)));

export const revoke = (id: string): Delete => tx.delete(key(id));
