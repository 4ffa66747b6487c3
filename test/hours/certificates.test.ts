/**
 * A member's certificate: numbered, listing the verified entries, naming the community and the
 * staff who verified them, printable on A4, with a QR code to a public page that shows it is
 * genuine and never shows a phone number. What anyone with the number sees is in
 * test/robust/security-certificates.test.ts.
 */
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../functions/core/period.js";
import { community, startApi, wishIn, type Api, type TestCommunity } from "../helpers/api.js";
import { claimedBy, expectProblem, ok } from "./helpers.js";

let api: Api;
let c: TestCommunity;
const today = dayOf(new Date());

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 3, residents: 1 });
});
afterAll(() => api.close());

/** A wish the member does alone, verified by staff at `minutes`. */
async function served(title: string, minutes: number, member = c.members[0]) {
  const id = await claimedBy(api, c, [member], { title });
  for (const step of ["check-in", "check-out"])
    await ok(api.call("POST", `/api/wishes/${id}/${step}`, { as: member, body: { lat: 33.0676, lng: 107.0238, accuracy: 10 } }));
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: member, body: { note: "完成" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
  await ok(
    api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [member.id]: minutes }, reason: "按签到记录核定" } }),
  );
  return id;
}

describe("a certificate", () => {
  let cert: any;
  beforeAll(async () => {
    await served("修<b>门</b>锁 & 换灯", 90);
    await served("陪老人去医院复查", 60);
    cert = await ok(
      api.call("POST", `/api/members/${c.members[0].id}/certificates`, { as: c.members[0], body: { from: today, to: today } }),
    );
  });

  it("is numbered, lists the entries, names the community and the verifying staff", () => {
    expect(cert.number).toMatch(/^MW-\d{8}-[0-9A-Z]{8}$/);
    expect(cert).toMatchObject({
      memberName: "志愿者1",
      communityName: "测试社区",
      from: today,
      to: today,
      totalMinutes: 150,
      verifiers: [c.staff.name],
    });
    expect(cert.entries.map((e: any) => [e.content, e.minutes, e.verifierName])).toEqual(
      expect.arrayContaining([
        ["修<b>门</b>锁 & 换灯", 90, c.staff.name],
        ["陪老人去医院复查", 60, c.staff.name],
      ]),
    );
    expect(cert.verifyUrl).toBe(`${api.base}/api/certificates/${cert.number}/verify`);
  });

  it("prints on A4 for anyone holding the number, with a QR code that encodes the verification address", async () => {
    const page = await api.call("GET", new URL(cert.printUrl).pathname);
    expect(page.status).toBe(200);
    expect(page.type).toContain("text/html");
    const html = page.body as string;
    expect(html).toContain("@page{size:A4");
    expect(html).toContain("@media print");
    const shown = ["志愿服务证明", cert.number, "志愿者1", "测试社区", "维修服务", "1.5", "1.0", "2.5"];
    for (const text of shown) expect(html).toContain(text);
    // The page is public: what was done stays with the member and staff.
    for (const text of ["陪老人去医院复查", "换灯"]) expect(html).not.toContain(text);
    const qr = await QRCode.toString(cert.verifyUrl, { type: "svg", margin: 0, errorCorrectionLevel: "M" });
    expect(html).toContain(qr);
  });

  it("verifies publicly as genuine, showing no phone number", async () => {
    const page = await api.call("GET", new URL(cert.verifyUrl).pathname);
    expect(page.status).toBe(200);
    const html = page.body as string;
    for (const text of ["证书真实有效", cert.number, "志愿者1", "测试社区", "2.5"]) expect(html).toContain(text);
    const json = JSON.stringify((await api.call("GET", `/api/certificates/${cert.number.toLowerCase()}`)).body);
    for (const phone of [c.members[0].phone, c.residents[0].phone, c.staff.phone]) {
      const digits = phone.slice(-11);
      expect(html).not.toContain(digits);
      expect(json).not.toContain(digits);
      expect(json).not.toContain(`${digits.slice(-4)}"`);
    }
    expect(json).not.toMatch(/phone/i);
  });

  it("says plainly when a number was never issued", async () => {
    const forged = cert.number.slice(0, -1) + (cert.number.endsWith("Z") ? "Y" : "Z");
    const page = await api.call("GET", `/api/certificates/${forged}/verify`);
    expect(page.status).toBe(404);
    expect(page.body).toContain("没有编号为");
    expect((await api.call("GET", `/api/certificates/not-a-number/verify`)).status).toBe(404);
    expectProblem(await api.call("GET", `/api/certificates/${forged}`), 404, "certificate.not_found");
  });

  it("keeps what it certified when more hours are verified later", async () => {
    await served("帮忙搬家", 45);
    const again = await ok(api.call("GET", `/api/certificates/${cert.number}`));
    expect(again.entries).toHaveLength(2);
    expect(again.totalMinutes).toBe(150);
    const fresh = await ok(
      api.call("POST", `/api/members/${c.members[0].id}/certificates`, { as: c.staff, body: { from: today, to: today } }),
    );
    expect(fresh.number).not.toBe(cert.number);
    expect(fresh.totalMinutes).toBe(195);
    const listed = await ok(api.call("GET", `/api/members/${c.members[0].id}/certificates`, { as: c.members[0] }));
    expect(listed.items.map((x: any) => [x.number, x.entries, x.totalMinutes])).toEqual([
      [fresh.number, 3, 195],
      [cert.number, 2, 150],
    ]);
    expectProblem(await api.call("GET", `/api/members/${c.members[0].id}/certificates`, { as: c.members[1] }), 403, "hours.forbidden");
  });
});

describe("who may ask, and for what", () => {
  it("refuses another member, a range with no hours and a range that ends before it starts", async () => {
    const [m, other] = c.members;
    await served("清理楼道", 30, m);
    expectProblem(
      await api.call("POST", `/api/members/${m.id}/certificates`, { as: other, body: { from: today, to: today } }),
      403,
      "hours.forbidden",
    );
    const empty = expectProblem(
      await api.call("POST", `/api/members/${m.id}/certificates`, { as: m, body: { from: "2019-01-01", to: "2019-12-31" } }),
      422,
      "certificate.invalid",
    );
    expect(empty.detail).toContain("2019-01-01");
    const backwards = await api.call("POST", `/api/members/${m.id}/certificates`, { as: m, body: { from: today, to: "2019-01-01" } });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toHaveProperty("to");
    const notADate = await api.call("POST", `/api/members/${m.id}/certificates`, { as: m, body: { from: "2026-02-30", to: today } });
    expect(notADate.status).toBe(422);
    expect(notADate.body.errors).toHaveProperty("from");
  });

  it("lets a member with no verified hours know there is nothing to certify", async () => {
    const idle = c.members[2];
    await wishIn(api, c, "open", { members: [], slots: 1 });
    expectProblem(
      await api.call("POST", `/api/members/${idle.id}/certificates`, { as: idle, body: { from: today, to: today } }),
      422,
      "certificate.invalid",
    );
  });
});
