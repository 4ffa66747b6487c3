/**
 * JSON Schema (2020-12, as OpenAPI 3.1 takes it) for the zod/mini schemas of this API: objects,
 * strings, numbers, booleans, enums, arrays, records and the wrappers around them, with the
 * bounds their checks set and what `z.meta` adds. zod's own converter knows every kind of schema
 * and would cost the Lambda over 20 KB for a document built once; this one knows the kinds in use
 * and throws on any other, so a new kind is noticed the first time the document is built
 * (test/unit/openapi.test.ts builds it and compares it with zod's).
 */
import * as z from "zod/mini";

type Json = Record<string, unknown>;
type Schema = z.ZodMiniType;
/** The parts of a definition read here: each kind of schema (or check) has those of its kind. */
interface Def {
  type: string;
  checks?: z.core.$ZodCheck[];
  entries: Record<string, string>;
  element: Schema;
  options: Schema[];
  shape: Record<string, Schema>;
  catchall?: Schema;
  keyType: Schema;
  valueType: Schema;
  innerType: Schema;
  defaultValue: unknown;
  in: Schema;
  out: Schema;
  check?: string;
  format: string;
  minimum: number;
  maximum: number;
  value: number;
  inclusive: boolean;
  pattern: RegExp;
}

export interface Conversion {
  /** requests are described as they are sent (before defaults and transforms), answers as they are sent back */
  io: "input" | "output";
  /** where a schema that has a name of its own is found instead of being repeated */
  ref?: (schema: z.ZodMiniType) => string | undefined;
}

export function jsonSchema(schema: z.ZodMiniType, opts: Conversion, root = true): Json {
  const ref = root ? undefined : opts.ref?.(schema);
  if (ref) return { $ref: ref };
  const def = schema._zod.def as unknown as Def;
  const out = convert(def, opts);
  // A string or number format (z.int(), z.iso.date()) is a check on itself.
  for (const check of [def, ...(def.checks ?? []).map((c) => c._zod.def as unknown as Def)]) bound(out, check);
  const { id, ...meta } = z.globalRegistry.get(schema) ?? {};
  return Object.assign(out, meta);
}

function convert(def: Def, opts: Conversion): Json {
  const inner = (s: z.ZodMiniType) => jsonSchema(s, opts, false);
  switch (def.type) {
    case "string":
    case "number":
    case "boolean":
      return { type: def.type };
    case "enum":
      return { type: "string", enum: Object.values(def.entries) };
    case "array":
      return { type: "array", items: inner(def.element) };
    case "object": {
      const shape = def.shape as Record<string, z.ZodMiniType>;
      const optional = (s: z.ZodMiniType) => (opts.io === "input" ? s._zod.optin : s._zod.optout) !== undefined;
      const required = Object.keys(shape).filter((k) => !optional(shape[k]));
      return {
        type: "object",
        properties: Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, inner(s)])),
        ...(required.length ? { required } : {}),
        ...(def.catchall ? { additionalProperties: def.catchall._zod.def.type === "never" ? false : inner(def.catchall) } : {}),
      };
    }
    case "record":
      return { type: "object", propertyNames: inner(def.keyType), additionalProperties: inner(def.valueType) };
    case "optional":
      return inner(def.innerType);
    case "union":
      return { anyOf: def.options.map(inner) };
    case "nullable":
      return { anyOf: [inner(def.innerType), { type: "null" }] };
    case "default":
      return { ...inner(def.innerType), default: def.defaultValue };
    case "pipe":
      // What comes out of a transform has the kind of what went in, for every pipe here.
      return inner(opts.io === "input" || def.out._zod.def.type === "transform" ? def.in : def.out);
    case "unknown":
      return {};
  }
  throw new Error(`No JSON Schema for a zod ${def.type} schema: add it to functions/app/json-schema.ts`);
}

const formats: Record<string, string> = { datetime: "date-time", date: "date", url: "uri" };

/** What a check says in JSON Schema's terms; checks with no such terms (refinements) say nothing. */
function bound(out: Json, check: Def) {
  const array = out.type === "array";
  if (check.check === "min_length") out[array ? "minItems" : "minLength"] = check.minimum;
  if (check.check === "max_length") out[array ? "maxItems" : "maxLength"] = check.maximum;
  if (check.check === "greater_than") out[check.inclusive ? "minimum" : "exclusiveMinimum"] = check.value;
  if (check.check === "less_than") out[check.inclusive ? "maximum" : "exclusiveMaximum"] = check.value;
  if (check.check === "number_format" && check.format.includes("int")) out.type = "integer";
  if (check.check === "string_format") {
    if (check.format === "regex") out.pattern = check.pattern.source;
    else out.format = formats[check.format] ?? check.format;
  }
}
