import { Duration } from "aws-cdk-lib";
import { HeadersFrameOption, type HeadersReferrerPolicy, ResponseHeadersPolicy } from "aws-cdk-lib/aws-cloudfront";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { StaticSite, use, type StackContext } from "sst/constructs";
import { commonHeaders, hstsMaxAgeSeconds, permissionsPolicy, siteCsp } from "../functions/app/security.js";
import { Api, photoOrigin, siteOriginParameter } from "./Api.js";

export function Web({ stack }: StackContext) {
  const { api } = use(Api);

  // The headers the local server sends with the web app (functions/app/security.ts), added by
  // CloudFront to every answer; the CSP lets the app talk to its own origin, the API's and the photo bucket's.
  const headers = new ResponseHeadersPolicy(stack, "SecurityHeaders", {
    comment: "Microwish web app: CSP, HSTS, nosniff, no framing, no referrer",
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: siteCsp(api.url, photoOrigin(stack)), override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(hstsMaxAgeSeconds), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: {
        frameOption: commonHeaders["x-frame-options"] === "DENY" ? HeadersFrameOption.DENY : HeadersFrameOption.SAMEORIGIN,
        override: true,
      },
      referrerPolicy: { referrerPolicy: commonHeaders["referrer-policy"] as HeadersReferrerPolicy, override: true },
    },
    customHeadersBehavior: { customHeaders: [{ header: "permissions-policy", value: permissionsPolicy, override: true }] },
  });

  const site = new StaticSite(stack, "Site", {
    path: "web",
    buildCommand: "npx vite build",
    buildOutput: "dist",
    environment: { VITE_API_URL: api.url },
    // The web app declares its own env types; keep SST's generated declaration file
    // out of its source tree.
    vite: { types: "../.sst/types/web-env.d.ts" },
    // `sst dev` runs the app on Vite's dev server.
    dev: { url: "http://localhost:5173" },
    cdk: { distribution: { defaultBehavior: { responseHeadersPolicy: headers } } },
  });

  // The API lets in only this origin (CORS); it reads it here at run time, since the site is
  // built with the API's URL and the API cannot name the site at deploy time.
  new StringParameter(stack, "SiteOrigin", {
    parameterName: siteOriginParameter(stack),
    stringValue: site.customDomainUrl ?? site.url ?? "http://localhost:5173",
    description: "The web app's origin, for the API's CORS",
  });

  stack.addOutputs({ SiteUrl: site.url });

  return { site };
}
