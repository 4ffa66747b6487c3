/**
 * Members' SMS subscriptions to the wish-events topic, each with the filter policy their
 * preferences give, so that SNS itself sends each new wish to those who want it.
 */
import {
  SNSClient,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClientConfig,
} from "@aws-sdk/client-sns";
import type { FilterPolicy } from "../core/preferences.js";

export interface Subscriptions {
  /**
   * Makes the person's subscription match the policy: created, changed, or (no policy) removed.
   * Answers with the subscription's ARN, or nothing when there is none.
   */
  set(input: { phone: string; policy: FilterPolicy | null; current?: string }): Promise<string | undefined>;
}

/** Local runs without SNS: the dev outbox works out the fan-out from the preferences themselves. */
export const noSubscriptions: Subscriptions = {
  async set() {
    return undefined;
  },
};

export function snsSubscriptions(config: SNSClientConfig & { topicArn: string }): Subscriptions {
  const { topicArn, ...client } = config;
  const sns = new SNSClient(client);
  const setPolicy = (arn: string, policy: FilterPolicy) =>
    sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: "FilterPolicy", AttributeValue: JSON.stringify(policy) }),
    );
  return {
    async set({ phone, policy, current }) {
      if (!policy) {
        if (current) {
          try {
            await sns.send(new UnsubscribeCommand({ SubscriptionArn: current }));
          } catch (err) {
            if ((err as Error)?.name !== "NotFoundException") throw err;
          }
        }
        return undefined;
      }
      if (current) {
        try {
          await setPolicy(current, policy);
          return current;
        } catch (err) {
          // Removed on SNS's side (the number opted out, or by hand): subscribe afresh.
          if ((err as Error)?.name !== "NotFoundException") throw err;
        }
      }
      try {
        const out = await sns.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: "sms",
            Endpoint: phone,
            Attributes: { FilterPolicy: JSON.stringify(policy) },
            ReturnSubscriptionArn: true,
          }),
        );
        return out.SubscriptionArn;
      } catch (err) {
        // A subscription for this number exists already with another policy (one whose ARN was
        // never stored): SNS hands its ARN back when asked without attributes, then it is updated.
        if ((err as Error)?.name !== "InvalidParameterException") throw err;
        const out = await sns.send(
          new SubscribeCommand({ TopicArn: topicArn, Protocol: "sms", Endpoint: phone, ReturnSubscriptionArn: true }),
        );
        await setPolicy(out.SubscriptionArn!, policy);
        return out.SubscriptionArn;
      }
    },
  };
}
