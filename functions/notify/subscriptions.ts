/**
 * Members' SMS subscriptions to the wish-events topic, each with the filter policy their
 * preferences give, so that SNS itself sends each new wish to those who want it.
 */
import { entries, snsClient, xmlValue, type SnsConfig } from "../aws/sns.js";
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

export function snsSubscriptions(config: SnsConfig & { topicArn: string }): Subscriptions {
  const { topicArn, ...client } = config;
  const sns = snsClient(client);
  const setPolicy = (arn: string, policy: FilterPolicy) =>
    sns("SetSubscriptionAttributes", { SubscriptionArn: arn, AttributeName: "FilterPolicy", AttributeValue: JSON.stringify(policy) });
  const subscribe = async (phone: string, attributes: Record<string, string>) =>
    xmlValue(
      await sns("Subscribe", {
        TopicArn: topicArn,
        Protocol: "sms",
        Endpoint: phone,
        ...entries("Attributes", attributes),
        ReturnSubscriptionArn: "true",
      }),
      "SubscriptionArn",
    );
  return {
    async set({ phone, policy, current }) {
      if (!policy) {
        if (current) {
          try {
            await sns("Unsubscribe", { SubscriptionArn: current });
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
        return await subscribe(phone, { FilterPolicy: JSON.stringify(policy) });
      } catch (err) {
        // A subscription for this number exists already with another policy (one whose ARN was
        // never stored): SNS hands its ARN back when asked without attributes, then it is updated.
        if ((err as Error)?.name !== "InvalidParameterException") throw err;
        const arn = await subscribe(phone, {});
        if (!arn) throw new Error("SNS answered Subscribe without a subscription ARN");
        await setPolicy(arn, policy);
        return arn;
      }
    },
  };
}
