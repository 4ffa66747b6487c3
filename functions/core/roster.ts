import { ulid } from "ulid";
import { getMany, putItem, putMany, queryAll, type Store, type TransactItem } from "../store/client.js";
import * as branches from "../store/entities/branch.js";
import * as phones from "../store/entities/phone.js";
import * as roleItems from "../store/entities/role.js";
import * as users from "../store/entities/user.js";
import type { Role as Membership, UserRecord } from "../store/entities/index.js";
import * as Community from "./community.js";
import * as Csv from "./csv.js";
import { fail } from "./errors.js";
import { hasRole, normalizePhone, type Actor } from "./identity.js";
import type { Role } from "./model.js";
import * as Registrations from "./registrations.js";
import { write } from "./storage.js";

/** The most data rows one import takes; a bigger roll is imported in parts. */
export const maxImportRows = 10_000;
const maxName = 40;

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  /** people with an account already, and not of this community: invited, joining only if they accept */
  invited: number;
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
    ? {
        phone: first.findIndex((c) => headers.phone.test(c)),
        name: first.findIndex((c) => headers.name.test(c)),
        branch: first.findIndex((c) => headers.branch.test(c)),
      }
    : { phone: 0, name: 1, branch: 2 };
  if (named && col.name < 0) fail("import.invalid", "The header names a phone column but no name column (姓名).", { field: "file" });
  const data = named ? records.slice(1) : records;
  if (!data.length) fail("import.invalid", "The file has no rows to import: phone, name, branch.", { field: "file" });
  if (data.length > maxImportRows)
    fail("import.invalid", `The file has ${data.length} rows; import at most ${maxImportRows} at a time.`, { field: "file" });

  const report: ImportReport = { rows: data.length, created: 0, updated: 0, invited: 0, unchanged: 0, branchesCreated: [], refused: [] };
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
    else if (/[\u0000-\u001F\u007F]/.test(name) || !name.isWellFormed())
      refuse(r.line, given, "The name holds control or broken characters.");
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
    await putItem(store, branches.add({ id, communityId, name }));
    branchId.set(name, id);
    report.branchesCreated.push(name);
  }

  const links = new Map<string, string>();
  for (let i = 0; i < rows.length; i += 100) {
    for (const item of await getMany(
      store,
      rows.slice(i, i + 100).map((r) => phones.key(r.phone)),
    )) {
      const link = phones.fromItem(item);
      links.set(link.phone, link.userId);
    }
  }
  const known = rows.filter((r) => links.has(r.phone));
  const roles = new Map<string, Membership>();
  for (let i = 0; i < known.length; i += 100) {
    for (const item of await getMany(
      store,
      known.slice(i, i + 100).map((r) => roleItems.key(links.get(r.phone)!, communityId)),
    )) {
      const role = roleItems.fromItem(item);
      roles.set(role.userId, role);
    }
  }

  const at = new Date().toISOString();
  const accounts: UserRecord[] = [];
  type Plan = { row: Row; items: TransactItem[]; outcome: "created" | "updated" | "invited" };
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
      // Someone with an account who is not of this community is asked, never enrolled: they may belong elsewhere.
      if (!role) {
        plans.push({ row, outcome: "invited", items: [Registrations.inviteItem(actor, community, userId, row.name, wantBranch)] });
        continue;
      }
      const membership = { userId, communityId, name: row.name, roles: next, branchId: wantBranch };
      plans.push({ row, outcome: "updated", items: [roleItems.replace(membership, role)] });
    } else {
      const id = ulid();
      accounts.push({ id, phone: row.phone, name: row.name, lang: "zh-CN", createdAt: at });
      plans.push({
        row,
        outcome: "created",
        items: [
          phones.create({ phone: row.phone, userId: id }),
          roleItems.replace({ userId: id, communityId, name: row.name, roles: ["member"], branchId: wantBranch }),
        ],
      });
    }
  }

  await putMany(store, accounts.map(users.toItem));

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

  const raced = "This person's account changed while importing (they may have just signed up): import the row again.";
  const applyOne = async (p: Plan) => {
    if ((await write(store, p.items)).ok) report[p.outcome]++;
    else refuse(p.row.line, p.row.given, raced);
  };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const g = groups[next++];
      if (
        (
          await write(
            store,
            g.flatMap((p) => p.items),
          )
        ).ok
      )
        for (const p of g) report[p.outcome]++;
      else for (const p of g) await applyOne(p);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  report.refused.sort((a, b) => a.row - b.row);
  return report;
}

/** The community's people as a CSV roll in the import's own format (phone, name, branch), plus their roles. */
export async function exportMembers(store: Store, actor: Actor, communityId: string): Promise<string> {
  if (!hasRole(actor, communityId, "staff")) fail("community.forbidden", "Only staff of this community may export its members.");
  const community = await Community.fromId(store, communityId);
  const branchName = new Map(community.branches.map((b) => [b.id, b.name]));
  const people = (await queryAll(store, roleItems.ofCommunity(communityId))).map(roleItems.fromItem);
  const accounts = new Map<string, UserRecord>();
  for (let i = 0; i < people.length; i += 100) {
    for (const item of await getMany(
      store,
      people.slice(i, i + 100).map((p) => users.key(p.userId)),
    )) {
      const user = users.fromItem(item);
      accounts.set(user.id, user);
    }
  }
  const rows = people
    .map((p) => [
      localPhone(accounts.get(p.userId)?.phone ?? ""),
      p.name,
      p.branchId ? (branchName.get(p.branchId) ?? "") : "",
      (p.roles ?? []).join(" "),
    ])
    .sort((a, b) => String(a[2]).localeCompare(String(b[2]), "zh-CN") || String(a[1]).localeCompare(String(b[1]), "zh-CN"));
  return Csv.format([["phone", "name", "branch", "roles"], ...rows]);
}

/** A mainland number as people write it (13800138000); others stay in E.164. */
const localPhone = (phone: string) => (phone.startsWith("+86") ? phone.slice(3) : phone);
