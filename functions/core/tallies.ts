import type { TransactItem } from "../store/client.js";
import { Keys } from "../store/keys.js";
import { monthOf } from "./period.js";

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
}
export const figureNames = ["minutes", "entries", "onTime", "residentRatingSum", "residentRatings", "staffRatingSum", "staffRatings", "unfinished"] as const;

/** The attribute a month's figure lives in on a member or branch tally: `2026-11#minutes`. */
export const monthField = (month: string, figure: string) => `${month}#${figure}`;

export function addFigures(a: Figures, b: Figures): Figures {
  const out: Figures = { ...a };
  for (const f of figureNames) if (b[f]) out[f] = (out[f] ?? 0) + b[f]!;
  return out;
}

/** A month's figures read back from a tally item. */
export function figuresOf(item: Record<string, any> | undefined, month: string): Figures {
  const out: Figures = {};
  for (const f of figureNames) {
    const v = item?.[monthField(month, f)];
    if (v) out[f] = v;
  }
  return out;
}

/**
 * An update that adds figures to a member's or branch's tally: per month, and minutes and
 * entries all time as well (`totalMinutes`, `entries`). `labels` are set as they are now
 * (name, branch), so a ranking can be read off the tallies alone.
 */
export function tallyUpdate(key: { pk: string; sk: string }, month: string, figures: Figures, labels: Record<string, unknown>): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  const sets: string[] = [];
  let n = 0;
  const add = (attr: string, v: number) => {
    names[`#a${n}`] = attr;
    values[`:a${n}`] = v;
    adds.push(`#a${n} :a${n}`);
    n++;
  };
  for (const f of figureNames) if (figures[f]) add(monthField(month, f), figures[f]!);
  if (figures.minutes) add("totalMinutes", figures.minutes);
  if (figures.entries) add("entries", figures.entries);
  Object.entries(labels)
    .filter(([, v]) => v !== undefined)
    .forEach(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      sets.push(`#s${i} = :s${i}`);
    });
  return {
    Update: {
      Key: key,
      UpdateExpression: [sets.length ? `SET ${sets.join(", ")}` : "", adds.length ? `ADD ${adds.join(", ")}` : ""].filter(Boolean).join(" "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  } as TransactItem;
}

/** Counters of a community's month, moved in the transaction of the step they count. */
export interface MonthCounts extends Figures {
  submitted?: number;
  approved?: number;
  rejected?: number;
  cancelled?: number;
  expired?: number;
  closed?: number;
  /** wishes that got their first volunteer */
  claimed?: number;
  /** people the closed wishes served, by staff's count (the poster by default) */
  residentsServed?: number;
  /** residents served this month for the first time */
  distinctResidents?: number;
}

/** An update to a community's month stats: counters added, durations appended for the medians. */
export function monthStatsUpdate(communityId: string, month: string, counts: MonthCounts, durations: { toClaim?: number; toClose?: number } = {}): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":type": "month-stats", ":c": communityId, ":m": month };
  const adds: string[] = [];
  const sets = ["#type = :type", "communityId = :c", "#month = :m"];
  names["#type"] = "type";
  names["#month"] = "month";
  Object.entries(counts)
    .filter(([, v]) => v)
    .forEach(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      adds.push(`#a${i} :a${i}`);
    });
  Object.entries(durations)
    .filter(([, v]) => v !== undefined)
    .forEach(([k, v], i) => {
      names[`#l${i}`] = k;
      values[`:l${i}`] = [v];
      sets.push(`#l${i} = list_append(if_not_exists(#l${i}, :empty), :l${i})`);
      values[":empty"] = [];
    });
  return {
    Update: {
      Key: Keys.monthStats(communityId, month),
      UpdateExpression: `SET ${sets.join(", ")}${adds.length ? ` ADD ${adds.join(", ")}` : ""}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  } as TransactItem;
}

const counted = { submit: "submitted", approve: "approved", reject: "rejected", cancel: "cancelled", expire: "expired" } as const;

/** What a simple step adds to its community's month, to go in the step's own transaction. */
export function countStep(communityId: string, kind: string, at: string): TransactItem[] {
  const counter = counted[kind as keyof typeof counted];
  return counter ? [monthStatsUpdate(communityId, monthOf(at), { [counter]: 1 })] : [];
}
