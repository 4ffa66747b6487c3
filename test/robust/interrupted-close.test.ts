/**
 * A close too large for one transaction (a team of 48 with staff's minutes: 103 items) that a
 * crash cuts off after its first transaction leaves the wish closed with `crediting` under way
 * and some volunteers without their hours. The verify event is already in the timeline, so the
 * stream hands it to the handler after any restart: the handler finishes the crediting, and
 * nobody has to know to press verify again. Handing the same event twice credits nobody twice.
 */
import { beginsWith } from "../../functions/store/expression.js";
import { TransactWriteCommand } from "../../functions/aws/dynamodb.js";
import { marshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Claims from "../../functions/core/claims.js";
import * as Community from "../../functions/core/community.js";
import * as Hours from "../../functions/core/hours.js";
import { loadActor, type Actor } from "../../functions/core/identity.js";
import * as Wish from "../../functions/core/wish.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { getItem, queryAll, type Store } from "../../functions/store/client.js";
import { Keys } from "../../functions/store/keys.js";
import { community, person, somewhere, startApi, type Api, type TestCommunity } from "../helpers/api.js";

const size = 48;
const minutes = (i: number) => 40 + (i % 7);

let api: Api;
let c: TestCommunity;
let team: Actor[];
let staff: Actor;
let resident: Actor;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 0, residents: 1, name: "大社区" });
  team = [];
  for (let i = 0; i < size; i += 12) {
    team.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(12, size - i) }, async (_, j) => {
          const m = await person(api.store, `队员${i + j + 1}`);
          await Community.appoint(api.store, {
            communityId: c.id,
            userId: m.id,
            name: m.name,
            roles: ["member"],
            branchId: c.branches[(i + j) % 2].id,
          });
          return (await loadActor(api.store, m.id))!;
        }),
      )),
    );
  }
  staff = (await loadActor(api.store, c.staff.id))!;
  resident = (await loadActor(api.store, c.residents[0].id))!;
}, 120_000);
afterAll(() => api.close());

/** A document client whose transactions fail for good after the first `n`, as a process killed mid-close would leave things. */
function dyingAfter(store: Store, n: number): Store {
  let seen = 0;
  const doc = new Proxy(store.doc, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return async (command: any) => {
        if (command instanceof TransactWriteCommand && ++seen > n) throw new Error("killed");
        return target.send(command);
      };
    },
  });
  return { table: store.table, doc };
}

/** The verify event as the table's stream delivers it (Lambda's shape, as the local poller hands it too). */
function streamRecord(event: Record<string, unknown>, sequence: string) {
  return {
    eventName: "INSERT" as const,
    dynamodb: { NewImage: marshall(event, { removeUndefinedValues: true }) as any, SequenceNumber: sequence },
  };
}

describe("a close cut off between its transactions", () => {
  it("is finished by the stream handler, every volunteer credited once", { timeout: 120_000 }, async () => {
    const { wish } = await Wish.create(api.store, resident, {
      communityId: c.id,
      category: "farming",
      title: "菌棒上架",
      description: "四十八人的大活",
      location: somewhere,
    });
    await Wish.approve(api.store, staff, wish.id, { slots: size, estimatedMinutes: 60 });
    await Claims.dispatch(api.store, staff, wish.id, { memberIds: team.map((m) => m.id) });
    for (let i = 0; i < size; i += 12)
      await Promise.all(team.slice(i, i + 12).map((m) => Claims.checkIn(api.store, m, wish.id, somewhere)));
    await Claims.complete(api.store, team[0], wish.id, { note: "全部上架" });
    await Wish.confirm(api.store, resident, wish.id, { rating: 5 });
    const given = Object.fromEntries(team.map((m, i) => [m.id, minutes(i)]));
    const total = team.reduce((s, _, i) => s + minutes(i), 0);

    await expect(Hours.verify(dyingAfter(api.store, 1), staff, wish.id, { minutes: given, reason: "按签到表核定" })).rejects.toThrow(
      "killed",
    );
    const half = await Wish.load(api.store, wish.id);
    expect({ status: half.status, done: half.crediting?.done, chunks: half.crediting?.chunks?.length }).toEqual({
      status: "closed",
      done: 1,
      chunks: 2,
    });
    const firstChunk = half.crediting!.chunks[0];
    expect((await getItem(api.store, Keys.communityTally(c.id)))?.entries).toBe(firstChunk);

    const verifyEvent = (await queryAll(api.store, { pk: Keys.wish(wish.id).pk, sk: beginsWith("E#") })).find((e) => e.kind === "verify")!;
    const handler = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
    // Handed twice, as an at-least-once stream may after a restart.
    expect(await handler({ Records: [streamRecord(verifyEvent, "1")] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [streamRecord(verifyEvent, "1")] })).toEqual({ batchItemFailures: [] });

    const closed = await Wish.load(api.store, wish.id);
    expect(closed.crediting).toBeUndefined();
    const entries = await Promise.all(team.map((m) => getItem(api.store, Keys.ledger(m.id, wish.id))));
    expect(entries.map((e) => e?.minutes ?? 0)).toEqual(team.map((_, i) => minutes(i)));
    const tallies = await Promise.all(team.map((m) => getItem(api.store, Keys.memberTally(m.id, c.id))));
    expect(tallies.map((t) => [t?.totalMinutes, t?.entries])).toEqual(team.map((_, i) => [minutes(i), 1]));
    const community = await getItem(api.store, Keys.communityTally(c.id));
    expect({ minutes: community?.totalMinutes, entries: community?.entries, closed: community?.closed }).toEqual({
      minutes: total,
      entries: size,
      closed: 1,
    });
    const branches = await Promise.all(c.branches.map((b) => getItem(api.store, Keys.branchTally(c.id, b.id))));
    expect(branches.reduce((s, b) => s + (b?.totalMinutes ?? 0), 0)).toBe(total);
    // Each volunteer is told of their hours once.
    const told = await Promise.all(team.map((m) => getItem(api.store, Keys.notification(m.id, verifyEvent.id))));
    expect(told.filter((n) => n?.kind === "task-verified").length).toBe(size);
  });
});
