import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSecretString } from "../../functions/aws/secrets.js";

/** A stand-in for Secrets Manager on loopback, speaking its JSON protocol, recording what arrives. */
const seen: { headers: IncomingMessage["headers"]; body: string }[] = [];
let reply: { status: number; body: unknown } = { status: 200, body: {} };
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    seen.push({ headers: req.headers, body });
    res.writeHead(reply.status, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(reply.body));
  });
});
let env: NodeJS.ProcessEnv;
const arn = "arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:TokenSigningSecret-AbCdEf";

beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  env = {
    SECRETS_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    AWS_REGION: "cn-northwest-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret-key",
    AWS_SESSION_TOKEN: "session-token",
  };
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("reading the generated signing secret from Secrets Manager", () => {
  it("sends a SigV4-signed GetSecretValue for the ARN and returns the secret's string", async () => {
    reply = { status: 200, body: { ARN: arn, Name: "TokenSigningSecret", SecretString: "g3nerated" } };
    expect(await getSecretString(arn, env)).toBe("g3nerated");
    const req = seen.at(-1)!;
    expect(req.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(req.headers["content-type"]).toBe("application/x-amz-json-1.1");
    const [scope, signed] = (req.headers.authorization ?? "").split(", SignedHeaders=");
    expect(scope).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-northwest-1\/secretsmanager\/aws4_request$/);
    expect(signed).toMatch(/^[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    expect(req.headers["x-amz-security-token"]).toBe("session-token");
    expect(JSON.parse(req.body)).toEqual({ SecretId: arn });
  });

  it("fails loudly when Secrets Manager refuses", async () => {
    reply = { status: 400, body: { __type: "AccessDeniedException", Message: "no" } };
    await expect(getSecretString(arn, env)).rejects.toThrow(/GetSecretValue failed: 400 .*AccessDenied/);
  });

  it("fails when the secret has no string", async () => {
    reply = { status: 200, body: { ARN: arn, SecretBinary: "AAAA" } };
    await expect(getSecretString(arn, env)).rejects.toThrow(/no string value/);
  });
});
