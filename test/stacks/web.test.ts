import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, photoOrigin } from "../../stacks/Api.js";
import { edgeSecretHeader } from "../../functions/app/edge.js";
import { siteHeaders } from "../../functions/app/security.js";
import { Web } from "../../stacks/Web.js";
import { account, list, region, synth, type Statement } from "./synth.js";

// The StaticSite runs its real build command during synth. It runs against a stub site
// in a scratch directory so that the test neither depends on the web app's state nor
// overwrites the web/dist that local runs serve.
const repo = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), "microwish-web-"));
type Json = Record<string, any>;
let web: Template;
let api: Template;

beforeAll(async () => {
  symlinkSync(resolve(repo, "node_modules"), join(scratch, "node_modules"), "dir");
  cpSync(resolve(repo, "package.json"), join(scratch, "package.json"));
  mkdirSync(join(scratch, "web"));
  writeFileSync(
    join(scratch, "web/index.html"),
    `<!doctype html><script type="module">document.title = String(import.meta.env.VITE_API_URL ?? "same origin");</script>`,
  );
  await synth("test", ["Web"], scratch);
  const { getStack } = await import("sst/constructs");
  web = Template.fromStack(getStack(Web));
  api = Template.fromStack(getStack(Api));
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("Web stack", () => {
  it("builds the site without the API's address: the app calls its own origin", () => {
    const dist = join(scratch, "web/dist");
    const built = readdirSync(dist, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(js|html)$/.test(f))
      .map((f) => readFileSync(join(dist, f), "utf8"))
      .join("\n");
    expect(built).not.toContain("{{ VITE_API_URL }}");
    expect(built).not.toContain("execute-api");
    const uploaders = Object.values(web.findResources("Custom::S3Uploader"));
    expect(uploaders).toHaveLength(1);
    expect(uploaders[0].Properties.replaceValues ?? []).toEqual([]);
  });

  it("serves /api/* from the HTTP API on the site's origin: every method, nothing cached, what the API reads forwarded", () => {
    const [distribution] = Object.values(web.findResources("AWS::CloudFront::Distribution"));
    const config = distribution.Properties.DistributionConfig;
    const behaviors = config.CacheBehaviors as Json[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual(["/api/*"]);
    const [behavior] = behaviors;
    expect(behavior.AllowedMethods.sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    expect(behavior.ViewerProtocolPolicy).toBe("https-only");
    expect(behavior.ResponseHeadersPolicyId, "the API sets its own headers").toBeUndefined();

    // The origin: the API's own domain, over HTTPS, with the edge's secret header.
    const origin = (config.Origins as Json[]).find((o) => o.Id === behavior.TargetOriginId)!;
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
    const [index, split] = origin.DomainName["Fn::Select"];
    expect(index).toBe(2);
    const urlRef = split["Fn::Split"][1];
    const [url] = Object.values(api.findOutputs("ApiUrl"));
    const exported = Object.values(api.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>);
    expect(exported.find((o) => o.Export?.Name === urlRef["Fn::ImportValue"])?.Value, "the API's own URL").toEqual(url.Value);
    const edge = (origin.OriginCustomHeaders as Json[]).find((h) => h.HeaderName === edgeSecretHeader)!;
    // The header's value: the third part of the API stack's id (its UUID), as the API's function knows it.
    const [part, split2] = edge.HeaderValue["Fn::Select"];
    expect(part).toBe(2);
    const stackIdRef = split2["Fn::Split"][1]["Fn::ImportValue"];
    expect(exported.find((o) => o.Export?.Name === stackIdRef)?.Value).toEqual({ Ref: "AWS::StackId" });
    const secretExport = { "Fn::Select": [2, { "Fn::Split": ["/", { Ref: "AWS::StackId" }] }] };
    const [fn] = Object.values(api.findResources("AWS::Lambda::Function")).filter(
      (f) => f.Properties.Environment?.Variables?.SITE_ORIGIN_PARAM,
    );
    expect(fn.Properties.Environment.Variables.EDGE_SECRET).toEqual(secretExport);

    // Nothing kept: answers live no longer than the API says, and it says no-store; the token is forwarded as part of the key.
    const cache = Object.entries(web.findResources("AWS::CloudFront::CachePolicy")).find(([id]) => behavior.CachePolicyId.Ref === id)![1];
    const cacheConfig = cache.Properties.CachePolicyConfig;
    expect([cacheConfig.DefaultTTL, cacheConfig.MinTTL]).toEqual([0, 0]);
    expect(cacheConfig.MaxTTL).toBeLessThanOrEqual(1);
    const key = cacheConfig.ParametersInCacheKeyAndForwardedToOrigin;
    expect(key.HeadersConfig).toEqual({ HeaderBehavior: "whitelist", Headers: ["authorization"] });
    expect(key.QueryStringsConfig.QueryStringBehavior).toBe("all");
    const request = Object.entries(web.findResources("AWS::CloudFront::OriginRequestPolicy")).find(
      ([id]) => behavior.OriginRequestPolicyId.Ref === id,
    )![1];
    const requestConfig = request.Properties.OriginRequestPolicyConfig;
    expect(requestConfig.QueryStringsConfig.QueryStringBehavior).toBe("all");
    expect(requestConfig.HeadersConfig.HeaderBehavior).toBe("whitelist");
    expect(requestConfig.HeadersConfig.Headers.map((h: string) => h.toLowerCase()).sort()).toEqual(
      ["accept", "accept-language", "cloudfront-viewer-address", "content-type", "idempotency-key", "origin"].sort(),
    );
    expect(requestConfig.HeadersConfig.Headers.map((h: string) => h.toLowerCase())).not.toContain("host");
  });

  it("serves from a bucket through CloudFront and outputs the site URL", () => {
    web.resourceCountIs("AWS::S3::Bucket", 1);
    web.resourceCountIs("AWS::CloudFront::Distribution", 1);
    expect(Object.keys(web.findOutputs("SiteUrl"))).toHaveLength(1);
  });

  it("adds the security headers to every answer of the site: the CSP as locally, HSTS, nosniff, DENY, no referrer", () => {
    const policies = Object.entries(web.findResources("AWS::CloudFront::ResponseHeadersPolicy"));
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    const [distribution] = Object.values(web.findResources("AWS::CloudFront::Distribution"));
    const behavior = distribution.Properties.DistributionConfig.DefaultCacheBehavior;
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });

    const config = policy.Properties.ResponseHeadersPolicyConfig;
    const security = config.SecurityHeadersConfig;
    const expected = siteHeaders(undefined, photoOrigin({ stage: "test", account, region }));
    const csp = security.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toBe(expected["content-security-policy"]);
    expect(csp).toContain(`connect-src 'self' ${photoOrigin({ stage: "test", account, region })};`);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(security.ContentSecurityPolicy.Override).toBe(true);
    expect(
      `max-age=${security.StrictTransportSecurity.AccessControlMaxAgeSec}` +
        (security.StrictTransportSecurity.IncludeSubdomains ? "; includeSubDomains" : ""),
    ).toBe(expected["strict-transport-security"]);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: expected["x-frame-options"], Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: expected["referrer-policy"], Override: true });
    expect(config.CustomHeadersConfig.Items).toEqual([
      { Header: "permissions-policy", Value: expected["permissions-policy"], Override: true },
    ]);
  });

  it("writes the site's CloudFront URL to the parameter the API reads for CORS", () => {
    const [distributionId] = Object.keys(web.findResources("AWS::CloudFront::Distribution"));
    const params = Object.values(web.findResources("AWS::SSM::Parameter", { Properties: { Name: "/microwish/test/site-origin" } }));
    expect(params).toHaveLength(1);
    expect(params[0].Properties.Value).toEqual({ "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distributionId, "DomainName"] }]] });
    const [fn] = Object.values(api.findResources("AWS::Lambda::Function")).filter(
      (f) => f.Properties.Environment?.Variables?.SITE_ORIGIN_PARAM,
    );
    expect(fn.Properties.Environment.Variables.SITE_ORIGIN_PARAM).toBe(params[0].Properties.Name);
  });

  it("grants its deploy-time helpers only this site's bucket, distribution and the CDK assets bucket", () => {
    const statements = Object.values(web.findResources("AWS::IAM::Policy")).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.length).toBeGreaterThan(0);
    const [bucketId] = Object.keys(web.findResources("AWS::S3::Bucket"));
    const [distributionId] = Object.keys(web.findResources("AWS::CloudFront::Distribution"));
    const lambdas = Object.keys(web.findResources("AWS::Lambda::Function"));
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      for (const a of list(s.Action)) expect(a).not.toMatch(/\*/);
      for (const r of list(s.Resource)) {
        const text = JSON.stringify(r);
        expect(text, JSON.stringify(s)).not.toBe('"*"');
        const ok =
          text.includes(`"${bucketId}"`) ||
          text.includes(`"Ref":"${distributionId}"`) ||
          lambdas.some((id) => text === JSON.stringify({ "Fn::GetAtt": [id, "Arn"] })) ||
          /:s3:::cdk-[a-z0-9]+-assets-123456789012-us-east-1\/\*"/.test(text);
        expect(ok, JSON.stringify(s)).toBe(true);
      }
    }
  });
});
