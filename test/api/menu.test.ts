/**
 * The service menu (服务清单) through real HTTP against DynamoDB Local: staff add, edit and withdraw
 * items offered by a branch; everyone signed in reads what is on offer; a resident orders from an
 * item, which makes a wish carrying the item and its branch, whose members hear of it first once it
 * is approved. Every refusal names the problem and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { community, newWish, snapshot, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 4, residents: 2 });
  other = await community(api.store, { members: 0, residents: 0, name: "别的社区" });
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
  feed = streamFeed(api.store);
}, 60_000);
afterAll(async () => {
  feed?.close();
  await api?.close();
});

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}
const menuPath = (communityId = c.id) => `/api/communities/${communityId}/menu`;
const menuItems = () => snapshot(api.store, [`C#${c.id}#M`]);
const haircut = () => ({
  kind: "skill",
  title: "上门理发",
  description: "为行动不便的老人上门理发，自带工具。",
  category: "elderly",
  when: "每月第一个周六上午",
  where: "上门",
  branchId: c.branches[1].id,
});
const add = (body: Record<string, unknown> = haircut()) => ok(api.call("POST", menuPath(), { as: c.staff, body }), 201);
const listAs = async (as: Person) => (await ok(api.call("GET", menuPath(), { as }))).items as any[];
const settle = async () => expect(await handle(await feed.next())).toEqual({ batchItemFailures: [] });
const inbox = async (p: Person, wishId: string) =>
  ((await ok(api.call("GET", "/api/notifications?limit=100", { as: p }))).items as any[]).filter((n) => n.wishId === wishId);

describe("staff keep the menu", () => {
  it("add an item offered by a branch; everyone signed in reads it, with the branch's name", async () => {
    const item = await add();
    expect(item).toMatchObject({ ...haircut(), status: "active", branchName: "第二支部", communityId: c.id, version: 1 });
    for (const who of [c.residents[0], c.members[0], c.staff]) {
      expect((await listAs(who)).map((m) => m.id)).toContain(item.id);
    }
    // Another community's menu does not hold it.
    const elsewhere = await ok(api.call("GET", menuPath(other.id), { as: c.residents[0] }));
    expect(elsewhere.items).toEqual([]);
  });

  it("edit an item: the whole item is rewritten, fields left out are cleared, the branch may change", async () => {
    const item = await add({ ...haircut(), title: "义诊", kind: "health", category: "health" });
    const { when: _when, where: _where, ...rest } = haircut();
    const edited = await ok(
      api.call("PUT", `${menuPath()}/${item.id}`, {
        as: c.staff,
        body: { ...rest, kind: "health", category: "health", title: "社区义诊", branchId: c.branches[0].id },
      }),
    );
    expect(edited).toMatchObject({ id: item.id, title: "社区义诊", branchId: c.branches[0].id, branchName: "第一支部", version: 2 });
    expect(edited.when).toBeUndefined();
    expect(edited.where).toBeUndefined();
    expect((await listAs(c.residents[1])).find((m) => m.id === item.id)).toEqual(edited);
  });

  it("withdraw an item: residents and members no longer see it, staff see it last; twice is 409", async () => {
    const item = await add({ ...haircut(), title: "手机使用教学", kind: "service", category: "digital" });
    const withdrawn = await ok(api.call("POST", `${menuPath()}/${item.id}/withdraw`, { as: c.staff }));
    expect(withdrawn).toMatchObject({ status: "withdrawn", version: 2 });
    expect(withdrawn.withdrawnAt).toBeTruthy();
    for (const who of [c.residents[0], c.members[0]]) expect((await listAs(who)).map((m) => m.id)).not.toContain(item.id);
    const staffList = await listAs(c.staff);
    expect(staffList.at(-1)).toMatchObject({ id: item.id, status: "withdrawn" });
    expect(staffList.filter((m) => m.status === "active").length).toBeGreaterThan(0);

    const before = await menuItems();
    const again = await api.call("POST", `${menuPath()}/${item.id}/withdraw`, { as: c.staff });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("menu.withdrawn");
    const edit = await api.call("PUT", `${menuPath()}/${item.id}`, { as: c.staff, body: haircut() });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe("menu.withdrawn");
    expect(await menuItems()).toBe(before);
  });
});

describe("refusals name the problem and write nothing", () => {
  const refused = async (res: Promise<{ status: number; body: any; type: string }>, status: number, field?: string) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.type).toContain("application/problem+json");
    if (field) expect(Object.keys(r.body.errors ?? {}), JSON.stringify(r.body)).toContain(field);
    return r.body;
  };

  it("an item with no offering branch, an unknown branch, another community's branch, or fields out of bounds: 422", async () => {
    const before = await menuItems();
    const { branchId: _b, ...noBranch } = haircut();
    await refused(api.call("POST", menuPath(), { as: c.staff, body: noBranch }), 422, "branchId");
    await refused(api.call("POST", menuPath(), { as: c.staff, body: { ...haircut(), branchId: "01NOSUCHBRANCH" } }), 422, "branchId");
    await refused(api.call("POST", menuPath(), { as: c.staff, body: { ...haircut(), branchId: "not an id!" } }), 422, "branchId");
    const foreign = await community(api.store, { members: 0, residents: 0, name: "第三社区" });
    await refused(api.call("POST", menuPath(), { as: c.staff, body: { ...haircut(), branchId: foreign.branches[0].id } }), 422, "branchId");
    const cases: [string, unknown][] = [
      ["title", "很".repeat(41)],
      ["title", ""],
      ["description", "长".repeat(501)],
      ["when", "时".repeat(101)],
      ["where", "地".repeat(101)],
      ["kind", "gift"],
      ["category", "shopping"],
    ];
    for (const [field, value] of cases) {
      await refused(api.call("POST", menuPath(), { as: c.staff, body: { ...haircut(), [field]: value } }), 422, field);
    }
    // Forty characters of title, 500 of description and 100 of when and where are within the limits (checked last: it writes).
    expect(await menuItems()).toBe(before);
    const longest = await add({
      ...haircut(),
      title: "长".repeat(40),
      description: "长".repeat(500),
      when: "时".repeat(100),
      where: "地".repeat(100),
    });
    expect([...longest.title]).toHaveLength(40);
  });

  it("only the community's staff keep the menu: 403 for residents, members and other staff; nothing written", async () => {
    const item = await add();
    const before = await menuItems();
    for (const who of [c.residents[0], c.members[0], other.staff]) {
      expect((await refused(api.call("POST", menuPath(), { as: who, body: haircut() }), 403)).code).toBe("menu.forbidden");
      await refused(api.call("PUT", `${menuPath()}/${item.id}`, { as: who, body: haircut() }), 403);
      await refused(api.call("POST", `${menuPath()}/${item.id}/withdraw`, { as: who }), 403);
    }
    await refused(api.call("GET", menuPath()), 401);
    await refused(api.call("POST", menuPath(), { body: haircut() }), 401);
    expect(await menuItems()).toBe(before);
  });

  it("an unknown item or community is 404; an edit with bad fields is 422; nothing written", async () => {
    const item = await add();
    const before = await menuItems();
    await refused(api.call("PUT", `${menuPath()}/01NOSUCHITEM`, { as: c.staff, body: haircut() }), 404);
    await refused(api.call("POST", `${menuPath()}/01NOSUCHITEM/withdraw`, { as: c.staff }), 404);
    await refused(api.call("GET", menuPath("01NOSUCHCOMMUNITY"), { as: c.staff }), 404);
    await refused(
      api.call("PUT", `${menuPath()}/${item.id}`, { as: c.staff, body: { ...haircut(), branchId: "01NOSUCHBRANCH" } }),
      422,
      "branchId",
    );
    await refused(
      api.call("PUT", `${menuPath()}/${item.id}`, { as: c.staff, body: { ...haircut(), title: "很".repeat(41) } }),
      422,
      "title",
    );
    expect(await menuItems()).toBe(before);
  });
});

describe("a resident orders from the menu", () => {
  it("the wish carries the item and its branch; once approved, the branch's members hear first, by name", async () => {
    const item = await add();
    const resident = c.residents[0];
    await settle();
    const order = await ok(
      api.call("POST", "/api/wishes", {
        as: resident,
        body: newWish(c.id, {
          category: item.category,
          title: item.title,
          description: "我父亲行动不便，想请人上门理发。",
          menuItemId: item.id,
        }),
      }),
      201,
    );
    expect(order).toMatchObject({ status: "submitted", menuItemId: item.id, branchId: c.branches[1].id, category: "elderly" });
    await ok(api.call("POST", `/api/wishes/${order.id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } }));
    await settle();
    // members[1] and members[3] are in the second branch, which offers the item; the others are not.
    for (const m of [c.members[1], c.members[3]]) {
      const heard = await inbox(m, order.id);
      expect(heard.map((n) => n.kind)).toEqual(["menu-ordered"]);
      expect(heard[0].text).toContain(item.title);
    }
    for (const m of [c.members[0], c.members[2]]) expect(await inbox(m, order.id)).toEqual([]);
    expect((await inbox(resident, order.id)).map((n) => n.kind)).toEqual(["wish-approved"]);
    // By SMS too, unless they opt out: it is what a volunteer of the branch must not miss.
    const sms = (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(c.members[1].phone)}`))) as any[];
    expect(sms.some((s) => s.kind === "menu-ordered")).toBe(true);
  });

  it("a withdrawn item is 409, an unknown one or a category other than the item's 422: no wish is made", async () => {
    const resident = c.residents[1];
    const mine = async () => (await ok(api.call("GET", "/api/wishes?mine=true&limit=100", { as: resident }))).items.length;
    const count = await mine();
    const user = await snapshot(api.store, [`U#${resident.id}`]);
    const item = await add();
    const wrongCategory = await api.call("POST", "/api/wishes", {
      as: resident,
      body: newWish(c.id, { category: "repair", menuItemId: item.id }),
    });
    expect(wrongCategory.status).toBe(422);
    expect(Object.keys(wrongCategory.body.errors)).toEqual(["category"]);
    const unknown = await api.call("POST", "/api/wishes", {
      as: resident,
      body: newWish(c.id, { category: "elderly", menuItemId: "01NOSUCHITEM" }),
    });
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.body.errors)).toEqual(["menuItemId"]);
    // An item of another community is not on this one's menu.
    const theirs = await ok(
      api.call("POST", menuPath(other.id), { as: other.staff, body: { ...haircut(), branchId: other.branches[0].id } }),
      201,
    );
    const foreign = await api.call("POST", "/api/wishes", {
      as: resident,
      body: newWish(c.id, { category: "elderly", menuItemId: theirs.id }),
    });
    expect(foreign.status).toBe(422);
    await ok(api.call("POST", `${menuPath()}/${item.id}/withdraw`, { as: c.staff }));
    const gone = await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { category: "elderly", menuItemId: item.id }) });
    expect(gone.status).toBe(409);
    expect(gone.body.code).toBe("menu.withdrawn");
    expect(await mine()).toBe(count);
    expect(await snapshot(api.store, [`U#${resident.id}`])).toBe(user);
  });
});
