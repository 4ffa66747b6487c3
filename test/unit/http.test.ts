/**
 * What the API answers before it reads or writes anything: unknown routes, missing or bad
 * sign-in, input that fails its schema, bodies too large or not JSON, CORS preflights and the
 * headers every answer carries. Through `app.request()`, with a table that fails any call, so
 * each answer also shows that nothing was read or written.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { issueToken } from "../../functions/core/identity.js";
import { untouchedDeps } from "./untouched.js";

const secret = "unit-secret-for-signing-tokens";
const site = "https://microwish.example.org";
const { deps, calls } = untouchedDeps({ secret, siteOrigins: [site] });
const app = createApp(deps);

afterEach(() => {
  expect(calls.splice(0), "calls that reached the table").toEqual([]);
});

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** The answer as a phone reads it: the status and the problem document (RFC 9457). */
async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = await res.json();
  expect(body).toMatchObject({ status: res.status, type: `urn:microwish:problem:${body.code}` });
  expect(body.title).toEqual(expect.any(String));
  return body;
}

describe("routes", () => {
  it("answers a liveness check", async () => {
    const res = await app.request("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    ["GET", "/api/no-such-thing"],
    ["DELETE", "/api/wishes/w-1/nothing"],
    ["POST", "/api/healthz"],
  ])("answers %s %s with a 404 naming the route", async (method, path) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(404);
    const body = await problemOf(res);
    expect(body.code).toBe("route.not_found");
    expect(body.detail).toContain(path);
  });

  it.each([
    ["DELETE", "/api/wishes/w-1", "GET, HEAD, OPTIONS"],
    ["POST", "/api/health", "GET, HEAD, OPTIONS"],
    ["PATCH", "/api/me/preferences", "GET, HEAD, OPTIONS, PUT"],
    ["GET", "/api/wishes/w-1/claim", "OPTIONS, POST"],
  ])("answers %s %s, a path it has with a method it does not, with a 405 and the methods it takes", async (method, path, allow) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    const body = await problemOf(res);
    expect(body.code).toBe("route.method_not_allowed");
    expect(body.detail).toContain(path);
  });
});

describe("signing in", () => {
  it("refuses a request without a token with a 401 that says how to sign in", async () => {
    const res = await app.request("/api/me");
    expect(res.status).toBe(401);
    const body = await problemOf(res);
    expect(body.code).toBe("auth.unauthenticated");
    expect(body.detail).toContain("Authorization: Bearer");
  });

  it.each([
    ["not a token at all", async () => "not-a-jwt"],
    ["a token signed with another secret", () => issueToken("another-secret", "u-1")],
    ["a token with its signature cut off", async () => (await issueToken(secret, "u-1")).replace(/\.[^.]+$/, ".")],
  ])("refuses %s with a 401 auth.bad_token", async (_, token) => {
    const res = await app.request("/api/me", { headers: { authorization: `Bearer ${await token()}` } });
    expect(res.status).toBe(401);
    expect((await problemOf(res)).code).toBe("auth.bad_token");
  });

  it("refuses a token issued eight days ago as expired", async () => {
    const token = await issueToken(secret, "u-1", Date.now() - 8 * 86_400_000);
    const res = await app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect((await problemOf(res)).code).toBe("auth.token_expired");
  });

  it.each([
    ["a phone number that is not one", { phone: "12345" }, "phone"],
    ["no phone number", {}, "phone"],
  ])("refuses a code request with %s, naming the field", async (_, body, field) => {
    const res = await app.request("/api/auth/otp", json("POST", body));
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    expect(problem.code).toBe("request.invalid_body");
    expect(Object.keys(problem.errors)).toEqual([field]);
  });

  it("refuses a code that is not six digits, naming the field", async () => {
    const res = await app.request("/api/auth/token", json("POST", { phone: "13800138000", code: "12345" }));
    expect(res.status).toBe(422);
    expect(Object.keys((await problemOf(res)).errors)).toEqual(["code"]);
  });
});

describe("bodies", () => {
  it("refuses a body that is not JSON with a 400", async () => {
    const res = await app.request("/api/auth/otp", json("POST", '{"phone": "13800138000"'));
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/not valid JSON/);
  });

  it("refuses a body sent as a form with a 415 asking for JSON", async () => {
    const res = await app.request("/api/auth/otp", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "phone=13800138000",
    });
    expect(res.status).toBe(415);
    expect((await problemOf(res)).detail).toContain("application/json");
  });

  it("refuses a body over 64 KB with a 413 before reading it as JSON", async () => {
    const res = await app.request("/api/auth/otp", json("POST", { phone: "13800138000", padding: "x".repeat(70_000) }));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe("request.too_large");
  });
});

describe("queries", () => {
  it.each(["2026-13", "2026-Q5", "26-11", "last month"])("refuses the period %j with a 400 naming it", async (period) => {
    const res = await app.request(`/api/communities/c-1/stats?period=${encodeURIComponent(period)}`);
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.code).toBe("request.invalid_query");
    expect(Object.keys(problem.errors)).toEqual(["period"]);
  });

  it("answers a certificate number that could never have been issued with a 404, without looking it up", async () => {
    const res = await app.request("/api/certificates/not-a-number");
    expect(res.status).toBe(404);
    expect((await problemOf(res)).code).toBe("certificate.not_found");
    const page = await app.request("/api/certificates/not-a-number/verify");
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("没有编号为 not-a-number 的证书");
  });
});

describe("browsers on other origins", () => {
  const preflight = (origin: string) =>
    app.request("/api/wishes", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });

  it("lets the web app's own origin send signed-in JSON, and keeps the preflight two hours", async () => {
    const res = await preflight(site);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(site);
    expect(
      res.headers
        .get("access-control-allow-headers")
        ?.split(",")
        .map((h) => h.trim()),
    ).toEqual(expect.arrayContaining(["authorization", "content-type"]));
    expect(res.headers.get("access-control-max-age")).toBe("7200");
  });

  it("does not let another origin read answers", async () => {
    const res = await preflight("https://evil.example.com");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const read = await app.request("/api/health", { headers: { origin: "https://evil.example.com" } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("headers on every answer", () => {
  it.each([
    ["a success", "/api/health"],
    ["a refusal", "/api/me"],
    ["an unknown route", "/api/no-such-thing"],
  ])("%s carries the security headers and a policy that runs nothing", async (_, path) => {
    const res = await app.request(path);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8}; includeSubDomains$/);
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
  });

  it("gives an HTML page a policy that allows only its own inline style and script, by hash", async () => {
    const res = await app.request("/api/certificates/not-a-number/verify");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain("unsafe-inline");
  });
});
