/** The wish lifecycle of DESIGN.md section 3, as data: the code and the tests both read it. */
export const statuses = [
  "submitted",
  "open",
  "claimed",
  "in_progress",
  "completed",
  "confirmed",
  "closed",
  "rejected",
  "cancelled",
  "expired",
] as const;
export type Status = (typeof statuses)[number];

export const roles = ["resident", "member", "staff", "admin"] as const;
export type Role = (typeof roles)[number];

/**
 * Who may do what from which state. `member` here means a member of the wish's
 * community; `claimant` a member holding an active claim on the wish; `owner` the
 * resident who posted it; `system` the scheduled jobs.
 */
export const transitions = {
  approve: { from: ["submitted"], by: ["staff"] },
  reject: { from: ["submitted"], by: ["staff"] },
  dispatch: { from: ["open"], by: ["staff"] },
  claim: { from: ["open"], by: ["member"] },
  // Once the first volunteer has checked in the team is fixed: releasing then is staff's call (cancel, or verify with 0).
  release: { from: ["open", "claimed"], by: ["claimant"] },
  decline: { from: ["open", "claimed"], by: ["claimant"] },
  // A group job may start before every slot is taken: those who came check in.
  "check-in": { from: ["open", "claimed", "in_progress"], by: ["claimant"] },
  "check-out": { from: ["in_progress"], by: ["claimant"] },
  complete: { from: ["in_progress"], by: ["claimant"] },
  // The system confirms a wish left unconfirmed for 72 hours (functions/core/jobs.ts).
  confirm: { from: ["completed"], by: ["owner", "staff", "system"] },
  dispute: { from: ["completed"], by: ["owner", "staff"] },
  verify: { from: ["confirmed"], by: ["staff"] },
  cancel: { from: ["submitted", "open", "claimed", "in_progress", "completed", "confirmed"], by: ["owner", "staff"] },
  expire: { from: ["open"], by: ["system"] },
} as const satisfies Record<string, { from: readonly Status[]; by: readonly string[] }>;
export type Transition = keyof typeof transitions;

/** Whether a transition may leave `status`: the web app asks this too, instead of keeping its own lists. */
export function allows(transition: Transition, status: Status): boolean {
  return (transitions[transition].from as readonly Status[]).includes(status);
}

/** Events the scheduled jobs append without changing the wish: a member reminded, staff alerted. */
export type Notice = "remind" | "alert";

/**
 * Steps on one claim that are not transitions of the wish (functions/core/claim-expiry.ts): the
 * job's warning (`warn`) and release (`lapse`) of a claim not checked in, its holder's one
 * extension (`extend`), another member asking to take it over (`ask-takeover`) and staff handing it over (`takeover`).
 */
export const claimSteps = ["warn", "lapse", "extend", "ask-takeover", "takeover"] as const;
export type ClaimStep = (typeof claimSteps)[number];

/**
 * Steps that take or do the work: never on a wish one posted oneself, or a person could post,
 * do and sign for their own hours. Confirming is barred to anyone holding a claim on the wish.
 */
export const notOnOwnWish: readonly Transition[] = ["claim", "check-in", "check-out", "complete"];

/** A resident may cancel only before anyone has started the work. */
export const ownerMayCancelFrom: readonly Status[] = ["submitted", "open", "claimed"];

export const finalStatuses: readonly Status[] = ["closed", "rejected", "cancelled", "expired"];

/** The catalogue of wish categories, the same for every community for now. */
export const categories = [
  { code: "errand", name: { "zh-CN": "跑腿代办", en: "Errands" } },
  { code: "carry", name: { "zh-CN": "搬运帮扶", en: "Carrying and moving" } },
  { code: "repair", name: { "zh-CN": "维修服务", en: "Small repairs" } },
  { code: "elderly", name: { "zh-CN": "关爱老人", en: "Elderly care and visits" } },
  { code: "children", name: { "zh-CN": "儿童关爱", en: "Children and tutoring" } },
  { code: "health", name: { "zh-CN": "健康义诊", en: "Health" } },
  { code: "cleaning", name: { "zh-CN": "环境清洁", en: "Cleaning and environment" } },
  { code: "digital", name: { "zh-CN": "智能手机帮教", en: "Help with phones and online services" } },
  { code: "farming", name: { "zh-CN": "助农生产", en: "Farm work" } },
  { code: "other", name: { "zh-CN": "其他", en: "Other" } },
] as const;
export type CategoryCode = (typeof categories)[number]["code"];
export const categoryCodes = categories.map((c) => c.code) as [CategoryCode, ...CategoryCode[]];

/** What a branch offers on the service menu: 送技能 (a skill), 送服务 (a service), 送健康 (health care). */
export const menuKinds = ["skill", "service", "health"] as const;
export type MenuKind = (typeof menuKinds)[number];

export const defaultSettings = { fenceRadiusMeters: 300 };

/**
 * Skills members list (with free text beside these), each with the wish categories it serves:
 * dispatch ranks members by the skills a wish's category calls for, and the hall's "matches my
 * skills" shows the wishes of those categories. The same for every community for now.
 */
export const skillCatalogue = [
  { name: "水电维修", en: "Plumbing and wiring", categories: ["repair"] },
  { name: "家电维修", en: "Appliance repair", categories: ["repair"] },
  { name: "医疗护理", en: "Nursing and first aid", categories: ["health", "elderly"] },
  { name: "健康咨询", en: "Health advice", categories: ["health"] },
  { name: "陪伴照护", en: "Company and care", categories: ["elderly"] },
  { name: "心理疏导", en: "Listening and counselling", categories: ["elderly", "children"] },
  { name: "课业辅导", en: "Tutoring", categories: ["children"] },
  { name: "手机电脑", en: "Phones and computers", categories: ["digital"] },
  { name: "驾驶", en: "Driving", categories: ["errand", "carry"] },
  { name: "搬运", en: "Lifting and moving", categories: ["carry", "farming"] },
  { name: "农业技术", en: "Farming", categories: ["farming"] },
  { name: "保洁", en: "Cleaning", categories: ["cleaning"] },
  { name: "理发", en: "Haircuts", categories: ["elderly"] },
  { name: "法律咨询", en: "Legal advice", categories: ["other"] },
] as const satisfies readonly { name: string; en: string; categories: readonly CategoryCode[] }[];

/** At most this many skills per member, each at most `maxSkillLength` characters. */
export const maxSkills = 10;
export const maxSkillLength = 20;

/** The catalogue's skills a wish of this category calls for, by their Chinese and English names. */
export const skillsFor = (category: CategoryCode): string[] =>
  skillCatalogue.filter((s) => (s.categories as readonly string[]).includes(category)).flatMap((s) => [s.name, s.en]);

/** Skills as compared: trimmed, case and width folded, so " 驾驶 " meets 驾驶 and driving meets Driving. */
export const skillKey = (s: string) => s.normalize("NFKC").trim().toLowerCase();

/** The skills a member listed, once each, in their order. */
export function tidy(skills: string[]): string[] {
  const seen = new Set<string>();
  return skills.filter((s) => {
    const k = skillKey(s);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Which of the member's skills a wish calls for: the catalogue's for its category, or free text found in its title or description. */
export function matching(
  skills: readonly string[],
  wish: { category: CategoryCode; title: string; description: string },
  wanted?: string[],
): string[] {
  const called = new Set((wanted ?? skillsFor(wish.category)).map(skillKey));
  const text = `${wish.title} ${wish.description}`.normalize("NFKC").toLowerCase();
  return skills.filter((s) => called.has(skillKey(s)) || (!wanted && skillKey(s).length >= 2 && text.includes(skillKey(s))));
}
