import { signedPoster } from "./signed.js";

/**
 * Reads one secret's string from Secrets Manager with a signed request of its JSON protocol, as
 * `ssm.ts` does for parameters: the Secrets Manager client would add its weight to the API's bundle
 * for this one call at cold start.
 */
export async function getSecretString(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const post = signedPoster({ service: "secretsmanager", endpoint: env.SECRETS_ENDPOINT }, env);
  const body = JSON.stringify({ SecretId: secretId });
  const res = await post({ "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" }, body);
  const text = await res.text();
  if (!res.ok) throw new Error(`Secrets Manager GetSecretValue failed: ${res.status} ${text.slice(0, 200)}`);
  const value = JSON.parse(text)?.SecretString;
  if (typeof value !== "string" || !value) throw new Error("the secret has no string value");
  return value;
}
