/**
 * The service menu and skills in real Chromium at 390×844: a resident orders from the menu and the
 * post form opens filled in from the item (and the wish carries it); a member picks skills on 我的
 * and the hall's "matches my skills" shows the wishes those skills serve and hides the others.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, expectPhoneFriendly, screenshot, startSite, type Site } from "./browser.js";

let site: Site;
beforeAll(async () => {
  site = await startSite();
}, 180_000);
afterAll(async () => {
  await site?.stop();
}, 60_000);

describe("service menu and skills", () => {
  it("a resident orders from the menu: the post form is filled in from the item, and the wish carries it", {
    timeout: 180_000,
  }, async () => {
    const staff = site.person("王主任");
    const community = await site.api<{ branches: { id: string; name: string }[] }>("GET", `/api/communities/${site.demo.communityId}`);
    const item = await site.api<{ id: string }>("POST", `/api/communities/${site.demo.communityId}/menu`, staff.token, {
      kind: "skill",
      title: "上门理发",
      description: "为行动不便的老人上门理发，自带工具。",
      category: "elderly",
      when: "每月第一个周六上午",
      where: "上门",
      branchId: community.branches[0].id,
    });

    const resident = site.person("王奶奶");
    const phone = await site.phoneAt({ as: resident });
    const p = phone.page;
    await p.goto(`${site.url}/menu`);
    await p.getByRole("heading", { name: "服务清单" }).waitFor();
    const card = p.locator("li.card", { hasText: "上门理发" });
    await card.getByText("每月第一个周六上午").waitFor();
    await expect(card.textContent()).resolves.toContain(community.branches[0].name);
    await expectAccessible(p, "menu (resident)");
    await expectPhoneFriendly(p, "menu (resident)");
    await screenshot(p, "resident-menu");

    await card.getByRole("button", { name: "我要点单" }).click();
    await p.getByRole("heading", { name: "发一个心愿" }).waitFor();
    await p.getByText("从服务清单点单：「上门理发」").waitFor();
    expect(await p.getByLabel("想请人帮什么忙？").inputValue()).toBe("上门理发");
    expect(await p.getByRole("radio", { name: "关爱老人" }).isChecked()).toBe(true);
    await expectAccessible(p, "post (order from the menu)");
    await screenshot(p, "resident-order");
    await p.getByRole("button", { name: "提交心愿" }).click();
    await p.waitForURL(/\/wishes\/[A-Z0-9]+/);
    const wishId = /\/wishes\/([A-Z0-9]+)/.exec(p.url())![1];
    const wish = await site.api<{ menuItemId?: string; category: string; title: string }>("GET", `/api/wishes/${wishId}`, resident.token);
    expect(wish).toMatchObject({ menuItemId: item.id, category: "elderly", title: "上门理发" });
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it("a member picks skills on 我的, and the hall's filter shows the wishes they match", { timeout: 180_000 }, async () => {
    const staff = site.person("王主任");
    const resident = site.person("李大爷");
    const post = async (category: string, title: string) => {
      const w = await site.api<{ id: string }>("POST", "/api/wishes", resident.token, {
        communityId: site.demo.communityId,
        category,
        title,
        description: title,
      });
      await site.api("POST", `/api/wishes/${w.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 30 });
    };
    await post("cleaning", "帮忙清理楼道杂物");
    await post("children", "辅导孩子数学作业");

    const member = site.person("刘洋");
    const phone = await site.phoneAt({ as: member });
    const m = phone.page;
    await m.goto(`${site.url}/me`);
    await m.getByRole("heading", { name: "我的" }).waitFor();
    await m.getByRole("checkbox", { name: "保洁" }).check();
    await m.getByLabel("其他技能").fill("修自行车");
    await m.getByRole("button", { name: "加上" }).click();
    await expect(m.getByRole("checkbox", { name: "修自行车" }).isChecked()).resolves.toBe(true);
    await expectAccessible(m, "me (skills)");
    await expectPhoneFriendly(m, "me (skills)");
    await screenshot(m, "member-skills");
    await m.getByRole("button", { name: "保存技能" }).click();
    await m.getByText("技能已保存。").waitFor();
    const me = await site.api<{ skills?: string[] }>("GET", "/api/me", member.token);
    expect(me.skills).toEqual(["保洁", "修自行车"]);

    await m.goto(`${site.url}/hall`);
    await m.getByRole("heading", { name: "心愿大厅" }).waitFor();
    await m.getByRole("link", { name: "辅导孩子数学作业" }).waitFor();
    await m.getByRole("link", { name: "帮忙清理楼道杂物" }).waitFor();
    await m.getByRole("checkbox", { name: "符合我的技能" }).check();
    await m.getByRole("link", { name: "辅导孩子数学作业" }).waitFor({ state: "detached" });
    await m.getByRole("link", { name: "帮忙清理楼道杂物" }).waitFor();
    await expectAccessible(m, "hall (matches my skills)");
    await screenshot(m, "member-hall-skills");
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });
});
