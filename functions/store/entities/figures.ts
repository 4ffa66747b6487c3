import type { Changes } from "../expression.js";

/**
 * The figures that tallies and month stats add up. Minutes and entries move only at
 * verification, with the ledger entries they sum; `unfinished` counts claims that ended
 * without hours (released, declined, or credited nothing), for the completion rate.
 */
export interface Figures {
  minutes?: number;
  /** ledger entries: volunteer person-times */
  entries?: number;
  /** entries whose claim was taken on time */
  onTime?: number;
  residentRatingSum?: number;
  residentRatings?: number;
  staffRatingSum?: number;
  staffRatings?: number;
  unfinished?: number;
  /** activities attended (credited at verification) */
  attended?: number;
  /** activities signed up for and never attended (recorded by the scheduled job) */
  absent?: number;
}
export const figureNames = [
  "minutes",
  "entries",
  "onTime",
  "residentRatingSum",
  "residentRatings",
  "staffRatingSum",
  "staffRatings",
  "unfinished",
  "attended",
  "absent",
] as const;

/** The attribute a month's figure lives in on a member or branch tally: `2026-11#minutes`. */
export const monthField = (month: string, figure: string) => `${month}#${figure}`;

export function addFigures(a: Figures, b: Figures): Figures {
  const out: Figures = { ...a };
  for (const f of figureNames) if (b[f]) out[f] = (out[f] ?? 0) + b[f]!;
  return out;
}

/** A month's figures read back from a tally. */
export function figuresOf(tally: object | undefined, month: string): Figures {
  const out: Figures = {};
  for (const f of figureNames) {
    const v = (tally as Record<string, number> | undefined)?.[monthField(month, f)];
    if (v) out[f] = v;
  }
  return out;
}

/**
 * What adding figures does to a member's or branch's tally: per month, and minutes and entries
 * all time as well (`totalMinutes`, `entries`). `labels` are set as they are now (name, branch),
 * so a ranking can be read off the tallies alone.
 */
export function tallyChanges(month: string, figures: Figures, labels: Record<string, unknown>): Changes {
  return tallyChangesByMonth([[month, figures]], labels);
}

/** The same, for figures that count in different months (one update may name an attribute once). */
export function tallyChangesByMonth(byMonth: [string, Figures][], labels: Record<string, unknown>): Changes {
  const add: Record<string, number> = {};
  const plus = (k: string, n: number) => {
    add[k] = (add[k] ?? 0) + n;
  };
  for (const [month, figures] of byMonth) {
    for (const f of figureNames) if (figures[f]) plus(monthField(month, f), figures[f]!);
    if (figures.minutes) plus("totalMinutes", figures.minutes);
    if (figures.entries) plus("entries", figures.entries);
  }
  return { set: labels, add };
}
