/**
 * Delivery: how long after a claim is acknowledged its SMS text is in the dev outbox, under
 * `npm start`'s own server (DynamoDB Local on disk, the stream poller, the local notifier).
 * Each of the claims is of a wish posted and approved for the purpose; the text carries the link to
 * its wish (an SMS never carries the wish's own words), so the message found is the one that claim caused.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocal } from "../functions/local.js";
import { latencyRow, timeUntil } from "./lib.js";
import type { Row } from "./rows.js";

const claims = 20;
const budgetMs = 2_000;

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

export async function deliveryRows(): Promise<{ rows: Row[]; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "microwish-bench-delivery-"));
  const webDir = mkdtempSync(join(tmpdir(), "microwish-bench-web-"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Microwish</title>");
  const local = await startLocal({ dataDir, port: 0, host: "127.0.0.1", table: "microwish", webDir, quiet: true });
  try {
    const demo = await call(local.url, "GET", "/api/dev/demo");
    const staff = demo.people.find((p: any) => p.role === "staff");
    const resident = demo.people.find((p: any) => p.role === "resident");
    const member = demo.people.find((p: any) => p.role === "member");
    const took: number[] = [];
    for (let i = 0; i < claims; i++) {
      const title = `送药上门 ${i + 1}`;
      const wish = await call(local.url, "POST", "/api/wishes", resident.token, {
        communityId: demo.communityId,
        category: "errand",
        title,
        description: "帮忙从社区药房取药送到家。",
      });
      await call(local.url, "POST", `/api/wishes/${wish.id}/approve`, staff.token, { slots: 1, estimatedMinutes: 30 });
      await call(local.url, "POST", `/api/wishes/${wish.id}/claim`, member.token);
      const arrived = async () => {
        const outbox = (await call(local.url, "GET", `/api/dev/outbox?to=${encodeURIComponent(member.phone)}`)) as {
          kind?: string;
          text: string;
        }[];
        return outbox.some((m) => m.kind === "task-confirmed" && m.text.includes(`/wishes/${wish.id}`));
      };
      took.push(await timeUntil(arrived, `the SMS for claim ${i + 1}`));
    }
    return {
      rows: [latencyRow("delivery: claim → SMS text in the dev outbox", took, budgetMs, "claims")],
      notes: [
        `delivery: ${claims} claims, one after another, each of a wish of its own, under the local server as \`npm start\` runs it ` +
          `(DynamoDB Local on disk, the stream poller asking every 250 ms); timed from the claim's answer to the text in GET ` +
          `/api/dev/outbox, polled every 20 ms.`,
      ],
    };
  } finally {
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  }
}
