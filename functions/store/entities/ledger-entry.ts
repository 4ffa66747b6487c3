import type { Item } from "../client.js";
import { beginsWith, between, notExists, tx, type KeyQuery, type TransactItem } from "../expression.js";
import type { LatLng } from "./wish.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

/** A volunteer's record of one wish or activity, written once by its verification: what a certificate lists. */
export interface LedgerEntry {
  /** which kind of service: a wish, or a group activity (absent on entries written before activities: a wish) */
  kind?: "wish" | "activity";
  memberId: string;
  memberName: string;
  communityId: string;
  communityName: string;
  branchId?: string;
  branchName?: string;
  /** the wish served; an activity's entry has `activityId` instead */
  wishId?: string;
  activityId?: string;
  /** the wish's category; an activity has none */
  category?: string;
  /** what the service was: the wish's or activity's title */
  content: string;
  place?: string;
  location?: LatLng;
  start?: string;
  end?: string;
  minutes: number;
  measuredMinutes?: number;
  /** staff's reason, when they gave the minutes themselves */
  reason?: string;
  signedByResident: boolean;
  claimedAt: string;
  onTime: boolean;
  residentRating?: number;
  staffRating?: number;
  verifierId: string;
  verifierName: string;
  verifiedAt: string;
  month: string;
}

export const prefix = "HL#";
/** One entry per member per wish or activity: ids are ULIDs, so the two never meet. */
export const key = (memberId: string, serviceId: string) => ({ pk: `U#${memberId}`, sk: `${prefix}${serviceId}` });
/** the ledger of a community in order of verification, for its CSV export */
export const byCommunityKey = (communityId: string, verifiedAt: string, wishId: string, memberId: string) => ({
  gsi3pk: `C#${communityId}#L`,
  gsi3sk: `${verifiedAt}#${wishId}#${memberId}`,
});

/** The wish's or activity's id. */
export const serviceOf = (e: Pick<LedgerEntry, "wishId" | "activityId">) => (e.wishId ?? e.activityId)!;

export const toItem = (e: LedgerEntry): Item => ({
  ...key(e.memberId, serviceOf(e)),
  ...byCommunityKey(e.communityId, e.verifiedAt, serviceOf(e), e.memberId),
  type: "ledger",
  ...e,
});
export const fromItem: (item: Item) => LedgerEntry = shapeOf;
export const isEntry = (item: Item) => item.sk.startsWith(prefix);

/** Written once: a retried close never credits twice. */
export const create = (e: LedgerEntry): TransactItem => tx.put(toItem(e), notExists("pk"));

/** A member's entries. */
export const ofMember = (memberId: string): KeyQuery => ({ pk: `U#${memberId}`, sk: beginsWith(prefix) });
/** A member's entries and their tallies per community (`HL#…` then `HT#…`): one range of the partition. */
export const withTallies = (memberId: string): KeyQuery => ({ pk: `U#${memberId}`, sk: between(prefix, "HT$") });
/** A community's entries verified between two instants, oldest first. */
export const ofCommunity = (communityId: string, from: string, to: string): KeyQuery => ({
  index: "byCommunity",
  pk: byCommunityKey(communityId, "", "", "").gsi3pk,
  sk: between(from, `${to}~`),
});

const shown = fields(`
  kind memberId memberName communityId communityName branchId branchName wishId activityId category content place
  location start end minutes measuredMinutes reason signedByResident claimedAt onTime residentRating
  staffRating verifierId verifierName verifiedAt month
`) satisfies (keyof LedgerEntry)[];
export type PresenterCovers = Proven<Decided<LedgerEntry, (typeof shown)[number]>>;

/** An entry as the member and their community's staff see it. */
export const present = (e: LedgerEntry) => pick(e, shown);
