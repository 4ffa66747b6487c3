/**
 * The four S3 calls photos need, as signed requests on `fetch` (SigV4 from @smithy/signature-v4,
 * which the SSM read already brings): a presigned POST, a presigned GET, HeadObject and
 * PutObjectTagging. The S3 client would add several hundred KB to the API's bundle, parsed at
 * every cold start, for calls only the photo routes make.
 */
import { createHash, createHmac } from "node:crypto";
import { getSigningKey, SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "./signed.js";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Config {
  bucket: string;
  region: string;
  /** another S3 (the local server): path-style addresses under it; AWS's virtual-hosted address when absent */
  endpoint?: string;
  credentials: () => S3Credentials;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The environment's credentials, as Lambda sets them (read on every call: they rotate). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Credentials {
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
    sessionToken: env.AWS_SESSION_TOKEN || undefined,
  };
}

export function s3(config: S3Config) {
  const base = config.endpoint
    ? new URL(`${config.endpoint.replace(/\/$/, "")}/${config.bucket}/`)
    : new URL(`https://${config.bucket}.s3.${config.region}.amazonaws.com/`);
  const objectUrl = (key: string) => new URL(key.split("/").map(encodeURIComponent).join("/"), base);

  const signer = () =>
    new SignatureV4({
      service: "s3",
      region: config.region,
      sha256: Sha256,
      credentials: config.credentials(),
      uriEscapePath: false,
    });

  const request = (url: URL, method: string, headers: Record<string, string> = {}, body?: string) => ({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...headers },
    body,
  });

  async function send(url: URL, method: string, headers: Record<string, string> = {}, body?: string) {
    const signed = await signer().sign(request(url, method, headers, body));
    return fetch(url, { method, headers: signed.headers, body });
  }

  return {
    /**
     * A browser form upload of one object (S3's POST Object), as @aws-sdk/s3-presigned-post builds
     * it: the same fields and conditions in the same order, signed with the SigV4 signing key.
     */
    async presignPost(opts: {
      key: string;
      conditions: unknown[];
      fields: Record<string, string>;
      expiresInSeconds: number;
      now?: Date;
    }): Promise<PresignedPost> {
      const now = opts.now ?? new Date();
      const signingDate = iso8601(now).replace(/[-:]/g, "");
      const shortDate = signingDate.slice(0, 8);
      const creds = config.credentials();
      const fields: Record<string, string> = {
        ...opts.fields,
        bucket: config.bucket,
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": `${creds.accessKeyId}/${shortDate}/${config.region}/s3/aws4_request`,
        "X-Amz-Date": signingDate,
        ...(creds.sessionToken ? { "X-Amz-Security-Token": creds.sessionToken } : {}),
      };
      const conditions = [...opts.conditions, ...Object.entries(fields).map(([k, v]) => ({ [k]: v })), { key: opts.key }];
      const expiration = iso8601(new Date(now.getTime() + opts.expiresInSeconds * 1000));
      const policy = Buffer.from(JSON.stringify({ expiration, conditions }), "utf8").toString("base64");
      const signingKey = await getSigningKey(Sha256, creds, shortDate, config.region, "s3");
      const signature = createHmac("sha256", signingKey).update(policy, "utf8").digest("hex");
      const url = config.endpoint ? base.href.replace(/\/$/, "") : base.href;
      return { url, fields: { ...fields, key: opts.key, Policy: policy, "X-Amz-Signature": signature } };
    },

    /** A GET of one object anyone holding the URL may make until it expires. */
    async presignGet(key: string, expiresInSeconds: number): Promise<string> {
      const url = objectUrl(key);
      const signed = await signer().presign(request(url, "GET", { "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" }), {
        expiresIn: expiresInSeconds,
      });
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(signed.query ?? {})) {
        if (typeof value === "string") query.set(name, value);
      }
      return `${url.origin}${url.pathname}?${query}`;
    },

    /** HeadObject: the object's size and type, or undefined when there is no such object. */
    async head(key: string): Promise<{ size: number; contentType: string } | undefined> {
      const res = await send(objectUrl(key), "HEAD");
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`S3 HeadObject ${key} failed: ${res.status}`);
      return { size: Number(res.headers.get("content-length") ?? 0), contentType: res.headers.get("content-type") ?? "" };
    },

    /** PutObjectTagging: replaces the object's tags. */
    async tag(key: string, tags: Record<string, string>): Promise<void> {
      const url = objectUrl(key);
      url.search = "tagging";
      const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const tagSet = Object.entries(tags)
        .map(([k, v]) => `<Tag><Key>${escape(k)}</Key><Value>${escape(v)}</Value></Tag>`)
        .join("");
      const body = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>${tagSet}</TagSet></Tagging>`;
      const md5 = createHash("md5").update(body).digest("base64");
      const res = await send(url, "PUT", { "content-type": "application/xml", "content-md5": md5 }, body);
      if (!res.ok) throw new Error(`S3 PutObjectTagging ${key} failed: ${res.status} ${(await res.text()).slice(0, 200)}`);
    },
  };
}
export type S3 = ReturnType<typeof s3>;
