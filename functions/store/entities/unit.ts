import type { Item } from "../client.js";
import { beginsWith, eq, notExists, tx, type KeyQuery, type Put, type TransactItem } from "../expression.js";
import type { LatLng } from "./wish.js";
import { shapeOf } from "./item.js";

export const unitKinds = ["county", "street", "community", "grid"] as const;
export type UnitKind = (typeof unitKinds)[number];

/** A node of the organisation tree: county → street → community → grid. */
export interface Unit {
  id: string;
  kind: UnitKind;
  name: string;
  parentId?: string;
  /** the ids from the root to this unit, itself last: a unit's subtree is every unit whose path holds its id */
  path: string[];
  /** a grid's area, a simple polygon */
  area?: LatLng[];
  /** a grid's leaders */
  leaderIds?: string[];
  createdAt: string;
}

export const key = (id: string) => ({ pk: `N#${id}`, sk: "N" });
/** a unit's children, by kind then id */
export const byParentKey = (parentId: string, kind: UnitKind, id: string) => ({
  gsi3pk: `N#${parentId}#children`,
  gsi3sk: `${kind}#${id}`,
});

export const toItem = (u: Unit): Item => ({
  ...key(u.id),
  ...(u.parentId ? byParentKey(u.parentId, u.kind, u.id) : {}),
  type: "unit",
  ...u,
});
export const fromItem: (item: Item) => Unit = shapeOf;

export const create = (u: Unit): TransactItem => tx.put(toItem(u), notExists("pk"));
/** A grid's leaders, written over the list read (`was`), so two appointments at once cannot drop one. */
export const setLeaders = (id: string, leaderIds: string[], was: string[] | undefined): TransactItem =>
  tx.update(key(id), { set: { leaderIds } }, was ? eq("leaderIds", was) : notExists("leaderIds"));

export const children = (parentId: string, kind?: UnitKind): KeyQuery => ({
  index: "byCommunity",
  pk: byParentKey(parentId, "county", "").gsi3pk,
  sk: kind ? beginsWith(`${kind}#`) : undefined,
});

/** Staff (or a grid's leaders) of a county, street or grid; a community's people keep their role items (role.ts). */
export interface UnitRole {
  userId: string;
  unitId: string;
  kind: UnitKind;
  path: string[];
  name: string;
  roles: ("staff" | "leader")[];
}

/** `RU#` sorts between a user's community roles (`R#`) and the user item (`U`): all come in one range. */
export const rolePrefix = "RU#";
export const roleKey = (userId: string, unitId: string) => ({ pk: `U#${userId}`, sk: `${rolePrefix}${unitId}` });
export const byUnitKey = (unitId: string, userId: string) => ({ gsi3pk: `N#${unitId}#U`, gsi3sk: userId });
export const roleToItem = (r: UnitRole): Item => ({
  ...roleKey(r.userId, r.unitId),
  ...byUnitKey(r.unitId, r.userId),
  type: "unit-role",
  ...r,
});
export const roleFromItem: (item: Item) => UnitRole = shapeOf;
export const isUnitRole = (item: Item) => item.sk.startsWith(rolePrefix);
export const putRole = (r: UnitRole): Put => tx.put(roleToItem(r));
export const peopleOf = (unitId: string): KeyQuery => ({ index: "byCommunity", pk: byUnitKey(unitId, "").gsi3pk });

/** An administrative change: who made it, when, and the state before and after. */
export interface AuditEvent {
  unitId: string;
  id: string;
  action: "unit.create" | "staff.appoint" | "leader.appoint" | "settings.change" | "registration.approve" | "registration.reject";
  by: string;
  byName: string;
  at: string;
  before?: unknown;
  after?: unknown;
}

export const auditKey = (unitId: string, at: string, id: string) => ({ pk: `N#${unitId}#A`, sk: `${at}#${id}` });
export const audit = (e: AuditEvent): TransactItem => tx.put({ ...auditKey(e.unitId, e.at, e.id), type: "audit", ...e }, notExists("pk"));
export const auditFromItem: (item: Item) => AuditEvent = shapeOf;
export const auditOf = (unitId: string, limit: number): KeyQuery => ({ pk: auditKey(unitId, "", "").pk, forward: false, limit });
