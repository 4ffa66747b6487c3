/**
 * Every notice's text in both languages as the app shows it, written out in full; every SMS as a
 * fixed template with a link and no word anyone typed; how a time window reads; SMS segments.
 */
import { describe, expect, it } from "vitest";
import { noticeKinds, type NoticeKind, type NoticeParams } from "../../functions/core/audience.js";
import {
  appText,
  formatWindow,
  newWishText,
  renderSms,
  smsSegments,
  smsTemplates,
  smsText,
  type Lang,
} from "../../functions/notify/templates.js";

const params: NoticeParams = {
  title: "代取降压药",
  actor: "李明",
  names: ["李明", "张伟"],
  note: "临时有事",
  address: "幸福里3号楼",
  // 09:00–11:00 in Beijing
  window: { from: "2026-11-22T01:00:00Z", to: "2026-11-22T03:00:00Z" },
  minutes: 90,
  hours: 24,
  category: "errand",
  code: "0427",
  // 09:30 in Beijing
  until: "2026-11-22T01:30:00Z",
};

const expected: Record<NoticeKind, Record<Lang, string>> = {
  "wish-taken-in": {
    "zh-CN": "【微心愿】社区工作人员李明已为您登记心愿「代取降压药」。志愿者服务完成时，请把验证码0427告诉他们。",
    en: '[Microwish] Staff (李明) took in your wish "代取降压药". When the volunteer is done, tell them the code 0427.',
  },
  "wish-approved": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」已通过审核，正在等待志愿者认领。",
    en: '[Microwish] Your wish "代取降压药" was approved and is waiting for a volunteer.',
  },
  "wish-rejected": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」未通过审核：临时有事",
    en: '[Microwish] Your wish "代取降压药" was not approved: 临时有事',
  },
  "wish-claimed": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」已有志愿者认领：李明、张伟。",
    en: '[Microwish] Your wish "代取降压药" has been claimed by 李明, 张伟.',
  },
  "wish-released": {
    "zh-CN": "【微心愿】志愿者李明无法前来，您的心愿「代取降压药」正在重新等待认领。",
    en: '[Microwish] 李明 can no longer come; your wish "代取降压药" is waiting for a volunteer again.',
  },
  "wish-started": {
    "zh-CN": "【微心愿】志愿者李明已到达，开始为您办理「代取降压药」。",
    en: '[Microwish] 李明 has arrived and started on your wish "代取降压药".',
  },
  "wish-completed": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」已完成，请确认并评价。",
    en: '[Microwish] Your wish "代取降压药" is done: please confirm and rate it.',
  },
  "wish-cancelled": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」已被社区工作人员李明取消：临时有事",
    en: '[Microwish] Your wish "代取降压药" was cancelled by staff (李明): 临时有事',
  },
  "wish-expired": {
    "zh-CN": "【微心愿】您的心愿「代取降压药」到截止时间仍无人认领，已失效。",
    en: '[Microwish] Your wish "代取降压药" reached its deadline with no volunteer and has expired.',
  },
  "task-dispatched": {
    "zh-CN": "【微心愿】社区为您派发了心愿「代取降压药」（11月22日 09:00–11:00，幸福里3号楼）。如不能前往，请在微心愿中婉拒。",
    en: '[Microwish] Staff assigned you the wish "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼). If you cannot go, decline it in Microwish.',
  },
  "task-confirmed": {
    "zh-CN": "【微心愿】您已认领心愿「代取降压药」（11月22日 09:00–11:00，幸福里3号楼），请按时前往。",
    en: '[Microwish] You claimed the wish "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼). Please be there on time.',
  },
  "task-cancelled": {
    "zh-CN": "【微心愿】您认领的心愿「代取降压药」已取消，无需前往。原因：临时有事",
    en: '[Microwish] The wish "代取降压药" you claimed is cancelled: no need to go. Reason: 临时有事',
  },
  "task-reminder": {
    "zh-CN":
      "【微心愿】提醒：心愿「代取降压药」的服务时间已到（11月22日 09:00–11:00，幸福里3号楼），请前往并签到；如不能前往，请释放名额。",
    en:
      '[Microwish] Reminder: the wish "代取降压药" is due now (Sun 22 Nov 09:00–11:00, 幸福里3号楼). ' +
      "Please go and check in, or release your place if you cannot.",
  },
  "task-disputed": {
    "zh-CN": "【微心愿】居民认为心愿「代取降压药」尚未完成：临时有事",
    en: '[Microwish] The resident says "代取降压药" is not done yet: 临时有事',
  },
  "task-verified": {
    "zh-CN": "【微心愿】心愿「代取降压药」的服务时长已核定：90分钟。",
    en: '[Microwish] Your time on "代取降压药" is verified: 90 minutes.',
  },
  "task-lapsing": {
    "zh-CN":
      "【微心愿】心愿「代取降压药」已开始，您尚未签到：如到11月22日 09:30仍未签到，名额将被释放。如需更多时间，可在微心愿中延长一次。",
    en:
      '[Microwish] "代取降压药" has started and you have not checked in: unless you do by Sun 22 Nov 09:30, your place will be ' +
      "released. Need more time? Extend it once in Microwish.",
  },
  "task-lapsed": {
    "zh-CN": "【微心愿】您认领的心愿「代取降压药」在开始后90分钟内未签到，名额已释放，无需前往。",
    en: '[Microwish] You did not check in to "代取降压药" within 90 minutes of its start: your place was released. No need to go.',
  },
  "task-takeover-asked": {
    "zh-CN": "【微心愿】李明申请接替您在心愿「代取降压药」中的名额，待社区审核。如能前往，请尽快签到。",
    en: '[Microwish] 李明 asked to take over your place on "代取降压药"; staff will decide. If you can go, check in soon.',
  },
  "task-handed-over": {
    "zh-CN": "【微心愿】社区已将心愿「代取降压药」（11月22日 09:00–11:00，幸福里3号楼）转由您接替李明、张伟，请尽快前往并签到。",
    en:
      '[Microwish] Staff handed you 李明, 张伟\'s place on "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼). ' +
      "Please go and check in soon.",
  },
  "task-taken-over": {
    "zh-CN": "【微心愿】您在心愿「代取降压药」中的名额已由社区转给其他志愿者，无需前往。",
    en: '[Microwish] Staff handed your place on "代取降压药" to another volunteer: no need to go.',
  },
  "menu-ordered": {
    "zh-CN": "【微心愿】居民从服务清单点了您所在支部提供的服务：「代取降压药」（11月22日 09:00–11:00，幸福里3号楼），已通过审核，请认领。",
    en:
      '[Microwish] A resident ordered "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼) from your branch\'s service menu: ' +
      "it is approved, please claim it.",
  },
  "grid-wish-posted": {
    "zh-CN": "【微心愿】您负责的网格有新心愿：「代取降压药」（11月22日 09:00–11:00，幸福里3号楼），来自李明。",
    en: '[Microwish] A new wish in your grid: "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼) from 李明.',
  },
  "review-needed": {
    "zh-CN": "【微心愿】新心愿待审核：「代取降压药」，来自李明。",
    en: '[Microwish] New wish to review: "代取降压药" from 李明.',
  },
  "dispatch-declined": {
    "zh-CN": "【微心愿】李明婉拒了心愿「代取降压药」的派单，请重新派单。",
    en: '[Microwish] 李明 declined "代取降压药": please dispatch someone else.',
  },
  "wish-waiting": {
    "zh-CN": "【微心愿】心愿「代取降压药」已等待24小时，仍无人认领。",
    en: '[Microwish] "代取降压药" has waited 24 hours with no volunteer.',
  },
  "claim-lapsed": {
    "zh-CN": "【微心愿】李明在心愿「代取降压药」开始后90分钟内未签到，名额已自动释放。",
    en: '[Microwish] 李明 did not check in to "代取降压药" within 90 minutes of its start: the place was released.',
  },
  "claim-extended": {
    "zh-CN": "【微心愿】李明延长了心愿「代取降压药」的签到时限，至11月22日 09:30。",
    en: '[Microwish] 李明 extended their claim on "代取降压药" until Sun 22 Nov 09:30.',
  },
  "takeover-requested": {
    "zh-CN": "【微心愿】李明申请接替李明、张伟在心愿「代取降压药」中未签到的名额，请审核。",
    en: '[Microwish] 李明 asked to take over 李明, 张伟\'s place on "代取降压药" (not checked in): please decide.',
  },
  "activity-absent": {
    "zh-CN": "【微心愿】您报名的活动「代取降压药」（11月22日 09:00–11:00，幸福里3号楼）没有签到，已记为缺勤。如有误，请联系社区。",
    en:
      '[Microwish] You signed up for "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼) and did not check in: recorded as absent. ' +
      "If that is wrong, tell staff.",
  },
  "activity-verified": {
    "zh-CN": "【微心愿】活动「代取降压药」的服务时长已核定：90分钟。",
    en: '[Microwish] Your time at "代取降压药" is verified: 90 minutes.',
  },
  "new-wish": {
    "zh-CN": "【微心愿】有新的跑腿代办心愿等待认领：「代取降压药」（11月22日 09:00–11:00，幸福里3号楼）。",
    en: '[Microwish] A new wish (Errands) needs a volunteer: "代取降压药" (Sun 22 Nov 09:00–11:00, 幸福里3号楼).',
  },
  notice: {
    "zh-CN": "【微心愿】活动「代取降压药」通知（李明）：临时有事",
    en: '[Microwish] Notice about "代取降压药" from 李明: 临时有事',
  },
};

const link = "https://mw.example.cn/wishes/01KBZ3Q4XJ7V8M2N5P6R7S8T9W";
/** What people typed or are called: never in an SMS. */
const typed = [params.title, params.note!, params.address!, ...params.names!, params.actor!];

describe("every notice in both languages", () => {
  for (const kind of noticeKinds) {
    for (const lang of ["zh-CN", "en"] as const) {
      it(`${kind} in ${lang}: the full sentence in the app, a fixed template with the link by SMS`, () => {
        expect(appText(kind, lang, params)).toBe(expected[kind][lang].replace(/^【微心愿】|^\[Microwish\] /, ""));
        const sms = smsText(kind, lang, params, link);
        expect(sms.template.id).toBe(kind);
        expect(sms.template.lang).toBe(lang);
        expect(sms.template.vars.link).toBe(link);
        expect(sms.text.startsWith(lang === "zh-CN" ? "【微心愿】" : "[Microwish] ")).toBe(true);
        expect(sms.text.endsWith(link)).toBe(true);
        for (const words of typed) expect(sms.text, words).not.toContain(words);
        for (const value of Object.values(sms.template.vars)) for (const words of typed) expect(value).not.toContain(words);
        // The text is the registered template, filled in.
        let filled: string = smsTemplates[kind][lang];
        for (const [name, value] of Object.entries(sms.template.vars)) filled = filled.replaceAll(`{${name}}`, value);
        expect(sms.text).toBe((lang === "zh-CN" ? "【微心愿】" : "[Microwish] ") + filled);
        expect(smsSegments(sms.text)).toBeLessThanOrEqual(3);
      });
    }
  }

  it("an SMS says when and how long where the template has room for it, and nothing else", () => {
    expect(smsText("task-confirmed", "zh-CN", params, link).text).toBe(
      `【微心愿】您已认领一个心愿，服务时间：11月22日 09:00–11:00，请按时前往：${link}`,
    );
    expect(smsText("task-dispatched", "en", params, link).text).toBe(
      `[Microwish] Staff assigned you a wish, Sun 22 Nov 09:00–11:00. If you cannot go, decline it in Microwish: ${link}`,
    );
    expect(smsText("task-verified", "zh-CN", params, link).text).toBe(`【微心愿】您的服务时长已核定：90分钟。查看：${link}`);
    expect(smsText("wish-waiting", "en", params, link).text).toBe(`[Microwish] A wish has waited 24 hours with no volunteer: ${link}`);
  });

  it("a task called off by its deadline has its own template", () => {
    const sms = smsText("task-cancelled", "zh-CN", { ...params, expired: true }, link);
    expect(sms.template.id).toBe("task-expired");
    expect(sms.text).toBe(`【微心愿】您认领的心愿已过截止时间失效，无需前往：${link}`);
  });

  it("without a window the time reads 'see the wish'", () => {
    const p = { title: "代取降压药" };
    expect(smsText("task-confirmed", "zh-CN", p, link).text).toBe(`【微心愿】您已认领一个心愿，服务时间：见详情，请按时前往：${link}`);
    expect(smsText("task-reminder", "en", p, link).template.vars.time).toBe("see the wish");
  });

  it("a new wish for members names its category (a fixed name) and links to it", () => {
    expect(newWishText("zh-CN", params, link).text).toBe(`【微心愿】有新的跑腿代办心愿等待认领：${link}`);
    expect(newWishText("en", params, link).text).toBe(`[Microwish] A new wish (Errands) needs a volunteer: ${link}`);
  });

  it("a template's variable left out is an error, never a hole in a text sent", () => {
    expect(() => renderSms("task-verified", "zh-CN", { link })).toThrow(/task-verified needs \{minutes\}/);
  });

  it("the sign-in code's template", () => {
    expect(renderSms("sign-in", "zh-CN", { code: "042917" }).text).toBe(
      "【微心愿】您的登录验证码是 042917，5分钟内有效。Your Microwish sign-in code is 042917.",
    );
  });
});

describe("time windows", () => {
  it("read in Beijing time, whatever zone the server runs in", () => {
    const late = { from: "2026-11-22T14:30:00Z", to: "2026-11-22T15:30:00Z" };
    expect(formatWindow(late, "zh-CN")).toBe("11月22日 22:30–23:30");
    expect(formatWindow(late, "en")).toBe("Sun 22 Nov 22:30–23:30");
  });

  it("name both days when the window runs past midnight", () => {
    const overnight = { from: "2026-11-22T15:00:00Z", to: "2026-11-23T01:00:00Z" };
    expect(formatWindow(overnight, "zh-CN")).toBe("11月22日 23:00至11月23日 09:00");
    expect(formatWindow(overnight, "en")).toBe("Sun 22 Nov 23:00 to Mon 23 Nov 09:00");
  });
});

describe("SMS length", () => {
  it("counts segments as carriers do: 160/153 GSM characters, or 70/67 UCS-2 units", () => {
    expect(smsSegments("a".repeat(160))).toBe(1);
    expect(smsSegments("a".repeat(161))).toBe(2);
    expect(smsSegments("a".repeat(459))).toBe(3);
    expect(smsSegments("a".repeat(460))).toBe(4);
    expect(smsSegments("{".repeat(80))).toBe(1);
    expect(smsSegments("{".repeat(81))).toBe(2);
    expect(smsSegments("字".repeat(70))).toBe(1);
    expect(smsSegments("字".repeat(71))).toBe(2);
    expect(smsSegments("字".repeat(201))).toBe(3);
    expect(smsSegments("字".repeat(202))).toBe(4);
    expect(smsSegments("😀".repeat(35))).toBe(1);
  });
});
