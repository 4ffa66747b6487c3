import { fail } from "./errors.js";

/**
 * Months, quarters and years as the communities count them: in China time (UTC+8, no
 * daylight saving), so work at 23:30 on 30 November counts in November wherever the
 * server runs.
 */
export const chinaOffsetMinutes = 8 * 60;
const offsetMs = chinaOffsetMinutes * 60_000;

/** `2026-11` for an instant. */
export function monthOf(at: string | Date): string {
  return new Date(new Date(at).getTime() + offsetMs).toISOString().slice(0, 7);
}

/** `2026-11-22` for an instant. */
export function dayOf(at: string | Date): string {
  return new Date(new Date(at).getTime() + offsetMs).toISOString().slice(0, 10);
}

export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The periods an instant falls in, from the month up: what a counter of "distinct" things must track. */
export function periodsOf(at: string | Date): { month: string; quarter: string; year: string } {
  const month = monthOf(at);
  return { month, quarter: quarterOf(month), year: month.slice(0, 4) };
}

/** The start of a China-time day as an instant. */
export function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

export interface Period {
  /** as asked: `2026-11`, `2026-Q4`, `2026` or `all` */
  key: string;
  kind: "month" | "quarter" | "year" | "all";
  /** the months it spans, `2026-10` … `2026-12`; empty for `all` */
  months: string[];
  /** first and last day, China time; absent for `all` */
  from?: string;
  to?: string;
}

export const periodPattern = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$|^all$/;

export function parsePeriod(key: string): Period {
  const m =
    periodPattern.exec(key) ?? fail("period.invalid", `"${key}" is not a period: use 2026-11, 2026-Q4, 2026 or all.`, { field: "period" });
  if (key === "all") return { key, kind: "all", months: [] };
  const year = Number(m[1]);
  const first = m[2] ? Number(m[2]) : m[3] ? (Number(m[3]) - 1) * 3 + 1 : 1;
  const count = m[2] ? 1 : m[3] ? 3 : 12;
  const months = Array.from({ length: count }, (_, i) => `${year}-${String(first + i).padStart(2, "0")}`);
  const last = months.at(-1)!;
  const lastDay = new Date(Date.UTC(year, Number(last.slice(5, 7)), 0)).getUTCDate();
  return {
    key,
    kind: m[2] ? "month" : m[3] ? "quarter" : "year",
    months,
    from: `${months[0]}-01`,
    to: `${last}-${String(lastDay).padStart(2, "0")}`,
  };
}
