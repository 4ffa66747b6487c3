import { handle } from "hono/aws-lambda";
import { createApp } from "./app/index.js";
import { getParameter } from "./aws/ssm.js";
import { snsNotifier } from "./notify/sns.js";
import { snsSubscriptions } from "./notify/subscriptions.js";
import { createStore } from "./store/client.js";

const need = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

let secret: Promise<string> | undefined;

/** The signing secret: from JWT_SECRET when given, else read once from SSM (an SST secret). */
function loadSecret(): Promise<string> {
  if (process.env.JWT_SECRET) return Promise.resolve(process.env.JWT_SECRET);
  secret ??= getParameter(need("JWT_SECRET_PARAM")).catch((err) => {
    secret = undefined;
    throw err;
  });
  return secret;
}

const topicArn = process.env.TOPIC_ARN;
const app = createApp({
  store: createStore(need("TABLE_NAME")),
  notifier: snsNotifier({ topicArn }),
  secret: loadSecret,
  subscriptions: topicArn ? snsSubscriptions({ topicArn }) : undefined,
});

export const handler = handle(app);
