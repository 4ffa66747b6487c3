import { queryPage, type Store } from "../store/client.js";
import * as ledger from "../store/entities/ledger-entry.js";
import type { LedgerEntry } from "../store/entities/index.js";
import * as Community from "./community.js";
import * as Csv from "./csv.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import * as Units from "./units.js";
import { categories } from "./model.js";
import { chinaOffsetMinutes, dayStart } from "./period.js";

/** The most entries one export holds (a few MB); a longer ledger is exported over shorter ranges. */
export const maxExportRows = 20_000;

export const columns = [
  ["memberName", "志愿者 volunteer"],
  ["memberId", "志愿者编号 member id"],
  ["branchName", "支部 branch"],
  ["communityName", "社区 community"],
  ["content", "服务内容 service"],
  ["category", "类别 category"],
  ["place", "地点 place"],
  ["start", "开始 start (北京时间)"],
  ["end", "结束 end (北京时间)"],
  ["minutes", "时长(分钟) minutes"],
  ["measuredMinutes", "实测(分钟) measured"],
  ["reason", "核定理由 reason"],
  ["signedByResident", "居民签认 signed"],
  ["verifierName", "核实人 verifier"],
  ["verifiedAt", "核实时间 verified (北京时间)"],
  ["wishId", "心愿或活动编号 wish or activity id"],
  ["kind", "类型 kind"],
] as const;

/** `2026-11-22 09:05:00`, China time: what Excel reads as a date and time. */
export function chinaTime(iso?: string) {
  if (!iso) return "";
  return new Date(Date.parse(iso) + chinaOffsetMinutes * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

const categoryName = (code: string) => categories.find((c) => c.code === code)?.name["zh-CN"] ?? code;

export function row(e: LedgerEntry): Csv.Cell[] {
  return [
    e.memberName,
    e.memberId,
    e.branchName ?? "",
    e.communityName,
    e.content,
    e.category ? categoryName(e.category) : "",
    e.place ?? "",
    chinaTime(e.start),
    chinaTime(e.end),
    e.minutes,
    e.measuredMinutes ?? "",
    e.reason ?? "",
    e.signedByResident ? "是" : "否",
    e.verifierName,
    chinaTime(e.verifiedAt),
    ledger.serviceOf(e),
    e.kind === "activity" ? "集体活动 activity" : "微心愿 wish",
  ];
}

/**
 * A community's ledger verified between two days (China time, both included), as CSV for Excel:
 * one bounded range of the community's ledger index, oldest first.
 */
export async function exportCsv(store: Store, actor: Actor, communityId: string, range: { from: string; to: string }) {
  if (!(await Units.mayRead(store, actor, communityId))) fail("ledger.forbidden", "Only staff of this community may export its ledger.");
  await Community.fromId(store, communityId);
  const start = dayStart(range.from).toISOString();
  const end = new Date(dayStart(range.to).getTime() + 86_400_000 - 1).toISOString();
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(store, ledger.ofCommunity(communityId, start, end), cursor);
    entries.push(...page.items.map(ledger.fromItem));
    cursor = page.cursor;
    if (entries.length > maxExportRows) {
      fail("ledger.invalid", `More than ${maxExportRows} entries between ${range.from} and ${range.to}: export a shorter range.`, {
        field: "to",
      });
    }
  } while (cursor);
  return Csv.format([columns.map(([, title]) => title), ...entries.map(row)]);
}
