/**
 * The sign-in tokens on node:crypto: tokens from a standard JWT library (Hono's) read the same,
 * ours read in that library, and every kind of forged, altered or timed-out token is refused.
 */
import { sign, verify } from "hono/utils/jwt/jwt";
import { describe, expect, it } from "vitest";
import { signToken, TokenError, verifyToken } from "../../functions/core/jwt.js";

const secret = "a-secret-for-the-tokens";
const now = Date.UTC(2026, 11, 31, 15, 59, 30);
const at = Math.floor(now / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof TokenError ? err.reason : `other: ${err}`;
  }
  return "accepted";
};

describe("HS256 tokens", () => {
  it("reads a token a standard library signed, and that library reads ours", async () => {
    const theirs = await sign({ sub: "u-1", iat: at, exp: at + 60 }, secret, "HS256");
    expect(verifyToken(theirs, secret, now)).toEqual({ sub: "u-1", iat: at, exp: at + 60 });
    const ours = signToken({ sub: "u-2", iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }, secret);
    expect((await verify(ours, secret, "HS256")).sub).toBe("u-2");
  });

  it.each([
    ["another secret", () => signToken({ sub: "u", exp: at + 60 }, "other")],
    [
      "a changed payload",
      () => signToken({ sub: "u", exp: at + 60 }, secret).replace(/\.[^.]+\./, `.${b64({ sub: "admin", exp: at + 60 })}.`),
    ],
    ["no signature", () => signToken({ sub: "u", exp: at + 60 }, secret).replace(/\.[^.]+$/, ".")],
    ["alg none", () => `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "u", exp: at + 60 })}.`],
    ["four parts", () => `${signToken({ sub: "u", exp: at + 60 }, secret)}.x`],
    ["not a token", () => "not-a-jwt"],
    ["a payload that is not JSON", () => `${b64({ alg: "HS256" })}.bm90IGpzb24.sig`],
    ["an iat in the future", () => signToken({ sub: "u", iat: at + 120, exp: at + 600 }, secret)],
    ["an nbf in the future", () => signToken({ sub: "u", nbf: at + 120, exp: at + 600 }, secret)],
    ["an exp that is not a number", () => signToken({ sub: "u", exp: "tomorrow" as never }, secret)],
  ])("refuses %s as invalid", (_, make) => {
    expect(reason(() => verifyToken(make(), secret, now))).toBe("invalid");
  });

  it("refuses a token at and after its exp as expired, and takes it the second before", () => {
    const token = signToken({ sub: "u", iat: at - 10, exp: at + 1 }, secret);
    expect(reason(() => verifyToken(token, secret, now))).toBe("accepted");
    expect(reason(() => verifyToken(token, secret, now + 1000))).toBe("expired");
    expect(reason(() => verifyToken(token, secret, now + 86_400_000))).toBe("expired");
  });
});
