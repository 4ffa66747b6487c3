/**
 * What the HTTP path costs on top of the DynamoDB calls a request makes. The real app behind a
 * real HTTP server (as the tests and `npm start` serve it) answers (a) GET /api/wishes/:id as the
 * owner and (b) POST /api/wishes/:id/claim as a member. Its document client records every command
 * a request sends (class, input, when it started and ended); the same commands are then sent raw
 * from this process through the same document client, calls that overlapped in the request
 * overlapping again. HTTP and raw alternate, one of each per iteration, after a warm-up.
 *
 * A claim writes, so each raw replay goes to a twin wish in the same state as the one the HTTP
 * claim took (the wish's id swapped in the recorded inputs): every condition the transaction
 * names holds for the twin exactly as it did for the original.
 */
import { performance } from "node:perf_hooks";
import type { Store } from "../functions/store/client.js";
import { community, freshTable, median, ms, openWish, percentile, ratio, serveApi } from "./lib.js";
import type { Row } from "./rows.js";

interface Sent {
  ctor: new (input: any) => any;
  input: unknown;
  start: number;
  end: number;
}

/** Records what the store's document client sends while `recording` is set. */
function recorder(store: Store) {
  const send = store.doc.send.bind(store.doc) as (command: any) => Promise<any>;
  let log: Sent[] | undefined;
  (store.doc as any).send = async (command: any, ...rest: unknown[]) => {
    if (!log) return (send as any)(command, ...rest);
    const entry: Sent = { ctor: command.constructor, input: structuredClone(command.input), start: performance.now(), end: 0 };
    log.push(entry);
    try {
      return await (send as any)(command, ...rest);
    } finally {
      entry.end = performance.now();
    }
  };
  return {
    send,
    async record<T>(run: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> {
      const sent: Sent[] = [];
      log = sent;
      try {
        return { result: await run(), sent };
      } finally {
        log = undefined;
      }
    },
  };
}

/** Calls grouped as they ran: a call that started before every earlier one had ended ran beside them. */
function groups(sent: Sent[]): Sent[][] {
  const out: Sent[][] = [];
  let openUntil = -Infinity;
  for (const s of sent) {
    if (out.length && s.start < openUntil) out[out.length - 1].push(s);
    else out.push([s]);
    openUntil = Math.max(openUntil, s.end);
  }
  return out;
}

async function replay(send: (command: any) => Promise<any>, plan: Sent[][], swap?: [string, string]) {
  for (const group of plan) {
    await Promise.all(
      group.map((s) => {
        const input = swap ? JSON.parse(JSON.stringify(s.input).replaceAll(swap[0], swap[1])) : structuredClone(s.input);
        return send(new s.ctor(input));
      }),
    );
  }
}

const names = (sent: Sent[]) => sent.map((s) => s.ctor.name.replace(/Command$/, "")).join(" → ");

export async function overheadRows(opts: { endpoint: string; iterations?: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const iterations = opts.iterations ?? 300;
  const warmup = 30;
  const store = await freshTable(opts.endpoint, "bench-overhead");
  const rec = recorder(store);
  const api = await serveApi(store);
  const slots = 5;
  const c = await community(store, { members: slots, residents: 1 });
  const owner = c.residents[0];
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    // (a) reading a wish with a claim and a few timeline entries.
    const readId = await openWish(api, c, owner, 2);
    await api.call("POST", `/api/wishes/${readId}/claim`, c.members[0]);
    const http: number[] = [];
    const raw: number[] = [];
    let plan: Sent[][] = [];
    let readSequence = "";
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = performance.now();
      const { result, sent } = await rec.record(() => api.call("GET", `/api/wishes/${readId}`, owner));
      const t1 = performance.now();
      if (result.status !== 200) throw new Error(`GET wish: ${result.status} ${JSON.stringify(result.body)}`);
      if (i === 0) {
        plan = groups(sent);
        readSequence = names(sent);
      }
      const t2 = performance.now();
      await replay(rec.send, plan);
      const t3 = performance.now();
      if (i >= warmup) {
        http.push(t1 - t0);
        raw.push(t3 - t2);
      }
    }
    rows.push(...pair("read a wish (GET /api/wishes/:id)", http, raw));
    notes.push(`Overhead, read: ${iterations} iterations after ${warmup} warm-up; the request's DynamoDB calls: ${readSequence}.`);

    // (b) claiming: twin wishes with `slots` places, the members claiming one after another.
    const pairs = Math.ceil((warmup + iterations) / slots);
    const twins: [string, string][] = [];
    for (let k = 0; k < pairs; k++) twins.push([await openWish(api, c, owner, slots), await openWish(api, c, owner, slots)]);
    const claimHttp: number[] = [];
    const claimRaw: number[] = [];
    const sequences = new Set<string>();
    for (let i = 0; i < warmup + iterations; i++) {
      const [original, twin] = twins[Math.floor(i / slots)];
      const member = c.members[i % slots];
      const t0 = performance.now();
      const { result, sent } = await rec.record(() => api.call("POST", `/api/wishes/${original}/claim`, member));
      const t1 = performance.now();
      if (result.status !== 200) throw new Error(`claim: ${result.status} ${JSON.stringify(result.body)}`);
      sequences.add(names(sent));
      const t2 = performance.now();
      await replay(rec.send, groups(sent), [original, twin]);
      const t3 = performance.now();
      if (i >= warmup) {
        claimHttp.push(t1 - t0);
        claimRaw.push(t3 - t2);
      }
    }
    rows.push(...pair("claim (POST /api/wishes/:id/claim)", claimHttp, claimRaw));
    notes.push(
      `Overhead, claim: ${iterations} iterations after ${warmup} warm-up, ${slots} members taking the ${slots} places of one wish ` +
        `after another; the request's DynamoDB calls: ${[...sequences].join(" | ")}.`,
    );
  } finally {
    await api.close();
  }
  return { rows, notes };
}

function pair(what: string, http: number[], raw: number[]): Row[] {
  const h = median(http);
  const r = median(raw);
  return [
    { name: `${what}, raw DynamoDB calls`, figure: `median ${ms(r)}, p99 ${ms(percentile(raw, 99))}`, budget: "reference", holds: true },
    {
      name: `${what}, through HTTP`,
      figure: `median ${ms(h)}, p99 ${ms(percentile(http, 99))} (${ratio(h / r)} raw)`,
      budget: `median ≤ 1.5 × raw (${ms(1.5 * r)})`,
      holds: h <= 1.5 * r,
    },
  ];
}
