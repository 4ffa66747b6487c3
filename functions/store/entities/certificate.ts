import type { Item } from "../client.js";
import { beginsWith, notExists, tx, type KeyQuery, type Put } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

export interface CertificateEntry {
  /** a wish or a group activity; certificates issued before activities list wishes only */
  kind?: "wish" | "activity";
  wishId?: string;
  activityId?: string;
  day: string;
  content: string;
  category?: string;
  place?: string;
  branchName?: string;
  start?: string;
  end?: string;
  minutes: number;
  signedByResident: boolean;
  verifierName: string;
  verifiedAt: string;
}

/** A certificate as issued, entries and all, so its number verifies exactly what was printed. */
export interface Certificate {
  number: string;
  memberId: string;
  memberName: string;
  communityId: string;
  communityName: string;
  from: string;
  to: string;
  totalMinutes: number;
  entries: CertificateEntry[];
  verifiers: string[];
  issuedAt: string;
  issuedBy: { id: string; name: string };
}

export const key = (number: string) => ({ pk: `CERT#${number}`, sk: "CERT" });
export const byMemberKey = (memberId: string, issuedAt: string, number: string) => ({
  gsi2pk: `U#${memberId}`,
  gsi2sk: `CE#${issuedAt}#${number}`,
});
export const fromItem: (item: Item) => Certificate = shapeOf;

/** Numbers are random: one that exists already is never overwritten. */
export const create = (c: Certificate): Put =>
  tx.put({ ...key(c.number), ...byMemberKey(c.memberId, c.issuedAt, c.number), type: "certificate", ...c }, notExists("pk"));

/** A member's certificates, newest first. */
export const ofMember = (memberId: string, limit: number): KeyQuery => ({
  index: "byUser",
  pk: `U#${memberId}`,
  sk: beginsWith("CE#"),
  forward: false,
  limit,
});

/** Everything, for the member themself and staff of the issuing community. */
const shown = fields(`
  number memberId memberName communityId communityName from to totalMinutes entries verifiers issuedAt
  issuedBy
`) satisfies (keyof Certificate)[];
export type PresenterCovers = Proven<Decided<Certificate, (typeof shown)[number]>>;

/**
 * For anyone holding the number, signed in or not: who served, for which community, when, and
 * how long in which category. What was done, where, for whom and who checked it (titles such as
 * "代取降压药" tell of a resident's health; addresses locate them) stays with the member and staff.
 */
const publicShown = fields("number memberName communityName from to totalMinutes issuedAt") satisfies (keyof Certificate)[];
const publicEntryShown = fields("day kind category minutes") satisfies (keyof CertificateEntry)[];
/** `entries` is shown, entry by entry, through its own list. */
export type PublicCovers = Proven<
  Decided<Certificate, (typeof publicShown)[number], "memberId" | "communityId" | "entries" | "verifiers" | "issuedBy">
>;
export type PublicEntryCovers = Proven<
  Decided<
    CertificateEntry,
    (typeof publicEntryShown)[number],
    "wishId" | "activityId" | "content" | "place" | "branchName" | "start" | "end" | "signedByResident" | "verifierName" | "verifiedAt"
  >
>;

/** The whole certificate, as issued. */
export const present = (c: Certificate) => pick(c, shown);
/** The certificate as anyone holding its number sees it. */
export const presentPublic = (c: Certificate) => ({ ...pick(c, publicShown), entries: c.entries.map((e) => pick(e, publicEntryShown)) });
export type PublicCertificate = ReturnType<typeof presentPublic>;

/** A line of a member's list of certificates. */
export const summary = (c: Certificate) => ({
  ...pick(c, ["number", "communityId", "communityName", "from", "to", "totalMinutes", "issuedAt"]),
  entries: c.entries.length,
});
