import { ulid } from "ulid";
import { getItem, putItem, queryAll, type Store, type TransactItem } from "../store/client.js";
import * as branchItems from "../store/entities/branch.js";
import * as communities from "../store/entities/community.js";
import * as communityList from "../store/entities/community-entry.js";
import * as roles from "../store/entities/role.js";
import * as wishes from "../store/entities/wish.js";
import { DomainError, fail } from "./errors.js";
import type { Actor } from "./identity.js";
import { categories, defaultSettings, skillCatalogue, type CategoryCode, type Role } from "./model.js";
import { page, write } from "./storage.js";

export interface Branch {
  id: string;
  name: string;
}

export interface Community {
  id: string;
  name: string;
  settings: typeof defaultSettings;
  branches: Branch[];
  categories: { code: string; name: { "zh-CN": string; en: string } }[];
  skills: { name: string; en: string; categories: CategoryCode[] }[];
}

/** The community, its branches and the category catalogue: one query on the community's partition. */
export async function fromId(store: Store, id: string): Promise<Community> {
  const items = await queryAll(store, communities.partition(id));
  const head = items.find(communities.isCommunity) ?? fail("community.not_found", `No community has the id ${id}.`);
  const { name, settings } = communities.fromItem(head);
  return {
    id,
    name,
    settings: { ...defaultSettings, ...settings },
    branches: items
      .filter(branchItems.isBranch)
      .map(branchItems.fromItem)
      .map((b) => ({ id: b.id, name: b.name })),
    categories: categories.map((c) => ({ code: c.code, name: { ...c.name } })),
    skills: skillCatalogue.map((s) => ({ name: s.name, en: s.en, categories: [...s.categories] })),
  };
}

/**
 * The community a person's app opens in, chosen as the app chooses it when it knows no better: the
 * first one the person has a role in, else the one of their newest wish; none for someone new. It
 * comes with who they are (GET /api/me), so a phone's first screen waits on one answer, not three.
 */
export async function homeOf(store: Store, actor: Actor): Promise<Community | undefined> {
  const id =
    actor.communities[0]?.communityId ?? (await page(store, wishes.ofOwner(actor.id), undefined, wishes.fromItem, 1)).items[0]?.communityId;
  if (!id) return undefined;
  try {
    return await fromId(store, id);
  } catch (err) {
    // A community since removed: the app asks for another one as it did before.
    if (err instanceof DomainError && err.code === "community.not_found") return undefined;
    throw err;
  }
}

export async function exists(store: Store, id: string): Promise<boolean> {
  return Boolean(await getItem(store, communities.key(id)));
}

/** A community with its branches; `also` joins the same transaction (its unit and audit items, when made as a unit). */
export async function create(
  store: Store,
  input: { id?: string; name: string; branches: string[]; settings?: Partial<typeof defaultSettings> },
  also: (id: string, at: string) => TransactItem[] = () => [],
) {
  const id = input.id ?? ulid();
  const at = new Date().toISOString();
  const branches = input.branches.map((name) => ({ id: ulid(), name }));
  const outcome = await write(store, [
    communities.create({ id, name: input.name, settings: { ...defaultSettings, ...input.settings }, createdAt: at }),
    ...branches.map((b) => branchItems.create({ ...b, communityId: id })),
    communityList.create(id, at),
    ...also(id, at),
  ]);
  if (!outcome.ok) fail("community.exists", `A community with the id ${id} exists already.`);
  return { id, branches };
}

/**
 * Gives a person roles in a community (staff appoints members, admin appoints staff).
 * The role item carries the person's name and branch so that a community's people
 * can be listed from one index query.
 */
export async function appoint(
  store: Store,
  input: { communityId: string; userId: string; name: string; roles: Role[]; branchId?: string },
) {
  await putItem(store, roles.put(input));
}

/** A community's people with their roles and branch, from the community index. */
export async function people(store: Store, communityId: string, cursor?: string, limit = 50) {
  const found = await page(store, roles.ofCommunity(communityId, { limit }), cursor, roles.fromItem);
  return {
    items: found.items.map((r) => ({ id: r.userId, name: r.name, roles: r.roles, branchId: r.branchId })),
    cursor: found.cursor,
  };
}
