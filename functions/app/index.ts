import { Hono } from "hono";
import { cors } from "hono/cors";
import { doc, onError, problem, type Deps, type Env } from "./http.js";
import { docsPage, openApiDocument, operationsOf } from "./openapi.js";
import * as R from "./responses.js";
import { apiCsp, commonHeaders, pageCsp } from "./security.js";
import { activityRoutes } from "./routes/activities.js";
import { authRoutes } from "./routes/auth.js";
import { hoursRoutes } from "./routes/hours.js";
import { notificationRoutes } from "./routes/notifications.js";
import { peopleRoutes } from "./routes/people.js";
import { unitRoutes } from "./routes/units.js";
import { photoRoutes } from "./routes/photos.js";
import { wishRoutes } from "./routes/wishes.js";

export type { Deps, Env } from "./http.js";

/** The methods each of the app's paths answers (GET brings HEAD; every path answers CORS preflights), built once. */
function methodsByPath(app: Hono<Env>) {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  return (path: string): string[] => {
    table ??= Object.values(
      app.routes
        .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
        .reduce<Record<string, { pattern: RegExp; methods: Set<string> }>>((byPath, r) => {
          const pattern = new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}/?$`);
          (byPath[r.path] ??= { pattern, methods: new Set() }).methods.add(r.method);
          return byPath;
        }, {}),
    );
    const methods = new Set<string>();
    for (const row of table) if (row.pattern.test(path)) for (const m of row.methods) methods.add(m);
    if (methods.size === 0) return [];
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return [...methods].sort();
  };
}

/** The whole HTTP API; Lambda and the local server both serve this app (locally with the dev routes as `extra`, mounted under /api). */
export function createApp(deps: Deps, extra: Hono<Env>[] = []) {
  const app = new Hono<Env>();
  app.use("/api/*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(commonHeaders)) c.res.headers.set(name, value);
    // The API's few HTML pages get a policy naming their own inline style and script; the rest may run nothing.
    const html = (c.res.headers.get("content-type") ?? "").startsWith("text/html");
    c.res.headers.set("content-security-policy", html ? pageCsp(await c.res.clone().text()) : apiCsp);
  });
  // Only the web app's own origins may read answers from a browser on another origin (on AWS the
  // site and the API are two origins); locally the app is served from the API's own origin.
  const siteOrigins = deps.siteOrigins ?? (() => []);
  app.use(
    "/api/*",
    cors({
      origin: async (origin) => ((await siteOrigins()).includes(origin) ? origin : null),
      allowHeaders: ["authorization", "content-type", "idempotency-key"],
      exposeHeaders: ["retry-after"],
      // Two hours, the most Chromium keeps a preflight: on AWS each one is a Lambda call and a round trip on a slow phone.
      maxAge: 7200,
    }),
  );
  app.use("/api/*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });

  app.get("/api/health", doc({ operationId: "health", tag: "service", who: "anyone", summary: "Liveness", ok: { 200: R.Health } }), (c) =>
    c.json({ ok: true }),
  );
  const routes = [
    authRoutes(),
    wishRoutes(),
    peopleRoutes(),
    hoursRoutes(),
    notificationRoutes(),
    activityRoutes(),
    photoRoutes(),
    unitRoutes(),
  ];
  for (const part of [...routes, ...extra]) app.route("/api", part);

  let document: unknown;
  app.get("/api/openapi.json", (c) => c.json((document ??= openApiDocument(operationsOf(app.routes)))));
  app.get("/api/docs", (c) => c.html(docsPage));

  // A path the API has, asked with a method it does not answer there, is a 405 naming the methods it does.
  const allowedOn = methodsByPath(app);
  app.notFound((c) => {
    const allowed = allowedOn(c.req.path);
    if (allowed.length === 0) return problem(c, "route.not_found", { detail: `No route ${c.req.method} ${c.req.path}.` });
    c.header("allow", allowed.join(", "));
    return problem(c, "route.method_not_allowed", { detail: `${c.req.path} answers ${allowed.join(", ")}, not ${c.req.method}.` });
  });
  app.onError(onError);
  return app;
}
