import type { Item } from "../client.js";
import { lt, notExists, or, tx, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/** What an `Idempotency-Key` made: the wish, the request's fingerprint, and when the key may be reused. */
export interface IdempotencyRecord {
  wishId: string;
  fingerprint: string;
  /** epoch seconds (TTL) */
  expiresAt: number;
}

export const key = (userId: string, k: string) => ({ pk: `IK#${userId}`, sk: k });
export const fromItem: (item: Item) => IdempotencyRecord = shapeOf;

/** Takes the key unless another request holds it and it has not expired. */
export const take = (userId: string, k: string, r: IdempotencyRecord, nowSeconds: number): TransactItem =>
  tx.put({ ...key(userId, k), type: "idempotency", ...r }, or(notExists("pk"), lt("expiresAt", nowSeconds)));
