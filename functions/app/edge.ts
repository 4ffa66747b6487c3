/**
 * The API behind the site's CloudFront distribution (stacks/Web.ts): what CloudFront forwards,
 * and how the API knows a request came through it. CloudFront adds `edgeSecretHeader` with a
 * value only the stacks know (EDGE_SECRET in the API's environment); only a request carrying it
 * may name the viewer's address in `cloudfront-viewer-address`, which the sign-in limits count
 * by. A request straight to API Gateway is counted by its own source address, whatever it sends.
 */
export const edgeSecretHeader = "x-microwish-edge";

/** The viewer headers CloudFront forwards to the API (the token goes with the cache key, see stacks/Web.ts). */
export const apiForwardedHeaders = ["accept", "accept-language", "content-type", "idempotency-key", "origin", "CloudFront-Viewer-Address"];

/** The viewer's IP from CloudFront's `ip:port` (IPv6 unbracketed: `2001:db8::1:443`), or undefined. */
export function viewerAddress(header: string | undefined): string | undefined {
  const m = /^(.+):(\d{1,5})$/.exec(header?.trim() ?? "");
  return m ? m[1] : undefined;
}

/** The client's address: CloudFront's viewer address when the edge's secret is present and right, else the source. */
export function clientAddress(headers: (name: string) => string | undefined, source: string, secret = process.env.EDGE_SECRET) {
  if (!secret || headers(edgeSecretHeader) !== secret) return source;
  return viewerAddress(headers("cloudfront-viewer-address")) ?? source;
}
