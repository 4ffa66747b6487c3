/**
 * CORS: a browser on another origin may read the API's answers only when that origin is the web
 * app's own. Locally (startLocal) the app is same-origin and no other origin is let in unless
 * SITE_ORIGIN names it; on Lambda the site's origin comes from the SSM parameter the Web stack
 * writes (here a stand-in for SSM on loopback), read by the real handler in functions/api.ts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { parseOrigins } from "../../functions/app/security.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { createStore } from "../../functions/store/client.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { community, secret } from "../helpers/api.js";
import { freshTable } from "../helpers/db.js";

const site = "https://wish.example.org";
const evil = "https://evil.example";

/** The Hono app on a real port, with the given site origins. */
async function serveApp(siteOrigins?: () => readonly string[]) {
  const { tableName, endpoint } = await freshTable();
  const store = createStore(tableName, dynamoClientConfig(endpoint));
  const app = createApp({
    store,
    notifier: outboxNotifier(store),
    secret: async () => secret,
    siteOrigins,
    publicUrl: () => "http://127.0.0.1",
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, store, close: () => new Promise<void>((done) => server.close(() => done())) };
}

let configured: Awaited<ReturnType<typeof serveApp>>;
let bare: Awaited<ReturnType<typeof serveApp>>;
let token: string;
let communityId: string;

beforeAll(async () => {
  configured = await serveApp(() => parseOrigins(`${site}, https://second.example.org/`));
  bare = await serveApp();
  const c = await community(configured.store, { members: 1, residents: 1 });
  communityId = c.id;
  token = c.residents[0].token;
}, 60_000);
afterAll(async () => {
  await configured?.close();
  await bare?.close();
});

const preflight = (base: string, origin: string, method = "POST", headers = "authorization,content-type") =>
  fetch(`${base}/api/wishes`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });

describe("the site's origin is let in", () => {
  it("a GET from the site's origin carries Access-Control-Allow-Origin: that origin (never '*'), and Vary: Origin", async () => {
    const res = await fetch(`${configured.base}/api/me`, { headers: { origin: site, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(site);
    expect(res.headers.get("vary")).toMatch(/origin/i);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("the second configured origin too, written with a trailing slash in the setting", async () => {
    const res = await fetch(`${configured.base}/api/health`, { headers: { origin: "https://second.example.org" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://second.example.org");
  });

  it("a preflight from the site's origin: 204, the origin, the methods and the headers the app sends, cached two hours", async () => {
    const res = await preflight(configured.base, site);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(site);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(res.headers.get("access-control-allow-headers")?.split(",")).toEqual(
      expect.arrayContaining(["authorization", "content-type", "idempotency-key"]),
    );
    expect(res.headers.get("access-control-max-age")).toBe("7200");
  });

  it("a refusal's Retry-After is readable from the site (exposed)", async () => {
    const res = await fetch(`${configured.base}/api/health`, { headers: { origin: site } });
    expect(res.headers.get("access-control-expose-headers")).toMatch(/retry-after/i);
  });

  it("a POST from the site's origin works and can be read", async () => {
    const res = await fetch(`${configured.base}/api/wishes`, {
      method: "POST",
      headers: { origin: site, authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ communityId, category: "repair", title: "灯坏了", description: "楼道灯坏了" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(site);
  });
});

describe("any other origin is not", () => {
  it.each([
    evil,
    "https://wish.example.org.evil.example",
    "http://wish.example.org",
    "https://wish.example.org:8443",
    "null",
    "https://sub.wish.example.org",
  ])("Origin %s: no Access-Control-Allow-Origin on GET, on an error, or on the preflight", async (origin) => {
    const get = await fetch(`${configured.base}/api/me`, { headers: { origin, authorization: `Bearer ${token}` } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
    const error = await fetch(`${configured.base}/api/me`, { headers: { origin } });
    expect(error.status).toBe(401);
    expect(error.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await preflight(configured.base, origin);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("with no site origin configured (the local default) no origin at all is let in, the site's included", async () => {
    for (const origin of [site, evil]) {
      expect((await fetch(`${bare.base}/api/health`, { headers: { origin } })).headers.get("access-control-allow-origin")).toBeNull();
      expect((await preflight(bare.base, origin)).headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("requests without an Origin (same-origin GETs, curl, scripts) still work", async () => {
    const res = await fetch(`${configured.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("SITE_ORIGIN, as written by people", () => {
  it("keeps origins, drops paths and junk", () => {
    expect(parseOrigins(" https://a.example/ ,https://b.example:8443/app, not a url,, http://localhost:5173")).toEqual([
      "https://a.example",
      "https://b.example:8443",
      "http://localhost:5173",
    ]);
    expect(parseOrigins(undefined)).toEqual([]);
    expect(parseOrigins("*")).toEqual([]);
  });
});

describe("on Lambda: the site's origin read from SSM by functions/api.ts", () => {
  const cloudFront = "https://d111111abcdef8.cloudfront.net";
  let ssmUp = true;
  const asked: string[] = [];
  const ssm = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      asked.push(JSON.parse(body).Name);
      res.writeHead(ssmUp ? 200 : 500, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(ssmUp ? { Parameter: { Value: cloudFront } } : { __type: "InternalServerError" }));
    });
  });
  let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

  beforeAll(async () => {
    await new Promise<void>((ready) => ssm.listen(0, "127.0.0.1", ready));
    Object.assign(process.env, {
      TABLE_NAME: "unused-by-these-requests",
      JWT_SECRET: secret,
      SITE_ORIGIN_PARAM: "/microwish/test/site-origin",
      SSM_ENDPOINT: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}/`,
      AWS_REGION: "ap-southeast-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret-key",
    });
    ({ handler } = (await import("../../functions/api.js")) as any);
  });
  afterAll(() => new Promise<void>((done) => ssm.close(() => done())));

  /** An API Gateway HTTP API (payload 2.0) event, as the route ANY /api/{proxy+} delivers it. */
  const event = (method: string, path: string, headers: Record<string, string>) => ({
    version: "2.0",
    routeKey: "ANY /api/{proxy+}",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "abc.execute-api.ap-southeast-1.amazonaws.com", ...headers },
    requestContext: {
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "test" },
      domainName: "abc.execute-api.ap-southeast-1.amazonaws.com",
      requestId: "r",
      routeKey: "ANY /api/{proxy+}",
      stage: "$default",
    },
    isBase64Encoded: false,
  });
  const header = (res: { headers?: Record<string, string> }, name: string) =>
    Object.entries(res.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

  it("lets in the CloudFront origin from the parameter, on a GET and a preflight, and not another", async () => {
    const get = await handler(event("GET", "/api/health", { origin: cloudFront }), {});
    expect(get.statusCode).toBe(200);
    expect(header(get, "access-control-allow-origin")).toBe(cloudFront);
    expect(header(get, "x-content-type-options")).toBe("nosniff");
    const pre = await handler(
      event("OPTIONS", "/api/wishes", {
        origin: cloudFront,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      }),
      {},
    );
    expect(pre.statusCode).toBe(204);
    expect(header(pre, "access-control-allow-origin")).toBe(cloudFront);
    const other = await handler(event("GET", "/api/health", { origin: evil }), {});
    expect(other.statusCode).toBe(200);
    expect(header(other, "access-control-allow-origin")).toBeUndefined();
    expect(asked).toEqual(["/microwish/test/site-origin"]);
  });

  it("reads the parameter once, not per request", async () => {
    for (let i = 0; i < 5; i++) await handler(event("GET", "/api/health", { origin: cloudFront }), {});
    expect(asked).toHaveLength(1);
  });

  it("with SSM failing, a fresh instance lets no other origin in and still answers (no 5xx)", async () => {
    ssmUp = false;
    const { vi } = await import("vitest");
    vi.resetModules();
    const fresh = (await import("../../functions/api.js")) as any;
    const res = await fresh.handler(event("GET", "/api/health", { origin: cloudFront }), {});
    expect(res.statusCode).toBe(200);
    expect(header(res, "access-control-allow-origin")).toBeUndefined();
    expect(asked.length).toBe(2);
    ssmUp = true;
  });
});
