import type { Item } from "../client.js";
import { tx, type TransactItem } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

/** One step in a wish's timeline: never changed or deleted, and the stream's outbox. */
export interface WishEvent {
  id: string;
  wishId: string;
  communityId: string;
  ownerId: string;
  kind: string;
  actorId: string;
  actorName: string;
  at: string;
  /** the status it left; null for the wish's submission */
  from: string | null;
  to: string;
  note?: string;
  /** what each kind of step records (credits, member ids, reasons): read by the kind that wrote it */
  // biome-ignore lint/suspicious/noExplicitAny: each kind of event records its own shape; readers know theirs by `kind`
  data?: Record<string, any>;
}

export const prefix = "E#";
export const key = (wishId: string, eventId: string) => ({ pk: `W#${wishId}`, sk: `${prefix}${eventId}` });
export const toItem = (event: WishEvent): Item => ({ ...key(event.wishId, event.id), type: "event", ...event });
export const fromItem: (item: Item) => WishEvent = shapeOf;
export const isEvent = (item: Item) => item.sk.startsWith(prefix);

export const create = (event: WishEvent): TransactItem => tx.put(toItem(event));

/** The timeline shows what happened; whose wish, and where, the reader knows already. */
const shown = fields("id kind actorId actorName at from to note data") satisfies (keyof WishEvent)[];
export type PresenterCovers = Proven<Decided<WishEvent, (typeof shown)[number], "wishId" | "communityId" | "ownerId">>;

export const present = (event: WishEvent) => pick(event, shown);
