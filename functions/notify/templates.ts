/**
 * What each notice says, in Chinese (the default) and in English: in the app, the full sentence with
 * what people wrote; by SMS, a fixed template with a link into the app (`smsTemplates`).
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

/** A moment as people read it: "12月5日 09:30", "Sat 5 Dec 09:30". */
export function formatTime(at: string, lang: Lang): string {
  const p = parts(at, lang);
  return `${p.day} ${p.time}`;
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
  "task-lapsing": {
    "zh-CN": (p) =>
      `心愿「${p.title}」已开始，您尚未签到：如${p.until ? `到${formatTime(p.until, "zh-CN")}` : "稍后"}仍未签到，名额将被释放。` +
      "如需更多时间，可在微心愿中延长一次。",
    en: (p) =>
      `"${p.title}" has started and you have not checked in: unless you do${p.until ? ` by ${formatTime(p.until, "en")}` : ""}, ` +
      "your place will be released. Need more time? Extend it once in Microwish.",
  },
  "task-lapsed": {
    "zh-CN": (p) => `您认领的心愿「${p.title}」在开始后${p.minutes}分钟内未签到，名额已释放，无需前往。`,
    en: (p) => `You did not check in to "${p.title}" within ${p.minutes} minutes of its start: your place was released. No need to go.`,
  },
  "task-takeover-asked": {
    "zh-CN": (p) => `${p.actor}申请接替您在心愿「${p.title}」中的名额，待社区审核。如能前往，请尽快签到。`,
    en: (p) => `${p.actor} asked to take over your place on "${p.title}"; staff will decide. If you can go, check in soon.`,
  },
  "task-handed-over": {
    "zh-CN": (p) => `社区已将心愿「${p.title}」${zhWhere(p)}转由您接替${(p.names ?? []).join("、")}，请尽快前往并签到。`,
    en: (p) => `Staff handed you ${(p.names ?? []).join(", ")}'s place on "${p.title}"${enWhere(p)}. Please go and check in soon.`,
  },
  "task-taken-over": {
    "zh-CN": (p) => `您在心愿「${p.title}」中的名额已由社区转给其他志愿者，无需前往。`,
    en: (p) => `Staff handed your place on "${p.title}" to another volunteer: no need to go.`,
  },
  "menu-ordered": {
    "zh-CN": (p) => `居民从服务清单点了您所在支部提供的服务：「${p.title}」${zhWhere(p)}，已通过审核，请认领。`,
    en: (p) => `A resident ordered "${p.title}"${enWhere(p)} from your branch's service menu: it is approved, please claim it.`,
  },
  "new-wish": {
    "zh-CN": (p) => `有新的${categoryName(p.category, "zh-CN")}心愿等待认领：「${p.title}」${zhWhere(p)}。`,
    en: (p) => `A new wish (${categoryName(p.category, "en")}) needs a volunteer: "${p.title}"${enWhere(p)}.`,
  },
  "grid-wish-posted": {
    "zh-CN": (p) => `您负责的网格有新心愿：「${p.title}」${zhWhere(p)}，来自${p.actor}。`,
    en: (p) => `A new wish in your grid: "${p.title}"${enWhere(p)} from ${p.actor}.`,
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
  "claim-lapsed": {
    "zh-CN": (p) => `${p.actor}在心愿「${p.title}」开始后${p.minutes}分钟内未签到，名额已自动释放。`,
    en: (p) => `${p.actor} did not check in to "${p.title}" within ${p.minutes} minutes of its start: the place was released.`,
  },
  "claim-extended": {
    "zh-CN": (p) => `${p.actor}延长了心愿「${p.title}」的签到时限${p.until ? `，至${formatTime(p.until, "zh-CN")}` : ""}。`,
    en: (p) => `${p.actor} extended their claim on "${p.title}"${p.until ? ` until ${formatTime(p.until, "en")}` : ""}.`,
  },
  "takeover-requested": {
    "zh-CN": (p) => `${p.actor}申请接替${(p.names ?? []).join("、")}在心愿「${p.title}」中未签到的名额，请审核。`,
    en: (p) => `${p.actor} asked to take over ${(p.names ?? []).join(", ")}'s place on "${p.title}" (not checked in): please decide.`,
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

function categoryName(code: string | undefined, lang: Lang) {
  return categories.find((c) => c.code === code)?.name[lang] ?? code ?? "";
}

/** The sender's mark SNS messages start with; a domestic provider adds its registered signature itself. */
export const smsMark: Record<Lang, string> = { "zh-CN": "【微心愿】", en: "[Microwish] " };

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

/**
 * Every SMS is one of these fixed templates with variables, in each language: what mainland China's
 * carriers (and SNS's registered templates for +86) accept, and all that a domestic SMS provider
 * needs (its template code and the variables). What people typed (a title, an address, a note, a
 * name) is never in an SMS: the short link leads into the app, where it is. The variables are a
 * sign-in code, a time window, a count of minutes or hours, a category's fixed name, and the link.
 */
export const smsTemplates = {
  "sign-in": {
    "zh-CN": "您的登录验证码是 {code}，5分钟内有效。Your Microwish sign-in code is {code}.",
    en: "您的登录验证码是 {code}，5分钟内有效。Your Microwish sign-in code is {code}.",
  },
  "wish-taken-in": {
    "zh-CN": "社区已为您登记一个心愿。志愿者服务完成时，请把验证码{code}告诉他们。查看：{link}",
    en: "Staff took in a wish for you. When the volunteer is done, tell them the code {code}: {link}",
  },
  "wish-approved": {
    "zh-CN": "您的心愿已通过审核，正在等待志愿者认领。查看：{link}",
    en: "Your wish was approved and is waiting for a volunteer: {link}",
  },
  "wish-rejected": { "zh-CN": "您的心愿未通过审核，原因请查看：{link}", en: "Your wish was not approved. See why: {link}" },
  "wish-claimed": { "zh-CN": "您的心愿已有志愿者认领，查看：{link}", en: "A volunteer has claimed your wish: {link}" },
  "wish-released": {
    "zh-CN": "有志愿者无法前来，您的心愿正在重新等待认领：{link}",
    en: "A volunteer can no longer come; your wish is waiting for a volunteer again: {link}",
  },
  "wish-started": { "zh-CN": "志愿者已到达，开始为您服务：{link}", en: "Your volunteer has arrived and started: {link}" },
  "wish-completed": { "zh-CN": "您的心愿已完成，请确认并评价：{link}", en: "Your wish is done: please confirm and rate it: {link}" },
  "wish-cancelled": { "zh-CN": "您的心愿已被社区取消，详情：{link}", en: "Staff cancelled your wish: {link}" },
  "wish-expired": {
    "zh-CN": "您的心愿到截止时间仍无人认领，已失效：{link}",
    en: "Your wish reached its deadline with no volunteer and has expired: {link}",
  },
  "task-dispatched": {
    "zh-CN": "社区为您派发了一个心愿，服务时间：{time}。如不能前往，请在微心愿中婉拒：{link}",
    en: "Staff assigned you a wish, {time}. If you cannot go, decline it in Microwish: {link}",
  },
  "task-confirmed": {
    "zh-CN": "您已认领一个心愿，服务时间：{time}，请按时前往：{link}",
    en: "You claimed a wish, {time}. Please be there on time: {link}",
  },
  "task-cancelled": { "zh-CN": "您认领的心愿已取消，无需前往：{link}", en: "A wish you claimed is cancelled: no need to go: {link}" },
  "task-expired": {
    "zh-CN": "您认领的心愿已过截止时间失效，无需前往：{link}",
    en: "A wish you claimed passed its deadline and has expired: no need to go: {link}",
  },
  "task-reminder": {
    "zh-CN": "提醒：您认领的心愿服务时间已到（{time}），请前往并签到；如不能前往，请释放名额：{link}",
    en: "Reminder: a wish you claimed is due now ({time}). Please go and check in, or release your place: {link}",
  },
  "task-disputed": { "zh-CN": "居民认为心愿尚未完成，详情：{link}", en: "The resident says a wish is not done yet: {link}" },
  "task-verified": { "zh-CN": "您的服务时长已核定：{minutes}分钟。查看：{link}", en: "Your time is verified: {minutes} minutes: {link}" },
  "grid-wish-posted": { "zh-CN": "您负责的网格有新心愿，请查看：{link}", en: "A new wish in your grid: {link}" },
  "review-needed": { "zh-CN": "有新心愿待审核：{link}", en: "A new wish is waiting for review: {link}" },
  "dispatch-declined": {
    "zh-CN": "有志愿者婉拒了派单，请重新派单：{link}",
    en: "A volunteer declined a dispatch: please send someone else: {link}",
  },
  "wish-waiting": { "zh-CN": "有心愿已等待{hours}小时仍无人认领：{link}", en: "A wish has waited {hours} hours with no volunteer: {link}" },
  "activity-absent": {
    "zh-CN": "您报名的活动没有签到，已记为缺勤。如有误，请联系社区：{link}",
    en: "You signed up for an activity and did not check in: recorded as absent. If that is wrong, tell staff: {link}",
  },
  "activity-verified": {
    "zh-CN": "您的活动服务时长已核定：{minutes}分钟。查看：{link}",
    en: "Your time at an activity is verified: {minutes} minutes: {link}",
  },
  "task-lapsing": {
    "zh-CN": "您认领的心愿已开始，您尚未签到；逾时未签到，名额将被释放。可延长一次：{link}",
    en: "A wish you claimed has started and you have not checked in: check in soon or your place will be released: {link}",
  },
  "task-lapsed": {
    "zh-CN": "您在开始后{minutes}分钟内未签到，名额已释放，无需前往：{link}",
    en: "You did not check in within {minutes} minutes of the start: your place was released. No need to go: {link}",
  },
  "task-takeover-asked": {
    "zh-CN": "有志愿者申请接替您未签到的名额，待社区审核；如能前往，请尽快签到：{link}",
    en: "Another volunteer asked to take over your place (not checked in); if you can go, check in soon: {link}",
  },
  "task-handed-over": {
    "zh-CN": "社区已将一个心愿的名额转由您接替，服务时间：{time}，请尽快前往：{link}",
    en: "Staff handed you a place on a wish, {time}. Please go and check in soon: {link}",
  },
  "task-taken-over": {
    "zh-CN": "您在一个心愿中的名额已由社区转给其他志愿者，无需前往：{link}",
    en: "Staff handed your place on a wish to another volunteer: no need to go: {link}",
  },
  "claim-lapsed": {
    "zh-CN": "有志愿者在开始后{minutes}分钟内未签到，名额已自动释放：{link}",
    en: "A volunteer did not check in within {minutes} minutes of the start: the place was released: {link}",
  },
  "menu-ordered": {
    "zh-CN": "有居民点了您所在支部在服务清单上提供的服务，服务时间：{time}，请认领：{link}",
    en: "A resident ordered a service your branch offers on the menu, {time}. Please claim it: {link}",
  },
  "claim-extended": { "zh-CN": "有志愿者延长了签到时限：{link}", en: "A volunteer extended their claim: {link}" },
  "takeover-requested": {
    "zh-CN": "有志愿者申请接替一个未签到的名额，请审核：{link}",
    en: "A volunteer asked to take over a place not checked in: please decide: {link}",
  },
  // What staff wrote stays in the app: the SMS says there is a notice and where to read it.
  notice: { "zh-CN": "社区给您发来一条通知，请查看：{link}", en: "Staff sent you a notice: {link}" },
  "new-wish": { "zh-CN": "有新的{category}心愿等待认领：{link}", en: "A new wish ({category}) needs a volunteer: {link}" },
  "new-wish-digest": {
    "zh-CN": "昨天有{count}个您关注的新心愿等待认领，查看：{link}",
    en: "{count} new wishes of the kinds you follow came in yesterday: {link}",
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type SmsTemplateId = keyof typeof smsTemplates;

/** An SMS as a template and its variables, and its text as SNS (or the dev outbox) sends it. */
export interface Sms {
  template: { id: SmsTemplateId; lang: Lang; vars: Record<string, string> };
  text: string;
}

/** Fills a template; a variable it names but is not given is an error, never a hole in a text sent. */
export function renderSms(id: SmsTemplateId, lang: Lang, vars: Record<string, string>): Sms {
  const body = smsTemplates[id][lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`SMS template ${id} needs {${name}}`);
    return value;
  });
  return { template: { id, lang, vars }, text: smsMark[lang] + body };
}

/** The link to a wish's page in the web app, which an SMS carries instead of the wish's text. */
export const wishLink = (siteUrl: string, wishId: string) => `${siteUrl.replace(/\/+$/, "")}/wishes/${wishId}`;

const seeDetails: Record<Lang, string> = { "zh-CN": "见详情", en: "see the wish" };

/** The notice as an SMS: its kind's template, with the link to the wish and only fixed-form variables. */
export function smsText(kind: NoticeKind, lang: Lang, params: NoticeParams, link: string): Sms {
  const id: SmsTemplateId = kind === "task-cancelled" && params.expired ? "task-expired" : kind;
  const vars: Record<string, string> = { link };
  if (/\{time\}/.test(smsTemplates[id][lang])) vars.time = params.window ? formatWindow(params.window, lang) : seeDetails[lang];
  if (params.minutes !== undefined) vars.minutes = String(params.minutes);
  if (params.hours !== undefined) vars.hours = String(params.hours);
  if (params.code !== undefined) vars.code = String(params.code);
  if (/\{category\}/.test(smsTemplates[id][lang])) vars.category = categoryName(params.category, lang);
  return renderSms(id, lang, vars);
}

/** The SMS telling a member of a new open wish in a category they chose. */
export function newWishText(lang: Lang, params: NoticeParams, link: string): Sms {
  return renderSms("new-wish", lang, { category: categoryName(params.category, lang), link });
}
