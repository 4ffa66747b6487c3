import type { Item } from "../client.js";
import { tx, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/** A community's all-time figures, and its distinct residents per period in `<period>#distinctResidents`. */
export interface CommunityTally {
  communityId: string;
  closed?: number;
  residentsServed?: number;
  totalMinutes?: number;
  entries?: number;
  [periodFigure: `${string}#distinctResidents`]: number;
}

export const key = (communityId: string) => ({ pk: `CT#${communityId}`, sk: "C" });
export const fromItem: (item: Item) => CommunityTally = shapeOf;

export const add = (communityId: string, adds: Record<string, number>): TransactItem =>
  tx.update(key(communityId), { set: { type: "community-tally", communityId }, add: adds });
