import { signedPoster, withRetries } from "./signed.js";

/** Where and as whom to call SNS; by default the Lambda's region and role (from the environment). */
export interface SnsConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** tries of one call, the first included, while SNS throttles, fails on its side or cannot be reached (3, as the SDK) */
  maxAttempts?: number;
}

/**
 * A refusal or failure from SNS, shaped as the SDK's errors are: `name` is the exception's name
 * (`InvalidParameterException`, `NotFoundException`, or the code as sent, like `Throttling`),
 * `$fault` says whose fault it was, `$metadata.httpStatusCode` the status.
 */
export class SnsError extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: { httpStatusCode: number };
  constructor(
    readonly code: string,
    message: string,
    status: number,
    type: string,
  ) {
    super(message || code);
    this.name = modelled.has(code) ? `${code}Exception` : code;
    this.$fault = type === "Receiver" || status >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode: status };
  }
}

/** The error codes SNS's model names as exceptions (`<Code>NotFound</Code>` is `NotFoundException`). */
const modelled = new Set([
  "AuthorizationError",
  "EndpointDisabled",
  "FilterPolicyLimitExceeded",
  "InternalError",
  "InvalidParameter",
  "InvalidParameterValue",
  "InvalidSecurity",
  "NotFound",
  "OptedOut",
  "PlatformApplicationDisabled",
  "SubscriptionLimitExceeded",
  "Throttled",
  "TopicLimitExceeded",
]);

/** RFC 3986 encoding, as the SDK writes query-protocol forms. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    if (e in named) return named[e];
    return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
/** The text of the first `<tag>` in an XML answer. */
export const xmlValue = (xml: string, tag: string) => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]) : undefined;
};

const retryableError = (err: unknown) =>
  !(err instanceof SnsError) || err.$fault === "server" || /throttl|rate exceeded/i.test(`${err.code} ${err.message}`);

/**
 * One SNS action over its query protocol (a signed, form-encoded POST answered in XML), with the
 * SDK's retry rule: throttling, SNS's own faults and the network are tried again after a short,
 * growing, jittered wait. The whole @aws-sdk/client-sns would add about 24 KB to each bundle for
 * the four actions the application makes. Answers the response's XML.
 */
export function snsClient(config: SnsConfig = {}, env: NodeJS.ProcessEnv = process.env) {
  const post = signedPoster({ service: "sns", ...config, endpoint: config.endpoint ?? env.AWS_ENDPOINT_URL_SNS }, env);

  async function once(body: string): Promise<string> {
    const res = await post({ "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body);
    const text = await res.text();
    if (res.ok) return text;
    throw new SnsError(
      xmlValue(text, "Code") ?? `Http${res.status}`,
      xmlValue(text, "Message") ?? text.slice(0, 200),
      res.status,
      xmlValue(text, "Type") ?? "",
    );
  }

  return async function call(action: string, params: Record<string, string | undefined>): Promise<string> {
    const body = Object.entries({ Action: action, ...params, Version: "2010-03-31" })
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${encode(k)}=${encode(v)}`)
      .join("&");
    return withRetries(config.maxAttempts ?? 3, retryableError, () => once(body));
  };
}

/** A string map as the query protocol writes it: `Name.entry.N.key` and `.value`. */
export function entries(name: string, map: Record<string, string>, key = "key", value = "value") {
  const out: Record<string, string> = {};
  Object.entries(map).forEach(([k, v], i) => {
    out[`${name}.entry.${i + 1}.${key}`] = k;
    out[`${name}.entry.${i + 1}.${value}`] = v;
  });
  return out;
}
