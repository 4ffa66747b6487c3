import type { Item } from "../client.js";
import { beginsWith, notExists, tx, type KeyQuery, type Put } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

export interface CertificateEntry {
  wishId: string;
  day: string;
  content: string;
  category: string;
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

const shown = fields(`
  number memberId memberName communityId communityName from to totalMinutes entries verifiers issuedAt
  issuedBy
`) satisfies (keyof Certificate)[];
export type PresenterCovers = Proven<Decided<Certificate, (typeof shown)[number]>>;

/** For anyone who holds the number: nothing in it identifies anyone by phone. */
export const present = (c: Certificate) => pick(c, shown);
/** A line of a member's list of certificates. */
export const summary = (c: Certificate) => ({
  ...pick(c, ["number", "communityId", "communityName", "from", "to", "totalMinutes", "issuedAt"]),
  entries: c.entries.length,
});
