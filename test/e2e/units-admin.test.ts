/**
 * Managing the organisation in real Chromium at 390×844: county staff create a street and a
 * community beneath it and appoint their staff; that community's new staff sign in, create a grid
 * by pasting its area and appoint its leader; a person asks to join a community (报到), its staff
 * turn them down with a reason and then approve, and the person sees each outcome; a person of
 * another community accepts an invitation. Refusals (a phone that is not a phone, an area of two
 * points) are said plainly and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type DemoPerson, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

type UnitView = { id: string; name: string; children?: { id: string; name: string }[]; staff?: { name: string; roles: string[] }[] };

/** Someone not in the demo, who signs in by phone like anyone. */
const newcomer = (phone: string, name: string): DemoPerson => ({ id: "", name, phone, role: "resident", token: "" });

/** A person who signed up by phone (code from the dev outbox) and gave their name, as the first sign-in asks. */
async function signedUp(phone: string, name: string): Promise<DemoPerson> {
  await site.api("POST", "/api/auth/otp", undefined, { phone });
  const outbox = await site.api<{ text: string; kind: string }[]>("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);
  const code = /(\d{6})/.exec(outbox.find((m) => m.kind === "sign-in")!.text)![1];
  const { token, user } = await site.api<{ token: string; user: { id: string } }>("POST", "/api/auth/token", undefined, { phone, code });
  await site.api("PUT", "/api/me", token, { name });
  return { id: user.id, name, phone, role: "resident", token };
}

/** A form that folds under its summary, opened unless it is open already. */
async function openForm(page: Page, name: string) {
  const details = page.locator("details").filter({ has: page.locator("summary", { hasText: name }) });
  if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
  return page.getByRole("form", { name });
}

async function createChild(page: Page, form: string, name: string, list: string) {
  const f = await openForm(page, form);
  await f.getByLabel("名称").fill(name);
  await f.getByRole("button", { name: "建立" }).click();
  await page.getByRole("list", { name: list }).getByRole("link", { name }).waitFor();
}

async function appoint(page: Page, form: string, phone: string, name: string) {
  const f = await openForm(page, form);
  await f.getByLabel("手机号").fill(phone);
  await f.getByLabel("姓名").fill(name);
  await f.getByRole("button", { name: "任命" }).click();
}

describe("managing units", () => {
  let communityId: string;

  it("county staff create a street and a community under it and appoint their staff; a number that is not a phone is refused", {
    timeout: 180_000,
  }, async () => {
    const county = site.person("赵部长");
    const read = (id: string) => site.api<UnitView>("GET", `/api/units/${id}`, county.token);
    const { context, page, errors } = await site.phoneAt({ as: county });
    await page.goto(`${site.url}/units/demo-fengxian`);
    await page.getByRole("link", { name: "组织管理" }).click();
    await page.waitForURL(/\/units\/demo-fengxian\/manage$/);
    await page.getByRole("heading", { name: "凤县 · 组织管理" }).waitFor();
    // The county's two streets are listed; a third is made here.
    const streets = page.getByRole("list", { name: "下辖街道（乡镇）" });
    expect((await streets.getByRole("link").allTextContents()).sort()).toEqual(["凤州镇", "双石铺镇"].sort());
    await expectAccessible(page, "county organisation");
    await expectPhoneFriendly(page, "county organisation");
    await createChild(page, "新建街道（乡镇）", "留凤关镇", "下辖街道（乡镇）");
    await page.getByText("已建立「留凤关镇」。").waitFor();
    const streetId = (await read("demo-fengxian")).children!.find((c) => c.name === "留凤关镇")!.id;

    await streets.getByRole("link", { name: "留凤关镇" }).click();
    await page.waitForURL(new RegExp(`/units/${streetId}/manage$`));
    await page.getByRole("heading", { name: "留凤关镇 · 组织管理" }).waitFor();
    await page.getByText("还没有下级单位。").waitFor();

    // A number that is not a phone: said under the field, nobody appointed.
    await appoint(page, "任命工作人员", "12345", "错号码");
    await page.getByRole("alert").getByText("有几项填得不对").waitFor();
    await page.getByText("手机号不对：请写 11 位手机号").waitFor();
    expect((await read(streetId)).staff).toEqual([]);
    await screenshot(page, "units-admin-phone-refused");

    await appoint(page, "任命工作人员", "13800000031", "韩书记");
    await page.getByText("已任命韩书记。").waitFor();
    await page.getByRole("list", { name: "工作人员" }).getByText("韩书记").waitFor();
    expect((await read(streetId)).staff).toEqual([expect.objectContaining({ name: "韩书记", roles: ["staff"] })]);

    await createChild(page, "新建社区（村）", "留凤关社区", "下辖社区（村）");
    communityId = (await read(streetId)).children!.find((c) => c.name === "留凤关社区")!.id;
    await page.getByRole("list", { name: "下辖社区（村）" }).getByRole("link", { name: "留凤关社区" }).click();
    await page.waitForURL(new RegExp(`/units/${communityId}/manage$`));
    await page.getByRole("heading", { name: "留凤关社区 · 组织管理" }).waitFor();
    await appoint(page, "任命工作人员", "13800000032", "何主任");
    await page.getByRole("list", { name: "工作人员" }).getByText("何主任").waitFor();
    expect((await read(communityId)).staff).toEqual([expect.objectContaining({ name: "何主任", roles: ["staff"] })]);
    await expectAccessible(page, "community organisation (county staff)");

    // The street's audit trail names who made the community and who was appointed.
    await page.getByRole("link", { name: "上一级" }).click();
    await page.waitForURL(new RegExp(`/units/${streetId}/manage$`));
    const audit = page.getByRole("list", { name: "操作记录" });
    await audit.getByText("建立了社区（村）「留凤关社区」").waitFor();
    await audit.getByText("任命韩书记为工作人员").waitFor();
    expect(await audit.getByText("赵部长").count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "units-admin-street");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the new community's staff create a grid by pasting its area and appoint its leader; two points are refused", {
    timeout: 180_000,
  }, async () => {
    const { context, page, errors } = await site.phoneAt();
    await site.signInThroughUi(page, newcomer("+8613800000032", "何主任"), "/organisation");
    await page.waitForURL(/\/organisation$/);
    await page.getByRole("heading", { name: "组织管理" }).waitFor();
    await page.getByRole("link", { name: "留凤关社区 · 社区（村）" }).click();
    await page.waitForURL(new RegExp(`/units/${communityId}/manage$`));
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("mw.token")!));
    const read = (id: string) => site.api<UnitView>("GET", `/api/units/${id}`, token);

    const form = await openForm(page, "新建网格");
    await form.getByLabel("名称").fill("留凤关第一网格");
    await form.getByLabel("网格范围", { exact: true }).fill("33.9001,106.6201\n33.9001,106.6231\n");
    await form.getByRole("button", { name: "建立" }).click();
    await page.getByRole("alert").getByText("网格范围至少要 3 个点，现在只有 2 个。").waitFor();
    expect((await read(communityId)).children).toEqual([]);
    await expectAccessible(page, "grid area refused");
    await screenshot(page, "units-admin-area-refused");

    // Crossing edges (a bow tie) are refused too, named as such.
    await form.getByLabel("网格范围", { exact: true }).fill("33.9001,106.6201\n33.9031,106.6231\n33.9031,106.6201\n33.9001,106.6231");
    await form.getByRole("button", { name: "建立" }).click();
    await page.getByRole("alert").getByText("网格的边线交叉了").waitFor();
    expect((await read(communityId)).children).toEqual([]);

    await form.getByLabel("网格范围", { exact: true }).fill("33.9001,106.6201\n33.9001,106.6231\n33.9031，106.6231\n33.9031 106.6201");
    await form.getByText("已识别 4 个点").waitFor();
    await form.getByRole("img", { name: "网格范围示意图" }).waitFor();
    await form.getByRole("button", { name: "建立" }).click();
    await page.getByRole("list", { name: "网格" }).getByRole("link", { name: "留凤关第一网格" }).click();
    await page.getByRole("heading", { name: "留凤关第一网格 · 组织管理" }).waitFor();
    const gridId = new URL(page.url()).pathname.split("/")[2];
    const grid = (await site.api("GET", `/api/units/${gridId}`, token)) as { area: { lat: number; lng: number }[] };
    expect(grid.area).toEqual([
      { lat: 33.9001, lng: 106.6201 },
      { lat: 33.9001, lng: 106.6231 },
      { lat: 33.9031, lng: 106.6231 },
      { lat: 33.9031, lng: 106.6201 },
    ]);

    await appoint(page, "任命网格长", "13900000077", "党员老贺");
    await page.getByRole("list", { name: "网格长（红色管家）" }).getByText("党员老贺").waitFor();
    expect((await read(gridId)).staff).toEqual([expect.objectContaining({ name: "党员老贺", roles: ["leader"] })]);
    await expectAccessible(page, "grid organisation");
    await expectPhoneFriendly(page, "grid organisation");
    await screenshot(page, "units-admin-grid");

    await page.getByRole("link", { name: "上一级" }).click();
    await page.getByRole("list", { name: "操作记录" }).getByText("建立了网格「留凤关第一网格」").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("registration (报到)", () => {
  it("a person asks to join; staff turn them down with a reason, then approve; the person sees each outcome", {
    timeout: 180_000,
  }, async () => {
    const asker = await signedUp("+8613700000088", "陈新");
    const person = await site.phoneAt({ as: asker });
    const p = person.page;
    await p.goto(`${site.url}/join`);
    await p.getByRole("heading", { name: "报到" }).waitFor();
    await p.getByText("成为幸福里社区的志愿者").waitFor();
    await p.getByLabel("姓名").fill("陈新");
    await p.getByLabel("所在支部（可不选）").selectOption({ label: "第一党支部" });
    await p.getByLabel("说明（可不填）").fill("刚搬来三号楼");
    await p.getByRole("button", { name: "提交报到" }).click();
    await p.getByText("正在等工作人员审核").waitFor();
    await p.getByRole("list", { name: "我的报到" }).getByText("等待审核").waitFor();
    await expectAccessible(p, "registration sent");
    await screenshot(p, "join-pending");

    const staff = await site.phoneAt({ as: site.person("王主任") });
    const s = staff.page;
    await s.goto(`${site.url}/units/${site.demo.communityId}/manage`);
    const waiting = s.getByRole("list", { name: "报到申请" });
    const card = waiting.getByRole("listitem").filter({ hasText: "陈新" });
    await card.getByText("支部：第一党支部").waitFor();
    await card.getByText("刚搬来三号楼").waitFor();
    await expectAccessible(s, "community organisation with a registration");
    await screenshot(s, "units-admin-registrations");
    await card.getByRole("button", { name: "不通过" }).click();
    await card.getByLabel("不通过的原因（会告诉申请人）").fill("请写身份证上的名字");
    await card.getByRole("button", { name: "确定不通过" }).click();
    await s.getByText("已退回陈新的报到申请。").waitFor();
    await s.getByText("没有等待审核的报到申请。").waitFor();

    await p.reload();
    const mine = p.getByRole("list", { name: "我的报到" });
    await mine.getByText("未通过").waitFor();
    await mine.getByText("原因：请写身份证上的名字").waitFor();
    await p.getByLabel("姓名").fill("陈新民");
    await p.getByRole("button", { name: "提交报到" }).click();
    await p.getByText("正在等工作人员审核").waitFor();

    await s.reload();
    await waiting.getByRole("listitem").filter({ hasText: "陈新民" }).getByRole("button", { name: "通过", exact: true }).click();
    await s.getByText("已通过陈新民的报到，已成为本社区志愿者。").waitFor();
    const audit = s.getByRole("list", { name: "操作记录" });
    await audit.getByText("通过了一份报到申请").waitFor();
    await audit.getByText("退回了一份报到申请：请写身份证上的名字").waitFor();

    await p.reload();
    await p.getByText("您已经是幸福里社区的志愿者了。").waitFor();
    await mine.getByText("已通过").first().waitFor();
    const token = await p.evaluate(() => JSON.parse(localStorage.getItem("mw.token")!));
    const me = await site.api<{ communities: { communityId: string; roles: string[] }[] }>("GET", "/api/me", token);
    expect(me.communities.find((m) => m.communityId === site.demo.communityId)?.roles).toEqual(["member"]);
    // Being a member now, the person may act as one.
    await p.goto(`${site.url}/me`);
    await p.getByRole("group", { name: "切换身份" }).getByRole("button", { name: "志愿者" }).waitFor();
    expect([...person.errors, ...staff.errors]).toEqual([]);
    await person.context.close();
    await staff.context.close();
  });

  it("a member of another community invited by a roll joins only by accepting the invitation", { timeout: 120_000 }, async () => {
    const staff = site.person("王主任");
    const invited = site.person("郑华");
    const res = await fetch(`${site.url}/api/communities/${site.demo.communityId}/members/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${staff.token}`, "content-type": "text/csv" },
      body: `${invited.phone},郑华,第二党支部\n`,
    });
    expect((await res.json()).invited).toBe(1);
    const { context, page, errors } = await site.phoneAt({ as: invited });
    await page.goto(`${site.url}/join`);
    const invitation = page.getByRole("list", { name: "社区邀请" }).getByRole("listitem");
    await invitation.getByText("幸福里社区的王主任邀请您以“郑华”加入").waitFor();
    await expectAccessible(page, "invitation");
    await invitation.getByRole("button", { name: "接受" }).click();
    await page.getByText("已加入幸福里社区。").waitFor();
    await expect.poll(() => page.getByRole("list", { name: "社区邀请" }).count()).toBe(0);
    const me = await site.api<{ communities: { communityId: string; roles: string[] }[] }>("GET", "/api/me", invited.token);
    expect(me.communities.map((m) => m.communityId).sort()).toEqual(["demo-minzhu", site.demo.communityId].sort());
    expect(errors).toEqual([]);
    await context.close();
  });
});
