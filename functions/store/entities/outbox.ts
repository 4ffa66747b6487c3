import type { Item } from "../client.js";
import { tx, type KeyQuery, type Put } from "../expression.js";
import { shapeOf } from "./item.js";

/** A message the local notifier delivered (local runs only), kept a week (TTL). */
export interface OutboxMessage {
  to: string;
  channel: string;
  kind: string;
  text: string;
  at: string;
  expiresAt: number;
}

export const key = (to: string, id: string) => ({ pk: `OUT#${to}`, sk: id });
export const put = (id: string, m: OutboxMessage): Put => tx.put({ ...key(m.to, id), type: "outbox", ...m });
export const fromItem: (item: Item) => OutboxMessage = shapeOf;
export const newest = (to: string, limit: number): KeyQuery => ({ pk: key(to, "").pk, forward: false, limit });
