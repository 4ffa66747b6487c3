/**
 * Where the app goes after sign-in: only to one of its own pages. The refused addresses are the
 * ones an outside audit got through the earlier check (a leading `/` and no `//`).
 */
import { describe, expect, it } from "vitest";
import { pagePaths, safeNext } from "../../web/src/data/routes.js";

const home = "/hall";

describe("the sign-in page's next=", () => {
  it.each(["/wishes/01JDXK2Z8Y3M4N5P6Q7R8S9T0V", "/stats?period=2026-12", "/hall", "/notifications", "/mine?status=open&limit=20"])(
    "goes on to the app's own page %s",
    (next) => {
      expect(safeNext(next, home)).toBe(next);
    },
  );

  it.each([
    "/\\evil.example",
    "/%09/evil.example",
    "//evil.example",
    "/\t/evil.example",
    "https://evil.example/wishes/1",
    "/wishes/1/../../evil",
    "/wishes/%2e%2e",
    "/hall#x",
    "/hall?next=//evil.example",
    "/signin",
    "/unknown",
    "",
    "hall",
  ])("falls back to the home page for %j", (next) => {
    expect(safeNext(next, home)).toBe(home);
  });

  it("falls back when next is missing or repeated", () => {
    expect(safeNext(undefined, home)).toBe(home);
    expect(safeNext(["/hall", "/stats"], home)).toBe(home);
  });

  it("knows every page the router declares", async () => {
    const { readFile } = await import("node:fs/promises");
    const router = await readFile(new URL("../../web/src/index.tsx", import.meta.url), "utf8");
    const declared = [...router.matchAll(/<Route path="([^"]+)"/g)].map((m) => m[1]).filter((p) => !["/", "/signin", "*"].includes(p));
    // A route ending in `*rest` stands for the pages under it that the list names (and must name one).
    const under = (route: string) => {
      if (!route.endsWith("/*rest")) return [route];
      const named = pagePaths.filter((p) => p.startsWith(route.slice(0, -"*rest".length)));
      return named.length ? named : [route];
    };
    expect(declared.flatMap(under).sort()).toEqual([...pagePaths].sort());
  });
});
