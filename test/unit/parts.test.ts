/**
 * The API's parts on AWS (functions/app/parts.ts): API Gateway sends each route key to one
 * function, and every operation of the deployed document must land on a function that has it,
 * while the whole app (local runs, tests) still has every route in one place.
 */
import { describe, expect, it } from "vitest";
import { buildApp } from "../../functions/app/base.js";
import { createApp, deployedOpenApiJson, type Deps } from "../../functions/app/index.js";
import { apiRoutes, docsRouteKeys, pageRouteKeys } from "../../functions/app/parts.js";
import { certificatePageRoutes } from "../../functions/app/routes/certificate-pages.js";
import { docsRoutes } from "../../functions/app/routes/docs.js";

const document = JSON.parse(deployedOpenApiJson()) as { paths: Record<string, Record<string, unknown>> };
const functions = {
  api: buildApp(undefined, apiRoutes()),
  pages: buildApp(undefined, [certificatePageRoutes()]),
  docs: buildApp(undefined, [docsRoutes(() => "{}")]),
};
const has = (fn: keyof typeof functions, method: string, path: string) =>
  functions[fn].routes.some((r) => r.method === method.toUpperCase() && r.path === path.replace(/\{(\w+)\}/g, ":$1"));
/** Which function API Gateway sends a path to: the most specific route key, else the API's `ANY /api/{proxy+}`. */
const target = (path: string) =>
  pageRouteKeys.some((k) => k.split(" ")[1] === path) ? "pages" : docsRouteKeys.some((k) => k.split(" ")[1] === path) ? "docs" : "api";

describe("the API's parts", () => {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m, path] as const));

  it.each(operations)("%s %s reaches a function that serves it", (method, path) => {
    expect(has(target(path), method, path)).toBe(true);
  });

  it("sends the certificate pages and the document elsewhere, and the API's function carries neither", () => {
    expect(target("/api/certificates/{number}/print")).toBe("pages");
    expect(target("/api/certificates/{number}/verify")).toBe("pages");
    expect(target("/api/openapi.json")).toBe("docs");
    for (const path of ["/api/certificates/{number}/print", "/api/certificates/{number}/verify", "/api/openapi.json", "/api/docs"])
      expect(has("api", "get", path), path).toBe(false);
    expect(has("api", "get", "/api/certificates/{number}"), "the certificate's JSON stays with the API").toBe(true);
  });

  it("the whole app still serves every operation of the document, and the document itself", () => {
    const whole = createApp({} as Deps);
    for (const [method, path] of operations)
      expect(
        whole.routes.some((r) => r.method === method.toUpperCase() && r.path === path.replace(/\{(\w+)\}/g, ":$1")),
        `${method} ${path}`,
      ).toBe(true);
    expect(whole.routes.some((r) => r.path === "/api/openapi.json")).toBe(true);
  });

  it("the document's and the pages' functions answer another method with 405 and the methods they take, as the API does", async () => {
    const res = await functions.docs.request("/api/openapi.json", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const page = await functions.pages.request("/api/certificates/C-1/print", { method: "DELETE" });
    expect(page.status).toBe(405);
  });
});
