import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { DomainError, fail } from "../core/errors.js";
import { loadActor, readToken, type Actor } from "../core/identity.js";
import type { SmsRules } from "../core/sms.js";
import type { Notifier } from "../notify/notifier.js";
import type { Subscriptions } from "../notify/subscriptions.js";
import type { Store } from "../store/client.js";

export interface Deps {
  store: Store;
  notifier: Notifier;
  /** The token-signing secret; a function so that Lambda can fetch it once, lazily. */
  secret: () => Promise<string>;
  /** members' subscriptions to the wish-events topic; none locally, where the dev outbox fans out */
  subscriptions?: Subscriptions;
  /** the web app's origins when it is served from elsewhere (on AWS): the only ones CORS lets read the API; none by default */
  siteOrigins?: () => Promise<readonly string[]> | readonly string[];
  /** the countries sign-in codes are sent to, and how many an hour; mainland China alone by default */
  sms?: SmsRules;
}

// zod/mini sets no default messages; English ones, as the full zod sets them, make the field errors.
z.config(en());

export type Env = { Variables: { actor: Actor; deps: Deps } };

/** The status a domain error answers with, from the last part of its dotted code. */
export function statusOf(code: string): number {
  const [, rule = code] = code.split(".");
  if (rule === "not_found") return 404;
  if (rule === "forbidden") return 403;
  if (rule === "invalid" || rule === "too_many_volunteers") return 422;
  if (rule === "rate_limited" || rule === "locked") return 429;
  if (rule === "unavailable") return 503;
  if (code.startsWith("auth.") && (rule === "bad_token" || rule === "token_expired" || rule === "unauthenticated")) return 401;
  if (code.startsWith("auth.") || code.startsWith("request.")) return 400;
  return 409;
}

export const titles: Record<number, string> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Request too large",
  415: "Unsupported media type",
  422: "Invalid input",
  429: "Too many requests",
  503: "Service unavailable",
  500: "Something went wrong",
};

export function problem(
  c: Context,
  status: number,
  body: { code: string; detail: string; errors?: Record<string, string>; [k: string]: unknown },
) {
  const { code, ...rest } = body;
  // The RFC 9457 members come last: a detail that happens to share a name must not overwrite them.
  return c.body(
    JSON.stringify({ ...rest, type: `urn:microwish:problem:${code}`, title: titles[status] ?? "Error", status, code }),
    status as any,
    { "content-type": "application/problem+json; charset=utf-8" },
  );
}

/** The one error mapper: domain errors by code, HTTP errors by status, anything else a plain 500. */
export function onError(err: Error, c: Context) {
  if (err instanceof DomainError) {
    const { field, ...details } = err.details ?? {};
    const errors = typeof field === "string" ? { [field]: err.message } : undefined;
    if (typeof details.retryAfter === "number") c.header("retry-after", String(details.retryAfter));
    return problem(c, statusOf(err.code), { code: err.code, detail: err.message, errors, ...details });
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    return problem(c, status, { code: `request.http_${status}`, detail: err.message || titles[status] || "Bad request." });
  }
  const requestId = c.req.header("x-amzn-trace-id") ?? crypto.randomUUID();
  console.error(JSON.stringify({ level: "error", requestId, path: c.req.path, error: String(err?.stack ?? err) }));
  return problem(c, 500, { code: "server.error", detail: "Something went wrong on our side; it has been logged.", requestId });
}

function fieldErrors(error: z.core.$ZodError, input: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "(body)";
    const value = issue.path.reduce<any>((v, k) => (v == null ? undefined : v[k as any]), input);
    // An absent enum field is reported as a bad value by zod; to a client it is simply missing.
    const missing = value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value");
    errors[path] ??= missing ? "Required." : issue.code === "invalid_type" ? `Expected ${issue.expected}, got ${typeOf(value)}.` : issue.message;
  }
  return errors;
}

function typeOf(value: unknown) {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

export class InvalidInput extends Error {
  constructor(
    readonly where: string,
    readonly errors: Record<string, string>,
  ) {
    super(`Invalid ${where}: ${Object.entries(errors).map(([f, m]) => `${f}: ${m}`).join("; ")}`);
  }
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(where, fieldErrors(result.error, value));
  return result.data;
}

/** The body as JSON. An empty body reads as `{}`, so steps whose fields are all optional need none. */
async function readJson(c: Context): Promise<unknown> {
  const raw = await c.req.text();
  if (raw.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new HTTPException(415, { message: "Send the body as JSON (content-type: application/json)." });
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HTTPException(400, { message: "The body is not valid JSON." });
  }
}

export interface Operation {
  method: "get" | "post" | "put";
  path: string;
  summary: string;
  tag: string;
  /** who may call it, as the docs say it */
  who: string;
  auth: boolean;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  status?: number;
}

type Handler<B, Q> = (args: { c: Context<Env>; body: B; query: Q; actor: Actor }) => Promise<Response> | Response;

/**
 * A group of routes under one prefix. Each route is declared once: Hono gets the handler,
 * the OpenAPI document gets the description, and the same schemas validate the input.
 */
export function router(prefix: string) {
  const app = new Hono<Env>();
  const ops: Operation[] = [];
  function route<B extends z.ZodMiniType | undefined = undefined, Q extends z.ZodMiniType | undefined = undefined>(
    op: Omit<Operation, "body" | "query"> & { body?: B; query?: Q },
    handler: Handler<B extends z.ZodMiniType ? z.output<B> : undefined, Q extends z.ZodMiniType ? z.output<Q> : undefined>,
  ) {
    ops.push({ ...op, path: prefix + op.path });
    app.on(op.method.toUpperCase(), op.path, async (c) => {
      const actor = op.auth ? await requireActor(c) : (undefined as unknown as Actor);
      const query = op.query ? parse(op.query, c.req.query(), "query") : undefined;
      const body = op.body ? parse(op.body, await readJson(c), "body") : undefined;
      return handler({ c, body: body as any, query: query as any, actor });
    });
  }
  return { app, ops, prefix, route };
}
export type Router = ReturnType<typeof router>;

export function invalidInputResponse(err: InvalidInput, c: Context) {
  const detail = Object.entries(err.errors)
    .map(([f, m]) => `${f}: ${m}`)
    .join("; ");
  return problem(c, err.where === "query" ? 400 : 422, { code: `request.invalid_${err.where}`, detail, errors: err.errors });
}

/** The signed-in person, from the bearer token; roles are read from the table on every request. */
export async function requireActor(c: Context<Env>): Promise<Actor> {
  const header = c.req.header("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token) return fail("auth.unauthenticated", "Sign in first: send Authorization: Bearer <token>.");
  const deps = c.get("deps");
  const userId = await readToken(await deps.secret(), token);
  const actor = (await loadActor(deps.store, userId)) ?? fail("auth.bad_token", "This account no longer exists: sign in again.");
  c.set("actor", actor);
  return actor;
}
