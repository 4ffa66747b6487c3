import * as z from "zod/mini";
import { titles, type Operation } from "./http.js";

const problem = {
  description: "A problem (RFC 9457)",
  content: {
    "application/problem+json": {
      schema: {
        type: "object",
        required: ["type", "title", "status", "detail"],
        properties: {
          type: { type: "string" },
          title: { type: "string" },
          status: { type: "integer" },
          code: { type: "string", description: "dotted rule name, e.g. wish.full" },
          detail: { type: "string" },
          errors: { type: "object", additionalProperties: { type: "string" }, description: "message per field" },
        },
      },
    },
  },
};

/** The OpenAPI 3.1 document, built from the same schemas that validate requests. Built on first ask, not at cold start. */
export function openApiDocument(operations: Operation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, "{$1}") || "/";
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (op.query) {
      const schema = z.toJSONSchema(op.query, { io: "input", unrepresentable: "any" }) as any;
      for (const [name, s] of Object.entries<any>(schema.properties ?? {})) {
        params.push({ name, in: "query", required: (schema.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: { description: "OK", content: { "application/json": { schema: {} } } },
    };
    for (const status of op.body ? [400, 413, 415, 422] : [400]) responses[status] = { ...problem, description: titles[status] };
    if (op.auth) Object.assign(responses, { 401: problem, 403: problem, 404: problem });
    if (op.tag === "lifecycle") responses[409] = problem;
    (paths[path] ??= {})[op.method] = {
      summary: op.summary,
      description: `Who: ${op.who}.`,
      tags: [op.tag],
      ...(op.auth ? { security: [{ bearer: [] }] } : {}),
      parameters: params,
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Microwish API", version: "1", description: "Residents post micro-wishes, staff review and dispatch, members claim and do them." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
}

/** A docs page that needs nothing from outside: it renders the document in plain HTML. */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Microwish API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}h2{border-bottom:1px solid #ddd}
.op{margin:.8rem 0;padding:.6rem;border:1px solid #e3e3e3;border-radius:6px}.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}
.get{color:#0a6}.post{color:#c60}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:13px}</style></head>
<body><h1>Microwish API</h1><p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
<main id="ops">Loading…</main>
<script>
fetch("/api/openapi.json").then(r=>r.json()).then(doc=>{const main=document.getElementById("ops");main.textContent="";const byTag={};
for(const [p,ms] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ms))(byTag[op.tags[0]]??=[]).push([m,p,op]);
for(const [tag,ops] of Object.entries(byTag)){const h=document.createElement("h2");h.textContent=tag;main.append(h);
for(const [m,p,op] of ops){const d=document.createElement("details");d.className="op";const s=document.createElement("summary");
s.innerHTML='<span class="m '+m+'"></span><code></code> — <span></span>';s.children[0].textContent=m;s.children[1].textContent=p;s.children[2].textContent=op.summary+" ("+op.description+")";
const pre=document.createElement("pre");pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody?.content["application/json"].schema},null,2);d.append(s,pre);main.append(d);}}});
</script></body></html>`;
