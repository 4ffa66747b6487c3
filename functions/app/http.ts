import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { DomainError, errors, fail, type ErrorCode, type ErrorStatus } from "../core/errors.js";
import { loadActor, readToken, type Actor } from "../core/identity.js";
import type { PhotoBucket } from "../core/photos.js";
import type { SmsRules } from "../core/sms.js";
import type { Notifier } from "../notify/notifier.js";
import type { Store } from "../store/client.js";
import type { Tag } from "./openapi.js";

export interface Deps {
  store: Store;
  notifier: Notifier;
  /** The token-signing secret; a function so that Lambda can fetch it once, lazily. */
  secret: () => Promise<string>;
  /** the web app's origins when it is served from elsewhere (on AWS): the only ones CORS lets read the API; none by default */
  siteOrigins?: () => Promise<readonly string[]> | readonly string[];
  /**
   * The API's public address, where a printed certificate's QR code leads: from configuration (the
   * stacks; locally the server's own address), never from the request's Host header.
   */
  publicUrl: () => Promise<string> | string;
  /** the photo bucket (S3, or the local server under `npm start`); without it uploads answer 503 */
  photos?: PhotoBucket;
  /** the countries sign-in codes are sent to, and how many an hour; mainland China alone by default */
  sms?: SmsRules;
}

// zod/mini sets no default messages; English ones, as the full zod sets them, make the field errors.
z.config(en());

export type Env = { Variables: { deps: Deps } };

type ProblemBody = { detail: string; errors?: Record<string, string>; [member: string]: unknown };

function problemResponse(c: Context, code: string, status: number, title: string, body: ProblemBody) {
  // The RFC 9457 members come last: a detail that happens to share a name must not overwrite them.
  return c.body(JSON.stringify({ ...body, type: `urn:microwish:problem:${code}`, title, status, code }), status as ErrorStatus, {
    "content-type": "application/problem+json; charset=utf-8",
  });
}

/** The problem document (RFC 9457) of a code, with the status and title the errors table gives it. */
export function problem(c: Context, code: ErrorCode, body: ProblemBody) {
  const { status, title } = errors[code];
  return problemResponse(c, code, status, title, body);
}

/** The one error mapper: input by field, domain errors by code, HTTP errors by status, anything else a plain 500. */
export function onError(err: Error, c: Context) {
  if (err instanceof InvalidInput) {
    const detail = Object.entries(err.errors)
      .map(([f, m]) => `${f}: ${m}`)
      .join("; ");
    return problem(c, err.where === "query" ? "request.invalid_query" : "request.invalid_body", { detail, errors: err.errors });
  }
  if (err instanceof DomainError) {
    const { field, ...details } = err.details ?? {};
    const errors = typeof field === "string" ? { [field]: err.message } : undefined;
    if (typeof details.retryAfter === "number") c.header("retry-after", String(details.retryAfter));
    return problem(c, err.code, { detail: err.message, errors, ...details });
  }
  if (err instanceof HTTPException) {
    const code = `request.http_${err.status}`;
    if (code in errors) return problem(c, code as ErrorCode, { detail: err.message || `${errors[code as ErrorCode].title}.` });
    return problemResponse(c, code, err.status, "Error", { detail: err.message || "The request was refused." });
  }
  const requestId = c.req.header("x-amzn-trace-id") ?? crypto.randomUUID();
  console.error(JSON.stringify({ level: "error", requestId, path: c.req.path, error: String(err?.stack ?? err) }));
  return problem(c, "server.error", { detail: "Something went wrong on our side; it has been logged.", requestId });
}

export class InvalidInput extends Error {
  constructor(
    readonly where: "query" | "body",
    readonly errors: Record<string, string>,
  ) {
    super(
      `Invalid ${where}: ${Object.entries(errors)
        .map(([f, m]) => `${f}: ${m}`)
        .join("; ")}`,
    );
  }
}

function fieldErrors(error: z.core.$ZodError, input: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".") || "(body)";
    const value = issue.path.reduce<unknown>((v, k) => (v == null ? undefined : (v as Record<PropertyKey, unknown>)[k]), input);
    // An absent enum field is reported as a bad value by zod; to a client it is simply missing.
    const missing = value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value");
    errors[path] ??= missing
      ? "Required."
      : issue.code === "invalid_type"
        ? `Expected ${issue.expected}, got ${typeOf(value)}.`
        : issue.message;
  }
  return errors;
}

function typeOf(value: unknown) {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, where: "query" | "body"): z.output<S> {
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

// ---------------------------------------------------------------------------------------------
// Route middleware. Each carries what it means for the OpenAPI document, so a route declared
// once with its middleware is described by the same declaration (functions/app/openapi.ts).
// ---------------------------------------------------------------------------------------------

/** A media type other than JSON, for bodies and answers. */
export interface Media {
  type: "text/csv" | "text/html";
  description: string;
}
export type Reply = z.ZodMiniType | Media;

export interface RouteDoc {
  operationId: string;
  tag: Tag;
  summary: string;
  /** who may call it, as the docs say it */
  who: string;
  /** the answers it gives when all is well, by status */
  ok: Partial<Record<200 | 201 | 202, Reply>>;
  /** refusals it can answer besides those its sign-in, input and path parameters bring */
  refuses?: ErrorStatus[];
  /** refusals answered as a page (a person scanned a QR code) rather than a problem document */
  pages?: Partial<Record<ErrorStatus, Media>>;
}

/** What the middleware of one route tells the document. */
export interface RouteFacts {
  doc?: RouteDoc;
  auth?: "required" | "optional";
  query?: z.ZodMiniType;
  body?: z.ZodMiniType | Media;
}

const facts = Symbol("route facts");
type WithFacts = { [facts]?: RouteFacts };

function declaring<H>(handler: H, told: RouteFacts): H {
  (handler as WithFacts)[facts] = told;
  return handler;
}

export function factsOf(handler: unknown): RouteFacts | undefined {
  return (handler as WithFacts | undefined)?.[facts];
}

/** The route's entry in the OpenAPI document; it does nothing to the request. */
export function doc(route: RouteDoc): MiddlewareHandler<Env> {
  return declaring<MiddlewareHandler<Env>>((_c, next) => next(), { doc: route });
}

/** The user id of the bearer token, checked (no table read). */
async function tokenUser(c: Context): Promise<string> {
  const header = c.req.header("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token) return fail("auth.unauthenticated", "Sign in first: send Authorization: Bearer <token>.");
  const deps: Deps = c.get("deps");
  return readToken(await deps.secret(), token);
}

/** The person and their roles, read from the table on every request. */
async function actorFor(c: Context, userId: string): Promise<Actor> {
  const deps: Deps = c.get("deps");
  return (await loadActor(deps.store, userId)) ?? fail("auth.bad_token", "This account no longer exists: sign in again.");
}

/** The signed-in person, from the bearer token; roles are read from the table on every request. */
async function actorOf(c: Context): Promise<Actor> {
  return actorFor(c, await tokenUser(c));
}

/** Only for the signed in: `c.var.actor` is who they are. */
export const signedIn = declaring<MiddlewareHandler<{ Variables: { deps: Deps; actor: Actor } }>>(
  async (c, next) => {
    c.set("actor", await actorOf(c));
    await next();
  },
  { auth: "required" },
);

/**
 * As `signedIn`, with the route's first read of data (`read`) going out alongside the read of the
 * person's roles, once the token is good: one round trip for both. The read's answer is
 * `c.var.early`, a promise the handler awaits where it needs it (its failure is the handler's to
 * report, in the order the handler checks things).
 */
export function signedInAlong<T>(read: (c: Context) => Promise<T>) {
  return declaring<MiddlewareHandler<{ Variables: { deps: Deps; actor: Actor; early: Promise<T> } }>>(
    async (c, next) => {
      const userId = await tokenUser(c);
      const early = Promise.resolve(c).then(read);
      // Awaited by the handler; a failure here is not unhandled meanwhile.
      early.catch(() => undefined);
      c.set("actor", await actorFor(c, userId));
      c.set("early", early);
      await next();
    },
    { auth: "required" },
  );
}

/** Open to anyone; a caller who sends a token must send a good one, and is then `c.var.actor`. */
export const maybeSignedIn = declaring<MiddlewareHandler<{ Variables: { deps: Deps; actor: Actor | undefined } }>>(
  async (c, next) => {
    c.set("actor", c.req.header("authorization") ? await actorOf(c) : undefined);
    await next();
  },
  { auth: "optional" },
);

/** The query string, checked by the schema: `c.req.valid("query")`. */
export function query<S extends z.ZodMiniType>(schema: S) {
  return declaring<MiddlewareHandler<Env, string, { in: { query: Record<string, string> }; out: { query: z.output<S> } }>>(
    async (c, next) => {
      c.req.addValidatedData("query", parse(schema, c.req.query(), "query") as object);
      await next();
    },
    { query: schema },
  );
}

const jsonLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: (c) => problem(c, "request.too_large", { detail: "The body is larger than 64 KB." }),
});

/** A JSON body of at most 64 KB, checked by the schema: `c.req.valid("json")`. */
export function json<S extends z.ZodMiniType>(schema: S) {
  return declaring<MiddlewareHandler<Env, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }>>(
    (c, next) =>
      jsonLimit(c, async () => {
        c.req.addValidatedData("json", parse(schema, await readJson(c), "body") as object);
        await next();
      }),
    { body: schema },
  );
}

/** A file of up to 2 MB, in the body as it is (the handler reads it); for the roll of members. */
export function upload(media: Media) {
  return declaring<MiddlewareHandler<Env>>(
    bodyLimit({
      maxSize: 2 * 1024 * 1024,
      onError: (c) => problem(c, "request.too_large", { detail: "The file is larger than 2 MB: import it in parts." }),
    }),
    { body: media },
  );
}
