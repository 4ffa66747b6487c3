/**
 * Staying signed in without another text message. Sign-in hands out a short access token (an
 * HS256 JWT, `tokenTtlSeconds`) and a long-lived refresh token; the app trades the refresh token
 * for a fresh pair when the access token runs out. Each refresh token works once: using it
 * replaces it, and presenting one already replaced (a copy someone else kept) ends the session,
 * as does signing out. The table keeps only a hash of it.
 */
import { createHash, randomBytes } from "node:crypto";
import { deleteItem, getItem, putItem, updateItem, type Store } from "../store/client.js";
import * as sessions from "../store/entities/session.js";
import { fail } from "./errors.js";
import { issueToken } from "./identity.js";

/** A session lasts 60 days from its last use: a phone used once a month never asks for a code again. */
export const refreshTtlSeconds = 60 * 24 * 3600;

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("base64url");
const token = (id: string, secret: string) => `${id}.${secret}`;
export const refreshTokenPattern = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

function parse(refreshToken: string) {
  if (!refreshTokenPattern.test(refreshToken)) return undefined;
  const [id, secret] = refreshToken.split(".");
  return { id, secret };
}

const refused = () => fail("auth.refresh_invalid", "This sign-in has ended (expired, signed out or used already): sign in again.");

/** A new session for the user: the refresh token to keep on the device. */
export async function start(store: Store, userId: string, now = Date.now()): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  const secret = randomBytes(32).toString("base64url");
  const at = new Date(now).toISOString();
  const created = await putItem(
    store,
    sessions.create({ id, userId, hash: hashOf(secret), createdAt: at, expiresAt: Math.floor(now / 1000) + refreshTtlSeconds }),
  );
  if (!created) throw new Error("A session id came up twice");
  return token(id, secret);
}

/**
 * A fresh access token and the next refresh token, for a refresh token that is current. One
 * already traded (a replay, or a stolen copy used after its owner) ends the session for both.
 */
export async function refresh(store: Store, signingSecret: string, refreshToken: string, now = Date.now()) {
  const presented = parse(refreshToken);
  if (!presented) return refused();
  const nowSeconds = Math.floor(now / 1000);
  const secret = randomBytes(32).toString("base64url");
  const rotated = await updateItem(
    store,
    sessions.rotate(
      presented.id,
      hashOf(presented.secret),
      hashOf(secret),
      new Date(now).toISOString(),
      nowSeconds,
      nowSeconds + refreshTtlSeconds,
    ),
  );
  if (!rotated.ok) {
    const item = await getItem(store, sessions.key(presented.id));
    // Still live, but not this token: an old one came back, so whoever holds the current one may not be its owner.
    if (item && sessions.fromItem(item).expiresAt > nowSeconds) await deleteItem(store, sessions.revoke(presented.id));
    return refused();
  }
  const { userId } = sessions.fromItem(rotated.item);
  return { userId, token: await issueToken(signingSecret, userId, now), refreshToken: token(presented.id, secret) };
}

/** Signing out: the session's refresh token works no more. Unknown or ended already: nothing to do. */
export async function end(store: Store, refreshToken: string) {
  const presented = parse(refreshToken);
  if (!presented) return;
  const item = await getItem(store, sessions.key(presented.id));
  if (item && sessions.fromItem(item).hash === hashOf(presented.secret)) await deleteItem(store, sessions.revoke(presented.id));
}
