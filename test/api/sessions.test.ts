/**
 * Staying signed in: sign-in gives an access token for an hour and a refresh token; the refresh
 * token buys the next pair once, a replayed one ends the session for whoever holds it, signing out
 * ends it, and after 60 days unused it ends by itself. Every refusal is a 401 the app answers by
 * asking for a new text message; a malformed token is a 422 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Sessions from "../../functions/core/sessions.js";
import { newPhone, startApi, type Api } from "../helpers/api.js";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function signIn(phone = newPhone()) {
  const sent = await api.call("POST", "/api/auth/otp", { body: { phone } });
  expect(sent.status).toBe(202);
  const outbox = (await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body;
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(outbox[0].text)![1];
  const res = await api.call("POST", "/api/auth/token", { body: { phone, code } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { token: string; refreshToken: string; user: { id: string; phone: string } };
}

const refresh = (refreshToken: string) => api.call("POST", "/api/auth/refresh", { body: { refreshToken } });
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

describe("sessions", () => {
  it("an access token lasts an hour; the refresh token buys a new pair that works, and the old one no more", async () => {
    const first = await signIn();
    const { iat, exp } = claimsOf(first.token);
    expect(exp - iat).toBe(3600);
    expect(first.refreshToken).toMatch(Sessions.refreshTokenPattern);

    const next = await refresh(first.refreshToken);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.user.id).toBe(first.user.id);
    expect(next.body.refreshToken).not.toBe(first.refreshToken);
    const me = await api.call("GET", "/api/me", { as: next.body.token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(first.user.id);

    const again = await refresh(next.body.refreshToken);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it("a refresh token used twice ends the session: the replay and the current token are both refused", async () => {
    const first = await signIn();
    const next = await refresh(first.refreshToken);
    expect(next.status).toBe(200);

    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe("auth.refresh_invalid");
    const current = await refresh(next.body.refreshToken);
    expect(current.status).toBe(401);
  });

  it("signing out ends the session; signing out again or with an unknown token is harmless", async () => {
    const first = await signIn();
    const out = await api.call("POST", "/api/auth/sign-out", { body: { refreshToken: first.refreshToken } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ signedOut: true });
    expect((await refresh(first.refreshToken)).status).toBe(401);
    const twice = await api.call("POST", "/api/auth/sign-out", { body: { refreshToken: first.refreshToken } });
    expect(twice.status).toBe(200);

    // Another device's session is untouched.
    const other = await Sessions.start(api.store, first.user.id);
    expect((await refresh(other)).status).toBe(200);
  });

  it("a session unused for 60 days has ended; one used within them goes on", async () => {
    const first = await signIn();
    const day = 24 * 3600 * 1000;
    const stale = await Sessions.refresh(api.store, "s".repeat(32), first.refreshToken, Date.now() + 61 * day).then(
      () => "refreshed",
      (e: { status?: number; code?: string }) => e.code ?? String(e),
    );
    expect(stale).toBe("auth.refresh_invalid");

    const second = await signIn();
    const later = await Sessions.refresh(api.store, "s".repeat(32), second.refreshToken, Date.now() + 59 * day);
    expect(later.userId).toBe(second.user.id);
  });

  it("a malformed or missing refresh token is a 422 naming the field, and nothing ends", async () => {
    const first = await signIn();
    for (const body of [{ refreshToken: "not-a-token" }, {}, { refreshToken: 42 }]) {
      for (const path of ["/api/auth/refresh", "/api/auth/sign-out"]) {
        const res = await api.call("POST", path, { body });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(422);
        expect(JSON.stringify(res.body)).toContain("refreshToken");
      }
    }
    expect((await refresh(first.refreshToken)).status).toBe(200);
  });
});
