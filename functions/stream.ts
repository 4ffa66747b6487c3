import { snsNotifier } from "./notify/sns.js";
import { createStreamHandler, type DynamoDBStreamEvent } from "./notify/stream-handler.js";
import { createStore } from "./store/client.js";

const need = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const handle = createStreamHandler({
  store: createStore(need("TABLE_NAME")),
  notifier: snsNotifier({ topicArn: need("TOPIC_ARN") }),
});

/** The table's stream (event items only, by the stack's filter): notifications, SMS, topic. */
export const handler = (event: DynamoDBStreamEvent) => handle(event);
