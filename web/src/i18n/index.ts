import { createSignal } from "solid-js";
import type { Locale } from "../data/types";
import zh, { type Key } from "./zh-CN";

export type { Key } from "./zh-CN";

/** Chinese ships with the app; English is fetched the first time someone asks for it. */
const catalogues: Partial<Record<Locale, Record<Key, string>>> = { "zh-CN": zh };

export async function loadLocale(l: Locale) {
  if (!catalogues[l]) catalogues[l] = (await import("./en")).default;
}

function initialLocale(): Locale {
  try {
    return localStorage.getItem("mw.lang") === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

/** Whether the person picked a language on this phone (then it wins over what their account says). */
export function localeChosenHere() {
  try {
    return localStorage.getItem("mw.lang") !== null;
  } catch {
    return false;
  }
}

const [localeSignal, setLocaleSignal] = createSignal<Locale>(initialLocale());
export const locale = localeSignal;

export async function setLocale(l: Locale) {
  await loadLocale(l);
  setLocaleSignal(l);
  document.documentElement.lang = l;
  try {
    localStorage.setItem("mw.lang", l);
  } catch {
    // The choice holds for this visit.
  }
}

/** Messages a page's own code brings (activities): Chinese, then English. */
export const extra: Record<string, string>[] = [{}, {}];

/**
 * A page's own messages, in both languages, registered when its chunk loads: the catalogue every
 * page loads first keeps only what the shell and several pages share. Returns the page's `t`.
 */
export function messages<K extends string>(zhMessages: Record<K, string>, enMessages: NoInfer<Record<K, string>>) {
  Object.assign(extra[0], zhMessages);
  Object.assign(extra[1], enMessages);
  return (key: K, params?: Record<string, string | number>) => t(key as unknown as Key, params);
}

/** A message in the user's language; `{name}` placeholders take params, numbers formatted for the locale. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const l = localeSignal();
  const text = (catalogues[l] ?? zh)[key] ?? extra[+(l === "en")][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const v = params[name];
    return v === undefined ? "" : typeof v === "number" ? formatNumber(v) : v;
  });
}

/**
 * Intl's formatters are slow to make (on a cheap phone the first screen's numbers and dates cost tens
 * of milliseconds of blocked main thread when each call made its own): one per kind, locale and
 * options, made once and kept.
 */
const formatters = new Map<string, unknown>();
function formatter<T>(kind: string, options: object, make: (l: Locale) => T): T {
  const l = localeSignal();
  const key = `${kind} ${l} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, make(l));
  return formatters.get(key) as T;
}

export const formatNumber = (n: number, opts: Intl.NumberFormatOptions = {}) =>
  formatter("number", opts, (l) => new Intl.NumberFormat(l, opts)).format(n);

const dateTime: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false };
export function formatDateTime(iso: string | undefined) {
  if (!iso) return "";
  return formatter("date", dateTime, (l) => new Intl.DateTimeFormat(l, dateTime)).format(new Date(iso));
}

const date: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };
export function formatDate(iso: string | undefined) {
  if (!iso) return "";
  return formatter("date", date, (l) => new Intl.DateTimeFormat(l, date)).format(new Date(iso));
}

const relative: Intl.RelativeTimeFormatOptions = { numeric: "auto" };
/** "3 小时前" / "3 hours ago" */
export function formatAgo(iso: string, now = Date.now()) {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  // "此刻" is what Intl says for now, and reads like a button: "刚刚" is how people say it.
  if (Math.abs(minutes) < 1) return t("time.justNow");
  const rtf = formatter("relative", relative, (l) => new Intl.RelativeTimeFormat(l, relative));
  if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
  if (Math.abs(minutes) < 48 * 60) return rtf.format(Math.round(minutes / 60), "hour");
  return rtf.format(Math.round(minutes / 1440), "day");
}

export function formatMinutes(total: number) {
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return t("duration.m", { m });
  return m === 0 ? t("duration.h", { h }) : t("duration.hm", { h, m });
}

export function formatDistance(meters: number) {
  return meters < 1000
    ? formatNumber(Math.round(meters), { style: "unit", unit: "meter" })
    : formatNumber(meters / 1000, { style: "unit", unit: "kilometer", maximumFractionDigits: 1 });
}

/** A mainland mobile number as people write it (138 0013 8000); other numbers as they are. */
export function formatPhone(phone: string) {
  const m = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(phone);
  return m ? `${m[1]} ${m[2]} ${m[3]}` : phone;
}
