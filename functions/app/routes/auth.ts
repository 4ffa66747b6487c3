import { Hono, type Context } from "hono";
import * as Identity from "../../core/identity.js";
import { clientAddress } from "../edge.js";
import { doc, json, type Env } from "../http.js";
import * as R from "../responses.js";
import { OtpRequest, TokenRequest } from "../schemas.js";

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
      summary: "Trade the code for a token; 429 after five wrong codes",
      ok: { 200: R.SignedIn },
      refuses: [429],
    }),
    json(TokenRequest),
    async (c) => {
      const { store } = c.var.deps;
      const secret = await c.var.deps.secret();
      const user = await Identity.redeemCode(store, secret, { ...c.req.valid("json"), client: clientOf(c) });
      const actor = (await Identity.loadActor(store, user.id))!;
      return c.json({ token: await Identity.issueToken(secret, user.id), user: actor });
    },
  );

  return app;
}
