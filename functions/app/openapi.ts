import type * as z from "zod/mini";
import { errors } from "../core/errors.js";
import { jsonSchema } from "./json-schema.js";
import { factsOf, type Media, type RouteDoc, type RouteFacts } from "./http.js";
import * as Responses from "./responses.js";

/** The tags of the document, in the order the docs page lists them. */
export const tags = [
  { name: "service", description: "The API itself." },
  { name: "sign-in", description: "A code by text message, traded for a token." },
  { name: "wishes", description: "Posting, listing and reading wishes." },
  { name: "lifecycle", description: "The steps of a wish: review, claims, the work itself, confirmation and close." },
  { name: "people", description: "The signed-in person and their tasks." },
  { name: "communities", description: "Communities, their branches and their people." },
  { name: "voices", description: "微心声: residents' messages to their community, staff's public answers, and wishes made of them." },
  { name: "menu", description: "服务清单: what the community's branches offer (送技能、送服务、送健康), and orders from it." },
  { name: "units", description: "The organisation tree (county, street, community, grid), its staff, registrations and audit trail." },
  { name: "activities", description: "Group activities: posting, sign-up, the poster, attendance, verification and notices." },
  { name: "hours", description: "Rules, figures, rankings, certificates, the ledger and the roll of members." },
  { name: "notifications", description: "The inbox, and what reaches a person by text message." },
  { name: "photos", description: "Uploads straight to the photo bucket, attached to records by key." },
  { name: "local only", description: "Helpers of local runs; the Lambda serves none of them." },
] as const;
export type Tag = (typeof tags)[number]["name"];

/** What one answer of an operation is: its media type and, for JSON, the schema it holds to. */
export interface Answer {
  media: string;
  schema?: z.ZodMiniType;
}

/** One route as the document sees it, from the facts its middleware carries. */
export interface Operation extends RouteFacts {
  method: string;
  /** in OpenAPI's form: `/api/wishes/{id}` */
  path: string;
  doc: RouteDoc;
  answers: Map<number, Answer>;
}

const problemJson = "application/problem+json";
const isMedia = (x: unknown): x is Media => typeof (x as Media).type === "string" && !("_zod" in (x as object));

/** The operations of an app, from its routes (`app.routes`): each route's middleware tells its part. */
export function operationsOf(routes: readonly { method: string; path: string; handler: unknown }[]): Operation[] {
  const byRoute = new Map<string, RouteFacts>();
  for (const r of routes) {
    const told = factsOf(r.handler);
    if (!told) continue;
    const key = `${r.method} ${r.path}`;
    byRoute.set(key, { ...byRoute.get(key), ...told });
  }
  const operations: Operation[] = [];
  for (const [key, told] of byRoute) {
    if (!told.doc) continue;
    const [method, path] = key.split(" ");
    const answers = new Map<number, Answer>();
    for (const [status, reply] of Object.entries(told.doc.ok)) {
      answers.set(Number(status), isMedia(reply) ? { media: reply.type } : { media: "application/json", schema: reply });
    }
    const refusals = new Set<number>(told.doc.refuses);
    if (path.includes("/:")) refusals.add(404);
    if (told.auth) refusals.add(401);
    if (told.query) refusals.add(400);
    if (told.body) for (const s of isMedia(told.body) ? [413] : [400, 413, 415, 422]) refusals.add(s);
    for (const status of [...refusals].sort()) {
      const page = told.doc.pages?.[status as keyof typeof told.doc.pages];
      answers.set(status, page ? { media: page.type } : { media: problemJson, schema: Responses.Problem });
    }
    operations.push({ ...told, doc: told.doc, method: method.toLowerCase(), path: path.replace(/:(\w+)/g, "{$1}"), answers });
  }
  return operations;
}

const titles = new Map<number, string>(Object.values(errors).map((e) => [e.status, e.title]));
const successes: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted" };

/** The exported response schemas, by their export names: `components.schemas` holds each once. */
const names = new Map<z.ZodMiniType, string>(
  Object.entries(Responses)
    .filter(([, value]) => typeof value === "object" && value !== null && "_zod" in value)
    .map(([name, schema]) => [schema as z.ZodMiniType, name]),
);
const byName = new Map([...names].map(([schema, name]) => [name, schema]));
const uri = (name: string) => `#/components/schemas/${name}`;
const ref = (schema: z.ZodMiniType) => {
  const name = names.get(schema);
  return name && uri(name);
};

/** The OpenAPI 3.1 document, built from the same schemas that check requests and answers. Built on first ask, not at cold start. */
export function openApiDocument(operations: Operation[]) {
  const output = (schema: z.ZodMiniType) => jsonSchema(schema, { io: "output", ref }, false);
  const input = (schema: z.ZodMiniType) => jsonSchema(schema, { io: "input" });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (op.query) {
      const schema = input(op.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: "query", required: (schema.required ?? []).includes(name), schema: s as { type: string } });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of op.answers) {
      const schema = answer.schema ? output(answer.schema) : { type: "string" };
      responses[status] = { description: successes[status] ?? titles.get(status) ?? "Error", content: { [answer.media]: { schema } } };
    }
    const body =
      op.body &&
      (isMedia(op.body)
        ? { [op.body.type]: { schema: { type: "string", description: op.body.description } } }
        : { "application/json": { schema: input(op.body) } });
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.doc.operationId,
      summary: op.doc.summary,
      description: `Who: ${op.doc.who}.`,
      tags: [op.doc.tag],
      ...(op.auth === "required" ? { security: [{ bearer: [] }] } : op.auth === "optional" ? { security: [{}, { bearer: [] }] } : {}),
      parameters,
      ...(body ? { requestBody: { required: true, content: body } } : {}),
      responses,
    };
  }
  // Only the schemas some answer names, or those name in turn.
  const schemas: Record<string, unknown> = {};
  const visit = (schema: z.ZodMiniType) => {
    const name = names.get(schema)!;
    if (schemas[name]) return;
    schemas[name] = jsonSchema(schema, { io: "output", ref });
    for (const m of JSON.stringify(schemas[name]).matchAll(/#\/components\/schemas\/(\w+)/g)) visit(byName.get(m[1])!);
  };
  for (const op of operations)
    for (const answer of op.answers.values()) if (answer.schema && names.has(answer.schema)) visit(answer.schema);
  const usedTags = new Set(operations.map((op) => op.doc.tag));
  return {
    openapi: "3.1.0",
    info: {
      title: "Microwish API",
      version: "1",
      description:
        "Residents post micro-wishes, staff review and dispatch, members claim and do them. " +
        "A path asked with a method it does not answer gets 405 with an Allow header; an unknown path, 404.",
      contact: { name: "Microwish" },
    },
    servers: [{ url: "/", description: "The origin that serves this document" }],
    tags: tags.filter((t) => usedTags.has(t.name)),
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths,
  };
}
