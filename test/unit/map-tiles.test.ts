/**
 * The map's tiles and the web app's CSP: a configured tile source lets exactly its hosts in as
 * images, and none configured lets no other host in.
 */
import { describe, expect, it } from "vitest";
import { mapTileOrigins, siteCsp, siteHeaders } from "../../functions/app/security.js";

const imgSrc = (csp: string) => csp.split("; ").find((d) => d.startsWith("img-src "));

describe("map tiles in the CSP", () => {
  it("with no tiles configured, images come from the site and data: URIs only", () => {
    expect(mapTileOrigins(undefined)).toEqual([]);
    expect(mapTileOrigins("   ")).toEqual([]);
    expect(imgSrc(siteCsp(undefined, undefined, mapTileOrigins(undefined)))).toBe("img-src 'self' data:");
  });

  it("天地图 with its key: each subdomain's host is allowed, and the vector and label layers share them", () => {
    const vec = "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
    const cva = vec.replace("vec_w", "cva_w");
    const origins = mapTileOrigins(`${vec} ${cva}`, "01234567");
    expect(origins).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `https://t${n}.tianditu.gov.cn`));
    const headers = siteHeaders(undefined, undefined, origins);
    expect(imgSrc(headers["content-security-policy"])).toBe(`img-src 'self' data: ${origins.join(" ")}`);
    // Tiles are images: nothing else about the policy opens up.
    expect(headers["content-security-policy"]).toContain("connect-src 'self';");
    expect(headers["content-security-policy"]).toContain("script-src 'self';");
  });

  it("a template without {s} is one host; Leaflet's abc is the default; anything not http(s) is dropped", () => {
    expect(mapTileOrigins("https://tiles.example.cn/{z}/{x}/{y}.png")).toEqual(["https://tiles.example.cn"]);
    expect(mapTileOrigins("https://{s}.tile.example.org/{z}/{x}/{y}.png")).toEqual([
      "https://a.tile.example.org",
      "https://b.tile.example.org",
      "https://c.tile.example.org",
    ]);
    expect(mapTileOrigins("javascript:alert(1) not-a-url")).toEqual([]);
  });
});
