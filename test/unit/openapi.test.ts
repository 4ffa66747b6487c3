/**
 * The served OpenAPI document, built by the app itself (no table needed): clean under Spectral's
 * `spectral:oas` rules (the repository's .spectral.yaml), an operationId for every operation and
 * a real schema for every success, the statuses each route can answer, and JSON Schema that says
 * what zod's own converter says of the same schemas.
 */
import { Document, Spectral } from "@stoplight/spectral-core";
import * as Parsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { createApp } from "../../functions/app/index.js";
import * as H from "../../functions/app/hours-schemas.js";
import { jsonSchema } from "../../functions/app/json-schema.js";
import * as R from "../../functions/app/responses.js";
import * as S from "../../functions/app/schemas.js";
import { devRoutes } from "../../functions/dev/routes.js";

const deps = { store: {} as never, notifier: {} as never, secret: async () => "unused", publicUrl: () => "http://127.0.0.1" };
const served = async (extra: Parameters<typeof createApp>[1] = []) => {
  const res = await createApp(deps, extra).request("/api/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as {
    tags: { name: string; description: string }[];
    paths: Record<string, Record<string, any>>;
    components: any;
  };
};
const lambda = await served();
const local = await served([devRoutes()]);
const operations = (doc: typeof lambda) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );

describe("Spectral, with the spectral:oas rules", () => {
  it("is the ruleset of the repository", () => {
    expect(readFileSync(".spectral.yaml", "utf8")).toMatch(/^extends:\s*\[\s*"spectral:oas"\s*\]\s*$/m);
  });

  it.each([
    ["the Lambda's document", lambda],
    ["the local server's document (with the dev routes)", local],
  ])("finds no error, warning or hint in %s", async (_, doc) => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [oas as never] });
    const results = await spectral.run(new Document(JSON.stringify(doc, null, 2), Parsers.Json, "openapi.json"));
    expect(results.map((r) => `${r.code} at ${r.path.join(".")}: ${r.message}`)).toEqual([]);
  });
});

describe("the operations", () => {
  it("each has its own operationId, and a tag declared at the top with a description", () => {
    const ids = operations(local).map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const declared = new Set(local.tags.map((t) => t.name));
    expect(local.tags.every((t) => t.description.length > 0)).toBe(true);
    expect(operations(local).filter(({ op }) => !op.tags.every((t: string) => declared.has(t)))).toEqual([]);
    expect(operations(lambda).length).toBeGreaterThan(40);
  });

  it("each answers its success with a real schema, never {}", () => {
    for (const { key, op } of operations(local)) {
      const successes = Object.entries<any>(op.responses).filter(([status]) => status.startsWith("2"));
      expect(successes.length, key).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        for (const [media, { schema }] of Object.entries<any>(response.content)) {
          expect(Object.keys(schema ?? {}), `${key} ${status} ${media}`).not.toEqual([]);
          if (media === "application/json") expect(schema.$ref ?? schema.type, `${key} ${status}`).toBeDefined();
        }
      }
    }
    expect(lambda.components.schemas.WishView.properties.timeline.items).toEqual({ $ref: "#/components/schemas/TimelineEvent" });
  });

  it("names the real media type of CSV files and HTML pages", () => {
    const media = (key: string, status: string) => Object.keys(operations(lambda).find((o) => o.key === key)!.op.responses[status].content);
    expect(media("GET /api/communities/{id}/ledger.csv", "200")).toEqual(["text/csv"]);
    expect(media("GET /api/communities/{id}/members.csv", "200")).toEqual(["text/csv"]);
    expect(media("GET /api/certificates/{number}/print", "200")).toEqual(["text/html"]);
    expect(media("GET /api/certificates/{number}/verify", "200")).toEqual(["text/html"]);
    expect(media("GET /api/certificates/{number}/verify", "404")).toEqual(["text/html"]);
    expect(media("GET /api/certificates/{number}/print", "404")).toEqual(["application/problem+json"]);
    const roll = operations(lambda).find((o) => o.key === "POST /api/communities/{id}/members/import")!.op;
    expect(Object.keys(roll.requestBody.content)).toEqual(["text/csv"]);
  });

  it("documents the refusals each route can give: 404 for unknown ids, 429 on sign-in, 401 where a token is read", () => {
    const statuses = (o: { op: any }) => Object.keys(o.op.responses);
    for (const o of operations(lambda)) {
      if (o.path.includes("{")) expect(statuses(o), o.key).toContain("404");
      if (o.op.security) expect(statuses(o), o.key).toContain("401");
      if (o.op.requestBody?.content["application/json"])
        expect(statuses(o), o.key).toEqual(expect.arrayContaining(["400", "413", "415", "422"]));
    }
    for (const key of ["POST /api/auth/otp", "POST /api/auth/token"])
      expect(statuses(operations(lambda).find((o) => o.key === key)!)).toContain("429");
    const health = operations(lambda).find((o) => o.key === "GET /api/health")!;
    expect(statuses(health)).toEqual(["200"]);
  });
});

describe("the JSON Schema of each schema", () => {
  /** zod's converter, with what it adds that says nothing more: the dialect, patterns beside a format, the bounds of a safe integer. */
  const zods = (schema: z.ZodMiniType, io: "input" | "output") =>
    JSON.parse(JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: "any" })), (_key, value) => {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const { $schema, ...rest } = value;
        if (rest.format) delete rest.pattern;
        if (Array.isArray(rest.type) && rest.type.length === 2 && rest.type[1] === "null") {
          const { type, ...others } = rest;
          return { anyOf: [{ ...others, type: type[0] }, { type: "null" }] };
        }
        if (rest.type === "integer" && rest.minimum === Number.MIN_SAFE_INTEGER) delete rest.minimum;
        if (rest.type === "integer" && rest.maximum === Number.MAX_SAFE_INTEGER) delete rest.maximum;
        return rest;
      }
      return value;
    });
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  const schemas = (module: Record<string, unknown>) =>
    Object.entries(module).filter(
      (entry): entry is [string, z.ZodMiniType] => typeof (entry[1] as z.ZodMiniType)?.safeParse === "function",
    );

  it.each([...schemas(S), ...schemas(H)])("request %s: as zod's converter has it", (_, schema) => {
    expect(sorted(jsonSchema(schema, { io: "input" }))).toEqual(sorted(zods(schema, "input")));
  });

  it.each(schemas(R))("answer %s: as zod's converter has it", (_, schema) => {
    expect(sorted(jsonSchema(schema, { io: "output" }))).toEqual(sorted(zods(schema, "output")));
  });
});
