/**
 * HS256 JSON Web Tokens on node:crypto: all the sign-in needs, without a library in the API's
 * bundle. Tokens are those any JWT library makes (header `{"alg":"HS256","typ":"JWT"}`), checked
 * as strictly: the algorithm, the signature in constant time, then `exp`, `nbf` and `iat`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Claims {
  sub?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

/** Why a token was refused: `expired` for one past its `exp`, `invalid` for anything else. */
export class TokenError extends Error {
  constructor(readonly reason: "invalid" | "expired") {
    super(reason === "expired" ? "The token has expired." : "The token is not valid.");
    this.name = "TokenError";
  }
}

const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
const mac = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest();

export function signToken(claims: Claims, secret: string): string {
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

function decode(part: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw new TokenError("invalid");
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {}
  throw new TokenError("invalid");
}

/** The claims of a token this secret signed and whose time has come and not gone; else a TokenError. */
export function verifyToken(token: string, secret: string, now = Date.now()): Claims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new TokenError("invalid");
  const [head, body, signature] = parts;
  if (decode(head).alg !== "HS256") throw new TokenError("invalid");
  const given = /^[A-Za-z0-9_-]+$/.test(signature) ? Buffer.from(signature, "base64url") : Buffer.alloc(0);
  const expected = mac(secret, `${head}.${body}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError("invalid");
  const claims = decode(body) as Claims;
  const seconds = Math.floor(now / 1000);
  for (const name of ["exp", "nbf", "iat"] as const)
    if (claims[name] !== undefined && typeof claims[name] !== "number") throw new TokenError("invalid");
  if (claims.nbf !== undefined && claims.nbf > seconds) throw new TokenError("invalid");
  if (claims.iat !== undefined && claims.iat > seconds) throw new TokenError("invalid");
  if (claims.exp !== undefined && claims.exp <= seconds) throw new TokenError("expired");
  return claims;
}
