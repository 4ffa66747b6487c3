import type { Item } from "../client.js";
import { putOp, type KeyQuery, type PutOp } from "../expression.js";

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
export const put = (id: string, m: OutboxMessage): PutOp => putOp({ ...key(m.to, id), type: "outbox", ...m });
export const fromItem = (item: Item): OutboxMessage => ({ to: item.to, channel: item.channel, kind: item.kind, text: item.text, at: item.at, expiresAt: item.expiresAt });
export const newest = (to: string, limit: number): KeyQuery => ({ pk: key(to, "").pk, forward: false, limit });
