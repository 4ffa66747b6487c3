import type { TransactItem } from "../store/client.js";
import * as monthStats from "../store/entities/month-stats.js";
import { monthOf } from "./period.js";

export { addFigures, figureNames, figuresOf, monthField, type Figures } from "../store/entities/figures.js";
export type { MonthCounts } from "../store/entities/month-stats.js";

const counted = { submit: "submitted", approve: "approved", reject: "rejected", cancel: "cancelled", expire: "expired" } as const;

/** What a simple step adds to its community's month, to go in the step's own transaction. */
export function countStep(communityId: string, kind: string, at: string): TransactItem[] {
  const counter = counted[kind as keyof typeof counted];
  return counter ? [monthStats.add(communityId, monthOf(at), { [counter]: 1 })] : [];
}
