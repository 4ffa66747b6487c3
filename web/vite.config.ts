import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/**
 * Emits sw.js from service-worker.js with the build's files as the app shell and their hash as the
 * cache version. The map's chunks (Leaflet, its stylesheet) stay out of the shell: a phone fetches
 * them when it opens the map, never on install, since most people never do.
 */
function serviceWorker(): Plugin {
  const publicFiles = ["/index.html", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png"];
  return {
    name: "microwish-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const mapOnly = new Set<string>();
      for (const c of Object.values(bundle)) {
        if (c.type !== "chunk" || !c.moduleIds.some((id) => /node_modules\/leaflet\/|\/ui\/map-view\./.test(id))) continue;
        mapOnly.add(c.fileName);
        for (const css of c.viteMetadata?.importedCss ?? []) mapOnly.add(css);
      }
      const built = Object.keys(bundle)
        .filter((f) => /\.(js|css)$/.test(f) && !mapOnly.has(f))
        .map((f) => `/${f}`)
        .sort();
      const shell = [...publicFiles, ...built];
      const version = `microwish-${createHash("sha256").update(shell.join("\n")).digest("hex").slice(0, 12)}`;
      const source = readFileSync(join(import.meta.dirname, "service-worker.js"), "utf8")
        .replace("__VERSION__", version)
        .replace("__SHELL__", JSON.stringify(shell));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

/**
 * Adds `<link rel="modulepreload">` for each role's home page and the chunks it imports: a phone
 * opening the app fetches them beside the entry instead of after it has run (a few KB each).
 */
function preloadHomes(): Plugin {
  const homes = ["/pages/my-wishes.tsx", "/pages/hall.tsx", "/pages/review.tsx"];
  return {
    name: "microwish-preload-homes",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === "chunk");
        const entry = chunks.find((c) => c.isEntry);
        const already = new Set([entry?.fileName, ...(entry?.imports ?? [])]);
        const files = new Set<string>();
        const add = (file: string) => {
          if (already.has(file) || files.has(file)) return;
          files.add(file);
          for (const next of chunks.find((c) => c.fileName === file)?.imports ?? []) add(next);
        };
        for (const c of chunks) if (homes.some((h) => c.facadeModuleId?.endsWith(h))) add(c.fileName);
        return [...files].map((f) => ({
          tag: "link",
          attrs: { rel: "modulepreload", crossorigin: true, href: `/${f}` },
          injectTo: "head" as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid(), serviceWorker(), preloadHomes()],
  // The manifest lets the bundle-budget test find what the first page loads.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    manifest: true,
    // A slow machine is not a problem of the build: no timing warnings in `npm start`'s output.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { proxy: { "/api": process.env.API_URL ?? "http://127.0.0.1:3000" } },
});
