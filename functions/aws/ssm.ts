import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

const bytes = (d: string | ArrayBuffer | ArrayBufferView) =>
  typeof d === "string" ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** SHA-256 (or its HMAC when given a secret) in the shape SigV4 expects. */
export class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

/**
 * Reads one SecureString from SSM Parameter Store with a signed request of its JSON protocol.
 * The full SSM client would add about 200 KB to the API's bundle for this one call at cold start.
 */
export async function getParameter(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(env.SSM_ENDPOINT ?? `https://ssm.${region}.${suffix}/`);
  const body = JSON.stringify({ Name: name, WithDecryption: true });
  const signer = new SignatureV4({
    service: "ssm",
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
      sessionToken: env.AWS_SESSION_TOKEN,
    },
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AmazonSSM.GetParameter",
    },
    body,
  });
  const res = await fetch(url, { method: "POST", headers: signed.headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`SSM GetParameter ${name} failed: ${res.status} ${text.slice(0, 200)}`);
  const value = JSON.parse(text)?.Parameter?.Value;
  if (typeof value !== "string" || !value) throw new Error(`SSM parameter ${name} is empty`);
  return value;
}
