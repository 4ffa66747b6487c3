import { parseOrigins } from "./app/security.js";
import { getParameter } from "./aws/ssm.js";
import { notifierFrom } from "./notify/http-sms.js";
import { snsNotifier } from "./notify/sns.js";
import { createStreamHandler, type DynamoDBStreamEvent } from "./notify/stream-handler.js";
import { createStore } from "./store/client.js";

const need = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/**
 * The web app's address for the links SMS carry: the first of SITE_ORIGIN (its custom domain), else
 * the parameter the Web stack writes with the site's URL, read once per container (tried again after a failure).
 */
let site: Promise<string> | undefined;
function siteUrl(): Promise<string> {
  const fixed = parseOrigins(process.env.SITE_ORIGIN)[0];
  if (fixed) return Promise.resolve(fixed);
  site ??= getParameter(need("SITE_ORIGIN_PARAM")).catch((err) => {
    site = undefined;
    throw err;
  });
  return site;
}

const handle = createStreamHandler({
  store: createStore(need("TABLE_NAME")),
  notifier: notifierFrom(process.env, snsNotifier({ topicArn: need("TOPIC_ARN"), senderId: process.env.SMS_SENDER_ID })),
  siteUrl,
});

/** The table's stream (event items only, by the stack's filter): notifications, SMS, topic. */
export const handler = (event: DynamoDBStreamEvent) => handle(event);
