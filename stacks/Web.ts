import { Duration, Fn } from "aws-cdk-lib";
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  HeadersFrameOption,
  type HeadersReferrerPolicy,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { StaticSite, use, type StackContext } from "sst/constructs";
import { commonHeaders, hstsMaxAgeSeconds, mapTileOrigins, permissionsPolicy, siteCsp } from "../functions/app/security.js";
import { apiForwardedHeaders, edgeSecretHeader } from "../functions/app/edge.js";
import { Api, photoOrigin, siteOriginParameter } from "./Api.js";

export function Web({ stack }: StackContext) {
  const { api, edgeSecret } = use(Api);

  // The headers the local server sends with the web app (functions/app/security.ts), added by
  // CloudFront to every answer of the site; the app talks to its own origin (/api/* below) and the photo bucket,
  // and its map loads tiles from the hosts the build is given (VITE_MAP_TILES), if any.
  const tiles = mapTileOrigins(process.env.VITE_MAP_TILES, process.env.VITE_MAP_SUBDOMAINS);
  const headers = new ResponseHeadersPolicy(stack, "SecurityHeaders", {
    comment: "Microwish web app: CSP, HSTS, nosniff, no framing, no referrer",
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: siteCsp(undefined, photoOrigin(stack), tiles), override: true },
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

  // The API on the site's own origin: /api/* goes to API Gateway, so a phone opens one connection
  // and sends no CORS preflight. Nothing is cached (an answer holds one person's data); what the
  // API reads is forwarded: the query, the body's type, the idempotency key, the token (which
  // CloudFront forwards only as part of a cache key: a key with nothing kept under it), and the
  // viewer's address for the sign-in limits, which the API trusts only with the edge's secret header.
  const apiCache = new CachePolicy(stack, "ApiNoCache", {
    comment: "Microwish API: nothing kept; the token forwarded",
    defaultTtl: Duration.seconds(0),
    minTtl: Duration.seconds(0),
    maxTtl: Duration.seconds(1),
    headerBehavior: CacheHeaderBehavior.allowList("authorization"),
    queryStringBehavior: CacheQueryStringBehavior.all(),
    cookieBehavior: CacheCookieBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  const apiRequest = new OriginRequestPolicy(stack, "ApiOriginRequest", {
    comment: "Microwish API: what the handler reads, and the viewer's address",
    headerBehavior: OriginRequestHeaderBehavior.allowList(...apiForwardedHeaders),
    queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    cookieBehavior: OriginRequestCookieBehavior.none(),
  });
  const apiBehavior = {
    origin: new HttpOrigin(Fn.select(2, Fn.split("/", api.url)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      customHeaders: { [edgeSecretHeader]: edgeSecret },
    }),
    // HTTPS only: a redirect would lose a POST's body.
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: apiCache,
    originRequestPolicy: apiRequest,
    compress: true,
  };

  const site = new StaticSite(stack, "Site", {
    path: "web",
    buildCommand: "npx vite build",
    buildOutput: "dist",
    // The web app declares its own env types; keep SST's generated declaration file
    // out of its source tree.
    vite: { types: "../.sst/types/web-env.d.ts" },
    // `sst dev` runs the app on Vite's dev server.
    dev: { url: "http://localhost:5173" },
    cdk: { distribution: { defaultBehavior: { responseHeadersPolicy: headers }, additionalBehaviors: { "/api/*": apiBehavior } } },
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
