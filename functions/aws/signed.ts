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

/** Where and as whom to call an AWS service; by default the Lambda's region and role (from the environment). */
export interface AwsTarget {
  /** the service's signing name and endpoint prefix: "sns", "sqs", "ssm", "secretsmanager" */
  service: string;
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * A signed POST to one AWS service, as its SDK client would send it, without the client's weight
 * in the bundle. The endpoint is the given one or the service's own in the region (China's regions
 * answer under amazonaws.com.cn); the credentials are read from the environment at each call, so a
 * role's rotated keys are used as they change.
 */
export function signedPoster(target: AwsTarget, env: NodeJS.ProcessEnv = process.env) {
  const region = target.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(target.endpoint ?? `https://${target.service}.${region}.${suffix}/`);
  const signer = new SignatureV4({
    service: target.service,
    region,
    sha256: Sha256,
    credentials: async () =>
      target.credentials ?? {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
        sessionToken: env.AWS_SESSION_TOKEN,
      },
  });
  /** Sends `body` with `headers` (the content type, and the target action for JSON protocols); answers the response. */
  return async function post(headers: Record<string, string>, body: string): Promise<Response> {
    const signed = await signer.sign({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: {},
      headers: { host: url.host, ...headers },
      body,
    });
    return fetch(url, { method: "POST", headers: signed.headers, body });
  };
}
