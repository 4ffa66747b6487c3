import type { Context } from "hono";
import type { Env } from "../http.js";
import * as Identity from "../../core/identity.js";
import { router } from "../http.js";
import { OtpRequest, TokenRequest } from "../schemas.js";

/** The client's address for rate limits: API Gateway's source IP on Lambda, the socket's locally. */
function clientOf(c: Context<Env>): string {
  const env = c.env as any;
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function authRoutes() {
  const r = router("/api/auth");

  r.route({ method: "post", path: "/otp", tag: "sign-in", who: "anyone", auth: false, summary: "Send a 6-digit sign-in code by SMS", body: OtpRequest, status: 202 }, async ({ c, body }) => {
    const deps = c.get("deps");
    const sent = await Identity.requestCode(deps.store, deps.notifier, await deps.secret(), {
      phone: body.phone,
      client: clientOf(c),
      sms: deps.sms,
    });
    return c.json({ sent: true, ...sent }, 202);
  });

  r.route({ method: "post", path: "/token", tag: "sign-in", who: "anyone", auth: false, summary: "Trade the code for a token", body: TokenRequest }, async ({ c, body }) => {
    const deps = c.get("deps");
    const secret = await deps.secret();
    const user = await Identity.redeemCode(deps.store, secret, { ...body, client: clientOf(c) });
    const actor = (await Identity.loadActor(deps.store, user.id))!;
    return c.json({ token: await Identity.issueToken(secret, user.id), user: actor });
  });

  return r;
}
