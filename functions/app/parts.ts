/**
 * The API's routes, by the Lambda function that serves them on AWS. The API function serves all
 * but two parts, which API Gateway sends elsewhere by the route keys below: the certificate pages
 * (their own function: the QR encoder and page templates load only for a print or a scan) and the
 * OpenAPI document with its page (a small function holding the document built at deploy time).
 * Locally and in tests, `createApp` (index.ts) serves every part from one app.
 */
import { Hono } from "hono";
import { doc, type Env } from "./http.js";
import * as R from "./responses.js";
import { activityRoutes } from "./routes/activities.js";
import { authRoutes } from "./routes/auth.js";
import { hoursRoutes } from "./routes/hours.js";
import { menuRoutes } from "./routes/menu.js";
import { notificationRoutes } from "./routes/notifications.js";
import { peopleRoutes } from "./routes/people.js";
import { photoRoutes } from "./routes/photos.js";
import { unitRoutes } from "./routes/units.js";
import { voiceRoutes } from "./routes/voices.js";
import { wishRoutes } from "./routes/wishes.js";

function serviceRoutes() {
  const app = new Hono<Env>();
  app.get("/health", doc({ operationId: "health", tag: "service", who: "anyone", summary: "Liveness", ok: { 200: R.Health } }), (c) =>
    c.json({ ok: true }),
  );
  return app;
}

/** The API function's routes (functions/api.ts). */
export function apiRoutes(): Hono<Env>[] {
  return [
    serviceRoutes(),
    authRoutes(),
    wishRoutes(),
    peopleRoutes(),
    hoursRoutes(),
    notificationRoutes(),
    activityRoutes(),
    photoRoutes(),
    unitRoutes(),
    voiceRoutes(),
    menuRoutes(),
  ];
}

/** API Gateway's routes to the certificate pages' function (functions/pages.ts); any method, so that it answers 405 itself. */
export const pageRouteKeys = ["ANY /api/certificates/{number}/print", "ANY /api/certificates/{number}/verify"] as const;

/** API Gateway's routes to the document's function (functions/docs.ts). */
export const docsRouteKeys = ["ANY /api/openapi.json", "ANY /api/docs"] as const;
