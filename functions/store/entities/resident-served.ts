import type { Item } from "../client.js";
import { and, notExists, tx, type TransactItem } from "../expression.js";

/** Which periods a resident has been served in, so "distinct residents" counts each once: a flag per period. */
export type ResidentServed = Record<string, string>;

export const key = (communityId: string, residentId: string) => ({ pk: `CT#${communityId}`, sk: `R#${residentId}` });
export const periodsOf = (item: Item | undefined, periods: string[]) => periods.filter((p) => item?.[p]);

/** Flags the periods; two closes for the same resident at once: one counts them, the other fails here and retries. */
export const mark = (communityId: string, residentId: string, periods: string[], at: string): TransactItem =>
  tx.update(
    key(communityId, residentId),
    { set: { type: "resident-served", ...Object.fromEntries(periods.map((p) => [p, at])) } },
    and(...periods.map((p) => notExists(p))),
  );
