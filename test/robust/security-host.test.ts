/**
 * A printed certificate's QR code and links lead to the API's configured address (the stacks set
 * it; locally the server's own), never to whatever the request's Host header names: otherwise a
 * crafted request could print a genuine certificate whose code leads to someone else's site.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../functions/core/period.js";
import { community, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { claimedBy, ok } from "../hours/helpers.js";

let api: Api;
let c: TestCommunity;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 1 });
  const member = c.members[0];
  const id = await claimedBy(api, c, [member], { title: "帮忙搬米" });
  for (const step of ["check-in", "check-out"]) {
    await ok(api.call("POST", `/api/wishes/${id}/${step}`, { as: member, body: { lat: 33.0676, lng: 107.0238, accuracy: 10 } }));
  }
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: member, body: { note: "完成" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
  await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [member.id]: 60 }, reason: "按签到记录核定" } }));
});
afterAll(() => api.close());

/** A request as a client may really send it, Host header and all (fetch would not let a Host through). */
function send(method: string, path: string, host: string, opts: { token?: string; body?: unknown } = {}) {
  const url = new URL(api.base);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise<{ status: number; text: string }>((done, fail) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          host,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => done({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once("error", fail);
    req.end(body);
  });
}

describe("a certificate asked for with a forged Host header", () => {
  const day = dayOf(new Date());

  it("still links to the API's own address, when issued and when read", async () => {
    const issued = await send("POST", `/api/members/${c.members[0].id}/certificates`, "evil.example", {
      token: c.members[0].token,
      body: { from: day, to: day },
    });
    expect(issued.status).toBe(201);
    const cert = JSON.parse(issued.text);
    expect(cert.printUrl).toBe(`${api.base}/api/certificates/${cert.number}/print`);
    expect(cert.verifyUrl).toBe(`${api.base}/api/certificates/${cert.number}/verify`);

    const read = await send("GET", `/api/certificates/${cert.number}`, "evil.example:8443");
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toMatchObject({ printUrl: cert.printUrl, verifyUrl: cert.verifyUrl });
  });

  it("prints a page whose QR code and link lead to the API's own verification page", async () => {
    const issued = await ok(
      api.call("POST", `/api/members/${c.members[0].id}/certificates`, { as: c.members[0], body: { from: day, to: day } }),
    );
    const page = await send("GET", `/api/certificates/${issued.number}/print`, "evil.example");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("evil.example");
    expect(page.text).toContain(`${api.base}/api/certificates/${issued.number}/verify`);
  });
});
