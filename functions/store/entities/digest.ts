import type { Item } from "../client.js";
import { exists, notExists, tx, type Put, type Update } from "../expression.js";
import { shapeOf } from "./item.js";

/**
 * A member's morning SMS counting the day before's new wishes: one item per member per China day,
 * created once (whichever community's job gets there first), sent by the stream handler, which
 * marks it sent. Kept a week (TTL).
 */
export interface Digest {
  userId: string;
  /** the China day it counts, YYYY-MM-DD */
  day: string;
  count: number;
  createdAt: string;
  smsSentAt?: string;
  /** epoch seconds */
  expiresAt: number;
}

export const key = (userId: string, day: string) => ({ pk: `U#${userId}`, sk: `DG#${day}` });
export const fromItem: (item: Item) => Digest = shapeOf;
export const create = (d: Digest): Put => tx.put({ ...key(d.userId, d.day), type: "digest", ...d }, notExists("pk"));
export const smsSent = (userId: string, day: string, at: string): Update =>
  tx.update(key(userId, day), { set: { smsSentAt: at } }, exists("pk"));

/** A community's digests for a day are all written: later runs that day skip it with one read. */
export const doneKey = (communityId: string, day: string) => ({ pk: `DGJ#${communityId}`, sk: day });
export const done = (communityId: string, day: string, at: string, expiresAt: number): Put =>
  tx.put({ ...doneKey(communityId, day), type: "digest-run", communityId, day, at, expiresAt });
