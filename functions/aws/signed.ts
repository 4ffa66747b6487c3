import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
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

/** An AWS service's answer: its status and its body's text. */
export interface AwsResponse {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}

/**
 * One POST over node's own HTTP client. `fetch` would do, but its first call loads undici: about
 * 25 ms more on a cold start, which the first DynamoDB read of every cold Lambda would pay.
 */
function send(url: URL, agent: http.Agent, headers: Record<string, string>, body: string): Promise<AwsResponse> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ ok: status >= 200 && status < 300, status, text: async () => text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A signed POST to one AWS service, as its SDK client would send it, without the client's weight
 * in the bundle. The endpoint is the given one or the service's own in the region (China's regions
 * answer under amazonaws.com.cn); the credentials are read from the environment at each call, so a
 * role's rotated keys are used as they change. Connections are kept open between calls, as the
 * SDK's handler keeps them (at most 50 at once); `destroy` closes them.
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
  const agent =
    url.protocol === "https:" ? new https.Agent({ keepAlive: true, maxSockets: 50 }) : new http.Agent({ keepAlive: true, maxSockets: 50 });
  /** Sends `body` with `headers` (the content type, and the target action for JSON protocols); answers the response. */
  async function post(headers: Record<string, string>, body: string): Promise<AwsResponse> {
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
    return send(url, agent, signed.headers, body);
  }
  return Object.assign(post, { destroy: () => agent.destroy() });
}

/**
 * `call`, tried again as the SDK's standard mode does while `retryable` says the failure may pass
 * (throttling, the service's own faults, the network): up to `attempts` tries in all, each after a
 * jittered wait that grows with the try, at most 20 s.
 */
export async function withRetries<T>(attempts: number, retryable: (err: unknown) => boolean, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= Math.max(1, attempts) || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
    }
  }
}
