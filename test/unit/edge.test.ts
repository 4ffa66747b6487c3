/**
 * Whose address the sign-in limits count: the viewer's, as CloudFront names it, only for a
 * request that carries the edge's secret; anyone else who names an address is counted by the
 * address they came from.
 */
import { describe, expect, it } from "vitest";
import { clientAddress, edgeSecretHeader, viewerAddress } from "../../functions/app/edge.js";

const headers = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()];

describe("the client's address behind CloudFront", () => {
  it("reads CloudFront's ip:port, IPv4 and IPv6", () => {
    expect(viewerAddress("203.0.113.9:53412")).toBe("203.0.113.9");
    expect(viewerAddress("2001:db8::8a2e:370:7334:443")).toBe("2001:db8::8a2e:370:7334");
    expect(viewerAddress("no port")).toBeUndefined();
    expect(viewerAddress(undefined)).toBeUndefined();
  });

  it("takes the viewer's address from a request through the distribution", () => {
    const h = headers({ [edgeSecretHeader]: "s3cret", "cloudfront-viewer-address": "198.51.100.7:1234" });
    expect(clientAddress(h, "130.176.0.1", "s3cret")).toBe("198.51.100.7");
  });

  it.each([
    ["without the secret", { "cloudfront-viewer-address": "198.51.100.7:1234" }, "s3cret"],
    ["with a wrong secret", { [edgeSecretHeader]: "guess", "cloudfront-viewer-address": "198.51.100.7:1234" }, "s3cret"],
    ["when the API has no secret", { [edgeSecretHeader]: "", "cloudfront-viewer-address": "198.51.100.7:1234" }, ""],
  ])("counts a request %s by where it came from", (_, h, secret) => {
    expect(clientAddress(headers(h), "203.0.113.50", secret)).toBe("203.0.113.50");
  });
});
