import { Hono } from "hono";
import type { Env } from "../http.js";

/**
 * The OpenAPI document and its page. The document is text made once: by the app itself on first
 * ask locally and in tests (functions/app/index.ts), at deploy time for Lambda (functions/docs.ts),
 * so that the API's own function neither carries nor builds it.
 */
export function docsRoutes(document: () => string) {
  const app = new Hono<Env>();
  app.get("/openapi.json", (c) => c.body(document(), 200, { "content-type": "application/json" }));
  app.get("/docs", (c) => c.html(docsPage));
  return app;
}

/** A docs page that needs nothing from outside: it renders the document in plain HTML. */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Microwish API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}h2{border-bottom:1px solid #ddd}
.op{margin:.8rem 0;padding:.6rem;border:1px solid #e3e3e3;border-radius:6px}.m{font-weight:700;text-transform:uppercase;margin-right:.5rem}
.get{color:#0a6}.post{color:#c60}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:13px}</style></head>
<body><h1>Microwish API</h1>
<p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
Errors are <code>application/problem+json</code>.</p>
<main id="ops">Loading…</main>
<script>
fetch("/api/openapi.json").then(r=>r.json()).then(doc=>{const main=document.getElementById("ops");main.textContent="";const byTag={};
for(const [p,ms] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ms))(byTag[op.tags[0]]??=[]).push([m,p,op]);
for(const [tag,ops] of Object.entries(byTag)){const h=document.createElement("h2");h.textContent=tag;main.append(h);
for(const [m,p,op] of ops){const d=document.createElement("details");d.className="op";const s=document.createElement("summary");
s.innerHTML='<span class="m '+m+'"></span><code></code> — <span></span>';
s.children[0].textContent=m;s.children[1].textContent=p;s.children[2].textContent=op.summary+" ("+op.description+")";
const pre=document.createElement("pre");
pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody?.content,responses:op.responses},null,2);
d.append(s,pre);main.append(d);}}});
</script></body></html>`;
