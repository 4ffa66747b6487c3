import { PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import type { Notifier } from "./notifier.js";

/** SMS straight to a phone through SNS, marked transactional so carriers deliver it promptly. */
export function snsNotifier(config: SNSClientConfig = {}): Notifier {
  const sns = new SNSClient(config);
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
  };
}
