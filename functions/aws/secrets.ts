import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "./ssm.js";

/**
 * Reads one secret's string from Secrets Manager with a signed request of its JSON protocol, as
 * `ssm.ts` does for parameters: the Secrets Manager client would add its weight to the API's bundle
 * for this one call at cold start.
 */
export async function getSecretString(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  // China's regions answer under amazonaws.com.cn.
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const url = new URL(env.SECRETS_ENDPOINT ?? `https://secretsmanager.${region}.${suffix}/`);
  const body = JSON.stringify({ SecretId: secretId });
  const signer = new SignatureV4({
    service: "secretsmanager",
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
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" },
    body,
  });
  const res = await fetch(url, { method: "POST", headers: signed.headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`Secrets Manager GetSecretValue failed: ${res.status} ${text.slice(0, 200)}`);
  const value = JSON.parse(text)?.SecretString;
  if (typeof value !== "string" || !value) throw new Error("the secret has no string value");
  return value;
}
