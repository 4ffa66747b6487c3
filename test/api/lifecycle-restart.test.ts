/**
 * `npm start` keeps what people did: the local server on DynamoDB Local on disk, stopped and
 * started again on the same data directory, still has the wish, its timeline and the sign-ins.
 * These tests start their own DynamoDB Local JVMs (on disk, not the run's shared in-memory one),
 * hence the long timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startLocal } from "../../functions/local.js";
import { newWish } from "../helpers/api.js";

type Local = Awaited<ReturnType<typeof startLocal>>;

const dirs: string[] = [];
let running: Local | undefined;
afterAll(async () => {
  await running?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text,
  };
}

describe("local server restart", () => {
  it("keeps the demo, a resident's new wish with its timeline, and the resident's token", { timeout: 120_000 }, async () => {
    const dataDir = tempDir("microwish-data-");
    const webDir = tempDir("microwish-web-");
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>微心愿测试页</title>");
    const options = { dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true };

    const first = (running = await startLocal(options));
    expect(first.seeded).toBe(true);
    expect(first.created).toBe(true);
    const page = await call(first.url, "GET", "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("微心愿测试页");

    const demo = await call(first.url, "GET", "/api/dev/demo");
    expect(demo.status).toBe(200);
    const resident = demo.body.people.find((p: any) => p.role === "resident");
    expect(resident?.token).toEqual(expect.any(String));
    // The demo is a county: two towns, three communities (the demo community under its old id), grids with leaders.
    const kinds = (kind: string) => demo.body.units.filter((u: any) => u.kind === kind);
    expect(kinds("county")).toHaveLength(1);
    expect(kinds("street")).toHaveLength(2);
    expect(kinds("community").map((u: any) => u.id)).toContain("demo-xingfuli");
    expect(kinds("community").length).toBeGreaterThanOrEqual(3);
    expect(kinds("grid").length).toBeGreaterThanOrEqual(1);
    const staffOf = demo.body.people.filter((p: any) => p.role === "staff").map((p: any) => p.unitId);
    for (const u of [...kinds("county"), ...kinds("street"), ...kinds("community")]) expect(staffOf).toContain(u.id);
    expect(demo.body.people.some((p: any) => p.gridLeader && p.role === "member")).toBe(true);
    const posted = await call(
      first.url,
      "POST",
      "/api/wishes",
      resident.token,
      newWish(demo.body.communityId, { title: "重启之前发的心愿" }),
    );
    expect(posted.status).toBe(201);
    expect(posted.body.gridId).toBe("demo-grid-1");
    const id = posted.body.id as string;
    const before = await call(first.url, "GET", `/api/wishes/${id}`, resident.token);
    expect(before.status).toBe(200);
    expect(before.body.timeline.map((e: any) => e.kind)).toEqual(["submit"]);

    await first.stop();
    running = undefined;
    // The first server is gone: nothing answers on its address any more.
    await expect(fetch(`${first.url}/api/health`)).rejects.toThrow();

    const second = (running = await startLocal(options));
    expect(second.seeded).toBe(false);
    expect(second.created).toBe(false);
    // The token from the first run: the signing secret lives in the data directory.
    const me = await call(second.url, "GET", "/api/me", resident.token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(resident.id);
    const after = await call(second.url, "GET", `/api/wishes/${id}`, resident.token);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    const mine = await call(second.url, "GET", "/api/wishes?mine=true", resident.token);
    expect(mine.body.items.map((w: any) => w.id)).toContain(id);
    const demoAgain = await call(second.url, "GET", "/api/dev/demo");
    expect(demoAgain.body.people.map((p: any) => p.id)).toEqual(demo.body.people.map((p: any) => p.id));

    await second.stop();
    running = undefined;
  });

  it("refuses a port that is in use, naming it", async () => {
    const blocker = net.createServer();
    await new Promise<void>((ready) => blocker.listen(0, "127.0.0.1", () => ready()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const outcome = await startLocal({
        dataDir: tempDir("microwish-busy-"),
        port,
        host: "127.0.0.1",
        table: "microwish",
        webDir: tempDir("microwish-web-"),
        quiet: true,
      }).then(
        async (local) => {
          await local.stop(); // it should not have started; do not leave a JVM behind if it did
          return undefined;
        },
        (err: Error) => err,
      );
      expect(outcome?.message).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
