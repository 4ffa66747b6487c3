/**
 * The Lambda entry as deployed: no JWT_SECRET in its environment, only the ARN of the secret the
 * Api stack generates. Sign-in goes through it on the wire, with Secrets Manager and SNS doubled
 * on loopback and the table in DynamoDB Local: a fresh deploy signs people in with no manual step.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSnsDouble } from "../notify/sns-double.js";
import { freshTable } from "../helpers/db.js";

const arn = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:TokenSigningSecret-AbCdEf";
const secretReads: string[] = [];
const secrets = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    secretReads.push(JSON.parse(body).SecretId);
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify({ ARN: arn, SecretString: "generated-by-cloudformation-0123456789abcdef" }));
  });
});
let sns: Awaited<ReturnType<typeof startSnsDouble>>;
type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
let handler: Handler;

function event(method: string, rawPath: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: "",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.test",
      domainPrefix: "api",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.10", userAgent: "vitest" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "01/Jan/2026:00:00:00 +0000",
      timeEpoch: 1767225600000,
    },
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  const { tableName, endpoint } = await freshTable();
  sns = await startSnsDouble();
  await new Promise<void>((ready) => secrets.listen(0, "127.0.0.1", ready));
  delete process.env.JWT_SECRET;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    JWT_SECRET_ARN: arn,
    SECRETS_ENDPOINT: `http://127.0.0.1:${(secrets.address() as AddressInfo).port}/`,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  ({ handler } = (await import("../../functions/api.js")) as { handler: Handler });
}, 60_000);

afterAll(async () => {
  await sns?.close();
  await new Promise<void>((done) => secrets.close(() => done()));
});

describe("signing in on a fresh deploy", () => {
  it("reads the generated secret once, at cold start, and signs a resident in with it", async () => {
    const phone = "+8613900139123";
    const sent = await handler(event("POST", "/api/auth/otp", { phone }), {});
    expect(sent.statusCode, sent.body).toBe(202);
    const sms = sns.accepted().find((p) => p.phoneNumber === phone);
    expect(sms, "the code went out by SMS").toBeDefined();
    const code = /\d{6}/.exec(sms!.message)![0];
    const signed = await handler(event("POST", "/api/auth/token", { phone, code }), {});
    expect(signed.statusCode, signed.body).toBe(200);
    const { token } = JSON.parse(signed.body);
    const me = await handler(event("GET", "/api/me", undefined, token), {});
    expect(me.statusCode, me.body).toBe(200);
    expect(secretReads).toEqual([arn]);
  });
});
