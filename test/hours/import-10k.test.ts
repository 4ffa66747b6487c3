/**
 * A roll of 10,000 members imported in one request, in bounded time. This file runs its own
 * DynamoDB Local: the import's 20,000 transactional writes would otherwise queue ahead of every
 * other test file's writes in the shared one.
 */
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { QueryCommand } from "../../functions/aws/dynamodb.js";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStore, type Store } from "../../functions/store/client.js";
import { dynamoClientConfig, startDynamoLocal, type DynamoLocal } from "../../functions/store/dynamo-local.js";
import { createTableInput } from "../../functions/store/table.js";
import { community, secret } from "../helpers/api.js";

let db: DynamoLocal;
let store: Store;
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  db = await startDynamoLocal({});
  const client = new DynamoDBClient(dynamoClientConfig(db.endpoint));
  await client.send(new CreateTableCommand(createTableInput("roll")));
  await waitUntilTableExists({ client, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { TableName: "roll" });
  store = createStore("roll", dynamoClientConfig(db.endpoint));
  const app = createApp({ store, notifier: outboxNotifier(store), secret: async () => secret, publicUrl: () => "http://127.0.0.1" });
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 90_000);
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await db.stop();
});

async function count(gsi3pk: string) {
  let total = 0;
  let start: Record<string, any> | undefined;
  do {
    const page = await store.doc.send(
      new QueryCommand({
        TableName: store.table,
        IndexName: "byCommunity",
        KeyConditionExpression: "gsi3pk = :p",
        ExpressionAttributeValues: { ":p": gsi3pk },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

it("imports 10,000 rows in one request, every one of them, within the body limit made for it", async () => {
  const c = await community(store, { members: 0, residents: 0, name: "万人社区" });
  const branches = ["第一党支部", "第二党支部", "青年志愿服务队", "巾帼志愿服务队"];
  const rows = Array.from({ length: 10_000 }, (_, i) => `139${String(80_000_000 + i)},"队员${i}, 号"," ${branches[i % 4]} "`);
  const file = `\uFEFF手机号,姓名,支部\r\n${rows.join("\r\n")}`;
  expect(Buffer.byteLength(file)).toBeGreaterThan(64 * 1024);

  const started = Date.now();
  const res = await fetch(`${base}/api/communities/${c.id}/members/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${c.staff.token}`, "content-type": "text/csv" },
    body: file,
  });
  const seconds = (Date.now() - started) / 1000;
  const report = await res.json();
  expect(res.status).toBe(200);
  expect(report).toMatchObject({ rows: 10_000, created: 10_000, updated: 0, refused: [] });
  expect([...report.branchesCreated].sort()).toEqual([...branches].sort());
  console.info(`10,000 rows imported in ${seconds.toFixed(1)} s`);
  expect(seconds).toBeLessThan(150);
  expect(await count(`C#${c.id}#U`)).toBe(10_001);
}, 240_000);
