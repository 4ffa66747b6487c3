import { snsClient, type SnsConfig } from "../aws/sns.js";
import type { Notifier } from "./notifier.js";

/** Message attributes as Publish takes them: `MessageAttributes.entry.N.Name`, `.Value.DataType`, `.Value.StringValue`. */
function messageAttributes(attributes: Record<string, string>) {
  const out: Record<string, string> = {};
  Object.entries(attributes).forEach(([name, value], i) => {
    const at = `MessageAttributes.entry.${i + 1}`;
    Object.assign(out, { [`${at}.Name`]: name, [`${at}.Value.DataType`]: "String", [`${at}.Value.StringValue`]: value });
  });
  return out;
}

/**
 * How every SMS is sent: transactional (carriers deliver it promptly, and SNS does not drop it for
 * cost), and from the registered sender ID where the deployment has one (SMS_SENDER_ID; mainland
 * China takes none, its messages carry the registered signature in the text).
 */
export function smsAttributes(senderId?: string): Record<string, string> {
  return { "AWS.SNS.SMS.SMSType": "Transactional", ...(senderId ? { "AWS.SNS.SMS.SenderID": senderId } : {}) };
}

/**
 * SMS straight to a phone through SNS; topic messages carry their attributes as SNS message
 * attributes, for subscription filters, and the SMS attributes too, so the topic's SMS subscribers
 * get them as transactional rather than as the account's default.
 */
export function snsNotifier(config: SnsConfig & { topicArn?: string; senderId?: string } = {}): Notifier {
  const { topicArn, senderId, ...client } = config;
  const sns = snsClient(client);
  return {
    async send(message) {
      await sns("Publish", { PhoneNumber: message.to, Message: message.text, ...messageAttributes(smsAttributes(senderId)) });
    },
    async publish(message) {
      if (!topicArn) throw new Error("No topic to publish to: set TOPIC_ARN");
      await sns("Publish", {
        TopicArn: topicArn,
        Message: message.text,
        ...messageAttributes({ ...message.attributes, ...smsAttributes(senderId) }),
      });
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
