import { Hono, type Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Identity from "../../core/identity.js";
import * as Sessions from "../../core/sessions.js";
import { clientAddress } from "../edge.js";
import { doc, json, type Env } from "../http.js";
import * as R from "../responses.js";
import { OtpRequest, RefreshRequest, TokenRequest } from "../schemas.js";

/**
 * The client's address for rate limits: API Gateway's source IP on Lambda (the viewer's, as
 * CloudFront names it, when the request came through the site's distribution: edge.ts), the
 * socket's locally.
 */
function clientOf(c: Context<Env>): string {
  const env = c.env as
    | { requestContext?: { http?: { sourceIp?: string } }; incoming?: { socket?: { remoteAddress?: string } } }
    | undefined;
  const source = env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? "unknown";
  return clientAddress((name) => c.req.header(name), source);
}

export function authRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/auth/otp",
    doc({
      operationId: "sendCode",
      tag: "sign-in",
      who: "anyone",
      summary: "Send a 6-digit sign-in code by SMS, to the countries the deployment serves; 429 with Retry-After when asked too often",
      ok: { 202: R.CodeSent },
      refuses: [400, 429],
    }),
    json(OtpRequest),
    async (c) => {
      const { store, notifier, secret, sms } = c.var.deps;
      const phone = c.req.valid("json").phone;
      const sent = await Identity.requestCode(store, notifier, await secret(), { phone, client: clientOf(c), sms });
      return c.json({ sent: true, ...sent }, 202);
    },
  );

  app.post(
    "/auth/token",
    doc({
      operationId: "signIn",
      tag: "sign-in",
      who: "anyone",
      summary: "Trade the code for an access token (an hour) and a refresh token (60 days from its last use); 429 after five wrong codes",
      ok: { 200: R.SignedIn },
      refuses: [429],
    }),
    json(TokenRequest),
    async (c) => {
      const { store } = c.var.deps;
      const secret = await c.var.deps.secret();
      const user = await Identity.redeemCode(store, secret, { ...c.req.valid("json"), client: clientOf(c) });
      const [actor, refreshToken] = await Promise.all([Identity.loadActor(store, user.id), Sessions.start(store, user.id)]);
      return c.json({ token: await Identity.issueToken(secret, user.id), refreshToken, user: actor! });
    },
  );

  app.post(
    "/auth/refresh",
    doc({
      operationId: "refreshSession",
      tag: "sign-in",
      who: "anyone holding a refresh token",
      summary: "Trade the refresh token for a new access token and the next refresh token; 401 when it was used, revoked or expired",
      ok: { 200: R.SignedIn },
      refuses: [401],
    }),
    json(RefreshRequest),
    async (c) => {
      const { store } = c.var.deps;
      const next = await Sessions.refresh(store, await c.var.deps.secret(), c.req.valid("json").refreshToken);
      const actor = await Identity.loadActor(store, next.userId);
      if (!actor) return fail("auth.refresh_invalid", "This account no longer exists: sign in again.");
      return c.json({ token: next.token, refreshToken: next.refreshToken, user: actor });
    },
  );

  app.post(
    "/auth/sign-out",
    doc({
      operationId: "signOut",
      tag: "sign-in",
      who: "anyone holding a refresh token",
      summary: "End the session: its refresh token works no more (access tokens already out run out within the hour)",
      ok: { 200: R.SignedOut },
    }),
    json(RefreshRequest),
    async (c) => {
      await Sessions.end(c.var.deps.store, c.req.valid("json").refreshToken);
      return c.json({ signedOut: true });
    },
  );

  return app;
}
