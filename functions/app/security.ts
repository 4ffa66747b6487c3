/**
 * The security headers, in one place for the three places that send them: the local server
 * (the web app's files), the API (JSON and its few HTML pages) and CloudFront on AWS
 * (stacks/Web.ts turns `siteHeaders` into a response headers policy). Pure: no Hono, no AWS.
 */
import { createHash } from "node:crypto";

/** Two years, as browsers' preload lists ask; only ever sent over HTTPS on AWS (browsers ignore it over HTTP). */
export const hstsMaxAgeSeconds = 2 * 365 * 24 * 3600;

/** Headers every response carries, whatever it is. */
export const commonHeaders = {
  "strict-transport-security": `max-age=${hstsMaxAgeSeconds}; includeSubDomains`,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

/** The app asks for the phone's position (check-in, nearest wishes) and nothing else. */
export const permissionsPolicy = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()";

/**
 * The web app's Content-Security-Policy: its own files only, no inline script or style (the
 * build has none: `test/robust/security-headers.test.ts` checks index.html), the API at
 * `apiOrigin` when it is another origin (on AWS), icons and CSS images from the site or as
 * data: URIs. With a photo bucket at `photoOrigin`, the app uploads there (connect-src) and shows
 * photos from there (img-src); photos picked but not yet sent show from blob: URLs. Map tiles
 * load as images from the hosts the build was configured with (`mapTileOrigins`), and only then.
 */
export function siteCsp(apiOrigin?: string, photoOrigin?: string, tileOrigins: string[] = []): string {
  const photos = photoOrigin;
  const connect = ["'self'", ...(apiOrigin ? [apiOrigin] : []), ...(photos ? [photos] : [])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${photos ? ` blob: ${photos}` : ""}${tileOrigins.map((o) => ` ${o}`).join("")}`,
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

/** The web app's headers (CSP included), as the local server sends them and CloudFront does on AWS. */
export function siteHeaders(apiOrigin?: string, photoOrigin?: string, tileOrigins: string[] = []): Record<string, string> {
  return {
    ...commonHeaders,
    "content-security-policy": siteCsp(apiOrigin, photoOrigin, tileOrigins),
    "permissions-policy": permissionsPolicy,
  };
}

/**
 * The origins the web app's map loads tiles from, from the same settings its build reads
 * (`VITE_MAP_TILES`: URL templates separated by spaces; `{s}` stands for each character of
 * `VITE_MAP_SUBDOMAINS`, Leaflet's `abc` by default). None configured: none allowed.
 */
export function mapTileOrigins(tiles: string | undefined, subdomains?: string): string[] {
  const hosts = (tiles ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((template) => [...(template.includes("{s}") ? subdomains || "abc" : "-")].map((s) => template.replaceAll("{s}", s)))
    .map((url) => originOf(url.replace(/\{[^}]*\}/g, "0")))
    .filter((o): o is string => Boolean(o) && o !== "null" && /^https?:/.test(o!));
  return [...new Set(hosts)];
}

/** JSON, CSV and problem documents: nothing in them may run or be framed. */
export const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * An HTML page the API renders (the certificate, its verification, the API docs): the hashes
 * of exactly the inline <style> and <script> blocks it carries, and nothing else. Style
 * attributes are not allowed, so pages use classes; SVG presentation attributes are fine.
 */
export function pageCsp(html: string): string {
  const blocks = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "gi"))].map((m) => sha256(m[1]));
  const styles = blocks("style");
  const scripts = blocks("script");
  return [
    "default-src 'none'",
    `style-src ${styles.length ? styles.join(" ") : "'none'"}`,
    `script-src ${scripts.length ? scripts.join(" ") : "'none'"}`,
    "img-src 'self' data:",
    // The docs page reads /api/openapi.json from where it is served.
    `connect-src ${scripts.length ? "'self'" : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** The origin of a URL (`https://abc.execute-api.region.amazonaws.com/` → without the slash), or undefined. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** `SITE_ORIGIN`-style lists: comma-separated origins, each brought to its canonical form; anything not an origin is dropped. */
export function parseOrigins(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => originOf(s))
    .filter((o): o is string => Boolean(o) && o !== "null");
}
