import { encodeTime } from "ulid";
import type { Item } from "../client.js";
import { and, beginsWith, between, eq, exists, notExists, tx, type KeyQuery, type TransactItem, type Update } from "../expression.js";
import { shapeOf } from "./item.js";

/** An in-app notification: one per recipient per event, so a replayed event writes nothing new. */
export interface Notification {
  /** the event's id */
  id: string;
  userId: string;
  eventId: string;
  kind: string;
  /** what it is about: a wish, or an activity; a notice to a community's members names neither */
  wishId?: string;
  activityId?: string;
  communityId: string;
  at: string;
  // biome-ignore lint/suspicious/noExplicitAny: the template's parameters, whose shape each notice kind's template fixes
  params: Record<string, any>;
  createdAt: string;
  readAt?: string;
  smsSentAt?: string;
}

export const prefix = "N#";
export const key = (userId: string, eventId: string) => ({ pk: `U#${userId}`, sk: `${prefix}${eventId}` });
export const toItem = (n: Notification): Item => ({ ...key(n.userId, n.eventId), type: "notification", ...n });
export const fromItem: (item: Item) => Notification = shapeOf;

export const create = (n: Notification): TransactItem => tx.put(toItem(n), notExists("pk"));
/** Marks read, once, a notification that exists. */
export const read = (userId: string, id: string, at: string): TransactItem =>
  tx.update(key(userId, id), { set: { readAt: at } }, and(exists("pk"), notExists("readAt")));
/** Notes that the SMS went out, so a retried event does not send it again. */
export const smsSent = (userId: string, eventId: string, at: string): Update => tx.update(key(userId, eventId), { set: { smsSentAt: at } });

/** A person's notifications of one kind whose events fell between two instants (event ids are ULIDs, time first). */
export const ofKindBetween = (userId: string, kind: string, from: Date, to: Date): KeyQuery => ({
  pk: `U#${userId}`,
  sk: between(`${prefix}${encodeTime(from.getTime(), 10)}`, `${prefix}${encodeTime(to.getTime() - 1, 10)}~`),
  filter: eq("kind", kind),
});

/** A person's notifications, newest first. */
export const newest = (userId: string, limit: number): KeyQuery => ({ pk: `U#${userId}`, sk: beginsWith(prefix), forward: false, limit });
/** The ids of a person's unread notifications, read consistently. */
export const unread = (userId: string): KeyQuery => ({
  pk: `U#${userId}`,
  sk: beginsWith(prefix),
  filter: notExists("readAt"),
  project: ["id"],
  consistent: true,
});
