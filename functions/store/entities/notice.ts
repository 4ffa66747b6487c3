import type { Item } from "../client.js";
import { notExists, tx, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/**
 * A notice staff send (一键下发): a text to an activity's people, or to a community's members (some
 * branches only, when named). Written once; the stream delivers it in the app and, when asked, by SMS.
 */
export interface NoticeRecord {
  id: string;
  communityId: string;
  activityId?: string;
  branchIds?: string[];
  text: string;
  sms: boolean;
  actorId: string;
  actorName: string;
  at: string;
  /** the activity's title, when sent to its people */
  title?: string;
}

export const key = (id: string) => ({ pk: `NT#${id}`, sk: "NT" });
export const toItem = (n: NoticeRecord): Item => ({ ...key(n.id), type: "notice", ...n });
export const fromItem: (item: Item) => NoticeRecord = shapeOf;
export const create = (n: NoticeRecord): TransactItem => tx.put(toItem(n), notExists("pk"));
