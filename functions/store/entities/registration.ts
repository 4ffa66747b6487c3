import type { Item } from "../client.js";
import { beginsWith, eq, exists, notExists, or, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/** A person's request to join a community as a member (报到), until its staff decide. */
export interface Registration {
  id: string;
  communityId: string;
  userId: string;
  name: string;
  branchId?: string;
  note?: string;
  status: "pending" | "approved" | "rejected";
  reason?: string;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

export const key = (id: string) => ({ pk: `REG#${id}`, sk: "REG" });
/** a community's registrations in one status, oldest first */
export const byStatusKey = (communityId: string, status: Registration["status"], createdAt: string, id: string) => ({
  gsi1pk: `C#${communityId}#REG#${status}`,
  gsi1sk: `${createdAt}#${id}`,
});
/** One registration per person and community at a time: a marker on the person's partition (`J#` sorts before their roles). */
export const markerKey = (userId: string, communityId: string) => ({ pk: `U#${userId}`, sk: `J#${communityId}` });

const toItem = (r: Registration): Item => ({
  ...key(r.id),
  ...byStatusKey(r.communityId, r.status, r.createdAt, r.id),
  type: "registration",
  ...r,
});
export const fromItem: (item: Item) => Registration = shapeOf;

/** The registration and its marker; a person whose earlier one was rejected may ask again. */
export const create = (r: Registration): TransactItem[] => [
  tx.put(toItem(r), notExists("pk")),
  tx.put(
    { ...markerKey(r.userId, r.communityId), type: "registration-marker", registrationId: r.id, status: "pending" },
    or(notExists("pk"), eq("status", "rejected")),
  ),
];

/** Decides a pending registration, once: a second decision finds it decided and fails. */
export const decide = (r: Registration, status: "approved" | "rejected", at: string, by: string, reason?: string): TransactItem[] => [
  tx.update(
    key(r.id),
    { set: { status, decidedAt: at, decidedBy: by, reason, gsi1pk: byStatusKey(r.communityId, status, r.createdAt, r.id).gsi1pk } },
    eq("status", "pending"),
  ),
  tx.update(markerKey(r.userId, r.communityId), { set: { status } }, exists("pk")),
];

/** A person's registration markers, one per community they asked to join (the latest ask). */
export const markersOf = (userId: string): KeyQuery => ({ pk: `U#${userId}`, sk: beginsWith("J#") });

export const inStatus = (communityId: string, status: Registration["status"], limit: number): KeyQuery => ({
  index: "byStatus",
  pk: byStatusKey(communityId, status, "", "").gsi1pk,
  limit,
});

/** An invitation from a community's staff to a person who has an account already: nobody joins without accepting. */
export interface Invitation {
  userId: string;
  communityId: string;
  communityName: string;
  name: string;
  branchId?: string;
  invitedBy: string;
  invitedByName: string;
  createdAt: string;
}

export const invitationKey = (userId: string, communityId: string) => ({ pk: `U#${userId}`, sk: `INV#${communityId}` });
export const invite = (i: Invitation): TransactItem => tx.put({ ...invitationKey(i.userId, i.communityId), type: "invitation", ...i });
export const invitationFromItem: (item: Item) => Invitation = shapeOf;
export const invitationsOf = (userId: string): KeyQuery => ({ pk: `U#${userId}`, sk: beginsWith("INV#") });
/** Answered once: the invitation goes with the answer. */
export const answer = (userId: string, communityId: string): TransactItem => tx.delete(invitationKey(userId, communityId), exists("pk"));
