import type { Role as RoleName } from "../../core/model.js";
import type { Item } from "../client.js";
import { contains, eq, notExists, tx, type KeyQuery, type Put, type TransactItem } from "../expression.js";
import { shapeOf } from "./item.js";

/** A person's roles in one community, with their name and branch so a community's people list from one index query. */
export interface Role {
  userId: string;
  communityId: string;
  name: string;
  roles: RoleName[];
  branchId?: string;
}

export const prefix = "R#";
export const key = (userId: string, communityId: string) => ({ pk: `U#${userId}`, sk: `${prefix}${communityId}` });
export const byCommunityKey = (communityId: string, userId: string) => ({ gsi3pk: `C#${communityId}#U`, gsi3sk: userId });

export const toItem = (r: Role): Item => ({
  ...key(r.userId, r.communityId),
  ...byCommunityKey(r.communityId, r.userId),
  type: "role",
  ...r,
});
export const fromItem: (item: Item) => Role = shapeOf;
export const isRole = (item: Item) => item.sk.startsWith(prefix);

/** Appoints, replacing whatever roles the person held there. */
export const put = (r: Role): Put => tx.put(toItem(r));

/**
 * Writes a membership read as `was` (or a new one when absent) only if it has not changed since:
 * an import row that raced a sign-up or another staff's change is reported, not overwritten.
 */
export const replace = (r: Role, was?: Role): TransactItem => tx.put(toItem(r), was ? eq("roles", was.roles) : notExists("pk"));

/** The person's name as the community's lists show it, when they change it. */
export const rename = (userId: string, communityId: string, name: string): TransactItem =>
  tx.update(key(userId, communityId), { set: { name } }, eq("userId", userId));

/** A community's people; only those holding `role` when given. */
export const ofCommunity = (communityId: string, opts: { role?: RoleName; limit?: number } = {}): KeyQuery => ({
  index: "byCommunity",
  pk: byCommunityKey(communityId, "").gsi3pk,
  filter: opts.role && contains("roles", opts.role),
  limit: opts.limit,
});
