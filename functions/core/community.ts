import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { getItem, queryAll, queryPage, transact, type Store, type TransactItem } from "../store/client.js";
import { Keys, Prefix } from "../store/keys.js";
import { DomainError, fail } from "./errors.js";
import { categories, defaultSettings, type Role } from "./model.js";

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
}

/** The community, its branches and the category catalogue: one query on the community's partition. */
export async function fromId(store: Store, id: string): Promise<Community> {
  const items = await queryAll(store, {
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": Keys.community(id).pk },
  });
  const head = items.find((i) => i.sk === "C") ?? fail("community.not_found", `No community has the id ${id}.`);
  return {
    id,
    name: head.name,
    settings: { ...defaultSettings, ...head.settings },
    branches: items.filter((i) => i.sk.startsWith(Prefix.branch)).map((b) => ({ id: b.id, name: b.name })),
    categories: categories.map((c) => ({ code: c.code, name: { ...c.name } })),
  };
}

export async function exists(store: Store, id: string): Promise<boolean> {
  return Boolean(await getItem(store, Keys.community(id)));
}

export async function create(
  store: Store,
  input: { id?: string; name: string; branches: string[]; settings?: Partial<typeof defaultSettings> },
) {
  const id = input.id ?? ulid();
  const at = new Date().toISOString();
  const branches = input.branches.map((name) => ({ id: ulid(), name }));
  const items: TransactItem[] = [
    {
      Put: {
        Item: { ...Keys.community(id), type: "community", id, name: input.name, settings: { ...defaultSettings, ...input.settings }, createdAt: at },
        ConditionExpression: "attribute_not_exists(pk)",
      } as any,
    },
    ...branches.map((b) => ({ Put: { Item: { ...Keys.branch(id, b.id), type: "branch", communityId: id, ...b } } as any })),
    { Put: { Item: { ...Keys.communityList(id), type: "community-entry", id, createdAt: at } } as any },
  ];
  await transact(store, items, () => {
    throw new DomainError("community.exists", `A community with the id ${id} exists already.`);
  });
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
  await store.doc.send(
    new PutCommand({
      TableName: store.table,
      Item: {
        ...Keys.role(input.userId, input.communityId),
        ...Keys.rolePeople(input.communityId, input.userId),
        type: "role",
        userId: input.userId,
        communityId: input.communityId,
        name: input.name,
        roles: input.roles,
        branchId: input.branchId,
      },
    }),
  );
}

/** A community's people with their roles and branch, from the community index. */
export async function people(store: Store, communityId: string, cursor?: string, limit = 50) {
  const page = await queryPage(
    store,
    {
      IndexName: "byCommunity",
      KeyConditionExpression: "gsi3pk = :pk",
      ExpressionAttributeValues: { ":pk": Keys.rolePeople(communityId, "").gsi3pk },
      Limit: limit,
    },
    cursor,
  );
  return {
    items: page.items.map((r) => ({ id: r.userId, name: r.name, roles: r.roles, branchId: r.branchId })),
    cursor: page.cursor,
  };
}
