/**
 * Least privilege across the stacks, and CORS at the API: every IAM statement names this app's
 * own table, indexes, stream, topic, queue or parameters, except the few that AWS can only
 * grant on "*", which must be exactly those actions. The Web stack's own grants and headers are
 * checked in web.test.ts, where the site is built.
 */
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Api, apiUrlParameter, photoBucketName, photoOrigin, siteOriginParameter } from "../../stacks/Api.js";
import { Data } from "../../stacks/Data.js";
import { Jobs } from "../../stacks/Jobs.js";
import { Notify } from "../../stacks/Notify.js";
import { Web } from "../../stacks/Web.js";
import { account, list, region, synth, type Statement } from "./synth.js";

type Json = Record<string, any>;
const templates: Record<string, Template> = {};

beforeAll(async () => {
  await synth("test", ["Data", "Notify", "Api", "Jobs"]);
  const sst = await import("sst/constructs");
  for (const [name, fn] of Object.entries({ Data, Notify, Api, Jobs, Web })) templates[name] = Template.fromStack(sst.getStack(fn));
}, 300_000);

const statementsOf = (template: Template): Statement[] =>
  (Object.values(template.findResources("AWS::IAM::Policy")) as Json[]).flatMap((p) => p.Properties.PolicyDocument.Statement);

/** The logical ids a template defines, by type. */
const idsOf = (template: Template, type: string) => Object.keys(template.findResources(type));

/** What a resource expression names: this app's table (or its indexes, or its stream), topic, queue or SSM parameter, or nothing known. */
function named(resource: unknown, stack: string): string {
  const text = JSON.stringify(resource);
  const table = idsOf(templates.Data, "AWS::DynamoDB::Table")[0];
  const topic = idsOf(templates.Notify, "AWS::SNS::Topic")[0];
  const imported = /"Fn::ImportValue":"test-microwish-(\w+):ExportsOutput(\w+)"/.exec(text);
  if (imported) {
    const [, from, what] = imported;
    if (from === "Data" && what.startsWith(`FnGetAtt${table}Arn`)) return text.includes("/index/*") ? "table indexes" : "table";
    if (from === "Data" && what.startsWith(`FnGetAtt${table}StreamArn`)) return "table stream";
    if (from === "Notify" && what.startsWith(`Ref${topic}`)) return "topic";
    return `unknown import ${what}`;
  }
  const ref = /^\{"Ref":"(\w+)"\}$/.exec(text);
  if (ref && templates[stack].toJSON().Resources[ref[1]]?.Type === "AWS::SecretsManager::Secret") return "signing secret";
  const bucket = photoBucketName({ stage: "test", account, region });
  if (text === `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::${bucket}/photos/*"]]}`) return "photos";
  if (text === `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::${bucket}"]]}`) return "photo bucket";
  const local = /"Fn::GetAtt":\["(\w+)","Arn"\]/.exec(text);
  if (local && templates[stack].toJSON().Resources[local[1]]?.Type === "AWS::SQS::Queue") return "queue";
  const ssm = new RegExp(
    `^\\{"Fn::Join":\\["",\\["arn:",\\{"Ref":"AWS::Partition"\\},":ssm:${region}:${account}:parameter(/[^"]+)"\\]\\]\\}$`,
  ).exec(text);
  if (ssm) {
    if (ssm[1] === siteOriginParameter({ stage: "test" })) return "site origin";
    if (ssm[1] === apiUrlParameter({ stage: "test" })) return "api url";
    return `unknown parameter ${ssm[1]}`;
  }
  return `unknown ${text}`;
}

/** The only grants on "*": AWS offers no narrower resource for them. */
const unscoped: { actions: string[]; why: string }[] = [
  { actions: ["sns:Publish"], why: "SMS straight to a phone number has no ARN" },
  { actions: ["dynamodb:ListStreams"], why: "ListStreams is account-wide (the event source mapping asks for it)" },
  {
    actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    why: "X-Ray tracing, which SST adds to every function, has no resource",
  },
];

describe("IAM: every statement of Data, Notify, Api and Jobs", () => {
  const all = () =>
    Object.entries(templates)
      .filter(([name]) => name !== "Web")
      .flatMap(([name, t]) => statementsOf(t).map((s) => ({ stack: name, s })));

  it("there is something to check: the Api and Jobs functions have policies", () => {
    expect(statementsOf(templates.Api).length).toBeGreaterThan(3);
    expect(statementsOf(templates.Jobs).length).toBeGreaterThan(3);
  });

  it("only allow, never a wildcard action, never Scan, never a table-level admin action", () => {
    for (const { stack, s } of all()) {
      expect(s.Effect, stack).toBe("Allow");
      for (const action of list(s.Action)) {
        expect(action, `${stack}: ${action}`).not.toMatch(/\*/);
        expect(action, stack).not.toMatch(/^dynamodb:(Scan|PartiQL|DeleteTable|UpdateTable|CreateTable|Restore|Export|Import)/);
        expect(action, stack).not.toMatch(/^(iam|sts|kms):/);
        if (action.startsWith("s3:")) expect(["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:ListBucket"]).toContain(action);
      }
    }
  });

  it("name this app's own resources; '*' only for the documented actions, exactly", () => {
    const seen = new Set<string>();
    for (const { stack, s } of all()) {
      const resources = list(s.Resource);
      if (resources.includes("*")) {
        expect(resources, `${stack}: ${JSON.stringify(s)}`).toEqual(["*"]);
        const actions = list(s.Action).sort();
        expect(
          unscoped.map((u) => JSON.stringify(u.actions)),
          `${stack}: ${actions}`,
        ).toContain(JSON.stringify(actions));
        continue;
      }
      for (const r of resources) {
        const what = named(r, stack);
        expect(what, `${stack}: ${JSON.stringify(s)}`).not.toMatch(/^unknown/);
        seen.add(`${list(s.Action)[0].split(":")[0]} → ${what}`);
      }
    }
    expect([...seen].sort()).toEqual([
      "dynamodb → table",
      "dynamodb → table indexes",
      "dynamodb → table stream",
      "s3 → photo bucket",
      "s3 → photos",
      "secretsmanager → signing secret",
      "sns → topic",
      "sqs → queue",
      "ssm → api url",
      "ssm → site origin",
    ]);
  });

  it("DynamoDB: item actions on the table (with its indexes, or alone) and nothing else; the stream only with stream actions", () => {
    for (const { stack, s } of all()) {
      const actions = list(s.Action);
      if (!actions.some((a) => a.startsWith("dynamodb:")) || actions.includes("dynamodb:ListStreams")) continue;
      const names = list(s.Resource).map((r) => named(r, stack));
      if (names.includes("table stream")) {
        expect(names).toEqual(["table stream"]);
        expect(actions.sort()).toEqual(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]);
      } else {
        // The table alone is narrower still: the jobs' scheduler reads one partition of it and no index.
        expect([["table", "table indexes"], ["table"]]).toContainEqual(names);
        for (const a of actions)
          expect([
            "BatchGetItem",
            "BatchWriteItem",
            "ConditionCheckItem",
            "DeleteItem",
            "GetItem",
            "PutItem",
            "Query",
            "UpdateItem",
          ]).toContain(a.slice(9));
      }
    }
  });

  it("no role carries a managed policy beyond basic Lambda logging, and none has an inline policy of its own", () => {
    for (const [name, t] of Object.entries(templates)) {
      for (const role of Object.values(t.findResources("AWS::IAM::Role")) as Json[]) {
        for (const arn of role.Properties.ManagedPolicyArns ?? [])
          expect(JSON.stringify(arn), name).toMatch(/service-role\/AWSLambdaBasicExecutionRole"/);
        expect(role.Properties.Policies, name).toBeUndefined();
      }
    }
  });
});

describe("CORS at the API", () => {
  const handler = () => {
    const fns = (Object.values(templates.Api.findResources("AWS::Lambda::Function")) as Json[]).filter(
      (f) => f.Properties.Environment?.Variables?.SITE_ORIGIN_PARAM,
    );
    expect(fns).toHaveLength(1);
    return fns[0];
  };

  it("API Gateway adds no CORS of its own (no '*'): the handler answers preflights itself", () => {
    const [httpApi] = Object.values(templates.Api.findResources("AWS::ApiGatewayV2::Api")) as Json[];
    expect(httpApi.Properties.CorsConfiguration).toBeUndefined();
    const routes = (Object.values(templates.Api.findResources("AWS::ApiGatewayV2::Route")) as Json[]).map((r) => r.Properties.RouteKey);
    expect(routes, "OPTIONS reaches the handler").toContain("ANY /api/{proxy+}");
  });

  it("the handler reads the site's origin and its own URL from parameters the stacks write, and only them", () => {
    const env = handler().Properties.Environment.Variables;
    expect(env.SITE_ORIGIN_PARAM).toBe("/microwish/test/site-origin");
    const [param] = Object.values(
      templates.Web.findResources("AWS::SSM::Parameter", { Properties: { Name: env.SITE_ORIGIN_PARAM } }),
    ) as Json[];
    expect(param, "the Web stack writes it").toBeDefined();
    const ssm = statementsOf(templates.Api).filter((s) => list(s.Action).some((a) => a.startsWith("ssm:")));
    // The API's function, and the certificate pages' function (which reads only the API's URL, for the QR code).
    expect(ssm).toHaveLength(2);
    const reads = ssm.map((s) => [
      list(s.Action).sort(),
      list(s.Resource)
        .map((r) => named(r, "Api"))
        .sort(),
    ]);
    expect(reads).toEqual(
      expect.arrayContaining([
        [
          ["ssm:GetParameter", "ssm:GetParameters"],
          ["api url", "site origin"],
        ],
        [["ssm:GetParameter"], ["api url"]],
      ]),
    );
  });

  it("the Web stack's CSP lets the app reach its own origin (the API is at /api on it) and the photo bucket", () => {
    const [policy] = Object.values(templates.Web.findResources("AWS::CloudFront::ResponseHeadersPolicy")) as Json[];
    const csp = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    const photos = photoOrigin({ stage: "test", account, region });
    expect(csp).toMatch(new RegExp(`(^|; )connect-src 'self' ${photos}(;|$)`));
    expect(csp).not.toMatch(/execute-api|\*/);
  });
});
