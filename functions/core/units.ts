/**
 * The organisation tree: county → street → community → grid. Staff roles are held on a unit and
 * reach its whole subtree for reading; acting on a community's wishes stays with its own staff.
 * Every administrative change is written with an audit event in the same transaction.
 */
import { ulid } from "ulid";
import { getMany, getItem, queryAll, type Store, type TransactItem } from "../store/client.js";
import * as communities from "../store/entities/community.js";
import * as roles from "../store/entities/role.js";
import * as units from "../store/entities/unit.js";
import type { AuditEvent, Unit, UnitKind } from "../store/entities/unit.js";
import type { LatLng } from "../store/entities/wish.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { findOrCreateUser, hasRole, type Actor } from "./identity.js";
import { page, write } from "./storage.js";

export type { Unit, UnitKind } from "../store/entities/unit.js";

/** The kind each kind of unit holds beneath it. */
export const childKind: Record<UnitKind, UnitKind | undefined> = {
  county: "street",
  street: "community",
  community: "grid",
  grid: undefined,
};

/** A unit by id. A community made before units existed is a unit of its own, at the root of its tree. */
export async function fromId(store: Store, id: string): Promise<Unit> {
  const found = await getMany(store, [units.key(id), communities.key(id)]);
  const unit = found.find((i) => i.sk === "N");
  if (unit) return units.fromItem(unit);
  const community = found.find(communities.isCommunity);
  if (community) return { id, kind: "community", name: communities.fromItem(community).name, path: [id], createdAt: community.createdAt };
  return fail("unit.not_found", `No unit has the id ${id}.`);
}

/** Whether the actor is staff of a unit on this path (the unit itself or one above it), or an admin. */
export function reaches(actor: Actor, path: string[]): boolean {
  if (actor.admin) return true;
  return path.some((id) => hasRole(actor, id, "staff") || actor.units.some((u) => u.unitId === id && u.roles.includes("staff")));
}

/** Whether the actor holds staff on some county or street: only then is a unit's path worth reading. */
const supervises = (actor: Actor) => actor.units.some((u) => u.roles.includes("staff"));

/** Whether the actor may read what a unit (a community, say) keeps: its own staff, staff above it, an admin. */
export async function mayRead(store: Store, actor: Actor | undefined, unitId: string): Promise<boolean> {
  if (!actor) return false;
  if (actor.admin || hasRole(actor, unitId, "staff")) return true;
  if (!supervises(actor)) return false;
  const item = await getItem(store, units.key(unitId));
  return Boolean(item && reaches(actor, units.fromItem(item).path));
}

/** The path of a community for what it records (wishes carry it): its unit's path, itself alone, or none without the community. */
export async function communityPath(store: Store, communityId: string): Promise<string[] | undefined> {
  const found = await getMany(store, [units.key(communityId), communities.key(communityId)]);
  if (!found.some(communities.isCommunity)) return undefined;
  const unit = found.find((i) => i.sk === "N");
  return unit ? units.fromItem(unit).path : [communityId];
}

const kindName: Record<UnitKind, string> = { county: "a county", street: "a street", community: "a community", grid: "a grid" };

/** Whether a ring of points crosses itself: any two edges that are not neighbours intersect. */
export function selfCrossing(area: LatLng[]): boolean {
  const n = area.length;
  const cross = (o: LatLng, a: LatLng, b: LatLng) => (a.lng - o.lng) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lng - o.lng);
  const meets = (p1: LatLng, p2: LatLng, q1: LatLng, q2: LatLng) => {
    const d1 = cross(q1, q2, p1);
    const d2 = cross(q1, q2, p2);
    const d3 = cross(p1, p2, q1);
    const d4 = cross(p1, p2, q2);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (meets(area[i], area[(i + 1) % n], area[j], area[(j + 1) % n])) return true;
    }
  }
  return false;
}

export function checkArea(area: LatLng[]) {
  if (area.length < 3) fail("unit.invalid_area", `An area needs at least 3 points; ${area.length} given.`, { field: "area" });
  const distinct = new Set(area.map((p) => `${p.lat},${p.lng}`));
  if (distinct.size < area.length) fail("unit.invalid_area", "The area names one point twice.", { field: "area" });
  if (selfCrossing(area)) fail("unit.invalid_area", "The area's edges cross each other: draw its outline in order.", { field: "area" });
}

/** Whether a point lies inside a polygon (ray casting; the fence's few hundred metres are flat enough). */
export function inside(point: LatLng, area: LatLng[]): boolean {
  let hit = false;
  for (let i = 0, j = area.length - 1; i < area.length; j = i++) {
    const a = area[i];
    const b = area[j];
    if (a.lat > point.lat !== b.lat > point.lat && point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng)
      hit = !hit;
  }
  return hit;
}

/**
 * The grid of a community a point falls in: one query for the community's grids (a few dozen at
 * most, areas and all). Where two areas overlap, the grid with the smaller id (the older) answers.
 */
export async function gridAt(store: Store, communityId: string, point: LatLng): Promise<string | undefined> {
  const grids = (await queryAll(store, units.children(communityId, "grid"))).map(units.fromItem);
  return grids.find((g) => g.area && inside(point, g.area))?.id;
}

/** A grid's leaders, read from the grid; none when it is gone. */
export async function leadersOf(store: Store, gridId: string): Promise<string[]> {
  const item = await getItem(store, units.key(gridId));
  return item ? (units.fromItem(item).leaderIds ?? []) : [];
}

/** Whether the actor leads this grid. */
export const leads = (actor: Actor, gridId: string | undefined) =>
  Boolean(gridId) && actor.units.some((u) => u.unitId === gridId && u.roles.includes("leader"));

export interface NewUnit {
  kind: UnitKind;
  name: string;
  parentId?: string;
  area?: LatLng[];
  id?: string;
}

const auditItem = (actor: Actor, unitId: string, action: AuditEvent["action"], at: string, before?: unknown, after?: unknown) =>
  units.audit({ unitId, id: ulid(), action, by: actor.id, byName: actor.name, at, before, after });

/**
 * Creates a unit: an admin makes counties; staff of a unit (or above it) make its children, of the
 * one kind it holds. A community made here is a community as before, with its unit beside it.
 */
export async function create(store: Store, actor: Actor, input: NewUnit): Promise<Unit> {
  let path: string[] = [];
  if (!input.parentId) {
    if (input.kind !== "county")
      fail("unit.wrong_kind", `Only a county stands alone; ${kindName[input.kind]} needs a parentId.`, { field: "parentId" });
    if (!actor.admin) fail("unit.forbidden", "Only an administrator may create a county.");
  } else {
    if (input.id && input.id === input.parentId) fail("unit.cycle", "A unit cannot be its own parent.", { field: "parentId" });
    const parent = await fromId(store, input.parentId);
    if (input.id && parent.path.includes(input.id)) {
      fail("unit.cycle", `${input.id} is above ${parent.name} already: a unit cannot sit beneath itself.`, { field: "id" });
    }
    const expected = childKind[parent.kind];
    if (input.kind !== expected) {
      const holds = expected ? `holds ${kindName[expected]}s` : "holds no units";
      fail("unit.wrong_kind", `${kindName[input.kind]} cannot go under ${parent.name}: ${kindName[parent.kind]} ${holds}.`, {
        field: "kind",
        expected,
      });
    }
    if (!reaches(actor, parent.path)) fail("unit.forbidden", `Only staff of ${parent.name} or above may create units beneath it.`);
    path = parent.path;
  }
  if (input.area && input.kind !== "grid") fail("unit.invalid_area", "Only a grid has an area.", { field: "area" });
  if (input.kind === "grid") {
    if (!input.area) fail("unit.invalid_area", "A grid needs its area: at least 3 points.", { field: "area" });
    checkArea(input.area!);
  }
  const build = (id: string, at: string): { unit: Unit; items: TransactItem[] } => {
    const unit: Unit = {
      id,
      kind: input.kind,
      name: input.name,
      parentId: input.parentId,
      path: [...path, id],
      area: input.area,
      createdAt: at,
    };
    return { unit, items: [units.create(unit), auditItem(actor, input.parentId ?? id, "unit.create", at, undefined, unit)] };
  };
  if (input.kind === "community") {
    let made: Unit | undefined;
    const { id } = await Community.create(store, { id: input.id, name: input.name, branches: [] }, (id, at) => {
      const { unit, items } = build(id, at);
      made = unit;
      return items;
    });
    if (!made) fail("unit.exists", `A unit with the id ${id} exists already.`);
    return made!;
  }
  const { unit, items } = build(input.id ?? ulid(), new Date().toISOString());
  const outcome = await write(store, items);
  if (!outcome.ok) fail("unit.exists", `A unit with the id ${unit.id} exists already.`, { field: "id" });
  return unit;
}

/** A unit's staff (for a grid, its leaders): people with a role on it. */
async function staffOf(store: Store, unit: Unit) {
  if (unit.kind === "community") {
    const people = await queryAll(store, roles.ofCommunity(unit.id, { role: "staff" }));
    return people.map(roles.fromItem).map((r) => ({ id: r.userId, name: r.name, roles: ["staff"] as ("staff" | "leader")[] }));
  }
  return (await queryAll(store, units.peopleOf(unit.id)))
    .map(units.roleFromItem)
    .map((r) => ({ id: r.userId, name: r.name, roles: r.roles }));
}

/** A unit as its staff and those above see it (children, staff); its name and kind for anyone else. */
export async function read(store: Store, actor: Actor | undefined, id: string) {
  const unit = await fromId(store, id);
  if (!actor || !reaches(actor, unit.path)) return { id: unit.id, kind: unit.kind, name: unit.name };
  const [children, staff] = await Promise.all([queryAll(store, units.children(id)), staffOf(store, unit)]);
  return {
    ...unit,
    children: children.map(units.fromItem).map((c) => ({ id: c.id, kind: c.kind, name: c.name })),
    staff,
  };
}

/**
 * Appoints a person (found or signed up by phone) to a unit: staff of a county, street or
 * community, or a grid's leader, who is then also a member of the grid's community.
 */
export async function appoint(store: Store, actor: Actor, unitId: string, input: { phone: string; name: string; leader?: boolean }) {
  const unit = await fromId(store, unitId);
  if (!reaches(actor, unit.path)) fail("unit.forbidden", `Only staff of ${unit.name} or above may appoint its staff.`);
  if (unit.kind === "grid" && !input.leader)
    fail("unit.wrong_kind", "A grid has leaders, not staff: send leader: true.", { field: "leader" });
  if (unit.kind !== "grid" && input.leader)
    fail("unit.wrong_kind", `Only a grid has leaders; ${unit.name} is ${kindName[unit.kind]}.`, { field: "leader" });
  const user = await findOrCreateUser(store, { phone: input.phone, name: input.name });
  const at = new Date().toISOString();
  const items: TransactItem[] = [];
  let before: unknown;
  let after: unknown;
  if (unit.kind === "community") {
    const held = await getItem(store, roles.key(user.id, unit.id));
    const was = held ? roles.fromItem(held) : undefined;
    const next = {
      userId: user.id,
      communityId: unit.id,
      name: was?.name ?? input.name,
      branchId: was?.branchId,
      roles: [...new Set([...(was?.roles ?? []), "staff" as const])],
    };
    items.push(roles.replace(next, was));
    before = was?.roles ?? [];
    after = next.roles;
  } else {
    const role = unit.kind === "grid" ? "leader" : "staff";
    items.push(units.putRole({ userId: user.id, unitId: unit.id, kind: unit.kind, path: unit.path, name: input.name, roles: [role] }));
    before = [];
    after = [role];
    if (unit.kind === "grid") {
      const leaders = unit.leaderIds ?? [];
      if (!leaders.includes(user.id)) items.push(units.setLeaders(unit.id, [...leaders, user.id], unit.leaderIds));
      const communityId = unit.parentId!;
      const held = await getItem(store, roles.key(user.id, communityId));
      const was = held ? roles.fromItem(held) : undefined;
      if (!was?.roles.includes("member")) {
        items.push(
          roles.replace(
            {
              userId: user.id,
              communityId,
              name: was?.name ?? input.name,
              branchId: was?.branchId,
              roles: [...(was?.roles ?? []), "member"],
            },
            was,
          ),
        );
      }
    }
  }
  items.push(
    auditItem(
      actor,
      unit.id,
      unit.kind === "grid" ? "leader.appoint" : "staff.appoint",
      at,
      { userId: user.id, roles: before },
      { userId: user.id, roles: after },
    ),
  );
  const outcome = await write(store, items);
  if (!outcome.ok) fail("unit.changed", "Someone changed this person's roles or this grid's leaders at the same moment; try again.");
  return { id: user.id, name: input.name, unitId: unit.id, roles: after as string[] };
}

/** A unit's administrative changes, newest first: for its staff and those above. */
export async function auditLog(store: Store, actor: Actor, unitId: string, cursor?: string, limit = 50) {
  const unit = await fromId(store, unitId);
  if (!reaches(actor, unit.path)) fail("unit.forbidden", `Only staff of ${unit.name} or above may read its audit trail.`);
  return page(store, units.auditOf(unitId, limit), cursor, units.auditFromItem);
}

/** The audit event of a change made elsewhere (settings, registrations), to go in that change's transaction. */
export const auditOf = (actor: Actor, unitId: string, action: AuditEvent["action"], before?: unknown, after?: unknown) =>
  auditItem(actor, unitId, action, new Date().toISOString(), before, after);
