/**
 * 微心声 through real HTTP: residents leave messages; staff answer each once, in public; anyone
 * reads the answered ones with names and words but no phone or account id; staff make a wish of a
 * message in one step, which the writer owns. Refusals write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, snapshot, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 2 });
  other = await community(api.store, { members: 0, residents: 0, name: "别的社区" });
});
afterAll(() => api.close());

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}
const say = (as: any, text: string) => ok(api.call("POST", `/api/communities/${c.id}/voices`, { as, body: { text } }), 201);
const publicPage = async () => (await ok(api.call("GET", `/api/communities/${c.id}/voices`))).items as any[];

describe("微心声", () => {
  it("a message is new and private until staff answer it; then anyone reads it, without phones or ids", async () => {
    const [r0] = c.residents;
    const voice = await say(r0, "楼道的灯坏了好几天，晚上老人下楼不方便。\n希望社区能看看。");
    expect(voice).toMatchObject({ status: "new", authorId: r0.id, authorName: r0.name });
    expect((await publicPage()).map((v) => v.id)).not.toContain(voice.id);
    const staffView = await ok(api.call("GET", `/api/communities/${c.id}/voices?status=new`, { as: c.staff }));
    expect(staffView.items.map((v: any) => v.id)).toContain(voice.id);
    const mine = await ok(api.call("GET", `/api/communities/${c.id}/voices?mine=true`, { as: r0 }));
    expect(mine.items.map((v: any) => v.id)).toEqual([voice.id]);

    const answered = await ok(api.call("POST", `/api/voices/${voice.id}/answer`, { as: c.staff, body: { text: "已报物业，明天修好。" } }));
    expect(answered).toMatchObject({ status: "answered", answer: { text: "已报物业，明天修好。", byName: c.staff.name } });

    const shown = (await publicPage()).find((v) => v.id === voice.id);
    expect(shown).toMatchObject({ authorName: r0.name, text: voice.text, answer: { text: "已报物业，明天修好。", byName: c.staff.name } });
    expect(shown.authorId).toBeUndefined();
    expect(shown.answer.byId).toBeUndefined();
    const raw = JSON.stringify(await ok(api.call("GET", `/api/communities/${c.id}/voices`)));
    for (const p of [r0, c.staff]) {
      expect(raw).not.toContain(p.phone.slice(-8));
      expect(raw).not.toContain(p.id);
    }
    // Another community's page does not show it.
    const elsewhere = await ok(api.call("GET", `/api/communities/${other.id}/voices`));
    expect(elsewhere.items).toEqual([]);
  });

  it("answering twice is 409 and keeps the first answer; only staff answer", async () => {
    const voice = await say(c.residents[1], "希望周末有人陪我下象棋。");
    const notStaff = await api.call("POST", `/api/voices/${voice.id}/answer`, { as: c.members[0], body: { text: "我来！" } });
    expect(notStaff.status).toBe(403);
    await ok(api.call("POST", `/api/voices/${voice.id}/answer`, { as: c.staff, body: { text: "好的，我们安排。" } }));
    const before = await snapshot(api.store, [`V#${voice.id}`]);
    const again = await api.call("POST", `/api/voices/${voice.id}/answer`, { as: c.staff, body: { text: "再说一次" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("voice.answered");
    expect(await snapshot(api.store, [`V#${voice.id}`])).toBe(before);
    // Two answers at the same moment: one wins.
    const fresh = await say(c.residents[1], "小区门口的台阶太高。");
    const both = await Promise.all(
      ["第一", "第二"].map((text) => api.call("POST", `/api/voices/${fresh.id}/answer`, { as: c.staff, body: { text } })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("staff make a wish of a message in one step: the writer owns it and it links back; twice is 409", async () => {
    const [r0] = c.residents;
    const voice = await say(r0, "想请人帮忙把旧衣柜搬到楼下\n周六上午家里有人");
    const wish = await ok(api.call("POST", `/api/voices/${voice.id}/wish`, { as: c.staff, body: { category: "carry" } }), 201);
    expect(wish).toMatchObject({
      ownerId: r0.id,
      title: "想请人帮忙把旧衣柜搬到楼下",
      description: voice.text,
      status: "submitted",
      takenInBy: { id: c.staff.id },
    });
    const mine = await ok(api.call("GET", "/api/wishes?mine=true", { as: r0 }));
    expect(mine.items.map((w: any) => w.id)).toContain(wish.id);
    const listed = await ok(api.call("GET", `/api/communities/${c.id}/voices`, { as: c.staff }));
    expect(listed.items.find((v: any) => v.id === voice.id).wishId).toBe(wish.id);

    const count = async () => (await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=submitted`, { as: c.staff }))).items.length;
    const n = await count();
    const again = await api.call("POST", `/api/voices/${voice.id}/wish`, { as: c.staff, body: { category: "carry" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("voice.wished");
    expect(await count()).toBe(n);
    const notStaff = await api.call("POST", `/api/voices/${voice.id}/wish`, { as: r0, body: { category: "carry" } });
    expect(notStaff.status).toBe(403);
  });

  it.each([
    ["an empty message", ""],
    ["only spaces", "   "],
    ["2,000 characters", "话".repeat(2000)],
    ["501 characters", "话".repeat(501)],
  ])("%s: 422 naming text, nothing written", async (_what, text) => {
    const before = await ok(api.call("GET", `/api/communities/${c.id}/voices`, { as: c.staff }));
    const res = await api.call("POST", `/api/communities/${c.id}/voices`, { as: c.residents[0], body: { text } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors ?? {})).toContain("text");
    expect(await ok(api.call("GET", `/api/communities/${c.id}/voices`, { as: c.staff }))).toEqual(before);
  });

  it("refusals: no sign-in, no such community or message, unanswered ones asked for by others", async () => {
    expect((await api.call("POST", `/api/communities/${c.id}/voices`, { body: { text: "你好" } })).status).toBe(401);
    expect((await api.call("POST", "/api/communities/no-such/voices", { as: c.residents[0], body: { text: "你好" } })).status).toBe(404);
    expect((await api.call("GET", "/api/communities/no-such/voices")).status).toBe(404);
    expect((await api.call("POST", "/api/voices/01JZZZZZZZZZZZZZZZZZZZZZZZ/answer", { as: c.staff, body: { text: "好" } })).status).toBe(
      404,
    );
    expect((await api.call("GET", `/api/communities/${c.id}/voices?status=new`)).status).toBe(403);
    expect((await api.call("GET", `/api/communities/${c.id}/voices?status=new`, { as: c.residents[0] })).status).toBe(403);
    expect((await api.call("GET", `/api/communities/${c.id}/voices?mine=true`)).status).toBe(401);
  });
});
