/**
 * Who hears of what. Wishes are walked through every step of their lives over HTTP; after each
 * step the table's stream is handed to the stream handler (as Lambda would), SMS go to an SNS
 * double on the wire, and every person's inbox is read back through the API. Each step names who
 * hears and what; everyone else, including another community's people, must hear nothing.
 */
import { UpdateCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Community from "../../functions/core/community.js";
import { snsNotifier } from "../../functions/notify/sns.js";
import { createStreamHandler, type StreamRecord } from "../../functions/notify/stream-handler.js";
import { Keys } from "../../functions/store/keys.js";
import { community, newWish, person, somewhere, startApi, type Api, type Person } from "../helpers/api.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";

let api: Api;
let sns: SnsDouble;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;
const site = "https://mw.example.cn";
const logs: { level: string; what: string; fields?: Record<string, unknown> }[] = [];
/** everyone who could hear something, by a label the expectations use */
const people: Record<string, Person> = {};
const history: StreamRecord[] = [];
const seen = new Map<string, number>();
let smsSeen = 0;
let communityId: string;

beforeAll(async () => {
  api = await startApi();
  sns = await startSnsDouble();
  const c = await community(api.store, { members: 3, residents: 2 });
  communityId = c.id;
  const staff2 = await person(api.store, "值班员");
  await Community.appoint(api.store, { communityId: c.id, userId: staff2.id, name: staff2.name, roles: ["staff"] });
  const other = await community(api.store, { members: 1, residents: 1, name: "别的社区" });
  Object.assign(people, {
    staff: c.staff,
    staff2,
    member0: c.members[0],
    member1: c.members[1],
    member2: c.members[2],
    resident0: c.residents[0],
    resident1: c.residents[1],
    otherStaff: other.staff,
    otherMember: other.members[0],
    otherResident: other.residents[0],
  });
  handle = createStreamHandler({
    store: api.store,
    notifier: snsNotifier({ ...sns.config(), topicArn }),
    log: (level, what, fields) => logs.push({ level, what, fields }),
    siteUrl: () => site,
  });
  feed = streamFeed(api.store);
  await feed.next();
}, 60_000);

afterAll(async () => {
  feed?.close();
  await sns?.close();
  await api?.close();
});

const ok = async (res: Promise<{ status: number; body: any }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};
const post = (as: string, path: string, body?: unknown) => ok(api.call("POST", path, { as: people[as], body }));

/** Hands the stream's new records to the handler and says who heard what, and who got an SMS. */
async function settle() {
  const batch = await feed.next();
  history.push(...batch.Records);
  expect(await handle(batch)).toEqual({ batchItemFailures: [] });
  const heard: Record<string, string[]> = {};
  const texts: Record<string, string[]> = {};
  for (const [label, p] of Object.entries(people)) {
    const inbox = await ok(api.call("GET", "/api/notifications?limit=100", { as: p }));
    const fresh = inbox.items.slice(0, inbox.items.length - (seen.get(label) ?? 0));
    seen.set(label, inbox.items.length);
    if (fresh.length) {
      heard[label] = fresh.map((n: any) => n.kind).reverse();
      texts[label] = fresh.map((n: any) => n.text).reverse();
    }
  }
  const fresh = sns.publishes.slice(smsSeen);
  smsSeen = sns.publishes.length;
  const byPhone = Object.fromEntries(Object.entries(people).map(([label, p]) => [p.phone, label]));
  const sms: Record<string, string[]> = {};
  for (const p of fresh.filter((x) => x.phoneNumber)) (sms[byPhone[p.phoneNumber!] ?? p.phoneNumber!] ??= []).push(p.message);
  const topic = fresh.filter((x) => x.topicArn);
  return { heard, texts, sms, topic };
}

let a: string;
let b: string;

describe("preferences", () => {
  it("start with the volunteer's SMS kinds and no categories of new wishes", async () => {
    const prefs = await ok(api.call("GET", "/api/me/preferences", { as: people.member0 }));
    expect(prefs).toEqual({
      lang: "zh-CN",
      sms: [
        "task-dispatched",
        "task-confirmed",
        "task-cancelled",
        "task-reminder",
        "task-lapsing",
        "task-lapsed",
        "task-handed-over",
        "task-taken-over",
        "grid-wish-posted",
        "menu-ordered",
      ],
      categories: [],
      communities: [],
      digest: false,
    });
  });

  it("a member's categories apply to the communities they volunteer in", async () => {
    const prefs = await ok(
      api.call("PUT", "/api/me/preferences", {
        as: people.member0,
        body: {
          lang: "zh-CN",
          sms: ["task-dispatched", "task-confirmed", "task-cancelled", "task-reminder"],
          categories: ["repair", "elderly"],
        },
      }),
    );
    expect(prefs.categories).toEqual(["repair", "elderly"]);
    expect(prefs.communities).toEqual([communityId]);
    expect(await ok(api.call("GET", "/api/me/preferences", { as: people.member0 }))).toEqual(prefs);
  });

  it("a resident who volunteers nowhere hears of no new wishes, whatever the categories", async () => {
    const prefs = await ok(
      api.call("PUT", "/api/me/preferences", {
        as: people.resident1,
        body: { lang: "zh-CN", sms: ["wish-cancelled"], categories: ["repair"] },
      }),
    );
    expect(prefs.sms).toEqual(["wish-cancelled"]);
    expect(prefs.communities).toEqual([]);
  });

  it("the language moves with the person: /me says English after choosing it", async () => {
    await ok(
      api.call("PUT", "/api/me/preferences", {
        as: people.member2,
        body: { lang: "en", sms: ["task-confirmed", "task-cancelled"], categories: [] },
      }),
    );
    expect((await ok(api.call("GET", "/api/me", { as: people.member2 }))).lang).toBe("en");
  });

  it("refuses unknown kinds, categories and languages, naming the field, and keeps what was there", async () => {
    const before = await ok(api.call("GET", "/api/me/preferences", { as: people.member0 }));
    for (const [body, field] of [
      [{ lang: "zh-CN", sms: ["sign-in"], categories: [] }, "sms.0"],
      [{ lang: "zh-CN", sms: [], categories: ["gardening"] }, "categories.0"],
      [{ lang: "fr", sms: [], categories: [] }, "lang"],
      [{ lang: "zh-CN", categories: [] }, "sms"],
    ] as const) {
      const res = await api.call("PUT", "/api/me/preferences", { as: people.member0, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.type).toMatch(/problem\+json/);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect(await ok(api.call("GET", "/api/me/preferences", { as: people.member0 }))).toEqual(before);
    expect((await api.call("GET", "/api/me/preferences")).status).toBe(401);
  });
});

describe("a wish's whole life, step by step", () => {
  it("posted: every staff member of its community is asked to review it, in the app only", async () => {
    a = (await post("resident0", "/api/wishes", newWish(communityId))).id;
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ staff: ["review-needed"], staff2: ["review-needed"] });
    expect(texts.staff).toEqual(["新心愿待审核：「厨房水龙头漏水」，来自居民1。"]);
    expect(sms).toEqual({});
  });

  it("approved: the resident hears it, the member who chose repairs hears in the app; the topic gets it in both languages", async () => {
    await post("staff", `/api/wishes/${a}/approve`, { slots: 1, estimatedMinutes: 60 });
    const { heard, texts, sms, topic } = await settle();
    expect(heard).toEqual({ resident0: ["wish-approved"], member0: ["new-wish"] });
    expect(texts.resident0).toEqual(["您的心愿「厨房水龙头漏水」已通过审核，正在等待志愿者认领。"]);
    // New wishes reach members in the app; by SMS only in the morning digest.
    expect(sms).toEqual({});
    expect(topic.map((t) => ({ arn: t.topicArn, message: t.message, attributes: t.attributes }))).toEqual([
      {
        arn: topicArn,
        message: `【微心愿】有新的维修服务心愿等待认领：${site}/wishes/${a}`,
        attributes: {
          community: { dataType: "String", value: communityId },
          category: { dataType: "String", value: "repair" },
          type: { dataType: "String", value: "wish.open" },
          lang: { dataType: "String", value: "zh-CN" },
          "AWS.SNS.SMS.SMSType": { dataType: "String", value: "Transactional" },
        },
      },
      {
        arn: topicArn,
        message: `[Microwish] A new wish (Small repairs) needs a volunteer: ${site}/wishes/${a}`,
        attributes: {
          community: { dataType: "String", value: communityId },
          category: { dataType: "String", value: "repair" },
          type: { dataType: "String", value: "wish.open" },
          lang: { dataType: "String", value: "en" },
          "AWS.SNS.SMS.SMSType": { dataType: "String", value: "Transactional" },
        },
      },
    ]);
  });

  it("claimed: the volunteer's claim is confirmed by SMS; the resident hears who is coming", async () => {
    await post("member0", `/api/wishes/${a}/claim`);
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ member0: ["task-confirmed"], resident0: ["wish-claimed"] });
    expect(texts.resident0).toEqual(["您的心愿「厨房水龙头漏水」已有志愿者认领：志愿者1。"]);
    expect(sms).toEqual({ member0: [`【微心愿】您已认领一个心愿，服务时间：见详情，请按时前往：${site}/wishes/${a}`] });
  });

  it("released: the resident hears the volunteer cannot come", async () => {
    await post("member0", `/api/wishes/${a}/release`, { reason: "临时有事" });
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ resident0: ["wish-released"] });
    expect(texts.resident0).toEqual(["志愿者志愿者1无法前来，您的心愿「厨房水龙头漏水」正在重新等待认领。"]);
    expect(sms).toEqual({});
  });

  it("dispatched: the member is told by SMS; the resident hears who is coming", async () => {
    await post("staff", `/api/wishes/${a}/dispatch`, { memberIds: [people.member1.id] });
    const { heard, sms } = await settle();
    expect(heard).toEqual({ member1: ["task-dispatched"], resident0: ["wish-claimed"] });
    expect(sms).toEqual({
      member1: [`【微心愿】社区为您派发了一个心愿，服务时间：见详情。如不能前往，请在微心愿中婉拒：${site}/wishes/${a}`],
    });
  });

  it("declined: staff are asked to dispatch someone else; the resident hears the volunteer cannot come", async () => {
    await post("member1", `/api/wishes/${a}/decline`, {});
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ resident0: ["wish-released"], staff: ["dispatch-declined"], staff2: ["dispatch-declined"] });
    expect(texts.staff).toEqual(["志愿者2婉拒了心愿「厨房水龙头漏水」的派单，请重新派单。"]);
    expect(sms).toEqual({});
  });

  it("claimed by a volunteer who reads English: the SMS and the notice are in English", async () => {
    await post("member2", `/api/wishes/${a}/claim`);
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ member2: ["task-confirmed"], resident0: ["wish-claimed"] });
    expect(texts.member2).toEqual(['You claimed the wish "厨房水龙头漏水" (幸福里3号楼). Please be there on time.']);
    expect(sms).toEqual({ member2: [`[Microwish] You claimed a wish, see the wish. Please be there on time: ${site}/wishes/${a}`] });
  });

  it("started: the resident hears the volunteer has arrived; checking out tells no one", async () => {
    await post("member2", `/api/wishes/${a}/check-in`, somewhere);
    expect((await settle()).heard).toEqual({ resident0: ["wish-started"] });
    await post("member2", `/api/wishes/${a}/check-out`, somewhere);
    const { heard, sms } = await settle();
    expect(heard).toEqual({});
    expect(sms).toEqual({});
  });

  it("completed: the resident is asked to confirm", async () => {
    await post("member2", `/api/wishes/${a}/complete`, { note: "换了阀芯" });
    const { heard, texts } = await settle();
    expect(heard).toEqual({ resident0: ["wish-completed"] });
    expect(texts.resident0).toEqual(["您的心愿「厨房水龙头漏水」已完成，请确认并评价。"]);
  });

  it("disputed: the volunteer hears why, in English; done again: the resident is asked again", async () => {
    await post("resident0", `/api/wishes/${a}/dispute`, { reason: "还在滴水" });
    const first = await settle();
    expect(first.heard).toEqual({ member2: ["task-disputed"] });
    expect(first.texts.member2).toEqual(['The resident says "厨房水龙头漏水" is not done yet: 还在滴水']);
    await post("member2", `/api/wishes/${a}/complete`, { note: "又紧了一次" });
    expect((await settle()).heard).toEqual({ resident0: ["wish-completed"] });
  });

  it("confirmed: no one needs telling; verified: the volunteer hears the minutes credited", async () => {
    await post("resident0", `/api/wishes/${a}/confirm`, { rating: 5, comment: "谢谢" });
    expect((await settle()).heard).toEqual({});
    await post("staff", `/api/wishes/${a}/verify`, { minutes: { [people.member2.id]: 45 }, reason: "按实际服务时长" });
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ member2: ["task-verified"] });
    expect(texts.member2).toEqual(['Your time on "厨房水龙头漏水" is verified: 45 minutes.']);
    expect(sms).toEqual({});
  });
});

describe("a group wish, cancelled by staff", () => {
  it("the resident hears once every place is taken, with everyone who is coming", async () => {
    b = (await post("resident1", "/api/wishes", newWish(communityId, { title: "搬旧衣柜", category: "carry" }))).id;
    await post("staff", `/api/wishes/${b}/approve`, { slots: 2, estimatedMinutes: 60 });
    expect((await settle()).heard).toEqual({ staff: ["review-needed"], staff2: ["review-needed"], resident1: ["wish-approved"] });
    await post("member0", `/api/wishes/${b}/claim`);
    expect((await settle()).heard).toEqual({ member0: ["task-confirmed"] });
    await post("member1", `/api/wishes/${b}/claim`);
    const { heard, texts } = await settle();
    expect(heard).toEqual({ member1: ["task-confirmed"], resident1: ["wish-claimed"] });
    expect(texts.resident1).toEqual(["您的心愿「搬旧衣柜」已有志愿者认领：志愿者1、志愿者2。"]);
  });

  it("the first arrival starts the work for the resident; the second tells no one", async () => {
    await post("member0", `/api/wishes/${b}/check-in`, somewhere);
    expect((await settle()).heard).toEqual({ resident1: ["wish-started"] });
    await post("member1", `/api/wishes/${b}/check-in`, somewhere);
    expect((await settle()).heard).toEqual({});
  });

  it("cancelled by staff: both volunteers are told by SMS; the resident, who chose SMS for it, too", async () => {
    await post("staff", `/api/wishes/${b}/cancel`, { reason: "居民已搬家" });
    const { heard, texts, sms } = await settle();
    expect(heard).toEqual({ resident1: ["wish-cancelled"], member0: ["task-cancelled"], member1: ["task-cancelled"] });
    expect(texts.resident1).toEqual(["您的心愿「搬旧衣柜」已被社区工作人员社区工作人员取消：居民已搬家"]);
    expect(sms).toEqual({
      resident1: [`【微心愿】您的心愿已被社区取消，详情：${site}/wishes/${b}`],
      member0: [`【微心愿】您认领的心愿已取消，无需前往：${site}/wishes/${b}`],
      member1: [`【微心愿】您认领的心愿已取消，无需前往：${site}/wishes/${b}`],
    });
  });
});

describe("other ends", () => {
  it("cancelled by its resident: only the volunteer holding a claim hears it", async () => {
    const c = (await post("resident1", "/api/wishes", newWish(communityId, { title: "代买早餐", category: "errand" }))).id;
    await post("staff", `/api/wishes/${c}/approve`, { slots: 1, estimatedMinutes: 30 });
    await post("member2", `/api/wishes/${c}/claim`);
    await settle();
    await post("resident1", `/api/wishes/${c}/cancel`, { reason: "家人已经买了" });
    const { heard, sms } = await settle();
    expect(heard).toEqual({ member2: ["task-cancelled"] });
    expect(sms).toEqual({ member2: [`[Microwish] A wish you claimed is cancelled: no need to go: ${site}/wishes/${c}`] });
  });

  it("rejected: the resident hears why", async () => {
    const d = (await post("resident0", "/api/wishes", newWish(communityId, { title: "代缴罚款", category: "other" }))).id;
    await settle();
    await post("staff", `/api/wishes/${d}/reject`, { reason: "请本人到窗口办理" });
    const { heard, texts } = await settle();
    expect(heard).toEqual({ resident0: ["wish-rejected"] });
    expect(texts.resident0).toEqual(["您的心愿「代缴罚款」未通过审核：请本人到窗口办理"]);
  });
});

describe("the inbox", () => {
  it("counts unread; marking one read counts down once, however often it is marked", async () => {
    const inbox = await ok(api.call("GET", "/api/notifications", { as: people.resident0 }));
    expect(inbox.unread).toBe(seen.get("resident0"));
    expect(inbox.items.map((n: any) => n.at)).toEqual([...inbox.items.map((n: any) => n.at)].sort().reverse());
    const [newest] = inbox.items;
    expect(newest).toMatchObject({ kind: "wish-rejected", read: false, wishId: expect.any(String) });
    for (let i = 0; i < 2; i++) {
      expect(await post("resident0", `/api/notifications/${newest.id}/read`)).toEqual({ unread: inbox.unread - 1 });
    }
    const after = await ok(api.call("GET", "/api/notifications", { as: people.resident0 }));
    expect(after.items[0]).toMatchObject({ id: newest.id, read: true });
    expect(after.unread).toBe(inbox.unread - 1);
  });

  it("pages newest first with a cursor, every notification once", async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok(api.call("GET", `/api/notifications?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { as: people.resident0 }));
      all.push(...page.items.map((n: any) => n.id));
      cursor = page.cursor;
    } while (cursor);
    expect(all).toHaveLength(seen.get("resident0")!);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort().reverse());
  });

  it("marking all read leaves nothing unread", async () => {
    expect(await post("staff", "/api/notifications/read-all")).toEqual({ unread: 0 });
    const inbox = await ok(api.call("GET", "/api/notifications?limit=100", { as: people.staff }));
    expect(inbox.unread).toBe(0);
    expect(inbox.items.length).toBeGreaterThan(0);
    expect(inbox.items.every((n: any) => n.read)).toBe(true);
  });

  it("someone else's notification, or a made-up id, is not found; nothing is marked", async () => {
    const theirs = (await ok(api.call("GET", "/api/notifications", { as: people.member2 }))).items[0];
    for (const id of [theirs.id, "01HZZZZZZZZZZZZZZZZZZZZZZZ", "not an id!"]) {
      const res = await api.call("POST", `/api/notifications/${encodeURIComponent(id)}/read`, { as: people.resident0 });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("notification.not_found");
    }
    const mine = await ok(api.call("GET", "/api/notifications", { as: people.member2 }));
    expect(mine.items[0]).toMatchObject({ id: theirs.id, read: false });
    expect((await api.call("GET", "/api/notifications")).status).toBe(401);
  });
});

describe("replays", () => {
  it("handing the whole stream over again, twice, leaves every inbox as it was and texts no phone again", async () => {
    const inboxes = async () => {
      const out: Record<string, unknown> = {};
      for (const [label, p] of Object.entries(people)) out[label] = await ok(api.call("GET", "/api/notifications?limit=100", { as: p }));
      return out;
    };
    const before = await inboxes();
    const phoneSms = () => sns.publishes.filter((p) => p.phoneNumber).length;
    const sent = phoneSms();
    for (let i = 0; i < 2; i++) expect(await handle({ Records: history })).toEqual({ batchItemFailures: [] });
    expect(await inboxes()).toEqual(before);
    expect(phoneSms()).toBe(sent);
  });
});

describe("people who cannot be texted", () => {
  it("a phone that is not E.164, or no phone: the notice is in the app, the SMS is skipped and logged", async () => {
    const bad = await person(api.store, "号码有误");
    const none = await person(api.store, "没有手机");
    for (const [p, update] of [
      [bad, { UpdateExpression: "SET phone = :p", ExpressionAttributeValues: { ":p": "0916-1234567" } }],
      [none, { UpdateExpression: "REMOVE phone" }],
    ] as const) {
      await api.store.doc.send(new UpdateCommand({ TableName: api.store.table, Key: Keys.user(p.id), ...update }));
      await Community.appoint(api.store, { communityId, userId: p.id, name: p.name, roles: ["member"] });
    }
    const id = (await post("resident0", "/api/wishes", newWish(communityId, { title: "陪老人聊天", category: "elderly" }))).id;
    await post("staff", `/api/wishes/${id}/approve`, { slots: 2, estimatedMinutes: 60 });
    await settle();
    logs.length = 0;
    await post("staff", `/api/wishes/${id}/dispatch`, { memberIds: [bad.id, none.id] });
    const batch = await feed.next();
    expect(await handle(batch)).toEqual({ batchItemFailures: [] });
    for (const p of [bad, none]) {
      const inbox = await ok(api.call("GET", "/api/notifications", { as: p }));
      expect(inbox.items.map((n: any) => n.kind)).toEqual(["task-dispatched"]);
    }
    expect(logs.filter((l) => l.level === "warn").map((l) => [l.what, l.fields?.userId])).toEqual(
      expect.arrayContaining([
        ["sms.bad_phone", bad.id],
        ["sms.no_phone", none.id],
      ]),
    );
    expect(logs.filter((l) => l.level === "warn")).toHaveLength(2);
    expect(sns.publishes.slice(smsSeen).filter((p) => p.phoneNumber)).toEqual([]);
    smsSeen = sns.publishes.length;
  });

  it("SNS refusing a number is logged and skipped, and does not fail the batch", async () => {
    const id = (await post("resident0", "/api/wishes", newWish(communityId, { title: "修自行车" }))).id;
    await post("staff", `/api/wishes/${id}/approve`, { slots: 1, estimatedMinutes: 60 });
    await settle();
    logs.length = 0;
    await post("member1", `/api/wishes/${id}/claim`);
    sns.failNext("invalid");
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
    expect(logs.map((l) => [l.what, l.fields?.error])).toEqual([["notify.refused", "InvalidParameterException"]]);
    expect((await ok(api.call("GET", "/api/notifications", { as: people.member1 }))).items[0].kind).toBe("task-confirmed");
    smsSeen = sns.publishes.length;
  });

  it("an SMS carries none of what people typed, however long: a fixed template and the link to the wish", async () => {
    const title = "请".repeat(80);
    const address = "幸福里社区".repeat(40);
    const id = (await post("resident0", "/api/wishes", newWish(communityId, { title, address }))).id;
    await post("staff", `/api/wishes/${id}/approve`, { slots: 1, estimatedMinutes: 60 });
    await settle();
    await post("staff", `/api/wishes/${id}/dispatch`, { memberIds: [people.member0.id] });
    const { sms } = await settle();
    expect(sms.member0).toEqual([`【微心愿】社区为您派发了一个心愿，服务时间：见详情。如不能前往，请在微心愿中婉拒：${site}/wishes/${id}`]);
    expect(sms.member0[0]).not.toContain("请请");
    expect(sms.member0[0]).not.toContain("幸福里");
  });
});

describe("a large group", () => {
  it("sixty volunteers on one wish all hear it is cancelled, each once, each by SMS", { timeout: 60_000 }, async () => {
    const big = await community(api.store, { members: 60, residents: 1, name: "大社区" });
    const id = (
      await ok(api.call("POST", "/api/wishes", { as: big.residents[0], body: newWish(big.id, { title: "菌棒上架", category: "farming" }) }))
    ).id;
    await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: big.staff, body: { slots: 60, estimatedMinutes: 240 } }));
    await ok(
      api.call("POST", `/api/wishes/${id}/dispatch`, { as: big.staff, body: { memberIds: big.members.slice(0, 50).map((m) => m.id) } }),
    );
    await ok(
      api.call("POST", `/api/wishes/${id}/dispatch`, { as: big.staff, body: { memberIds: big.members.slice(50).map((m) => m.id) } }),
    );
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
    const from = sns.publishes.length;
    await ok(api.call("POST", `/api/wishes/${id}/cancel`, { as: big.staff, body: { reason: "下雨改期" } }));
    expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
    const texted = sns.publishes
      .slice(from)
      .filter((p) => p.phoneNumber)
      .map((p) => p.phoneNumber);
    expect(texted.sort()).toEqual(big.members.map((m) => m.phone).sort());
    for (const m of [big.members[0], big.members[59]]) {
      const inbox = await ok(api.call("GET", "/api/notifications", { as: m }));
      expect(inbox.items.map((n: any) => n.kind)).toEqual(["task-cancelled", "task-dispatched"]);
    }
    smsSeen = sns.publishes.length;
  });
});
