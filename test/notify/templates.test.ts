/**
 * Every notice's text in both languages, as the SMS a phone shows, written out in full; how a
 * time window reads; and how an SMS that would be too long is kept within three segments.
 */
import { describe, expect, it } from "vitest";
import { noticeKinds, type NoticeKind, type NoticeParams } from "../../functions/core/audience.js";
import { appText, formatWindow, newWishText, smsSegments, smsText, type Lang } from "../../functions/notify/templates.js";

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
  notice: {
    "zh-CN": "【微心愿】活动「代取降压药」通知（李明）：临时有事",
    en: '[Microwish] Notice about "代取降压药" from 李明: 临时有事',
  },
};

describe("every notice in both languages", () => {
  for (const kind of noticeKinds) {
    for (const lang of ["zh-CN", "en"] as const) {
      it(`${kind} in ${lang}`, () => {
        const sms = smsText(kind, lang, params);
        expect(sms).toEqual({ text: expected[kind][lang], shortened: false });
        expect(smsSegments(sms.text)).toBeLessThanOrEqual(3);
        // In the app the same sentence, without the sender's mark.
        expect(appText(kind, lang, params)).toBe(sms.text.replace(/^【微心愿】|^\[Microwish\] /, ""));
      });
    }
  }

  it("a task called off by its deadline says so, with no reason to quote", () => {
    const p = { ...params, note: undefined, expired: true };
    expect(smsText("task-cancelled", "zh-CN", p).text).toBe("【微心愿】您认领的心愿「代取降压药」已过截止时间，已失效，无需前往。");
    expect(smsText("task-cancelled", "en", p).text).toBe(
      '[Microwish] The wish "代取降压药" you claimed passed its deadline and has expired: no need to go.',
    );
  });

  it("without a window or an address, or a reason, the sentence closes cleanly", () => {
    const p = { title: "代取降压药", actor: "李明" };
    expect(smsText("task-confirmed", "zh-CN", p).text).toBe("【微心愿】您已认领心愿「代取降压药」，请按时前往。");
    expect(smsText("task-confirmed", "en", p).text).toBe('[Microwish] You claimed the wish "代取降压药". Please be there on time.');
    expect(smsText("wish-rejected", "zh-CN", p).text).toBe("【微心愿】您的心愿「代取降压药」未通过审核。");
    expect(smsText("wish-rejected", "en", p).text).toBe('[Microwish] Your wish "代取降压药" was not approved.');
  });

  it("the topic's new-wish message names the category in each language", () => {
    expect(newWishText("zh-CN", params).text).toBe(
      "【微心愿】新心愿「代取降压药」（跑腿代办）等待认领，地点：幸福里3号楼。打开微心愿查看。",
    );
    expect(newWishText("en", params).text).toBe(
      '[Microwish] New wish "代取降压药" (Errands) needs a volunteer at 幸福里3号楼. Open Microwish to claim it.',
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

  it("a long reason and address are shortened, the sentence and the title kept", () => {
    const p = { ...params, note: "因为".repeat(250), address: "幸福里社区".repeat(40) };
    const { text, shortened } = smsText("task-cancelled", "zh-CN", p);
    expect(shortened).toBe(true);
    expect(smsSegments(text)).toBe(3);
    expect(text).toMatch(/^【微心愿】您认领的心愿「代取降压药」已取消，无需前往。原因：(因为)+因?…$/);
    const wide = smsText("task-dispatched", "en", p);
    expect(smsSegments(wide.text)).toBeLessThanOrEqual(3);
    expect(wide.text).toMatch(
      new RegExp(
        '^\\[Microwish\\] Staff assigned you the wish "代取降压药" \\(Sun 22 Nov 09:00–11:00, (幸福里社区)+[幸福里社区]*…\\)\\. ' +
          "If you cannot go, decline it in Microwish\\.$",
      ),
    );
  });

  it("an emoji title is cut between characters, never inside one", () => {
    const p = { ...params, title: "🧓".repeat(80), address: undefined, window: undefined };
    const { text, shortened } = smsText("task-confirmed", "en", p);
    expect(shortened).toBe(true);
    expect(smsSegments(text)).toBeLessThanOrEqual(3);
    expect(text.isWellFormed()).toBe(true);
    expect(text).toMatch(/^\[Microwish\] You claimed the wish "(🧓)+…"\. Please be there on time\.$/u);
  });
});
