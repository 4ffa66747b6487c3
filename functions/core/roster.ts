import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { getMany, queryAll, transact, type Item, type Store, type TransactItem } from "../store/client.js";
import { Keys } from "../store/keys.js";
import * as Community from "./community.js";
import * as Csv from "./csv.js";
import { DomainError, fail } from "./errors.js";
import { hasRole, normalizePhone, type Actor } from "./identity.js";
import type { Role } from "./model.js";

/** The most data rows one import takes; a bigger roll is imported in parts. */
export const maxImportRows = 10_000;
const maxName = 40;

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  branchesCreated: string[];
  refused: { row: number; phone: string; reason: string }[];
}

interface Row {
  line: number;
  phone: string;
  given: string;
  name: string;
  branch?: string;
}

const headers = {
  phone: /^(phone|mobile|手机|手机号|手机号码|电话|联系电话)$/i,
  name: /^(name|姓名|名字)$/i,
  branch: /^(branch|team|支部|党支部|所在支部|队伍|服务队)$/i,
};

/**
 * Imports members (and their branches) from a roll in CSV: phone, name, branch, with or
 * without a header row naming them (in English or Chinese, in any order). Each row is applied
 * whole or not at all: a person's phone link and membership go in one transaction (several rows
 * share one while all succeed; a transaction that fails is retried row by row, so one bad row
 * costs only itself). A new person's account item is written just before, in bulk: until the
 * phone link points at it nothing can reach it, so it is not part of the community until its
 * row commits (and stays unreachable if the row is refused). Rows it cannot take are reported.
 */
export async function importMembers(store: Store, actor: Actor, communityId: string, text: string): Promise<ImportReport> {
  if (!hasRole(actor, communityId, "staff")) fail("community.forbidden", "Only staff of this community may import its members.");
  const community = await Community.fromId(store, communityId);
  const records = Csv.parse(text).filter((r) => r.cells.some((c) => c.trim() !== ""));
  const first = records[0]?.cells.map((c) => c.trim()) ?? [];
  const named = first.some((c) => headers.phone.test(c));
  const col = named
    ? { phone: first.findIndex((c) => headers.phone.test(c)), name: first.findIndex((c) => headers.name.test(c)), branch: first.findIndex((c) => headers.branch.test(c)) }
    : { phone: 0, name: 1, branch: 2 };
  if (named && col.name < 0) fail("import.invalid", "The header names a phone column but no name column (姓名).", { field: "file" });
  const data = named ? records.slice(1) : records;
  if (!data.length) fail("import.invalid", "The file has no rows to import: phone, name, branch.", { field: "file" });
  if (data.length > maxImportRows) fail("import.invalid", `The file has ${data.length} rows; import at most ${maxImportRows} at a time.`, { field: "file" });

  const report: ImportReport = { rows: data.length, created: 0, updated: 0, unchanged: 0, branchesCreated: [], refused: [] };
  const refuse = (line: number, phone: string, reason: string) => report.refused.push({ row: line, phone: phone.slice(0, 32), reason });
  const seen = new Map<string, number>();
  const rows: Row[] = [];
  for (const r of data) {
    const given = (r.cells[col.phone] ?? "").trim();
    const name = (r.cells[col.name] ?? "").trim();
    const branch = col.branch >= 0 ? (r.cells[col.branch] ?? "").trim() : "";
    const phone = normalizePhone(given);
    if (!phone) refuse(r.line, given, given ? "Not a mobile number (like 13800138000)." : "No phone number.");
    else if (!name) refuse(r.line, given, "No name.");
    else if ([...name].length > maxName) refuse(r.line, given, `The name is longer than ${maxName} characters.`);
    else if (/[\u0000-\u001F\u007F]/.test(name) || !name.isWellFormed()) refuse(r.line, given, "The name holds control or broken characters.");
    else if ([...branch].length > maxName) refuse(r.line, given, `The branch name is longer than ${maxName} characters.`);
    else if (seen.has(phone)) refuse(r.line, given, `The same phone as row ${seen.get(phone)}: each person once.`);
    else {
      seen.set(phone, r.line);
      rows.push({ line: r.line, phone, given, name, branch: branch || undefined });
    }
  }

  // Branches named by rows that will be applied come first, so every row finds its own.
  const branchId = new Map(community.branches.map((b) => [b.name, b.id]));
  for (const name of new Set(rows.map((r) => r.branch).filter((b): b is string => Boolean(b)))) {
    if (branchId.has(name)) continue;
    const id = ulid();
    await store.doc.send(new PutCommand({ TableName: store.table, Item: { ...Keys.branch(communityId, id), type: "branch", communityId, id, name }, ConditionExpression: "attribute_not_exists(pk)" }));
    branchId.set(name, id);
    report.branchesCreated.push(name);
  }

  const links = new Map<string, string>();
  for (let i = 0; i < rows.length; i += 100) {
    for (const link of await getMany(store, rows.slice(i, i + 100).map((r) => Keys.phone(r.phone)))) links.set(link.pk.slice(2), link.userId);
  }
  const known = rows.filter((r) => links.has(r.phone));
  const roles = new Map<string, Item>();
  for (let i = 0; i < known.length; i += 100) {
    for (const role of await getMany(store, known.slice(i, i + 100).map((r) => Keys.role(links.get(r.phone)!, communityId)))) roles.set(role.userId, role);
  }

  const at = new Date().toISOString();
  const accounts: Item[] = [];
  type Plan = { row: Row; items: TransactItem[]; outcome: "created" | "updated" };
  const plans: Plan[] = [];
  for (const row of rows) {
    const wantBranch = row.branch ? branchId.get(row.branch) : undefined;
    const userId = links.get(row.phone);
    if (userId) {
      const role = roles.get(userId);
      const next: Role[] = [...new Set<Role>([...((role?.roles ?? []) as Role[]), "member"])];
      if (role && role.name === row.name && role.branchId === wantBranch && role.roles?.includes("member")) {
        report.unchanged++;
        continue;
      }
      plans.push({ row, outcome: "updated", items: [roleItem(communityId, userId, row.name, next, wantBranch, role)] });
    } else {
      const id = ulid();
      accounts.push({ ...Keys.user(id), type: "user", id, phone: row.phone, name: row.name, lang: "zh-CN", createdAt: at });
      plans.push({
        row,
        outcome: "created",
        items: [
          { Put: { Item: { ...Keys.phone(row.phone), type: "phone", userId: id }, ConditionExpression: "attribute_not_exists(pk)" } },
          roleItem(communityId, id, row.name, ["member"], wantBranch),
        ],
      });
    }
  }

  await writeAll(store, accounts);

  const groups: Plan[][] = [];
  let group: Plan[] = [];
  let size = 0;
  for (const p of plans) {
    if (size + p.items.length > 99) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(p);
    size += p.items.length;
  }
  if (group.length) groups.push(group);

  const applyOne = async (p: Plan) => {
    try {
      await transact(store, p.items, () => fail("import.raced", "changed"));
      report[p.outcome]++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refuse(p.row.line, p.row.given, "This person's account changed while importing (they may have just signed up): import the row again.");
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const g = groups[next++];
      try {
        await transact(store, g.flatMap((p) => p.items), () => fail("import.raced", "changed"));
        for (const p of g) report[p.outcome]++;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        for (const p of g) await applyOne(p);
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  report.refused.sort((a, b) => a.row - b.row);
  return report;
}

/** Items nobody can reach yet, in batches of 25, until DynamoDB has taken every one. */
async function writeAll(store: Store, items: Item[]) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += 25;
      let pending: any[] = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const out = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table]: pending } }));
        pending = out.UnprocessedItems?.[store.table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

function roleItem(communityId: string, userId: string, name: string, roles: Role[], branchId: string | undefined, was?: Item): TransactItem {
  return {
    Put: {
      Item: { ...Keys.role(userId, communityId), ...Keys.rolePeople(communityId, userId), type: "role", userId, communityId, name, roles, branchId },
      // A membership that changed since it was read is not overwritten: the row is reported instead.
      ConditionExpression: was ? "#v = :v" : "attribute_not_exists(pk)",
      ...(was ? { ExpressionAttributeNames: { "#v": "roles" }, ExpressionAttributeValues: { ":v": was.roles } } : {}),
    },
  } as TransactItem;
}

/** The community's people as a CSV roll in the import's own format (phone, name, branch), plus their roles. */
export async function exportMembers(store: Store, actor: Actor, communityId: string): Promise<string> {
  if (!hasRole(actor, communityId, "staff")) fail("community.forbidden", "Only staff of this community may export its members.");
  const community = await Community.fromId(store, communityId);
  const branchName = new Map(community.branches.map((b) => [b.id, b.name]));
  const people = await queryAll(store, {
    IndexName: "byCommunity",
    KeyConditionExpression: "gsi3pk = :pk",
    ExpressionAttributeValues: { ":pk": Keys.rolePeople(communityId, "").gsi3pk },
  });
  const users = new Map<string, Item>();
  for (let i = 0; i < people.length; i += 100) {
    for (const u of await getMany(store, people.slice(i, i + 100).map((p) => Keys.user(p.userId)))) users.set(u.id, u);
  }
  const rows = people
    .map((p) => [localPhone(users.get(p.userId)?.phone ?? ""), p.name, p.branchId ? (branchName.get(p.branchId) ?? "") : "", (p.roles ?? []).join(" ")])
    .sort((a, b) => String(a[2]).localeCompare(String(b[2]), "zh-CN") || String(a[1]).localeCompare(String(b[1]), "zh-CN"));
  return Csv.format([["phone", "name", "branch", "roles"], ...rows]);
}

/** A mainland number as people write it (13800138000); others stay in E.164. */
const localPhone = (phone: string) => (phone.startsWith("+86") ? phone.slice(3) : phone);
