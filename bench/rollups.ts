/**
 * Roll-ups: a county's figures at scale, how soon they move, and how the writes spread.
 *
 * 1. Reads at 10 vs 1,000 communities. Two counties in the run's DynamoDB Local: one with a street
 *    of 10 communities, one with 10 streets of 100 communities each. Units are made by the domain
 *    function (Units.create, as an administrator and staff would through POST /api/units); each
 *    community gets one month-stats item for this month written by the entity's own update (as a
 *    verification moves it), and the item as it then reads is handed to the roll-up keeper as the
 *    stream's INSERT record, so every roll-up item (shard counters, markers, standings) is the one
 *    the stream handler writes. Then `GET /api/units/:id/stats` and `/rankings?by=community` are
 *    timed through the real app on a real HTTP server, the two counties taking turns, one request
 *    at a time, each answer checked against the seeded minutes first.
 * 2. Verification → county figures: under the local server as `npm start` runs it (DynamoDB Local on
 *    disk, the stream poller), the demo community's staff verify 90 minutes of a wish through HTTP;
 *    the county's staff poll `GET /api/units/<county>/stats` every 20 ms until the minutes move.
 * 3. Hot partitions: 1,000 verifications spread over the 1,000-community county, each handed to the
 *    keeper as the four stream records a verification's transaction makes (the community's
 *    month-stats, its distinct-residents tally, the member's and the branch's tallies, each a
 *    MODIFY with the figures one verification adds). Every write the keeper sends is counted per
 *    partition key, the table's and the standings index's (an index partition is limited alike).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { marshall } from "@aws-sdk/util-dynamodb";
import { ulid } from "ulid";
import type { Actor } from "../functions/core/identity.js";
import { monthOf, quarterOf } from "../functions/core/period.js";
import * as Rollups from "../functions/core/rollups.js";
import * as Units from "../functions/core/units.js";
import { startLocal } from "../functions/local.js";
import { getItem, transact, type Item, type Store } from "../functions/store/client.js";
import * as monthStats from "../functions/store/entities/month-stats.js";
import { freshTable, inBatches, latencyRow, median, ms, percentile, person, ratio, serveApi, timeUntil, type Person } from "./lib.js";
import type { Row } from "./rows.js";

const readsEach = 60;
const readBudget = 1.2;
const verifications = 20;
const freshBudgetMs = 5_000;
const burst = 1_000;
const partitionLimit = 1_000;

const admin: Actor = {
  id: "bench-admin",
  name: "平台管理员",
  phone: "",
  lang: "zh-CN",
  named: true,
  admin: true,
  communities: [],
  units: [],
};

interface County {
  id: string;
  staff: Person;
  communities: string[];
  streets: string[];
  minutes: number;
  /** the most minutes of one community */
  best: number;
}

/** A county with `streets` streets of `each` communities, and this month's figures in each community, rolled up by the keeper. */
async function county(store: Store, name: string, streets: number, each: number, month: string): Promise<County> {
  const c = await Units.create(store, admin, { kind: "county", name });
  const staff = await person(store, `${name}组织部`);
  await Units.appoint(store, admin, c.id, { phone: staff.phone, name: staff.name });
  const streetIds = await inBatches(
    streets,
    10,
    async (i) => (await Units.create(store, admin, { kind: "street", name: `${name}${i + 1}街道`, parentId: c.id })).id,
  );
  const communities = (
    await inBatches(
      streets * each,
      20,
      async (i) =>
        (
          await Units.create(store, admin, { kind: "community", name: `${name}第${i + 1}社区`, parentId: streetIds[i % streets] })
        ).id,
    )
  ).filter(Boolean);
  const keeper = Rollups.keeper(store);
  let minutes = 0;
  const given = await inBatches(communities.length, 8, async (i) => {
    const id = communities[i];
    const m = 30 + ((i * 37) % 600);
    await transact(store, [
      monthStats.add(id, month, { submitted: 1, approved: 1, claimed: 1, closed: 1, minutes: m, entries: 1, residentsServed: 1 }),
    ]);
    const item = (await getItem(store, monthStats.key(id, month)))!;
    await keeper.apply({ eventID: randomBytes(8).toString("hex"), eventName: "INSERT", dynamodb: { NewImage: marshall(item) as any } });
    return m;
  });
  for (const m of given) minutes += m;
  return { id: c.id, staff, communities, streets: streetIds, minutes, best: Math.max(...given) };
}

/** What the store's reads cost, counted while `reading` is set: requests, items returned, read units DynamoDB Local reports. */
function readCounting(store: Store) {
  const count = { requests: 0, items: 0, units: 0 };
  let reading = false;
  const reads = new Set(["QueryCommand", "GetCommand", "BatchGetCommand"]);
  const doc = new Proxy(store.doc, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return async (command: any, ...rest: any[]) => {
        const name = command?.constructor?.name as string;
        if (!reading || !reads.has(name)) return (target.send as any)(command, ...rest);
        command.input.ReturnConsumedCapacity = "TOTAL";
        const out = await (target.send as any)(command, ...rest);
        count.requests++;
        if (name === "QueryCommand") count.items += out.Count ?? 0;
        else if (name === "GetCommand") count.items += out.Item ? 1 : 0;
        else for (const items of Object.values(out.Responses ?? {}) as unknown[][]) count.items += items.length;
        for (const c of [out.ConsumedCapacity ?? []].flat()) count.units += c.CapacityUnits ?? 0;
        return out;
      };
    },
  });
  return {
    store: { ...store, doc } as Store,
    /** the reads one call of `run` makes */
    async of(run: () => Promise<unknown>) {
      Object.assign(count, { requests: 0, items: 0, units: 0 });
      reading = true;
      try {
        await run();
      } finally {
        reading = false;
      }
      return { ...count };
    },
  };
}

type ReadCount = Awaited<ReturnType<ReturnType<typeof readCounting>["of"]>>;
const readsIn = (c: ReadCount) => `${c.requests} requests, ${c.items} items, ${Number(c.units.toFixed(1))} read units`;

async function reads(endpoint: string, month: string): Promise<{ rows: Row[]; notes: string[]; big: County; store: Store }> {
  const store = await freshTable(endpoint, "bench-rollups", 64);
  const t0 = performance.now();
  const small = await county(store, "留坝县", 1, 10, month);
  const big = await county(store, "汉台区", 10, 100, month);
  const seeded = (performance.now() - t0) / 1000;
  const counted = readCounting(store);
  const api = await serveApi(counted.store);
  try {
    const stats = (c: County) => api.call("GET", `/api/units/${c.id}/stats?period=${month}`, c.staff);
    // Timed with a page of 10, which both counties fill: the small one has only 10 communities, and a page of 20 against 10
    // would time the answer's length rather than the county's size. The default page's cost is counted beside it.
    const ranks = (c: County, limit = 10) =>
      api.call("GET", `/api/units/${c.id}/rankings?period=${month}&by=community&limit=${limit}`, c.staff);
    for (const c of [small, big]) {
      const s = await stats(c);
      if (s.status !== 200 || s.body.detail.minutes !== c.minutes || s.body.activities !== c.communities.length)
        throw new Error(`the county's figures are not the seeded ones: ${s.status} ${JSON.stringify(s.body).slice(0, 200)}`);
      const r = await ranks(c, 20);
      if (r.status !== 200 || r.body.items.length !== Math.min(20, c.communities.length) || r.body.items[0].minutes !== c.best)
        throw new Error(`the county's ranking is not the seeded one: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    // What each read asks of the table (the same every time: the data does not change while timed).
    const cost = {
      small: { stats: await counted.of(() => stats(small)), ranks: await counted.of(() => ranks(small)) },
      big: { stats: await counted.of(() => stats(big)), ranks: await counted.of(() => ranks(big)) },
    };
    const fullPage = { small: await counted.of(() => ranks(small, 20)), big: await counted.of(() => ranks(big, 20)) };
    const took = { small: { stats: [] as number[], ranks: [] as number[] }, big: { stats: [] as number[], ranks: [] as number[] } };
    const time = async (f: () => Promise<{ status: number }>, into: number[]) => {
      const t = performance.now();
      const res = await f();
      into.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`read answered ${res.status}`);
    };
    for (let i = 0; i < readsEach; i++) {
      const order: ("small" | "big")[] = i % 2 ? ["small", "big"] : ["big", "small"];
      for (const which of order) {
        const c = which === "small" ? small : big;
        await time(() => stats(c), took[which].stats);
        await time(() => ranks(c), took[which].ranks);
      }
    }
    const rows: Row[] = [];
    for (const [what, key] of [
      ["stats", "stats"],
      ["rankings?by=community&limit=10", "ranks"],
    ] as const) {
      const s = took.small[key];
      const b = took.big[key];
      const r = median(b) / median(s);
      rows.push({
        name: `rollups: county ${what}, 1,000 vs 10 communities`,
        figure:
          `1,000: p50 ${ms(median(b))}, p95 ${ms(percentile(b, 95))}; 10: p50 ${ms(median(s))}, p95 ${ms(percentile(s, 95))}; ` +
          `p50 ratio ${ratio(r)}; each read: ${readsIn(cost.big[key])} at 1,000, ${readsIn(cost.small[key])} at 10` +
          (key === "ranks" ? ` (a page of 20: ${readsIn(fullPage.big)} at 1,000, ${readsIn(fullPage.small)} at 10)` : ""),
        budget: `ratio ≤ ${readBudget}`,
        holds: r <= readBudget,
      });
    }
    return {
      rows,
      big,
      store,
      notes: [
        `rollups (reads): two counties, one street of 10 communities and 10 streets of 100, made by Units.create; ` +
          `each community's month-stats item written by its entity's update and handed to the roll-up keeper as a stream INSERT ` +
          `(seeded in ${Math.round(seeded)} s). ${readsEach} reads of each route for each county through HTTP, one at a time, ` +
          `the counties taking turns, as the county's staff; ` +
          `answers checked against the seeded minutes and community count first. The machine is shared (2 cores, other work running). ` +
          `Each read's cost counted once per route and county: the table reads of the whole request (the caller, the unit, the ` +
          `figures), items returned and the read units DynamoDB Local reports for them.`,
      ],
    };
  } finally {
    await api.close();
  }
}

/** Counts every write the store sends, by partition key of the table and of the standings index. */
function counting(store: Store) {
  const writes = new Map<string, number>();
  const seen: string[] = [];
  let keep = false;
  const note = (pk: unknown, what: string) => {
    if (typeof pk !== "string") return;
    writes.set(pk, (writes.get(pk) ?? 0) + 1);
    if (keep) seen.push(what);
  };
  const item = (i: Item, how: string) => {
    note(i.pk, `${how} ${i.pk} / ${i.sk}`);
    if (i.gsi3pk) note(`index ${i.gsi3pk}`, `  + index partition ${i.gsi3pk}`);
  };
  const doc = new Proxy(store.doc, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return (command: any, ...rest: any[]) => {
        const name = command?.constructor?.name as string;
        const input = command?.input ?? {};
        if (name === "TransactWriteCommand") {
          for (const t of input.TransactItems ?? []) {
            if (t.Put) item(t.Put.Item, "transaction put");
            if (t.Update) item(t.Update.Key, "transaction update");
          }
        } else if (name === "BatchWriteCommand") {
          for (const r of Object.values(input.RequestItems ?? {}).flat() as any[]) if (r.PutRequest) item(r.PutRequest.Item, "batch put");
        } else if (name === "PutCommand") item(input.Item, "put");
        else if (name === "UpdateCommand") item(input.Key, "update");
        return (target.send as any)(command, ...rest);
      };
    },
  });
  return {
    store: { ...store, doc } as Store,
    writes,
    /** what `run` wrote, line by line */
    async record(run: () => Promise<void>) {
      keep = true;
      seen.length = 0;
      try {
        await run();
      } finally {
        keep = false;
      }
      return [...seen];
    },
  };
}

async function hotPartitions(base: Store, big: County, month: string): Promise<{ rows: Row[]; notes: string[] }> {
  const counted = counting(base);
  const keeper = Rollups.keeper(counted.store);
  const quarter = quarterOf(month);
  const year = month.slice(0, 4);
  const minutes = new Map<string, number>();
  const tally = new Map<string, number>();
  const member = (i: number) => `m-${i % 997}`;
  // Branch ids are ulids, as Community.create makes them: one branch per community here.
  const branchOf = new Map(big.communities.map((c) => [c, ulid()]));
  const mod = (type: string, fields: Item, before: Item) => ({
    eventID: randomBytes(8).toString("hex"),
    eventName: "MODIFY",
    dynamodb: { NewImage: marshall({ type, ...fields }) as any, OldImage: marshall({ type, ...before }) as any },
  });
  /** The four records one verification of 60 minutes makes in community `c` for member `m`. */
  const recordsOf = async (i: number) => {
    const c = big.communities[(i * 7919) % big.communities.length];
    const m = member(i);
    const stats = (await getItem(base, monthStats.key(c, month)))!;
    const next = { ...stats, closed: (stats.closed ?? 0) + 1, minutes: (stats.minutes ?? 0) + 60, entries: (stats.entries ?? 0) + 1 };
    await transact(base, [monthStats.add(c, month, { closed: 1, minutes: 60, entries: 1 })]);
    const had = minutes.get(`${c}#${m}`) ?? 0;
    minutes.set(`${c}#${m}`, had + 60);
    const d = tally.get(c) ?? 0;
    tally.set(c, d + 1);
    const dr = (n: number) => ({
      [`${month}#distinctResidents`]: n,
      [`${quarter}#distinctResidents`]: n,
      [`${year}#distinctResidents`]: n,
    });
    const ct = { pk: `CT#${c}`, sk: "T", communityId: c };
    const ht = (n: number) => ({
      pk: `U#${m}`,
      sk: `HT#${c}`,
      communityId: c,
      memberId: m,
      name: `志愿者${m}`,
      [`${month}#minutes`]: n,
      [`${month}#entries`]: n / 60,
    });
    const bt = (n: number) => ({
      pk: `CT#${c}`,
      sk: `BT#${branchOf.get(c)}`,
      communityId: c,
      branchId: branchOf.get(c),
      [`${month}#minutes`]: n,
      [`${month}#entries`]: n / 60,
    });
    return [
      mod("month-stats", next, stats),
      mod("community-tally", { ...ct, ...dr(d + 1) }, { ...ct, ...dr(d) }),
      mod("member-tally", ht(had + 60), ht(had)),
      mod("branch-tally", bt(had + 60), bt(had)),
    ];
  };
  // The first verification's writes, line by line (its community's place looked up once before, as a warm handler has it).
  const first = await recordsOf(0);
  const shown = await counted.record(async () => {
    for (const r of first) await keeper.apply(r);
  });
  await inBatches(burst - 1, 8, async (i) => {
    for (const r of await recordsOf(i + 1)) await keeper.apply(r);
  });
  const byKey = [...counted.writes.entries()].sort((a, b) => b[1] - a[1]);
  const [hotKey, hot] = byKey[0];
  const shardCounts = byKey.filter(([k]) => k.startsWith(`RS#${big.id}#`)).map(([, n]) => n);
  const perVerification = [...counted.writes.values()].reduce((s, n) => s + n, 0) / burst;
  const rows: Row[] = [
    {
      name: `rollups: busiest partition, ${burst.toLocaleString("en")} verifications across a county within 1 s`,
      figure:
        `${hot} writes/s to ${hotKey.replace(big.id, "<county>")}; the county's counter shards ` +
        `${Math.min(...shardCounts)}–${Math.max(...shardCounts)} each; ` +
        `${perVerification.toFixed(1)} table and index writes per verification over ${counted.writes.size.toLocaleString("en")} keys`,
      budget: `≤ ${partitionLimit} writes/s per partition`,
      holds: hot <= partitionLimit,
    },
  ];
  return {
    rows,
    notes: [
      `rollups (hot partitions): ${burst} verifications of 60 minutes over the 1,000-community county, each handed to the keeper as four ` +
        `MODIFY records (month-stats, community distinct-residents tally, member tally, branch tally); ` +
        `every write the keeper sends counted per partition key (the standings index's partitions too), ` +
        `and all ${burst} taken to land within one second (the worst case; ` +
        `a stream shard's records are applied one batch after another, so a real burst spreads further). Counter updates are ` +
        `transactional (2 write units each), so the write units of the hottest counter shard are at most twice its count.`,
      `rollups: the writes of one verification (keys with the county's id as <county>):`,
      ...shown.map((l) => `    ${l.replaceAll(big.id, "<county>")}`),
    ],
  };
}

async function freshness(): Promise<{ rows: Row[]; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "microwish-bench-rollups-"));
  const webDir = mkdtempSync(join(tmpdir(), "microwish-bench-web-"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Microwish</title>");
  const local = await startLocal({ dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true });
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(local.url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  try {
    const demo = await call("GET", "/api/dev/demo");
    const countyId = demo.units.find((u: any) => u.kind === "county").id as string;
    const at = (role: string, unitId?: string) =>
      demo.people.find((p: any) => p.role === role && (unitId ? p.unitId === unitId : !p.communityId && !p.unitId));
    const countyStaff = at("staff", countyId);
    const staff = at("staff", demo.communityId);
    const resident = at("resident");
    const member = at("member");
    const month = monthOf(new Date());
    const minutesNow = async () =>
      (await call("GET", `/api/units/${countyId}/stats?period=${month}`, countyStaff.token)).detail.minutes as number;
    const place = { lat: 33.0676, lng: 107.0238 };
    const took: number[] = [];
    for (let i = 0; i < verifications; i++) {
      const wish = await call("POST", "/api/wishes", resident.token, {
        communityId: demo.communityId,
        category: "repair",
        title: `换灯泡 ${i + 1}`,
        description: "楼道灯坏了，想请人帮忙换一下。",
        address: "幸福里3号楼",
        location: place,
      });
      await call("POST", `/api/wishes/${wish.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 60 });
      await call("POST", `/api/wishes/${wish.id}/claim`, member.token);
      await call("POST", `/api/wishes/${wish.id}/check-in`, member.token, { ...place, accuracy: 20 });
      await call("POST", `/api/wishes/${wish.id}/check-out`, member.token, { ...place, accuracy: 20 });
      await call("POST", `/api/wishes/${wish.id}/complete`, member.token, { note: "换好了" });
      await call("POST", `/api/wishes/${wish.id}/confirm`, resident.token, { rating: 5, comment: "谢谢" });
      // The steps before move other figures; wait until they have passed through, so only the verification moves the minutes.
      let before = await minutesNow();
      for (let settled = 0; settled < 3; ) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await minutesNow();
        settled = now === before ? settled + 1 : 0;
        before = now;
      }
      await call("POST", `/api/wishes/${wish.id}/verify`, staff.token, { minutes: { [member.id]: 90 }, reason: "按实际服务时长" });
      took.push(await timeUntil(async () => (await minutesNow()) !== before, `verification ${i + 1} reaching the county`));
    }
    return {
      rows: [latencyRow("rollups: verification → county figures moved", took, freshBudgetMs, "verifications")],
      notes: [
        `rollups (freshness): under the local server as \`npm start\` runs it (DynamoDB Local on disk, the stream poller asking every ` +
          `250 ms), ${verifications} wishes of the demo community taken to confirmed through HTTP, then verified with 90 minutes; timed ` +
          `from the verification's answer to GET /api/units/<county>/stats (as the county's staff, every 20 ms) showing the new minutes.`,
      ],
    };
  } finally {
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  }
}

export async function rollupRows(opts: { endpoint: string }): Promise<{ rows: Row[]; notes: string[] }> {
  const month = monthOf(new Date());
  const read = await reads(opts.endpoint, month);
  const hot = await hotPartitions(read.store, read.big, month);
  const fresh = await freshness();
  return { rows: [...read.rows, ...fresh.rows, ...hot.rows], notes: [...read.notes, ...fresh.notes, ...hot.notes] };
}
