import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { InvalidInput, invalidInputResponse, onError, problem, router, type Deps, type Env, type Router } from "./http.js";
import { docsPage, openApiDocument } from "./openapi.js";
import { apiCsp, commonHeaders, pageCsp } from "./security.js";
import { authRoutes } from "./routes/auth.js";
import { hoursRoutes, rollImport, rollLimit } from "./routes/hours.js";
import { notificationRoutes } from "./routes/notifications.js";
import { peopleRoutes } from "./routes/people.js";
import { wishRoutes } from "./routes/wishes.js";

export type { Deps } from "./http.js";

/** The whole HTTP API; Lambda and the local server both serve this app (locally with the dev routes as `extra`). */
export function createApp(deps: Deps, extra: Router[] = []) {
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
  const jsonLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => problem(c, 413, { code: "request.too_large", detail: "The body is larger than 64 KB." }) });
  // A roll of members (10,000 rows) is far larger than any JSON body: it alone gets more room.
  app.use("/api/*", (c, next) => (rollImport.test(c.req.path) ? rollLimit(c, next) : jsonLimit(c, next)));

  const service = router("/api");
  service.route({ method: "get", path: "/health", tag: "service", who: "anyone", auth: false, summary: "Liveness" }, ({ c }) => c.json({ ok: true }));
  const routers = [service, authRoutes(), wishRoutes(), peopleRoutes(), hoursRoutes(), notificationRoutes(), ...extra];
  for (const r of routers) app.route(r.prefix, r.app);

  const ops = routers.flatMap((r) => r.ops);
  let doc: unknown;
  app.get("/api/openapi.json", (c) => c.json((doc ??= openApiDocument(ops))));
  app.get("/api/docs", (c) => c.html(docsPage));

  app.notFound((c) => problem(c, 404, { code: "route.not_found", detail: `No route ${c.req.method} ${c.req.path}.` }));
  app.onError((err, c) => (err instanceof InvalidInput ? invalidInputResponse(err, c) : onError(err, c)));
  return app;
}
