/**
 * Whose records a reader may see. A volunteer's ledger entries, places and certificates belong to
 * the community that recorded them: the volunteer sees all of theirs, an admin sees any, and staff
 * see only those recorded by a community their role reaches. Holding a phone on one's own roll
 * (an import can put anyone there) opens nothing recorded elsewhere.
 */
import type { Store } from "../store/client.js";
import { hasRole, type Actor } from "./identity.js";

export interface RecordScope {
  /** every record of the person, whoever recorded it */
  all: boolean;
  /** whether records kept by this community may be shown */
  covers(communityId: string): boolean;
}

/** What `actor` may see of `personId`'s records, given the communities those records name. */
export async function recordScope(_store: Store, actor: Actor, personId: string, _communityIds: Iterable<string>): Promise<RecordScope> {
  if (actor.id === personId || actor.admin) return { all: true, covers: () => true };
  return { all: false, covers: (communityId) => hasRole(actor, communityId, "staff") };
}

/** Only the records the scope covers. */
export const within = <T extends { communityId: string }>(scope: RecordScope, records: T[]) =>
  scope.all ? records : records.filter((r) => scope.covers(r.communityId));
