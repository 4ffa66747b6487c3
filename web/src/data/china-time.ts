/**
 * Activities keep China time (UTC+8, no daylight saving), as their posters print it: a form's
 * `datetime-local` value is read as China time whatever zone the browser is set to, and times
 * are shown in it.
 */
const offsetMs = 8 * 3_600_000;

/** `2026-12-06T09:00` (China time) as an ISO time with its zone; undefined for an empty or malformed value. */
export function fromChinaInput(local: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(local);
  if (!m) return undefined;
  const at = Date.parse(`${m[1]}${m[2] ?? ":00"}+08:00`);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/** An instant as a `datetime-local` value in China time. */
export function toChinaInput(at: Date | string): string {
  return new Date(new Date(at).getTime() + offsetMs).toISOString().slice(0, 16);
}

/** A time as the activity's people read it: in China time, in the reader's language. */
export function formatChinaTime(iso: string | undefined, lang: string) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(lang, {
    timeZone: "Asia/Shanghai",
    month: "short",
    day: "numeric",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}
