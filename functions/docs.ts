/**
 * The OpenAPI document's function: `/api/openapi.json` and `/api/docs`. The document is built at
 * deploy time from the same schemas and route declarations the API serves (stacks/Api.ts hands it
 * to esbuild as `__OPENAPI_DOCUMENT__`), so no function builds it at run time.
 */
import { handle } from "hono/aws-lambda";
import { buildApp } from "./app/base.js";
import { docsRoutes } from "./app/routes/docs.js";

declare const __OPENAPI_DOCUMENT__: string | undefined;

const document = typeof __OPENAPI_DOCUMENT__ === "string" ? __OPENAPI_DOCUMENT__ : undefined;
if (!document) throw new Error("Built without the OpenAPI document: bundle with define __OPENAPI_DOCUMENT__ (stacks/Api.ts)");

export const handler = handle(buildApp(undefined, [docsRoutes(() => document)]));
