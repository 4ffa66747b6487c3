import type { Hono } from "hono";
import { buildApp } from "./base.js";
import type { Deps, Env } from "./http.js";
import { openApiDocument, operationsOf } from "./openapi.js";
import { apiRoutes } from "./parts.js";
import { certificatePageRoutes } from "./routes/certificate-pages.js";
import { docsRoutes } from "./routes/docs.js";

export type { Deps, Env } from "./http.js";

/**
 * The whole HTTP API in one app: the local server and the tests serve this (locally with the dev
 * routes as `extra`, mounted under /api). On AWS its parts are three functions (parts.ts).
 */
export function createApp(deps: Deps, extra: Hono<Env>[] = []) {
  let document: string | undefined;
  const app = buildApp(deps, [
    ...apiRoutes(),
    certificatePageRoutes(),
    ...extra,
    docsRoutes(() => (document ??= JSON.stringify(openApiDocument(operationsOf(app.routes))))),
  ]);
  return app;
}

/** The document as the deployed API serves it (no local-only routes): built at deploy time for functions/docs.ts. */
export function deployedOpenApiJson(): string {
  return JSON.stringify(openApiDocument(operationsOf(createApp({} as Deps).routes)));
}
