/**
 * The contract, as the tests hold the API to it: every answer a test receives through
 * `startApi().call` is checked against the operation the OpenAPI document gives for its route
 * (the same facts the document is built from): a status it declares, the media type it declares
 * for that status, and a body its schema accepts. A test that receives anything else fails there.
 */
import { createApp } from "../../functions/app/index.js";
import { operationsOf, type Operation } from "../../functions/app/openapi.js";
import { devRoutes } from "../../functions/dev/routes.js";

/** One answer as a client saw it. */
export interface Answer {
  method: string;
  /** the path as sent; the route is found from it as the server normalises it */
  path: string;
  status: number;
  type: string;
  body: unknown;
}

export interface Checked extends Answer {
  /** `GET /api/wishes/{id}`, or undefined when no documented route has the path */
  route?: string;
  /** what breaks the contract; undefined when nothing does */
  violation?: string;
}

const app = createApp({ store: {} as never, notifier: {} as never, secret: async () => "unused", publicUrl: () => "http://127.0.0.1" }, [
  devRoutes(),
]);
export const operations: Operation[] = operationsOf(app.routes);
const patterns = operations.map((op) => ({
  op,
  method: op.method.toUpperCase(),
  pattern: new RegExp(`^${op.path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
}));

/** Answers outside the document: the document itself, its page, CORS preflights. */
const outside = (a: Answer, pathname: string) =>
  (a.method === "GET" && (pathname === "/api/openapi.json" || pathname === "/api/docs")) || a.method === "OPTIONS";

export function check(answer: Answer): Checked {
  const pathname = new URL(answer.path, "http://api.test").pathname;
  const found = patterns.find((p) => p.method === answer.method.toUpperCase() && p.pattern.test(pathname))?.op;
  const route = found && `${found.method.toUpperCase()} ${found.path}`;
  const violation = (what: string): Checked => ({
    ...answer,
    route,
    violation: `${answer.method} ${answer.path} → ${answer.status}: ${what}`,
  });
  if (!found) {
    if (outside(answer, pathname)) return { ...answer };
    const notFound = answer.status === 404 && (answer.body as { code?: string } | undefined)?.code === "route.not_found";
    return notFound ? { ...answer } : violation("no documented route has this path, yet it was not answered route.not_found");
  }
  const documented = found.answers.get(answer.status);
  if (!documented) return violation(`${route} documents no ${answer.status} (it documents ${[...found.answers.keys()].join(", ")})`);
  if (!answer.type.toLowerCase().startsWith(documented.media))
    return violation(`${route} documents ${documented.media} for ${answer.status}, not ${answer.type}`);
  if (documented.schema) {
    const result = documented.schema.safeParse(answer.body);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).slice(0, 8);
      return violation(`the body does not hold to the schema of ${route} ${answer.status}: ${issues.join("; ")}`);
    }
  }
  return { ...answer, route };
}

/** Every answer checked in this test file, in order. */
export const seen: Checked[] = [];

/** Checks and records one answer; throws when it breaks the contract, so the test that received it fails. */
export function holdToContract(answer: Answer) {
  const checked = check(answer);
  seen.push(checked);
  if (checked.violation) throw new Error(`Contract broken: ${checked.violation}`);
}
