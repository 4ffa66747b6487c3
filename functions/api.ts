import { handle } from "hono/aws-lambda";
import { buildApp } from "./app/base.js";
import { apiRoutes } from "./app/parts.js";
import { parseOrigins } from "./app/security.js";
import { fromEnvOrParameter, need } from "./aws/env.js";
import { credentialsFromEnv, s3 } from "./aws/s3.js";
import { getSecretString } from "./aws/secrets.js";
import { getParameter } from "./aws/ssm.js";
import { smsRulesFrom } from "./core/sms.js";
import { notifierFrom } from "./notify/http-sms.js";
import { snsNotifier } from "./notify/sns.js";
import { createStore } from "./store/client.js";

/**
 * The signing secret: JWT_SECRET, or the secret the Api stack generates in Secrets Manager
 * (JWT_SECRET_ARN), read once; the read starts at cold start, so the first sign-in need not wait for it.
 */
let secretRead: Promise<string> | undefined;
function loadSecret(): Promise<string> {
  if (process.env.JWT_SECRET) return Promise.resolve(process.env.JWT_SECRET);
  secretRead ??= (async () => getSecretString(need("JWT_SECRET_ARN")))().catch((err) => {
    secretRead = undefined;
    throw err;
  });
  return secretRead;
}
loadSecret().catch((err) => console.error(JSON.stringify({ level: "error", msg: "signing secret unreadable", error: String(err) })));

/**
 * The web app's origins, for CORS: SITE_ORIGIN (a custom domain, comma-separated) and the value
 * of the SITE_ORIGIN_PARAM parameter, which the Web stack writes with the site's CloudFront URL
 * (the API cannot name the site at deploy time: the site is built with the API's URL). Read at
 * most every five minutes, so a new site URL takes effect without redeploying the API; a failed
 * read lets no other origin in and is tried again after 30 s.
 */
const fixedOrigins = parseOrigins(process.env.SITE_ORIGIN);
let origins: { value: readonly string[]; until: number } | undefined;
let reading: Promise<readonly string[]> | undefined;
function siteOrigins(): Promise<readonly string[]> | readonly string[] {
  const param = process.env.SITE_ORIGIN_PARAM;
  if (!param) return fixedOrigins;
  if (origins && origins.until > Date.now()) return origins.value;
  reading ??= getParameter(param)
    .then((value) => {
      origins = { value: [...fixedOrigins, ...parseOrigins(value)], until: Date.now() + 300_000 };
      return origins.value;
    })
    .catch((err) => {
      console.error(JSON.stringify({ level: "error", msg: "site origin unreadable", error: String(err?.message ?? err) }));
      origins = { value: fixedOrigins, until: Date.now() + 30_000 };
      return fixedOrigins;
    })
    .finally(() => {
      reading = undefined;
    });
  return reading;
}

/**
 * The API's public address for printed QR codes: PUBLIC_URL (a custom domain), or the parameter the
 * Api stack writes with the API's own URL (a function cannot name the URL of the API that invokes it
 * without a cycle). Never the request's Host header.
 */
const publicUrl = fromEnvOrParameter("PUBLIC_URL");

/** The photo bucket (PHOTO_BUCKET), through signed requests rather than the S3 client (functions/aws/s3.ts). */
const photoBucket = process.env.PHOTO_BUCKET;
const photos = photoBucket
  ? s3({
      bucket: photoBucket,
      region: process.env.AWS_REGION ?? "us-east-1",
      endpoint: process.env.S3_ENDPOINT || undefined,
      credentials: () => credentialsFromEnv(),
    })
  : undefined;

const topicArn = process.env.TOPIC_ARN;
const app = buildApp(
  {
    store: createStore(need("TABLE_NAME")),
    notifier: notifierFrom(process.env, snsNotifier({ topicArn, senderId: process.env.SMS_SENDER_ID })),
    secret: loadSecret,
    siteOrigins,
    publicUrl,
    sms: smsRulesFrom(process.env),
    photos,
  },
  apiRoutes(),
);

export const handler = handle(app);
