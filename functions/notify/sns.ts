import { PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import type { Notifier } from "./notifier.js";

/**
 * SMS straight to a phone through SNS, marked transactional so carriers deliver it promptly;
 * topic messages carry their attributes as SNS message attributes, for subscription filters.
 */
export function snsNotifier(config: SNSClientConfig & { topicArn?: string } = {}): Notifier {
  const { topicArn, ...client } = config;
  const sns = new SNSClient(client);
  return {
    async send(message) {
      await sns.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: {
            "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
          },
        }),
      );
    },
    async publish(message) {
      if (!topicArn) throw new Error("No topic to publish to: set TOPIC_ARN");
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: message.text,
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
          ),
        }),
      );
    },
  };
}

/**
 * Whether a failed publish is worth retrying: throttling, SNS's own faults and the network are;
 * a request SNS refuses as such (a number it will not text, an opted-out phone) is not.
 */
export function retryable(err: unknown): boolean {
  const e = err as { name?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (/throttl/i.test(e?.name ?? "")) return true;
  if (e?.$retryable) return true;
  if (e?.$fault === "server") return true;
  if (e?.$fault === "client") return false;
  return true;
}
