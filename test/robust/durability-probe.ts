/**
 * Does DynamoDB Local keep what it acknowledged when its JVM is killed with SIGKILL? Eight loops
 * write (PutItem, or a three-item TransactWriteItems like the app's), the JVM is killed at a random
 * moment, started again on the same -dbPath, and every acknowledged key is looked for. No
 * application code is involved. Run: node --import tsx test/robust/durability-probe.ts transact 6
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoLocal, dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { ensureTable } from "../../functions/store/local-table.js";
import { createStore, getMany, transact } from "../../functions/store/client.js";
import { PutCommand } from "../../functions/aws/dynamodb.js";

function javaChild() {
  for (const n of readdirSync("/proc")) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const t = readFileSync(`/proc/${n}/stat`, "utf8");
      const c = t.lastIndexOf(")");
      const [st, ppid] = t.slice(c + 2).split(" ");
      if (Number(ppid) === process.pid && t.includes("(java)") && st !== "Z") return Number(n);
    } catch {}
  }
}
const dir = mkdtempSync(join(tmpdir(), "mw-dur-"));
const mode = process.argv[2] ?? "transact";
let lostTotal = 0,
  ackedTotal = 0;
for (let round = 0; round < Number(process.argv[3] ?? 3); round++) {
  const db = await startDynamoLocal({ dbPath: dir });
  const cfg = { ...dynamoClientConfig(db.endpoint), maxAttempts: 1 };
  await ensureTable(new DynamoDBClient(cfg), "tbl");
  const store = createStore("tbl", cfg);
  const pid = javaChild()!;
  const acked: string[] = [];
  const ackAt = new Map<string, number>();
  let stop = false;
  const loops = Array.from({ length: 8 }, async (_, l) => {
    for (let i = 0; !stop; i++) {
      const id = `r${round}-l${l}-${i}`;
      try {
        if (mode === "put") await store.doc.send(new PutCommand({ TableName: "tbl", Item: { pk: id, sk: "W", n: i } }));
        else
          await transact(store, [
            { Put: { Item: { pk: id, sk: "W", n: i }, ConditionExpression: "attribute_not_exists(pk)" } },
            { Put: { Item: { pk: id, sk: "E", n: i } } },
            { Update: { Key: { pk: "COUNT", sk: `l${l}` }, UpdateExpression: "ADD c :one", ExpressionAttributeValues: { ":one": 1 } } },
          ] as any).then((o) => {
            if (!o.ok) throw new Error("cond");
          });
        acked.push(id);
        ackAt.set(id, Date.now());
      } catch {
        if (stop) return;
      }
    }
  });
  await new Promise((r) => setTimeout(r, 6000 + Math.random() * 6000));
  const killAt = Date.now();
  process.kill(pid, "SIGKILL");
  stop = true;
  await Promise.all(loops);
  await db.stop();
  const db2 = await startDynamoLocal({ dbPath: dir });
  const s2 = createStore("tbl", dynamoClientConfig(db2.endpoint));
  const found = new Set<string>();
  for (let i = 0; i < acked.length; i += 100)
    for (const it of await getMany(
      s2,
      acked.slice(i, i + 100).map((pk) => ({ pk, sk: "W" })),
    ))
      found.add(it.pk);
  const lost = acked.filter((a) => !found.has(a));
  console.log(
    `round ${round} (${mode}): acknowledged ${acked.length}, missing after kill -9 and restart: ${lost.length}`,
    lost.map((l) => `${l} acknowledged ${killAt - ackAt.get(l)!} ms before the kill`),
    "last ack",
    killAt - Math.max(...ackAt.values()),
    "ms before",
  );
  lostTotal += lost.length;
  ackedTotal += acked.length;
  await db2.stop();
}
console.log(`total acknowledged ${ackedTotal}, lost ${lostTotal}`);
rmSync(dir, { recursive: true, force: true });
