/**
 * `npm start` delivers: the local server reads DynamoDB Local's stream and runs the scheduled jobs,
 * so a member who claims a wish finds the SMS in the dev outbox (the time it took is printed, and
 * `npm run bench` holds it to two seconds), and a restart
 * on the same data neither sends old messages again nor misses new ones; pointed at an SNS endpoint
 * (SNS_ENDPOINT), it publishes there instead. Starts its own DynamoDB Local on disk, as `npm start` does.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startLocal } from "../../functions/local.js";
import { startSnsDouble } from "./sns-double.js";

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
  return { status: res.status, body: await res.json() };
}

async function waitFor<T>(what: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await what();
    if (found !== undefined || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("notifications under npm start", () => {
  it("a claim's SMS reaches the dev outbox; the jobs run; a restart neither repeats nor misses", { timeout: 120_000 }, async () => {
    const sns = await startSnsDouble();
    const dataDir = tempDir("microwish-notify-");
    const webDir = tempDir("microwish-web-");
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>t</title>");
    const options = { dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true };

    const first = (running = await startLocal({ ...options, jobsEveryMs: 300 }));
    const demo = (await call(first.url, "GET", "/api/dev/demo")).body;
    const staff = demo.people.find((p: any) => p.role === "staff");
    const resident = demo.people.find((p: any) => p.role === "resident");
    const [liMing, zhangWei] = demo.people.filter((p: any) => p.role === "member");
    const outbox = async (phone: string) => (await call(first.url, "GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body as any[];

    // The seed is history, not news: nothing of it was sent, though 李明 holds a seeded claim.
    expect(await outbox(liMing.phone)).toEqual([]);
    expect((await call(first.url, "GET", "/api/notifications", liMing.token)).body).toEqual({ items: [], unread: 0 });

    const open = (await call(first.url, "GET", `/api/wishes?communityId=${demo.communityId}&status=open`, staff.token)).body.items;
    const wish = open.find((w: any) => w.title === "周末陪老人聊聊天");
    const claimedAt = Date.now();
    expect((await call(first.url, "POST", `/api/wishes/${wish.id}/claim`, zhangWei.token)).status).toBe(200);
    // The poller asks the stream every few hundred milliseconds: the text lands in well under two
    // seconds on a quiet machine (`npm run bench` reports it). Here it must arrive; how fast is printed.
    const sms = await waitFor(async () => (await outbox(zhangWei.phone)).find((m) => m.kind === "task-confirmed"), 10_000);
    expect(sms, "the claim's SMS in the outbox").toBeDefined();
    console.log(`claim → SMS in the dev outbox: ${Date.now() - claimedAt} ms`);
    // A fixed template with the link to the wish on this server, none of what the resident wrote.
    expect(sms.text).toMatch(new RegExp(`^【微心愿】您已认领一个心愿，服务时间：.+，请按时前往：${first.url}/wishes/${wish.id}$`));
    expect(sms.text).not.toContain("周末陪老人聊聊天");
    const inbox = (await call(first.url, "GET", "/api/notifications", zhangWei.token)).body;
    expect(inbox.items.map((n: any) => n.kind)).toEqual(["task-confirmed"]);
    expect(inbox.unread).toBe(1);

    // The jobs run on their own: a wish whose deadline passes expires, and its resident hears it.
    const posted = (
      await call(first.url, "POST", "/api/wishes", resident.token, {
        communityId: demo.communityId,
        category: "errand",
        title: "马上过期的心愿",
        description: "只为测试定时任务。",
      })
    ).body;
    const deadline = new Date(Date.now() + 1_500).toISOString();
    expect(
      (await call(first.url, "POST", `/api/wishes/${posted.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 30, deadline })).status,
    ).toBe(200);
    const expired = await waitFor(async () => {
      const items = (await call(first.url, "GET", "/api/notifications", resident.token)).body.items as any[];
      return items.find((n) => n.kind === "wish-expired" && n.wishId === posted.id);
    }, 8_000);
    expect(expired?.text).toBe("您的心愿「马上过期的心愿」到截止时间仍无人认领，已失效。");

    await first.stop();
    running = undefined;

    // Started again on the same data, now with an SNS endpoint: another claim is published there,
    // and nothing from before is sent again, to SNS or to the outbox.
    const topicArn = "arn:aws:sns:ap-southeast-1:000000000000:wish-events";
    const second = (running = await startLocal({ ...options, sns: { endpoint: sns.endpoint, topicArn } }));
    const again = async (phone: string) => (await call(second.url, "GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body as any[];
    const other = open.find((w: any) => w.title === "帮忙把旧衣柜搬下楼");
    const before = Date.now();
    expect((await call(second.url, "POST", `/api/wishes/${other.id}/claim`, zhangWei.token)).status).toBe(200);
    const published = await waitFor(async () => sns.publishes.find((p) => p.phoneNumber === zhangWei.phone), 10_000);
    console.log(`claim → SMS published to SNS: ${Date.now() - before} ms`);
    expect(published?.message).toMatch(new RegExp(`^【微心愿】您已认领一个心愿.*：${second.url}/wishes/${other.id}$`));
    expect(published?.attributes["AWS.SNS.SMS.SMSType"]?.value).toBe("Transactional");
    await new Promise((r) => setTimeout(r, 500));
    expect(sns.publishes.map((p) => p.phoneNumber)).toEqual([zhangWei.phone]);
    expect((await again(zhangWei.phone)).map((m) => m.kind)).toEqual(["task-confirmed"]);
    expect(await again(liMing.phone)).toEqual([]);

    await second.stop();
    running = undefined;
    await sns.close();
  });
});
