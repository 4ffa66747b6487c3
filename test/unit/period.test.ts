/**
 * Days, months, quarters and years as the communities count them: in China time (UTC+8), so
 * work at 00:20 on 1 January there counts in the new year while UTC still says 31 December.
 */
import { describe, expect, it } from "vitest";
import { chinaTime } from "../../functions/core/ledger.js";
import { dayOf, dayStart, monthOf, parsePeriod, periodsOf } from "../../functions/core/period.js";

describe("the period an instant counts in", () => {
  it.each([
    ["2026-12-04T15:30:00Z", "2026-12-04", { month: "2026-12", quarter: "2026-Q4", year: "2026" }],
    ["2026-12-04T16:00:00Z", "2026-12-05", { month: "2026-12", quarter: "2026-Q4", year: "2026" }],
    ["2026-12-31T15:59:59.999Z", "2026-12-31", { month: "2026-12", quarter: "2026-Q4", year: "2026" }],
    ["2026-12-31T16:20:00Z", "2027-01-01", { month: "2027-01", quarter: "2027-Q1", year: "2027" }],
    ["2026-11-30T23:50:00Z", "2026-12-01", { month: "2026-12", quarter: "2026-Q4", year: "2026" }],
    ["2027-02-28T16:10:00Z", "2027-03-01", { month: "2027-03", quarter: "2027-Q1", year: "2027" }],
    ["2026-09-30T16:00:00Z", "2026-10-01", { month: "2026-10", quarter: "2026-Q4", year: "2026" }],
    ["2026-11-22T09:00:00+08:00", "2026-11-22", { month: "2026-11", quarter: "2026-Q4", year: "2026" }],
  ])("%s is on %s in China", (at, day, periods) => {
    expect(dayOf(at)).toBe(day);
    expect(monthOf(at)).toBe(periods.month);
    expect(periodsOf(new Date(at))).toEqual(periods);
  });

  it("starts a China day at 16:00 UTC the day before", () => {
    expect(dayStart("2027-01-01").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(dayOf(new Date(dayStart("2027-01-01").getTime() - 1))).toBe("2026-12-31");
    expect(dayOf(dayStart("2027-01-01"))).toBe("2027-01-01");
  });

  it("writes ledger times as a clock in China reads them", () => {
    expect(chinaTime("2026-12-31T16:20:00.000Z")).toBe("2027-01-01 00:20:00");
  });
});

describe("a period as asked for", () => {
  it.each([
    ["2026-11", { kind: "month", months: ["2026-11"], from: "2026-11-01", to: "2026-11-30" }],
    ["2027-02", { kind: "month", months: ["2027-02"], from: "2027-02-01", to: "2027-02-28" }],
    ["2028-02", { kind: "month", months: ["2028-02"], from: "2028-02-01", to: "2028-02-29" }],
    ["2026-Q4", { kind: "quarter", months: ["2026-10", "2026-11", "2026-12"], from: "2026-10-01", to: "2026-12-31" }],
    ["all", { kind: "all", months: [] }],
  ])("%s spans the right months and days", (key, period) => {
    expect(parsePeriod(key)).toEqual({ key, ...period });
  });

  it("a year spans its twelve months", () => {
    const year = parsePeriod("2027");
    expect(year).toMatchObject({ kind: "year", from: "2027-01-01", to: "2027-12-31" });
    expect(year.months).toHaveLength(12);
    expect(year.months.at(-1)).toBe("2027-12");
  });

  it.each(["2026-13", "2026-00", "2026-Q5", "26-11", "2026-1", "last month", ""])("refuses %j, naming the field", (key) => {
    expect(() => parsePeriod(key)).toThrow(expect.objectContaining({ code: "period.invalid", details: { field: "period" } }));
  });
});
