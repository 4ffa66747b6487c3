import { signedPoster } from "./signed.js";

/**
 * Reads one SecureString from SSM Parameter Store with a signed request of its JSON protocol.
 * The full SSM client would add about 200 KB to the API's bundle for this one call at cold start.
 */
export async function getParameter(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const post = signedPoster({ service: "ssm", endpoint: env.SSM_ENDPOINT }, env);
  const body = JSON.stringify({ Name: name, WithDecryption: true });
  const res = await post({ "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" }, body);
  const text = await res.text();
  if (!res.ok) throw new Error(`SSM GetParameter ${name} failed: ${res.status} ${text.slice(0, 200)}`);
  const value = JSON.parse(text)?.Parameter?.Value;
  if (typeof value !== "string" || !value) throw new Error(`SSM parameter ${name} is empty`);
  return value;
}
