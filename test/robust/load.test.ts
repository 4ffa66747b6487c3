/**
 * Load: residents, members and staff at once against the server as `npm start` runs it, on a
 * fresh data directory, over loopback. Every request is answered (no socket errors, no timeouts,
 * no 5xx), the only refusals are the 409s a crowd claiming the same wishes should get, and
 * afterwards every acknowledged write is there and the wishes and figures hold together.
 * Latency is printed, never asserted. 60 s with ROBUST=full, 10 s otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkAcks,
  checkFigures,
  checkWishes,
  cleanUp,
  dataDir,
  demo,
  full,
  readWishes,
  Answers,
  startLoad,
  startServer,
  webDir,
  type Demo,
  type Server,
} from "./workload.js";

const seconds = full ? 60 : 10;
const connections = full ? 16 : 8;
const lifecycles = full ? 4 : 2;

let server: Server;
let people: Demo;

beforeAll(async () => {
  server = await startServer(dataDir(), webDir());
  people = await demo(server.url);
}, 180_000);

afterAll(async () => {
  await server?.stop().catch(() => {});
  cleanUp();
});

describe("under load", () => {
  it(`answers every request of a ${seconds} s mixed workload, and loses nothing`, { timeout: seconds * 1000 + 120_000 }, async () => {
    const rec = new Answers();
    const figures = await startLoad(server.url, people, rec, { seconds, connections, lifecycles }).done;
    const writes = rec.acks.length;
    console.log(
      [
        `load: ${figures.requests} requests in ${figures.seconds} s over ${figures.connections} connections ` +
          `(${Math.round(figures.throughput)} req/s) + ${figures.lifecycles} full lifecycles beside them`,
        `latency (ms): p50 ${figures.p50}, p90 ${figures.p90}, p99 ${figures.p99}, max ${figures.max}`,
        `errors ${figures.errors}, timeouts ${figures.timeouts}`,
        `statuses: ${JSON.stringify(rec.byStatus())}`,
        `acknowledged writes: ${writes}`,
      ].join("\n"),
    );
    expect({ errors: figures.errors, timeouts: figures.timeouts, failures: rec.failures }).toEqual({
      errors: 0,
      timeouts: 0,
      failures: [],
    });
    expect(Object.keys(figures.statuses).filter((s) => s >= "500")).toEqual([]);
    expect(rec.unexpected).toEqual([]);
    expect(figures.lifecycles).toBeGreaterThan(0);
    expect(rec.acks.filter((a) => a.step === "claim").length).toBeGreaterThan(0);

    const wishes = await readWishes(server.store, people.communityId, rec.acks);
    expect(await checkAcks(server.store, rec.acks, wishes)).toEqual([]);
    expect(await checkWishes(server.store, wishes)).toEqual([]);
    expect(await checkFigures(server.store, people, wishes)).toEqual([]);
    console.log(`checked: ${writes} acknowledged writes, ${wishes.size} wishes`);
  });
});
