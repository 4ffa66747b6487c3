import { Hono } from "hono";
import { cors } from "hono/cors";
import { onError, problem, type Deps, type Env } from "./http.js";
import { apiCsp, commonHeaders, pageCsp } from "./security.js";

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

/**
 * An app serving some of the API's routes, mounted under /api, with what every answer of the API
 * shares: the security headers, CORS for the web app's origins, 405 with Allow for a path asked
 * with a method it does not answer there, problem documents for errors. `createApp` (index.ts)
 * serves them all; each Lambda function serves its own part (functions/api.ts, pages.ts, docs.ts).
 * `deps` may be left out by a part whose routes need none.
 */
export function buildApp(deps: Deps | undefined, groups: Hono<Env>[]) {
  const app = new Hono<Env>();
  app.use("/api/*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(commonHeaders)) c.res.headers.set(name, value);
    // An answer holds one person's data: no cache on the way (CloudFront, a proxy) keeps it.
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store");
    // The API's few HTML pages get a policy naming their own inline style and script; the rest may run nothing.
    const html = (c.res.headers.get("content-type") ?? "").startsWith("text/html");
    c.res.headers.set("content-security-policy", html ? pageCsp(await c.res.clone().text()) : apiCsp);
  });
  // Only the web app's own origins may read answers from a browser on another origin (on AWS the
  // site and the API are two origins); locally the app is served from the API's own origin.
  const siteOrigins = deps?.siteOrigins ?? (() => []);
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
  if (deps)
    app.use("/api/*", async (c, next) => {
      c.set("deps", deps);
      await next();
    });

  for (const routes of groups) app.route("/api", routes);

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
