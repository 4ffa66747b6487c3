/**
 * The scale benchmark writes its wishes, claims and figures straight into the table. These tests
 * hold that data to what the application itself writes: the same attributes on a wish in each
 * state, on its claims and on the month figures as wishes driven through the API leave, and the
 * three measured routes answering a seeded table with exactly the seeded wishes and figures.
 */
import { QueryCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOpen, checkStats, checkTasks, previousMonth, writeAll, type Api } from "../../bench/scale.js";
import { makeCommunity, type SeededCommunity } from "../../bench/scale-data.js";
import * as Wish from "../../functions/core/wish.js";
import { issueToken } from "../../functions/core/identity.js";
import { monthOf } from "../../functions/core/period.js";
import { getItem, type Item } from "../../functions/store/client.js";
import { Keys } from "../../functions/store/keys.js";
import { community, newWish, secret, startApi, wishIn, type Api as TestApi, type TestCommunity } from "../helpers/api.js";

let api: TestApi;
let c: TestCommunity;
let seeded: SeededCommunity;
const made: Record<string, string> = {};

const states = ["open", "claimed", "in_progress", "completed", "confirmed", "closed", "rejected", "cancelled"] as const;
/** Attributes that a wish carries only when the person gave them (a window, a deadline, staff's rating). */
const optional = new Set(["window", "deadline", "staffRating"]);
const names = (item: Item) =>
  Object.keys(item)
    .filter((k) => !optional.has(k))
    .sort();

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 1 });
  for (const s of states) made[s] = await wishIn(api, c, s);
  // Expired: approved with a deadline that then passes, as the scheduled job finds it.
  const posted = await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id) });
  const deadline = new Date(Date.now() + 60_000).toISOString();
  await api.call("POST", `/api/wishes/${posted.body.id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60, deadline } });
  await Wish.expire(api.store, posted.body.id, new Date(Date.now() + 120_000));
  made.expired = posted.body.id;
  // Closed with minutes given and staff's rating, so the month figures count hours and ratings too.
  const rated = await wishIn(api, c, "confirmed");
  const verified = await api.call("POST", `/api/wishes/${rated}/verify`, {
    as: c.staff,
    body: { minutes: { [c.members[0].id]: 90 }, reason: "按实际服务时长补录", staffRating: 4 },
  });
  expect(verified.status).toBe(200);

  seeded = makeCommunity({ seed: 7, wishes: 400, members: 12, residents: 30, months: 24, now: Date.now() }, "测试");
  await writeAll(api.store, seeded.items[Symbol.iterator]());
});
afterAll(() => api?.close());

const claimsOf = async (wishId: string) =>
  (
    await api.store.doc.send(
      new QueryCommand({
        TableName: api.store.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :cl)",
        ExpressionAttributeValues: { ":pk": `W#${wishId}`, ":cl": "CL#" },
      }),
    )
  ).Items ?? [];

describe("seeded items have the shape the application gives them", () => {
  it.each([...states, "expired"])(
    "a wish that is %s: the same attributes, version and index keys as one driven through the API",
    async (status) => {
      const real = (await getItem(api.store, Keys.wish(made[status])))!;
      const twin = seeded.wishes.find((w) => w.status === status && w.slots === 1 && Boolean(w.approvedAt) === Boolean(real.approvedAt));
      expect(twin, `a seeded ${status} wish with one place`).toBeDefined();
      expect(names(twin!)).toEqual(names(real));
      expect(twin!.version).toBe(real.version);
      expect(twin!.gsi1pk).toBe(`C#${seeded.id}#S#${status}`);
      expect(real.gsi1pk).toBe(`C#${c.id}#S#${status}`);
      expect(twin!.gsi2pk).toBe(`U#${twin!.ownerId}`);
    },
  );

  it.each(["claimed", "in_progress", "closed"] as const)("a claim on a %s wish: the same attributes", async (status) => {
    const [real] = await claimsOf(made[status]);
    const twin = seeded.claims.find((x) => seeded.wishes.find((w) => w.id === x.wishId)?.status === status);
    expect(real).toBeDefined();
    expect(
      Object.keys(twin!)
        .filter((k) => k !== "dispatchedBy")
        .sort(),
    ).toEqual(Object.keys(real).sort());
    expect(Object.keys(twin!.checkIn ?? {}).sort()).toEqual(Object.keys(real.checkIn ?? {}).sort());
    expect(Object.keys(twin!.checkOut ?? {}).sort()).toEqual(Object.keys(real.checkOut ?? {}).sort());
  });

  it("the month figures and the all-time tally: every attribute the transitions move", async () => {
    const real = (await getItem(api.store, Keys.monthStats(c.id, monthOf(new Date()))))!;
    const seededNames = new Set([...seeded.months.values()].flatMap((m) => Object.keys(m)));
    expect([...seededNames].sort()).toEqual(Object.keys(real).sort());
    const tally = (await getItem(api.store, Keys.communityTally(c.id)))!;
    const seededTally = seeded.items.find((i) => i.pk === Keys.communityTally(seeded.id).pk && i.sk === "C")!;
    const general = (keys: string[]) =>
      keys
        .map((k) => k.replace(/^\d{4}(-Q\d)?#/, "<period>#"))
        .filter((k, i, all) => all.indexOf(k) === i)
        .sort();
    expect(general(Object.keys(seededTally))).toEqual(general(Object.keys(tally)));
  });
});

describe("the measured routes answer a seeded table with the seeded data", () => {
  const asApi = (): Api => ({
    get: async (path, token) => {
      const res = await api.call("GET", path, { as: token });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  });

  it("the open list, page by page, is exactly the community's open wishes, oldest first", async () => {
    const member = seeded.members[0];
    expect(seeded.counts.open).toBe(48);
    await checkOpen(asApi(), seeded, await issueToken(secret, member.id));
  });

  it("the member's tasks are their newest claims, with their wishes", async () => {
    const member = seeded.members[0];
    await checkTasks(asApi(), seeded, { id: member.id, token: await issueToken(secret, member.id) });
  });

  it("last month's figures are those of the wishes that closed in it", async () => {
    await checkStats(asApi(), seeded, previousMonth(Date.now()), await issueToken(secret, seeded.staff.id));
  });

  it("a check fails when the answer differs from the seeded data", async () => {
    const other = makeCommunity({ seed: 8, wishes: 400, members: 12, residents: 30, months: 24, now: Date.now() }, "别处");
    const token = await issueToken(secret, seeded.members[0].id);
    await expect(checkOpen(asApi(), { ...seeded, wishes: other.wishes }, token)).rejects.toThrow(/open list/);
  });
});
