import type { Item } from "../client.js";
import { lt, notExists, or, tx, type TransactItem } from "../expression.js";

/** What an `Idempotency-Key` made: the wish, the request's fingerprint, and when the key may be reused. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  wishId: string;
  fingerprint: string;
  /** epoch seconds (TTL) */
  expiresAt: number;
}

export const key = (userId: string, k: string) => ({ pk: `IK#${userId}`, sk: k });
export const fromItem = (item: Item): IdempotencyRecord => ({
  userId: String(item.pk).slice(3),
  key: item.sk,
  wishId: item.wishId,
  fingerprint: item.fingerprint,
  expiresAt: item.expiresAt,
});

/** Takes the key unless another request holds it and it has not expired. */
export const take = (r: IdempotencyRecord, nowSeconds: number): TransactItem =>
  tx.put(
    { ...key(r.userId, r.key), type: "idempotency", wishId: r.wishId, fingerprint: r.fingerprint, expiresAt: r.expiresAt },
    or(notExists("pk"), lt("expiresAt", nowSeconds)),
  );
