import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getParameter } from "../../functions/aws/ssm.js";

/** A stand-in for SSM on loopback, speaking its JSON protocol, recording what arrives. */
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

beforeAll(async () => {
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  env = {
    SSM_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret-key",
    AWS_SESSION_TOKEN: "session-token",
  };
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("reading the signing secret from SSM", () => {
  it("sends a SigV4-signed GetParameter with decryption and returns the value", async () => {
    reply = {
      status: 200,
      body: { Parameter: { Name: "/sst/microwish/prod/Secret/JWT_SECRET/value", Type: "SecureString", Value: "s3cr3t" } },
    };
    const value = await getParameter("/sst/microwish/prod/Secret/JWT_SECRET/value", env);
    expect(value).toBe("s3cr3t");
    const req = seen.at(-1)!;
    expect(req.headers["x-amz-target"]).toBe("AmazonSSM.GetParameter");
    expect(req.headers["content-type"]).toBe("application/x-amz-json-1.1");
    const [scope, signed] = (req.headers.authorization ?? "").split(", SignedHeaders=");
    expect(scope).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/ssm\/aws4_request$/);
    expect(signed).toMatch(/^[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    expect(req.headers["x-amz-security-token"]).toBe("session-token");
    expect(JSON.parse(req.body)).toEqual({ Name: "/sst/microwish/prod/Secret/JWT_SECRET/value", WithDecryption: true });
  });

  it("fails loudly when SSM refuses, naming the parameter", async () => {
    reply = { status: 400, body: { __type: "ParameterNotFound", message: "not found" } };
    await expect(getParameter("/missing", env)).rejects.toThrow(/\/missing failed: 400 .*ParameterNotFound/);
  });

  it("fails when the parameter is empty", async () => {
    reply = { status: 200, body: { Parameter: { Value: "" } } };
    await expect(getParameter("/empty", env)).rejects.toThrow(/empty/);
  });
});
