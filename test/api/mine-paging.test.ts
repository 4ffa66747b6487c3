/**
 * A resident's own wishes, filtered by status and read page by page: every page is full while
 * matching wishes remain, each wish comes exactly once, and the last page carries no cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, newWish, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let resident: Person;
/** The resident's wishes by status, newest first. */
const byStatus: Record<string, string[]> = { open: [], submitted: [], rejected: [], cancelled: [] };

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 1 });
  resident = c.residents[0];
  // Thirty wishes, one in three open, the others spread over three more statuses; the newest are not open.
  const cycle = ["open", "submitted", "rejected", "cancelled", "submitted", "rejected"] as const;
  const made: { id: string; status: string }[] = [];
  for (let i = 0; i < 30; i++) {
    const status = i % 3 === 0 ? "open" : cycle[i % cycle.length];
    const id = (await ok(api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { title: `心愿 ${i}` }) }), 201)).id;
    if (status === "open")
      await ok(api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } }));
    if (status === "rejected") await ok(api.call("POST", `/api/wishes/${id}/reject`, { as: c.staff, body: { reason: "不在服务范围" } }));
    if (status === "cancelled") await ok(api.call("POST", `/api/wishes/${id}/cancel`, { as: resident, body: { reason: "不需要了" } }));
    made.push({ id, status });
  }
  for (const w of made.reverse()) byStatus[w.status].push(w.id);
}, 120_000);
afterAll(() => api.close());

async function pages(query: string) {
  const out: { ids: string[]; statuses: string[]; cursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      api.call("GET", `/api/wishes?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { as: resident }),
    );
    out.push({ ids: page.items.map((w: any) => w.id), statuses: page.items.map((w: any) => w.status), cursor: page.cursor });
    cursor = page.cursor;
  } while (cursor && out.length < 20);
  return out;
}

describe("a resident's own wishes by status", () => {
  it("come five to a page while five remain, each once, newest first, and the last page has no cursor", async () => {
    expect(byStatus.open).toHaveLength(10);
    const got = await pages("mine=true&status=open&limit=5");
    expect(got.map((p) => p.ids.length)).toEqual([5, 5]);
    expect(got.flatMap((p) => p.ids)).toEqual(byStatus.open);
    expect(got.flatMap((p) => p.statuses).every((s) => s === "open")).toBe(true);
    expect(got.at(-1)!.cursor).toBeUndefined();
  });

  it("a page size that does not divide the matches ends with the remainder", async () => {
    const got = await pages("mine=true&status=submitted&limit=4");
    expect(byStatus.submitted.length).toBeGreaterThan(4);
    const sizes = got.map((p) => p.ids.length);
    expect(sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(got.flatMap((p) => p.ids)).toEqual(byStatus.submitted);
  });

  it("a status the resident has no wish in answers one empty page without a cursor", async () => {
    const got = await pages("mine=true&status=closed&limit=5");
    expect(got).toEqual([{ ids: [], statuses: [], cursor: undefined }]);
  });

  it("a cursor this list never gave out is a 400 naming the cursor, not a server error", async () => {
    const forged = Buffer.from(JSON.stringify({ pk: "W#nothing", sk: "W" })).toString("base64url");
    for (const cursor of [forged, "not-a-cursor"]) {
      const res = await api.call("GET", `/api/wishes?mine=true&status=open&limit=5&cursor=${cursor}`, { as: resident });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("request.bad_cursor");
    }
  });

  it("without a status, every wish comes once, newest first, in full pages", async () => {
    const got = await pages("mine=true&limit=7");
    const all = got.flatMap((p) => p.ids);
    expect(new Set(all).size).toBe(30);
    expect(got.slice(0, -1).every((p) => p.ids.length === 7)).toBe(true);
  });
});
