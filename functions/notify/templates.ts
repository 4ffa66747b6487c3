/**
 * What each notice says, in Chinese (the default) and in English. The in-app text and the SMS are
 * the same sentence; the SMS carries the sender's mark and is kept within three SMS segments by
 * shortening what people typed (a reason, an address, a title) rather than the sentence around it.
 */
import type { NoticeKind, NoticeParams } from "../core/audience.js";
import { categories } from "../core/model.js";

export type Lang = "zh-CN" | "en";
export const langs: readonly Lang[] = ["zh-CN", "en"];

/** Communities are in China: times are shown on Beijing time whatever the server's zone. */
export const displayTimeZone = "Asia/Shanghai";

export const maxSmsSegments = 3;

type Words = (p: NoticeParams) => string;

function parts(at: string, lang: Lang) {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone: displayTimeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const month = new Intl.DateTimeFormat("en-GB", { timeZone: displayTimeZone, month: "numeric" }).format(new Date(at));
  const time = `${p.hour}:${p.minute}`;
  const day = lang === "zh-CN" ? `${month}月${p.day}日` : `${p.weekday} ${p.day} ${p.month}`;
  return { day, time };
}

/** A time window as people read it: "11月22日 09:00–11:00", "Sun 22 Nov 09:00–11:00". */
export function formatWindow(window: { from: string; to: string }, lang: Lang): string {
  const a = parts(window.from, lang);
  const b = parts(window.to, lang);
  if (a.day === b.day) return `${a.day} ${a.time}–${b.time}`;
  return lang === "zh-CN" ? `${a.day} ${a.time}至${b.day} ${b.time}` : `${a.day} ${a.time} to ${b.day} ${b.time}`;
}

const zhWhere = (p: NoticeParams) => {
  const bits = [p.window && formatWindow(p.window, "zh-CN"), p.address].filter(Boolean);
  return bits.length ? `（${bits.join("，")}）` : "";
};
const enWhere = (p: NoticeParams) => {
  const bits = [p.window && formatWindow(p.window, "en"), p.address].filter(Boolean);
  return bits.length ? ` (${bits.join(", ")})` : "";
};
const zhNote = (p: NoticeParams) => (p.note ? `：${p.note}` : "。");
const enNote = (p: NoticeParams) => (p.note ? `: ${p.note}` : ".");

const texts: Record<NoticeKind, Record<Lang, Words>> = {
  "wish-taken-in": {
    "zh-CN": (p) => `社区工作人员${p.actor}已为您登记心愿「${p.title}」。志愿者服务完成时，请把验证码${p.code}告诉他们。`,
    en: (p) => `Staff (${p.actor}) took in your wish "${p.title}". When the volunteer is done, tell them the code ${p.code}.`,
  },
  "wish-approved": {
    "zh-CN": (p) => `您的心愿「${p.title}」已通过审核，正在等待志愿者认领。`,
    en: (p) => `Your wish "${p.title}" was approved and is waiting for a volunteer.`,
  },
  "wish-rejected": {
    "zh-CN": (p) => `您的心愿「${p.title}」未通过审核${zhNote(p)}`,
    en: (p) => `Your wish "${p.title}" was not approved${enNote(p)}`,
  },
  "wish-claimed": {
    "zh-CN": (p) => `您的心愿「${p.title}」已有志愿者认领：${(p.names ?? []).join("、")}。`,
    en: (p) => `Your wish "${p.title}" has been claimed by ${(p.names ?? []).join(", ")}.`,
  },
  "wish-released": {
    "zh-CN": (p) => `志愿者${p.actor}无法前来，您的心愿「${p.title}」正在重新等待认领。`,
    en: (p) => `${p.actor} can no longer come; your wish "${p.title}" is waiting for a volunteer again.`,
  },
  "wish-started": {
    "zh-CN": (p) => `志愿者${p.actor}已到达，开始为您办理「${p.title}」。`,
    en: (p) => `${p.actor} has arrived and started on your wish "${p.title}".`,
  },
  "wish-completed": {
    "zh-CN": (p) => `您的心愿「${p.title}」已完成，请确认并评价。`,
    en: (p) => `Your wish "${p.title}" is done: please confirm and rate it.`,
  },
  "wish-cancelled": {
    "zh-CN": (p) => `您的心愿「${p.title}」已被社区工作人员${p.actor}取消${zhNote(p)}`,
    en: (p) => `Your wish "${p.title}" was cancelled by staff (${p.actor})${enNote(p)}`,
  },
  "wish-expired": {
    "zh-CN": (p) => `您的心愿「${p.title}」到截止时间仍无人认领，已失效。`,
    en: (p) => `Your wish "${p.title}" reached its deadline with no volunteer and has expired.`,
  },
  "task-dispatched": {
    "zh-CN": (p) => `社区为您派发了心愿「${p.title}」${zhWhere(p)}。如不能前往，请在微心愿中婉拒。`,
    en: (p) => `Staff assigned you the wish "${p.title}"${enWhere(p)}. If you cannot go, decline it in Microwish.`,
  },
  "task-confirmed": {
    "zh-CN": (p) => `您已认领心愿「${p.title}」${zhWhere(p)}，请按时前往。`,
    en: (p) => `You claimed the wish "${p.title}"${enWhere(p)}. Please be there on time.`,
  },
  "task-cancelled": {
    "zh-CN": (p) =>
      p.expired
        ? `您认领的心愿「${p.title}」已过截止时间，已失效，无需前往。`
        : `您认领的心愿「${p.title}」已取消，无需前往${p.note ? `。原因：${p.note}` : "。"}`,
    en: (p) =>
      p.expired
        ? `The wish "${p.title}" you claimed passed its deadline and has expired: no need to go.`
        : `The wish "${p.title}" you claimed is cancelled: no need to go.${p.note ? ` Reason: ${p.note}` : ""}`,
  },
  "task-reminder": {
    "zh-CN": (p) => `提醒：心愿「${p.title}」的服务时间已到${zhWhere(p)}，请前往并签到；如不能前往，请释放名额。`,
    en: (p) => `Reminder: the wish "${p.title}" is due now${enWhere(p)}. Please go and check in, or release your place if you cannot.`,
  },
  "task-disputed": {
    "zh-CN": (p) => `居民认为心愿「${p.title}」尚未完成${zhNote(p)}`,
    en: (p) => `The resident says "${p.title}" is not done yet${enNote(p)}`,
  },
  "task-verified": {
    "zh-CN": (p) => `心愿「${p.title}」的服务时长已核定：${p.minutes}分钟。`,
    en: (p) => `Your time on "${p.title}" is verified: ${p.minutes} minutes.`,
  },
  "review-needed": {
    "zh-CN": (p) => `新心愿待审核：「${p.title}」，来自${p.actor}。`,
    en: (p) => `New wish to review: "${p.title}" from ${p.actor}.`,
  },
  "dispatch-declined": {
    "zh-CN": (p) => `${p.actor}婉拒了心愿「${p.title}」的派单，请重新派单。`,
    en: (p) => `${p.actor} declined "${p.title}": please dispatch someone else.`,
  },
  "wish-waiting": {
    "zh-CN": (p) => `心愿「${p.title}」已等待${p.hours}小时，仍无人认领。`,
    en: (p) => `"${p.title}" has waited ${p.hours} hours with no volunteer.`,
  },
  "activity-absent": {
    "zh-CN": (p) => `您报名的活动「${p.title}」${zhWhere(p)}没有签到，已记为缺勤。如有误，请联系社区。`,
    en: (p) => `You signed up for "${p.title}"${enWhere(p)} and did not check in: recorded as absent. If that is wrong, tell staff.`,
  },
  "activity-verified": {
    "zh-CN": (p) => `活动「${p.title}」的服务时长已核定：${p.minutes}分钟。`,
    en: (p) => `Your time at "${p.title}" is verified: ${p.minutes} minutes.`,
  },
  notice: {
    "zh-CN": (p) => `${p.title ? `活动「${p.title}」` : "社区"}通知（${p.actor}）：${p.note}`,
    en: (p) => `Notice${p.title ? ` about "${p.title}"` : ""} from ${p.actor}: ${p.note}`,
  },
};

const newWish: Record<Lang, Words> = {
  "zh-CN": (p) =>
    `新心愿「${p.title}」（${categoryName(p.category, "zh-CN")}）等待认领${p.address ? `，地点：${p.address}` : ""}。打开微心愿查看。`,
  en: (p) =>
    `New wish "${p.title}" (${categoryName(p.category, "en")}) needs a volunteer${p.address ? ` at ${p.address}` : ""}. ` +
    "Open Microwish to claim it.",
};

function categoryName(code: string | undefined, lang: Lang) {
  return categories.find((c) => c.code === code)?.name[lang] ?? code ?? "";
}

const smsMark: Record<Lang, string> = { "zh-CN": "【微心愿】", en: "[Microwish] " };

export function langOf(lang: unknown): Lang {
  return lang === "en" ? "en" : "zh-CN";
}

/** The notice as shown in the app. */
export function appText(kind: NoticeKind, lang: Lang, params: NoticeParams): string {
  return texts[kind][lang](params);
}

/**
 * How many SMS segments a text takes: 160 characters (153 when split) when every character is in
 * the GSM alphabet, which covers plain ASCII; otherwise UCS-2, 70 UTF-16 units (67 when split).
 */
export function smsSegments(text: string): number {
  if (/^[\n\r\x20-\x7E]*$/.test(text)) {
    // These take two septets in the GSM alphabet (escape + character).
    const septets = text.length + (text.match(/[\^{}\\[\]~|]/g)?.length ?? 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

const shortenable = ["note", "address", "title"] as const;
const keep = 6;

function cut(value: string, chars: number) {
  const cps = [...value];
  return cps.length <= chars ? value : `${cps.slice(0, Math.max(1, chars - 1)).join("")}…`;
}

function fit(render: (p: NoticeParams) => string, params: NoticeParams): { text: string; shortened: boolean } {
  let p = { ...params };
  let text = render(p);
  if (smsSegments(text) <= maxSmsSegments) return { text, shortened: false };
  for (const field of shortenable) {
    while (smsSegments(text) > maxSmsSegments) {
      const value = p[field];
      const length = value ? [...value].length : 0;
      if (length <= keep) break;
      const over = Math.max(1, Math.ceil((text.length - limitFor(text)) / 2));
      p = { ...p, [field]: cut(value!, Math.max(keep, length - over)) };
      text = render(p);
    }
  }
  while (smsSegments(text) > maxSmsSegments) text = cut(text, [...text].length - 1);
  return { text, shortened: true };
}

function limitFor(text: string) {
  return /^[\n\r\x20-\x7E]*$/.test(text) ? 153 * maxSmsSegments : 67 * maxSmsSegments;
}

/** The notice as an SMS: marked with the sender and kept within `maxSmsSegments` segments. */
export function smsText(kind: NoticeKind, lang: Lang, params: NoticeParams) {
  return fit((p) => smsMark[lang] + texts[kind][lang](p), params);
}

/** The topic message for a new open wish, one per language. */
export function newWishText(lang: Lang, params: NoticeParams) {
  return fit((p) => smsMark[lang] + newWish[lang](p), params);
}
