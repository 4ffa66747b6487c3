/**
 * CSV both ways: a community's roll imported from the kind of file staff keep (BOM, Chinese
 * headers, quotes and commas in names, duplicate and broken phones; 10,000 rows in import-10k.test.ts), each row
 * applied whole or reported; and the ledger exported for Excel and read back field for field.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueryCommand } from "../../functions/aws/dynamodb.js";
import * as Csv from "../../functions/core/csv.js";
import { chinaTime } from "../../functions/core/ledger.js";
import { dayOf } from "../../functions/core/period.js";
import { community, snapshot, somewhere, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { issueToken } from "../../functions/core/identity.js";
import { secret } from "../helpers/api.js";
import { claimedBy, expectProblem, ok } from "./helpers.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 1 });
});
afterAll(() => api.close());

async function upload(tc: TestCommunity, body: string | Uint8Array, as: Person = tc.staff) {
  const res = await fetch(`${api.base}/api/communities/${tc.id}/members/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${as.token}`, "content-type": "text/csv" },
    body: typeof body === "string" ? body : new Blob([body as Uint8Array<ArrayBuffer>]),
  });
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, body: type.includes("json") ? await res.json() : await res.text(), headers: res.headers };
}

/** A body past the import's 2 MB, on a connection of its own: the server answers 413 and closes it mid-upload. */
function oversized(tc: TestCommunity): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.base}/api/communities/${tc.id}/members/import`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${tc.staff.token}`, "content-type": "text/csv" },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, code: JSON.parse(text).code }));
    });
    req.on("error", reject);
    req.end("x".repeat(2 * 1024 * 1024 + 1));
  });
}

async function roll(tc: TestCommunity) {
  const people: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      api.call("GET", `/api/communities/${tc.id}/members?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { as: tc.staff }),
    );
    people.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return people;
}

const phone = (n: number) => `139${String(70_000_000 + n).padStart(8, "0")}`;

describe("importing members", () => {
  let tc: TestCommunity;
  beforeAll(async () => {
    tc = await community(api.store, { members: 1, residents: 0, name: "导入社区" });
  });

  it("takes a file with BOM, Chinese headers, quotes and commas, and reports each row it refuses and why", async () => {
    const file =
      "\uFEFF手机号,姓名,支部\r\n" +
      `${phone(1)},"王, ""小明""",第一支部\r\n` +
      `${phone(2)},李四,青年志愿服务队\r\n` +
      `+86 ${phone(3).slice(0, 3)}-${phone(3).slice(3)},"多行\r\n名字",\r\n` +
      `${phone(1)},重复的人,第二支部\r\n` +
      `12345,号码不对,第一支部\r\n` +
      `${phone(4)},,第一支部\r\n` +
      `${phone(5)},=HYPERLINK("x"),第二支部\r\n` +
      `\r\n` +
      `${phone(6)},赵六\r\n`;
    const before = (await ok(api.call("GET", `/api/communities/${tc.id}`))).branches.length;
    const res = await upload(tc, file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 8, created: 4, updated: 0, unchanged: 0, branchesCreated: ["青年志愿服务队"] });
    expect(res.body.refused).toEqual([
      { row: 4, phone: `+86 139-${phone(3).slice(3)}`, reason: "The name holds control or broken characters." },
      { row: 6, phone: phone(1), reason: "The same phone as row 2: each person once." },
      { row: 7, phone: "12345", reason: "Not a mobile number (like 13800138000)." },
      { row: 8, phone: phone(4), reason: "No name." },
    ]);
    const people = await roll(tc);
    const byName = Object.fromEntries(people.map((p) => [p.name, p]));
    const branches = Object.fromEntries((await ok(api.call("GET", `/api/communities/${tc.id}`))).branches.map((b: any) => [b.name, b.id]));
    expect(Object.keys(branches)).toHaveLength(before + 1);
    expect(byName['王, "小明"']).toMatchObject({ roles: ["member"], branchId: branches["第一支部"] });
    expect(byName["李四"]).toMatchObject({ branchId: branches["青年志愿服务队"] });
    expect(byName['=HYPERLINK("x")']).toMatchObject({ branchId: branches["第二支部"] });
    expect(byName["赵六"].branchId).toBeUndefined();
    expect(byName["重复的人"]).toBeUndefined();

    // The imported person signs in with that phone and is a member at once.
    const me = await ok(api.call("GET", "/api/me", { as: await issueToken(secret, byName["李四"].id) }));
    expect(me).toMatchObject({ name: "李四", phone: `+86${phone(2)}`, communities: [{ communityId: tc.id, roles: ["member"] }] });
  });

  it("updates people already on the roll or signed up, and changes nothing on a second run", async () => {
    const resident = tc.members[0];
    const file = `phone,name,branch\n${phone(1)},王小明,第二支部\n${resident.phone},老队员,第一支部\n`;
    const first = await upload(tc, file);
    expect(first.body).toMatchObject({ rows: 2, created: 0, updated: 2, unchanged: 0, refused: [] });
    const again = await upload(tc, file);
    expect(again.body).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2, refused: [] });
    const byName = Object.fromEntries((await roll(tc)).map((p) => [p.name, p]));
    expect(byName["王小明"].branchId).toBe(tc.branches[1].id);
    expect(byName["老队员"].id).toBe(resident.id);
  });

  it("reads a file Chinese Excel saved in GB18030", async () => {
    const bytes = new Uint8Array([...Buffer.from(`${phone(7)},`), 0xd5, 0xc5, 0xc8, 0xfd, 0x0d, 0x0a]);
    const res = await upload(tc, bytes);
    expect(res.body).toMatchObject({ created: 1, refused: [] });
    expect((await roll(tc)).some((p) => p.name === "张三")).toBe(true);
  });

  it("round-trips: the roll exported as CSV imports back unchanged", async () => {
    const exported = await api.call("GET", `/api/communities/${tc.id}/members.csv`, { as: tc.staff });
    expect(exported.type).toContain("text/csv");
    // (fetch's text() drops the byte-order mark; the ledger test checks the bytes)
    expect(exported.body.startsWith("phone,name,branch,roles\r\n")).toBe(true);
    const records = Csv.parse(exported.body);
    const members = records.slice(1).filter((r) => r.cells[3].split(" ").includes("member"));
    const back = await upload(tc, Csv.format([["phone", "name", "branch"], ...members.map((r) => r.cells.slice(0, 3))]));
    expect(back.body).toMatchObject({ rows: members.length, created: 0, updated: 0, unchanged: members.length, refused: [] });
    expect(records.map((r) => r.cells[1])).toContain('=HYPERLINK("x")');
    expect(exported.body).toContain(`'=HYPERLINK(""x"")`);
  });

  it("refuses what is not a roll, writing nothing", async () => {
    const before = await snapshot(api.store, [`C#${tc.id}`]);
    expectProblem(await upload(tc, ""), 422, "import.invalid");
    expectProblem(await upload(tc, `phone,name\n${phone(9)},"never closed\n`), 422, "csv.invalid");
    expectProblem(await upload(tc, "手机号,支部\n13900000000,第一支部\n"), 422, "import.invalid");
    expectProblem(await upload(tc, `${phone(9)},某人\n`, tc.members[0]), 403, "community.forbidden");
    const tooMany = `phone,name\n${Array.from({ length: 10_001 }, (_, i) => `${phone(100_000 + i)},人${i}`).join("\n")}`;
    const refused = expectProblem(await upload(tc, tooMany), 422, "import.invalid");
    expect(refused.detail).toContain("10001");
    expect(await oversized(tc)).toMatchObject({ status: 413, code: "request.too_large" });
    expect(await snapshot(api.store, [`C#${tc.id}`])).toBe(before);
    const none = await api.store.doc.send(
      new QueryCommand({
        TableName: api.store.table,
        KeyConditionExpression: "pk = :p",
        ExpressionAttributeValues: { ":p": `P#+86${phone(100_000)}` },
      }),
    );
    expect(none.Items).toEqual([]);
  });
});

describe("exporting the ledger", () => {
  it("writes UTF-8 with BOM and RFC 4180 quoting that reads back field for field", async () => {
    const people = await upload(c, `phone,name,branch\n${phone(900)},"张, ""大伟""",第一支部\n${phone(901)},@李娜,第二支部\n`);
    expect(people.body.created).toBe(2);
    const byName = Object.fromEntries((await roll(c)).map((p) => [p.name, p]));
    const a = { ...byName['张, "大伟"'], token: await issueToken(secret, byName['张, "大伟"'].id) } as Person;
    const b = { ...byName["@李娜"], token: await issueToken(secret, byName["@李娜"].id) } as Person;
    const id = await claimedBy(api, c, [a, b], { title: '修理"老式"门锁, 换灯泡', address: "幸福里3号楼, 2单元" });
    for (const m of [a, b]) await ok(api.call("POST", `/api/wishes/${id}/check-in`, { as: m, body: somewhere }));
    for (const m of [a, b]) await ok(api.call("POST", `/api/wishes/${id}/check-out`, { as: m, body: somewhere }));
    await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: a, body: { note: "完成" } }));
    await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
    await ok(
      api.call("POST", `/api/wishes/${id}/verify`, {
        as: c.staff,
        body: { minutes: { [a.id]: 75, [b.id]: 50 }, reason: '第一行\n第二行, 含"引号"' },
      }),
    );

    const today = dayOf(new Date());
    const res = await api.call("GET", `/api/communities/${c.id}/ledger.csv?from=${today}&to=${today}`, { as: c.staff });
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(".csv");
    const raw = Buffer.from(
      await (
        await fetch(`${api.base}/api/communities/${c.id}/ledger.csv?from=${today}&to=${today}`, {
          headers: { authorization: `Bearer ${c.staff.token}` },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body).toContain('"张, ""大伟"""');
    expect(res.body).toContain(`"第一行\n第二行, 含""引号"""`);
    expect(res.body.split("\r\n")[0]).toContain("志愿者 volunteer");

    const rows = Csv.parse(res.body);
    expect(rows).toHaveLength(3);
    const entries = [
      ...(await ok(api.call("GET", `/api/members/${a.id}/hours`, { as: c.staff }))).entries,
      ...(await ok(api.call("GET", `/api/members/${b.id}/hours`, { as: c.staff }))).entries,
    ];
    for (const e of entries) {
      const r = rows.find((x) => x.cells[1] === e.memberId)!;
      expect(r.cells).toEqual([
        e.memberName,
        e.memberId,
        e.branchName,
        "测试社区",
        '修理"老式"门锁, 换灯泡',
        "维修服务",
        "幸福里3号楼, 2单元",
        chinaTime(e.start),
        chinaTime(e.end),
        String(e.minutes),
        "0",
        '第一行\n第二行, 含"引号"',
        "否",
        c.staff.name,
        chinaTime(e.verifiedAt),
        id,
        "微心愿 wish",
      ]);
    }
    expect(rows.find((x) => x.cells[1] === b.id)!.cells[0]).toBe("@李娜");
    expect(res.body).toContain("'@李娜");
  });

  it("leaves out entries verified outside the range, and refuses a range that ends before it starts", async () => {
    const res = await api.call("GET", `/api/communities/${c.id}/ledger.csv?from=2019-01-01&to=2019-12-31`, { as: c.staff });
    expect(Csv.parse(res.body)).toHaveLength(1);
    const bad = await api.call("GET", `/api/communities/${c.id}/ledger.csv?from=2026-11-30&to=2026-11-01`, { as: c.staff });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty("to");
    expectProblem(
      await api.call("GET", `/api/communities/${c.id}/ledger.csv?from=2026-11-01&to=2026-11-30`, { as: c.members[0] }),
      403,
      "ledger.forbidden",
    );
  });
});
