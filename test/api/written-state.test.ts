/**
 * Every lifecycle step answers with the wish as the step left it, even when DynamoDB's
 * eventually consistent reads lag behind. The store here plays a replica one write behind:
 * before each write to a wish's partition it keeps the partition as it stood, and answers any
 * eventually consistent read of that partition from that copy, as a DynamoDB replica that has
 * not yet caught up would. A step that read its answer back that way would answer with the wish
 * as it was before the step; each answer below must show the step just made.
 */
import { QueryCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Wish from "../../functions/core/wish.js";
import { loadActor } from "../../functions/core/identity.js";
import type { Item } from "../../functions/store/client.js";
import { community, newWish, somewhere, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
/** Each wish partition as the lagging replica shows it: as it stood before its latest write. */
const replica = new Map<string, Item[]>();
let staleAnswers = 0;

function lagBehind(a: Api) {
  const real = a.store.doc;
  const send = real.send.bind(real) as (command: any) => Promise<any>;
  const current = async (pk: string) =>
    (
      await send(
        new QueryCommand({
          TableName: a.store.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const touched = (command: any): string[] => {
    const input = command.input ?? {};
    const ops = input.TransactItems ?? [{ Put: input.Item && { Item: input.Item }, Update: input.Key && { Key: input.Key } }];
    return ops
      .flatMap((op: any) => Object.values(op ?? {}).map((o: any) => o?.Item?.pk ?? o?.Key?.pk))
      .filter((pk: unknown): pk is string => typeof pk === "string" && pk.startsWith("W#"));
  };
  const lagging = Object.create(real);
  lagging.send = async (command: any) => {
    const name = command.constructor?.name;
    const input = command.input ?? {};
    if (name === "QueryCommand" && !input.ConsistentRead && !input.IndexName) {
      const pk = Object.values(input.ExpressionAttributeValues ?? {}).find((v) => typeof v === "string" && v.startsWith("W#"));
      if (typeof pk === "string" && replica.has(pk)) {
        staleAnswers++;
        const items = structuredClone(replica.get(pk)!);
        return { Items: items, Count: items.length, ScannedCount: items.length, $metadata: {} };
      }
    }
    if (["TransactWriteCommand", "PutCommand", "UpdateCommand", "DeleteCommand"].includes(name)) {
      for (const pk of new Set(touched(command))) replica.set(pk, await current(pk));
    }
    return send(command);
  };
  a.store.doc = lagging;
}

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 1 });
  lagBehind(api);
}, 60_000);
afterAll(() => api?.close());

const kinds = (body: any) => body.timeline.map((e: { kind: string }) => e.kind);
const last = (body: any) => body.timeline[body.timeline.length - 1];

describe("answers from the state the step wrote", () => {
  it("the replica in this test does lag: an eventually consistent read straight after a step shows the wish as it was", async () => {
    const owner = c.residents[0];
    const posted = await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id) });
    expect(posted.status).toBe(201);
    const approved = await api.call("POST", `/api/wishes/${posted.body.id}/approve`, {
      as: c.staff,
      body: { slots: 1, estimatedMinutes: 30 },
    });
    expect(approved.status).toBe(200);
    const before = staleAnswers;
    const staff = (await loadActor(api.store, c.staff.id))!;
    const stale = await Wish.view(api.store, staff, posted.body.id);
    expect(staleAnswers).toBe(before + 1);
    expect(stale.status).toBe("submitted");
    expect(approved.body.status).toBe("open");
  });

  it("every step of a wish's life answers with the step just made: status, version, timeline and claims", async () => {
    const owner = c.residents[0];
    const [m1, m2] = c.members;
    const posted = await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id) });
    const id = posted.body.id as string;
    const code = posted.body.handshakeCode as string;
    let version = posted.body.version as number;
    const step = async (name: string, as: any, body: unknown, status: string, kind: string) => {
      const res = await api.call("POST", `/api/wishes/${id}/${name}`, { as, body });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.status, name).toBe(status);
      expect(res.body.version, name).toBe(++version);
      expect(last(res.body).kind, name).toBe(kind);
      return res.body;
    };
    await step("approve", c.staff, { slots: 2, estimatedMinutes: 60 }, "open", "approve");
    const claimed = await step("claim", m1, undefined, "open", "claim");
    expect(claimed.claimed).toBe(1);
    expect(claimed.claims.map((x: { memberId: string }) => x.memberId)).toEqual([m1.id]);
    const dispatched = await step("dispatch", c.staff, { memberIds: [m2.id] }, "claimed", "dispatch");
    expect(dispatched.claimed).toBe(2);
    expect(dispatched.claims.map((x: { memberId: string }) => x.memberId).sort()).toEqual([m1.id, m2.id].sort());
    const declined = await step("decline", m2, {}, "open", "decline");
    expect(declined.claimed).toBe(1);
    expect(declined.claims.map((x: { memberId: string }) => x.memberId)).toEqual([m1.id]);
    const checkedIn = await step("check-in", m1, somewhere, "in_progress", "check-in");
    expect(checkedIn.claims[0].checkIn).toMatchObject({ lat: somewhere.lat });
    const out = await step("check-out", m1, { ...somewhere, code }, "in_progress", "check-out");
    expect(out.claims[0].checkOut).toMatchObject({ lat: somewhere.lat });
    const done = await step("complete", m1, { note: "修好了" }, "completed", "complete");
    expect(done.completionNote).toBe("修好了");
    await step("dispute", owner, { reason: "还在滴水" }, "in_progress", "dispute");
    await step("complete", m1, { note: "换了阀芯" }, "completed", "complete");
    const confirmed = await step("confirm", owner, { rating: 4, comment: "谢谢" }, "confirmed", "confirm");
    expect(confirmed.rating).toBe(4);
    const closed = await step("verify", c.staff, {}, "closed", "verify");
    expect(kinds(closed)).toEqual([
      "submit",
      "approve",
      "claim",
      "dispatch",
      "decline",
      "check-in",
      "check-out",
      "complete",
      "dispute",
      "complete",
      "confirm",
      "verify",
    ]);
    // And the table holds what the answers said.
    const staff = (await loadActor(api.store, c.staff.id))!;
    const stored = await Wish.viewOf(staff, id, await Wish.readPartition(api.store, id));
    expect(stored.status).toBe("closed");
    expect(stored.version).toBe(version);
    expect(kinds(stored)).toEqual(kinds(closed));
  });

  it("extending a claim and handing it over answer with the claim extended, then held by the member who asked", async () => {
    const owner = c.residents[0];
    const [holder, taker] = c.members;
    const memberIds = (body: any) => body.claims.map((x: { memberId: string }) => x.memberId);
    // The window started two minutes ago: the claim is stalled but not yet lapsed.
    const started = Date.now() - 2 * 60_000;
    const window = { from: new Date(started).toISOString(), to: new Date(started + 3_600_000).toISOString() };
    const id = (await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id, { window }) })).body.id;
    await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } });
    const claimed = await api.call("POST", `/api/wishes/${id}/claim`, { as: holder });
    expect(memberIds(claimed.body)).toEqual([holder.id]);
    expect(claimed.body.claims[0].extendedAt).toBeUndefined();

    const extended = await api.call("POST", `/api/wishes/${id}/extend`, { as: holder });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body.claims[0].extendedAt).toEqual(expect.any(String));
    expect(last(extended.body).kind).toBe("extend");

    const asked = await api.call("POST", `/api/wishes/${id}/takeover`, { as: taker, body: {} });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.takeovers.map((t: { memberId: string }) => t.memberId)).toEqual([taker.id]);

    const handed = await api.call("POST", `/api/wishes/${id}/takeover/${taker.id}/approve`, { as: c.staff });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(memberIds(handed.body)).toEqual([taker.id]);
    expect(handed.body.takeovers).toBeUndefined();
    expect(last(handed.body).kind).toBe("takeover");
  });

  it("reject and cancel answer with the wish rejected or cancelled", async () => {
    const owner = c.residents[0];
    const a = (await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id) })).body.id;
    const rejected = await api.call("POST", `/api/wishes/${a}/reject`, { as: c.staff, body: { reason: "不在服务范围" } });
    expect([rejected.status, rejected.body.status, last(rejected.body).kind]).toEqual([200, "rejected", "reject"]);
    const b = (await api.call("POST", "/api/wishes", { as: owner, body: newWish(c.id) })).body.id;
    await api.call("POST", `/api/wishes/${b}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 30 } });
    const claimed = await api.call("POST", `/api/wishes/${b}/claim`, { as: c.members[0] });
    expect([claimed.body.status, claimed.body.claims.length]).toEqual(["claimed", 1]);
    const released = await api.call("POST", `/api/wishes/${b}/release`, { as: c.members[0], body: {} });
    expect([released.status, released.body.status, released.body.claimed, released.body.claims]).toEqual([200, "open", 0, []]);
    const cancelled = await api.call("POST", `/api/wishes/${b}/cancel`, { as: owner, body: { reason: "不需要了" } });
    expect([cancelled.status, cancelled.body.status, last(cancelled.body).kind]).toEqual([200, "cancelled", "cancel"]);
  });
});
