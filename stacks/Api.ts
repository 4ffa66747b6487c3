import { Fn } from "aws-cdk-lib";
import { Duration } from "aws-cdk-lib/core";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { Api as HttpApi, Function, use, type StackContext } from "sst/constructs";
import { deployedOpenApiJson } from "../functions/app/index.js";
import { docsRouteKeys, pageRouteKeys } from "../functions/app/parts.js";
import { apiEsbuild } from "./bundling.js";
import { Data } from "./Data.js";
import { Notify } from "./Notify.js";
import { alarm, smsEnvironment, thresholds } from "./Ops.js";

const tableActions = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
];

/**
 * The SSM parameter holding the web app's URL, which the Web stack writes and the API reads for
 * CORS. A name both stacks compute: the site is built with the API's URL, so the API cannot take
 * the site's URL from the Web stack at deploy time without a cycle.
 */
export const siteOriginParameter = (stack: { stage: string }) => `/microwish/${stack.stage}/site-origin`;

/** The SSM parameter holding the API's own URL, where printed certificates' QR codes lead (written here, read by the handler). */
export const apiUrlParameter = (stack: { stage: string }) => `/microwish/${stack.stage}/api-url`;

/** Requests per second the API stage accepts, steady and in a burst. */
export const apiThrottle = { rate: 200, burst: 400 } as const;

/**
 * The photo bucket's name (stacks/Photos.ts makes it), computed alike in every stack that needs
 * it: the API must name the bucket (its grant, its environment) before the site exists, and the
 * bucket's CORS must name the site, which is built with the API's URL. A name all compute breaks
 * the cycle, as the site-origin parameter does.
 */
export const photoBucketName = (stack: { stage: string; account: string; region: string }) =>
  `microwish-${stack.stage}-photos-${stack.account}-${stack.region}`.toLowerCase();

/** Where photos live: functions/core/photos.ts makes every key under it, and the API's grant stops there. */
export const photoPrefix = "photos/";

/** The bucket's origin, for the web app's CSP (uploads and photos). */
export const photoOrigin = (stack: { stage: string; account: string; region: string }) =>
  `https://${photoBucketName(stack)}.s3.${stack.region}.amazonaws.com`;

export function Api({ stack }: StackContext) {
  const { table } = use(Data);
  const { wishEvents } = use(Notify);

  // The token-signing secret, made by CloudFormation on the first deploy and kept across deploys:
  // no manual step before the first sign-in. The handler reads it once, at cold start.
  const signingSecret = new Secret(stack, "TokenSigningSecret", {
    description: "Signs Microwish session tokens",
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });

  // The value CloudFront sends the API with every request (functions/app/edge.ts): the stack's own
  // id, unknown outside the account, so only requests through the site's distribution may name
  // the viewer's address.
  const edgeSecret = Fn.select(2, Fn.split("/", stack.stackId));

  // One function behind both routes: the router inside it owns the whole /api tree.
  const handler = new Function(stack, "ApiHandler", {
    handler: "functions/api.handler",
    memorySize: "1024 MB",
    timeout: "10 seconds",
    // Without the answers' schemas, which only the document reads (stacks/bundling.ts).
    nodejs: { format: "esm", minify: true, esbuild: apiEsbuild },
    environment: {
      TABLE_NAME: table.tableName,
      TOPIC_ARN: wishEvents.topicArn,
      JWT_SECRET_ARN: signingSecret.secretArn,
      SITE_ORIGIN_PARAM: siteOriginParameter(stack),
      PHOTO_BUCKET: photoBucketName(stack),
      EDGE_SECRET: edgeSecret,
      PUBLIC_URL_PARAM: apiUrlParameter(stack),
      // The API's custom domain, when it has one: printed QR codes lead there.
      ...(process.env.PUBLIC_URL ? { PUBLIC_URL: process.env.PUBLIC_URL } : {}),
      // A custom domain for the web app, known before deploying (comma-separated origins).
      ...(process.env.SITE_ORIGIN ? { SITE_ORIGIN: process.env.SITE_ORIGIN } : {}),
      // The countries sign-in codes go to ("86,852:50"), and their hourly cap: mainland China and 1000 unless set.
      ...(process.env.SMS_COUNTRIES ? { SMS_COUNTRIES: process.env.SMS_COUNTRIES } : {}),
      ...(process.env.SMS_CODES_PER_COUNTRY_HOUR ? { SMS_CODES_PER_COUNTRY_HOUR: process.env.SMS_CODES_PER_COUNTRY_HOUR } : {}),
      // The sender ID, and a domestic SMS provider in place of SNS for SMS (stacks/Ops.ts).
      ...smsEnvironment(),
    },
  });
  handler.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: tableActions,
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["sns:Publish"],
      resources: [wishEvents.topicArn],
    }),
    // SMS goes straight to phone numbers (functions/notify/sns.ts), and SNS only
    // authorises direct-to-phone publishes against "*"; this is the one unscoped grant.
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["sns:Publish"],
      resources: ["*"],
    }),
    // Photos: the presigned POST (its tagging field included) and GET carry the function's own
    // rights, and attaching reads an upload's size and type and retags it; under photos/ only.
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["s3:PutObject", "s3:PutObjectTagging", "s3:GetObject"],
      resources: [`arn:${stack.partition}:s3:::${photoBucketName(stack)}/${photoPrefix}*`],
    }),
    // Without it S3 answers HeadObject on a key never uploaded with 403 rather than 404.
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["s3:ListBucket"],
      resources: [`arn:${stack.partition}:s3:::${photoBucketName(stack)}`],
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: [
        `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${siteOriginParameter(stack)}`,
        `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${apiUrlParameter(stack)}`,
      ],
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["secretsmanager:GetSecretValue"],
      resources: [signingSecret.secretArn],
    }),
  ]);

  // The certificate pages (print, verify) in a function of their own: only the QR encoder, the
  // page templates and one read of the table; no signing secret, no SNS.
  const pages = new Function(stack, "CertificatePages", {
    handler: "functions/pages.handler",
    memorySize: "512 MB",
    timeout: "10 seconds",
    environment: {
      TABLE_NAME: table.tableName,
      PUBLIC_URL_PARAM: apiUrlParameter(stack),
      ...(process.env.PUBLIC_URL ? { PUBLIC_URL: process.env.PUBLIC_URL } : {}),
    },
  });
  pages.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ssm:GetParameter"],
      resources: [`arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${apiUrlParameter(stack)}`],
    }),
  ]);

  // The OpenAPI document, built here at deploy time from the same route declarations and schemas,
  // and bundled into a small function as text: the API's own function neither carries nor builds it.
  const docs = new Function(stack, "ApiDocs", {
    handler: "functions/docs.handler",
    memorySize: "256 MB",
    timeout: "5 seconds",
    nodejs: { format: "esm", minify: true, esbuild: { define: { __OPENAPI_DOCUMENT__: JSON.stringify(deployedOpenApiJson()) } } },
  });

  const api = new HttpApi(stack, "Api", {
    // No CORS at API Gateway: the handler answers preflights and lets in only the web app's
    // origin (SITE_ORIGIN_PARAM, SITE_ORIGIN), as it does locally (functions/app/index.ts).
    cors: false,
    // Kept a month like the functions' logs (SST's default keeps them forever).
    accessLog: { retention: "one_month" },
    // A stage-wide ceiling, so a flood (a script retrying in a loop) is refused at the door with 429s
    // before it reaches Lambda's concurrency and the table; a county's peak is far below it.
    defaults: { throttle: { rate: apiThrottle.rate, burst: apiThrottle.burst } },
    routes: {
      "ANY /api/{proxy+}": handler,
      "GET /api": handler,
      ...Object.fromEntries(pageRouteKeys.map((key) => [key, pages])),
      ...Object.fromEntries(docsRouteKeys.map((key) => [key, docs])),
    },
  });

  alarm(stack, "Api5xx", {
    metric: api.cdk.httpApi.metricServerError({ statistic: "Sum", period: Duration.minutes(5) }),
    threshold: thresholds.api5xx,
    description: "The API answered 5xx: people cannot sign in, post or claim",
  });

  new StringParameter(stack, "ApiUrlParameter", { parameterName: apiUrlParameter(stack), stringValue: api.url });

  stack.addOutputs({ ApiUrl: api.url });

  return { api, handler, pages, docs, edgeSecret };
}
