import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { deployedOpenApiJson } from "../../functions/app/index.js";
import { createTableInput } from "../../functions/store/table.js";
import { Api } from "../../stacks/Api.js";
import { Data } from "../../stacks/Data.js";
import { Notify } from "../../stacks/Notify.js";
import { Web } from "../../stacks/Web.js";
import { account, list, region, synth, type Statement } from "./synth.js";

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Json = Record<string, any>;

let data: Template;
let notify: Template;
let api: Template;
let sst: typeof import("sst/constructs");

beforeAll(async () => {
  await synth("test", ["Data", "Notify", "Api"]);
  sst = await import("sst/constructs");
  data = Template.fromStack(sst.getStack(Data));
  notify = Template.fromStack(sst.getStack(Notify));
  api = Template.fromStack(sst.getStack(Api));
}, 180_000);

const only = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type)) as [string, Resource][];
  expect(found).toHaveLength(1);
  return found[0];
};

/** The value a cross-stack `Fn::ImportValue` resolves to in the exporting stack. */
const exported = (from: Template, ref: unknown): unknown => {
  const name = (ref as Json)["Fn::ImportValue"];
  expect(name, JSON.stringify(ref)).toBeTypeOf("string");
  const outputs = Object.values(from.toJSON().Outputs ?? {}) as Json[];
  const output = outputs.find((o) => o.Export?.Name === name);
  expect(output, `export ${name}`).toBeDefined();
  return output!.Value;
};

describe("Data stack", () => {
  it("keys the table on pk/sk, all string attributes, as functions/store/table.ts defines", () => {
    const [, table] = only(data, "AWS::DynamoDB::Table");
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    const expected = createTableInput("unused");
    expect(table.Properties.AttributeDefinitions).toEqual(expect.arrayContaining(expected.AttributeDefinitions));
    expect(table.Properties.AttributeDefinitions).toHaveLength(8);
    expect(table.Properties.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("has the three GSIs with their key names, projecting everything", () => {
    const [, table] = only(data, "AWS::DynamoDB::Table");
    const byName = Object.fromEntries((table.Properties.GlobalSecondaryIndexes as Json[]).map((ix) => [ix.IndexName, ix]));
    expect(Object.keys(byName).sort()).toEqual(["byCommunity", "byStatus", "byUser"]);
    for (const [name, pk, sk] of [
      ["byStatus", "gsi1pk", "gsi1sk"],
      ["byUser", "gsi2pk", "gsi2sk"],
      ["byCommunity", "gsi3pk", "gsi3sk"],
    ]) {
      expect(byName[name].KeySchema).toEqual([
        { AttributeName: pk, KeyType: "HASH" },
        { AttributeName: sk, KeyType: "RANGE" },
      ]);
      expect(byName[name].Projection).toEqual({ ProjectionType: "ALL" });
    }
    const fromDefinition = createTableInput("unused").GlobalSecondaryIndexes;
    expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(fromDefinition.length);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(expect.arrayContaining(fromDefinition));
  });

  it("streams new and old images, expires on expiresAt and has point-in-time recovery", () => {
    data.hasResourceProperties("AWS::DynamoDB::Table", {
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it("is destroyed with a non-production stage", () => {
    const [, table] = only(data, "AWS::DynamoDB::Table");
    expect(table.DeletionPolicy).toBe("Delete");
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
  });
});

describe("Notify stack", () => {
  it("has the wish-events topic and outputs its ARN", () => {
    const [id] = only(notify, "AWS::SNS::Topic");
    notify.hasOutput("WishEventsTopicArn", { Value: { Ref: id } });
  });
});

describe("Api stack", () => {
  const handler = (): [string, Resource] => {
    const fns = Object.entries(api.findResources("AWS::Lambda::Function")) as [string, Resource][];
    const found = fns.filter(([, fn]) => /(^|\/)api\.handler$/.test(fn.Properties.Handler));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const fnOf = (entry: string): [string, Resource] => {
    const fns = Object.entries(api.findResources("AWS::Lambda::Function")) as [string, Resource][];
    const found = fns.filter(([, fn]) => new RegExp(`(^|/)${entry}\\.handler$`).test(fn.Properties.Handler));
    expect(found, entry).toHaveLength(1);
    return found[0];
  };
  /** The function each route key of the HTTP API reaches. */
  const routeTargets = () => {
    const integrations = api.findResources("AWS::ApiGatewayV2::Integration") as Record<string, Resource>;
    const fns = Object.keys(api.findResources("AWS::Lambda::Function"));
    return Object.fromEntries(
      (Object.values(api.findResources("AWS::ApiGatewayV2::Route")) as Resource[]).map((r) => {
        const integrationId = Object.keys(integrations).find((id) => JSON.stringify(r.Properties.Target).includes(id))!;
        const uri = JSON.stringify(integrations[integrationId].Properties.IntegrationUri);
        return [r.Properties.RouteKey, fns.find((f) => uri.includes(f))];
      }),
    );
  };

  it("routes the /api tree to the API's function, the certificate pages and the OpenAPI document to their own", () => {
    const [apiFn] = handler();
    const [pagesFn] = fnOf("pages");
    const [docsFn] = fnOf("docs");
    expect(routeTargets()).toEqual({
      "ANY /api/{proxy+}": apiFn,
      "GET /api": apiFn,
      "ANY /api/certificates/{number}/print": pagesFn,
      "ANY /api/certificates/{number}/verify": pagesFn,
      "ANY /api/openapi.json": docsFn,
      "ANY /api/docs": docsFn,
    });
  });

  it("gives the certificate pages' function the table and the API's URL, and lets it read the table and that parameter only", () => {
    const [pagesId, fn] = fnOf("pages");
    const env = fn.Properties.Environment.Variables;
    expect(exported(data, env.TABLE_NAME)).toEqual({ Ref: only(data, "AWS::DynamoDB::Table")[0] });
    expect(env.PUBLIC_URL_PARAM).toBe("/microwish/test/api-url");
    expect(env.JWT_SECRET_PARAM).toBeUndefined();
    expect(env.TOPIC_ARN).toBeUndefined();
    const roleId = fn.Properties.Role["Fn::GetAtt"][0];
    const policies = Object.values(api.findResources("AWS::IAM::Policy")) as Resource[];
    const statements = policies
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const actions = statements.flatMap((s) => list(s.Action)).filter((a) => !a.startsWith("xray:"));
    expect(actions.sort(), pagesId).toEqual(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "ssm:GetParameter"]);
  });

  it("bundles the OpenAPI document, built at deploy time, into the document's function, and the API's function without it", async () => {
    const { useProject } = await import("sst/project.js");
    const fns = sst
      .getStack(Api)
      .node.findAll()
      .filter((c) => c instanceof sst.Function) as import("sst/constructs").Function[];
    const docsFile = join(useProject().paths.artifacts, fns.find((f) => f.node.id === "ApiDocs")!.node.addr, "functions/docs.mjs");
    const { handler: docsHandler } = await import(docsFile);
    const event = (path: string) => ({
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: "",
      headers: { host: "api.example.com" },
      requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" }, stage: "$default" },
      isBase64Encoded: false,
    });
    const res = await docsHandler(event("/api/openapi.json"), {});
    expect(res.statusCode).toBe(200);
    const document = JSON.parse(res.isBase64Encoded ? Buffer.from(res.body, "base64").toString("utf8") : res.body);
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/wishes/{id}", "/api/certificates/{number}/print"]));
    expect(
      Object.keys(document.paths).some((p) => p.startsWith("/api/dev/")),
      "no local-only routes",
    ).toBe(false);
    const page = await docsHandler(event("/api/docs"), {});
    expect(page.statusCode).toBe(200);
    expect(String(page.headers["content-type"])).toContain("text/html");
    const apiCode = readFileSync(
      join(useProject().paths.artifacts, fns.find((f) => f.node.id === "ApiHandler")!.node.addr, "functions/api.mjs"),
      "utf8",
    );
    expect(apiCode).not.toContain("#/components/schemas/");
  });

  it("bundles the API's function without the answers' schemas, and it still answers and checks what it is sent", async () => {
    const { useProject } = await import("sst/project.js");
    const fn = sst
      .getStack(Api)
      .node.findAll()
      .find((c) => c instanceof sst.Function && c.node.id === "ApiHandler")!;
    const file = join(useProject().paths.artifacts, fn.node.addr, "functions/api.mjs");
    const code = readFileSync(file, "utf8");
    // A description only functions/app/responses.ts holds; the document still carries it.
    expect(code).not.toContain("the 4 digits the resident shows a volunteer at check-out");
    expect(deployedOpenApiJson()).toContain("the 4 digits the resident shows a volunteer at check-out");

    // Configured as on Lambda; neither request reaches the table.
    const saved = { TABLE_NAME: process.env.TABLE_NAME, JWT_SECRET: process.env.JWT_SECRET };
    Object.assign(process.env, { TABLE_NAME: "unused", JWT_SECRET: "test-secret" });
    try {
      const { handler: apiHandler } = await import(file);
      const event = (method: string, path: string, body?: string) => ({
        version: "2.0",
        routeKey: "$default",
        rawPath: path,
        rawQueryString: "",
        headers: { host: "api.example.com", "content-type": "application/json" },
        requestContext: { http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" }, stage: "$default" },
        body,
        isBase64Encoded: false,
      });
      const health = await apiHandler(event("GET", "/api/health"), {});
      expect([health.statusCode, JSON.parse(health.body)]).toEqual([200, { ok: true }]);
      const refused = await apiHandler(event("POST", "/api/auth/otp", JSON.stringify({ phone: "12" })), {});
      expect(refused.statusCode).toBe(422);
      expect(JSON.parse(refused.body)).toMatchObject({ code: "request.invalid_body", errors: { phone: expect.any(String) } });
    } finally {
      for (const [key, value] of Object.entries(saved))
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  });

  it("bundles functions/api.handler for Node 22 on arm64 with 1024 MB and 10 s", () => {
    const [, fn] = handler();
    expect(fn.Properties.Runtime).toBe("nodejs22.x");
    expect(fn.Properties.Architectures).toEqual(["arm64"]);
    expect(fn.Properties.MemorySize).toBe(1024);
    expect(fn.Properties.Timeout).toBe(10);
    expect(fn.Properties.Handler).toMatch(/(^|\/)api\.handler$/);
    expect(fn.Properties.Code.S3Key, "bundled code, not the placeholder").toBeDefined();
  });

  it("bundles as minified ESM", async () => {
    const { useProject } = await import("sst/project.js");
    const fn = sst
      .getStack(Api)
      .node.findAll()
      .find((c) => c instanceof sst.Function && c.node.id === "ApiHandler")!;
    const bundle = readFileSync(join(useProject().paths.artifacts, fn.node.addr, "functions/api.mjs"), "utf8");
    expect(/\bexport\s*\{[^}]*\bas handler\s*\}/.test(bundle), "ESM export of handler").toBe(true);
    const lines = bundle.split("\n");
    expect(bundle.length / lines.length, "average line length").toBeGreaterThan(1000);
  });

  it("passes the table name, topic ARN and the generated signing secret's ARN", () => {
    const [, fn] = handler();
    const env = fn.Properties.Environment.Variables;
    const [tableId] = only(data, "AWS::DynamoDB::Table");
    const [topicId] = only(notify, "AWS::SNS::Topic");
    expect(exported(data, env.TABLE_NAME)).toEqual({ Ref: tableId });
    expect(exported(notify, env.TOPIC_ARN)).toEqual({ Ref: topicId });
    const [secretId] = only(api, "AWS::SecretsManager::Secret");
    expect(env.JWT_SECRET_ARN).toEqual({ Ref: secretId });
  });

  it("leaves CORS to the handler, which lets in only the web app's origin (no '*' at API Gateway)", () => {
    const [, httpApi] = only(api, "AWS::ApiGatewayV2::Api");
    expect(httpApi.Properties.ProtocolType).toBe("HTTP");
    expect(httpApi.Properties.CorsConfiguration).toBeUndefined();
    const [, fn] = handler();
    expect(fn.Properties.Environment.Variables.SITE_ORIGIN_PARAM).toBe("/microwish/test/site-origin");
  });

  it("outputs the API URL", () => {
    const outputs = api.findOutputs("ApiUrl");
    expect(Object.keys(outputs)).toHaveLength(1);
  });

  it("gives the handler the API's own URL for printed QR codes through a parameter, not from a request's Host", () => {
    const [, fn] = handler();
    expect(fn.Properties.Environment.Variables.PUBLIC_URL_PARAM).toBe("/microwish/test/api-url");
    const params = Object.values(
      api.findResources("AWS::SSM::Parameter", { Properties: { Name: "/microwish/test/api-url" } }),
    ) as Resource[];
    expect(params).toHaveLength(1);
    const [param] = params;
    const [apiId] = only(api, "AWS::ApiGatewayV2::Api");
    expect(JSON.stringify(param.Properties.Value)).toContain(apiId);
  });

  describe("handler permissions", () => {
    const statements = (): Statement[] => {
      const [, fn] = handler();
      const roleId = fn.Properties.Role["Fn::GetAtt"][0];
      const policies = Object.values(api.findResources("AWS::IAM::Policy")) as Resource[];
      const mine = policies.filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
      expect(mine.length).toBeGreaterThan(0);
      return mine.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    };
    const granting = (prefix: string) => statements().filter((s) => list(s.Action).some((a) => a.startsWith(prefix)));

    it("grants DynamoDB item actions on this table and its indexes only", () => {
      const tableArn = { "Fn::ImportValue": expect.stringContaining("Data") };
      const dynamo = granting("dynamodb:");
      expect(dynamo.length).toBeGreaterThan(0);
      for (const s of dynamo) {
        expect(s.Effect).toBe("Allow");
        expect(list(s.Action)).not.toContain("dynamodb:*");
        expect(list(s.Action)).toEqual(
          expect.arrayContaining(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]),
        );
        const resources = list(s.Resource) as Json[];
        expect(resources).toHaveLength(2);
        expect(resources[0]).toEqual(tableArn);
        expect(resources[1]).toEqual({ "Fn::Join": ["", [tableArn, "/index/*"]] });
        expect(exported(data, resources[0])).toEqual({ "Fn::GetAtt": [only(data, "AWS::DynamoDB::Table")[0], "Arn"] });
      }
    });

    it("publishes to the wish-events topic, and to '*' only for direct SMS", () => {
      const sns = granting("sns:Publish");
      for (const s of sns) expect(list(s.Action)).toEqual(["sns:Publish"]);
      const resources = sns.flatMap((s) => list(s.Resource));
      expect(resources).toHaveLength(2);
      expect(resources).toContain("*");
      const topic = resources.find((r) => r !== "*");
      expect(exported(notify, topic)).toEqual({ Ref: only(notify, "AWS::SNS::Topic")[0] });
    });

    it("makes no SNS subscriptions: members hear of new wishes from the table's subscriber index", () => {
      expect(granting("sns:").filter((s) => !list(s.Action).includes("sns:Publish"))).toEqual([]);
    });

    it("reads only the site's origin and the API's URL from SSM", () => {
      const ssm = granting("ssm:");
      expect(ssm).toHaveLength(1);
      expect(list(ssm[0].Action).sort()).toEqual(["ssm:GetParameter", "ssm:GetParameters"]);
      const resources = list(ssm[0].Resource);
      expect(resources).toHaveLength(2);
      const arn = (path: string) => ({
        "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:ssm:${region}:${account}:parameter${path}`]],
      });
      expect(resources).toEqual([arn("/microwish/test/site-origin"), arn("/microwish/test/api-url")]);
    });
  });
});

describe("all stacks", () => {
  it("never grant a wildcard DynamoDB action or any DynamoDB action on '*'", () => {
    for (const template of [data, notify, api]) {
      const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Resource[];
      for (const s of policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])) {
        const actions = list(s.Action);
        expect(actions).not.toContain("*");
        expect(actions).not.toContain("dynamodb:*");
        if (actions.some((a) => a.startsWith("dynamodb:"))) expect(list(s.Resource)).not.toContain("*");
      }
    }
  });
});

describe("Web stack", () => {
  it("serves web/dist built for its own origin: no API URL, the API is at /api on the same origin", () => {
    const site = sst
      .getStack(Web)
      .node.findAll()
      .find((c) => c instanceof sst.StaticSite) as InstanceType<typeof sst.StaticSite>;
    const meta = site.getConstructMetadata();
    expect(meta.data.path).toBe("web");
    expect(meta.data.environment ?? {}).toEqual({});
    const props = (site as unknown as { props: { buildCommand?: string; buildOutput?: string } }).props;
    expect(props.buildCommand).toMatch(/vite build|npm run build/);
    expect(props.buildOutput).toBe("dist");
  });
});
