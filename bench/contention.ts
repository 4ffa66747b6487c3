/**
 * Contention: `claimants` members claim one open wish with `slots` places at the same moment,
 * each over their own connection to the real HTTP server. Exactly `slots` must win (2xx) and
 * every other answer must be a 409; the wish must end claimed with `slots` claims on it.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { QueryCommand } from "../functions/aws/dynamodb.js";
import { community, freshTable, ms, openWish, percentile, serveApi } from "./lib.js";
import type { Row } from "./rows.js";

export async function contentionRows(opts: {
  endpoint: string;
  claimants?: number;
  slots?: number;
}): Promise<{ rows: Row[]; notes: string[] }> {
  const claimants = opts.claimants ?? 200;
  const slots = opts.slots ?? 5;
  // As many connections to DynamoDB as claimants: on Lambda each claim has its own instance.
  const store = await freshTable(opts.endpoint, "bench-contention", claimants + 10);
  const send = store.doc.send.bind(store.doc) as (command: any) => Promise<any>;
  const calls = new Map<string, number[]>();
  let counting = false;
  (store.doc as any).send = async (command: any, ...rest: unknown[]) => {
    const t = performance.now();
    let outcome = command.constructor.name.replace(/Command$/, "");
    try {
      return await (send as any)(command, ...rest);
    } catch (err: any) {
      outcome += ` (${err?.name ?? "error"})`;
      throw err;
    } finally {
      if (counting) calls.set(outcome, [...(calls.get(outcome) ?? []), performance.now() - t]);
    }
  };
  const api = await serveApi(store);
  const agent = new Agent({ keepAlive: true, maxSockets: claimants + 10 });
  const post = (path: string, token?: string, method = "POST") =>
    new Promise<{ status: number; text: string }>((done, failed) => {
      const req = request(`${api.base}${path}`, { method, agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => done({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", failed);
      req.end();
    });
  try {
    const c = await community(store, { members: claimants, residents: 1 });
    const id = await openWish(api, c, c.residents[0], slots);
    // Every member's connection open before the start, so the claims arrive together.
    await Promise.all(c.members.map(() => post("/api/health", undefined, "GET")));
    counting = true;
    const start = performance.now();
    const results = await Promise.all(
      c.members.map(async (m) => {
        const res = await post(`/api/wishes/${id}/claim`, m.token);
        let code: string | undefined;
        try {
          code = JSON.parse(res.text).code;
        } catch {}
        return { status: res.status, code, took: performance.now() - start };
      }),
    );
    counting = false;
    const won = results.filter((r) => r.status >= 200 && r.status < 300).length;
    const refused = results.filter((r) => r.status === 409).length;
    const other = results.length - won - refused;
    const codes = new Map<string, number>();
    for (const r of results.filter((r) => r.status >= 300))
      codes.set(`${r.status} ${r.code}`, (codes.get(`${r.status} ${r.code}`) ?? 0) + 1);
    const items = await store.doc.send(
      new QueryCommand({
        TableName: store.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `W#${id}` },
        ConsistentRead: true,
      }),
    );
    const wish = items.Items?.find((i) => i.sk === "W");
    const claims = items.Items?.filter((i) => String(i.sk).startsWith("CL#")).length ?? 0;
    const consistent = wish?.status === "claimed" && wish?.claimed === slots && claims === slots;
    const took = results.map((r) => r.took);
    return {
      rows: [
        {
          name: `contention: ${claimants} members claim ${slots} places at once`,
          figure: `${won} won, ${refused} refused (409)${other ? `, ${other} other` : ""}; wish ${wish?.status} with ${claims} claims`,
          budget: `exactly ${slots} / ${claimants - slots}, wish claimed with ${slots} claims`,
          holds: won === slots && refused === claimants - slots && other === 0 && consistent,
        },
        {
          name: `contention: latency of the ${claimants} answers`,
          figure: `p50 ${ms(percentile(took, 50))}, p99 ${ms(percentile(took, 99))}, last ${ms(Math.max(...took))}`,
          budget: "reported",
          holds: true,
        },
      ],
      notes: [
        `Contention: ${claimants} members' claims sent at once over their own kept-alive connections; ` +
          `refusals: ${[...codes].map(([k, v]) => `${v} × ${k}`).join(", ") || "none"}. ` +
          `DynamoDB calls the burst made (count, median and p99 time of each call): ${[...calls]
            .map(([k, v]) => `${k} ${v.length}, ${ms(percentile(v, 50))} / ${ms(percentile(v, 99))}`)
            .join("; ")}.`,
      ],
    };
  } finally {
    agent.destroy();
    await api.close();
  }
}
