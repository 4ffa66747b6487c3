/**
 * The service menu (服务清单): what a community's branches offer (送技能、送服务、送健康), kept by
 * its staff, read by everyone signed in, and ordered from by residents. An order is a wish
 * pre-filled from the item that carries the item and its offering branch (see Wish.create); the
 * branch's members hear of it first (audience.ts).
 */
import { ulid } from "ulid";
import { getItem, putItem, queryAll, type Store } from "../store/client.js";
import * as branches from "../store/entities/branch.js";
import * as menu from "../store/entities/menu-item.js";
import type { MenuItem } from "../store/entities/index.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { hasRole, type Actor } from "./identity.js";
import type { CategoryCode, MenuKind } from "./model.js";

export type { MenuItem };

export interface MenuInput {
  kind: MenuKind;
  title: string;
  description: string;
  category: CategoryCode;
  when?: string;
  where?: string;
  branchId: string;
}

const notFound = (id: string): never => fail("menu.not_found", `No menu item ${id.slice(0, 64)} in this community.`);

export async function load(store: Store, communityId: string, id: string): Promise<MenuItem> {
  const item = await getItem(store, menu.key(communityId, id));
  return item ? menu.fromItem(item) : notFound(id);
}

function staffOnly(actor: Actor, communityId: string) {
  if (!hasRole(actor, communityId, "staff")) fail("menu.forbidden", "Only the community's staff keep its service menu.");
}

/** The offering branch, which must be one of the community's. */
async function branchOf(store: Store, communityId: string, branchId: string) {
  const item = await getItem(store, branches.key(communityId, branchId));
  if (!item) fail("menu.invalid", `No branch ${branchId.slice(0, 64)} in this community.`, { field: "branchId" });
  return branches.fromItem(item!);
}

export async function create(store: Store, actor: Actor, communityId: string, input: MenuInput) {
  staffOnly(actor, communityId);
  const branch = await branchOf(store, communityId, input.branchId);
  const at = new Date().toISOString();
  const item: MenuItem = {
    id: ulid(Date.parse(at)),
    communityId,
    ...input,
    branchName: branch.name,
    status: "active",
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await putItem(store, menu.create(item));
  return menu.present(item);
}

/** Rewrites an active item with what staff typed; fields left out (when, where) are cleared. */
export async function edit(store: Store, actor: Actor, communityId: string, id: string, input: MenuInput) {
  staffOnly(actor, communityId);
  const was = await load(store, communityId, id);
  if (was.status === "withdrawn") fail("menu.withdrawn", "This item was withdrawn from the menu; add a new one instead.");
  const branch = await branchOf(store, communityId, input.branchId);
  const at = new Date().toISOString();
  const { when: _when, where: _where, ...kept } = was;
  const item: MenuItem = { ...kept, ...input, branchName: branch.name, version: was.version + 1, updatedAt: at };
  if (!(await putItem(store, menu.replace(item, was)))) fail("menu.changed", "Someone changed this item meanwhile; look again.");
  return menu.present(item);
}

/** Takes an item off the menu: residents no longer see or order it; wishes already ordered go on. */
export async function withdraw(store: Store, actor: Actor, communityId: string, id: string) {
  staffOnly(actor, communityId);
  const was = await load(store, communityId, id);
  if (was.status === "withdrawn") fail("menu.withdrawn", "This item was withdrawn from the menu already.");
  const at = new Date().toISOString();
  const item: MenuItem = { ...was, status: "withdrawn", withdrawnAt: at, version: was.version + 1, updatedAt: at };
  if (!(await putItem(store, menu.replace(item, was)))) fail("menu.changed", "Someone changed this item meanwhile; look again.");
  return menu.present(item);
}

/** The menu as residents and members see it (items on offer); staff also see the withdrawn ones, after. */
export async function list(store: Store, actor: Actor, communityId: string) {
  const [items, known] = await Promise.all([
    queryAll(store, menu.ofCommunity(communityId)).then((found) => found.map(menu.fromItem)),
    Community.exists(store, communityId),
  ]);
  if (!known) fail("community.not_found", `No community ${communityId.slice(0, 64)}.`);
  const staff = hasRole(actor, communityId, "staff");
  const shown = items.filter((m) => staff || m.status === "active");
  shown.sort((a, b) => Number(a.status === "withdrawn") - Number(b.status === "withdrawn"));
  return { items: shown.map(menu.present) };
}

/** The item a resident orders from, which must be on offer. */
export async function orderable(store: Store, communityId: string, id: string): Promise<MenuItem> {
  const item = await getItem(store, menu.key(communityId, id));
  if (!item) fail("wish.invalid", `No item ${id.slice(0, 64)} on this community's menu.`, { field: "menuItemId" });
  const found = menu.fromItem(item!);
  if (found.status !== "active") fail("menu.withdrawn", `"${found.title}" is no longer on the menu.`, { menuItemId: found.id });
  return found;
}
