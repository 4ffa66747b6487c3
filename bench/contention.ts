/**
 * Contention: `claimants` members claim one open wish with `slots` places at the same moment,
 * each over their own connection to the real HTTP server. Exactly `slots` must win (2xx) and
 * every other answer must be a 409; the wish must end claimed with `slots` claims on it.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { community, freshTable, ms, openWish, percentile, serveApi } from "./lib.js";
import type { Row } from "./rows.js";

export async function contentionRows(opts: { endpoint: string; claimants?: number; slots?: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const claimants = opts.claimants ?? 200;
  const slots = opts.slots ?? 5;
  const store = await freshTable(opts.endpoint, "bench-contention");
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
    const won = results.filter((r) => r.status >= 200 && r.status < 300).length;
    const refused = results.filter((r) => r.status === 409).length;
    const other = results.length - won - refused;
    const codes = new Map<string, number>();
    for (const r of results.filter((r) => r.status >= 300)) codes.set(`${r.status} ${r.code}`, (codes.get(`${r.status} ${r.code}`) ?? 0) + 1);
    const items = await store.doc.send(
      new QueryCommand({ TableName: store.table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `W#${id}` }, ConsistentRead: true }),
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
      notes: [`Contention answers: ${[...codes].map(([k, v]) => `${v} × ${k}`).join(", ") || "none refused"}.`],
    };
  } finally {
    agent.destroy();
    await api.close();
  }
}
