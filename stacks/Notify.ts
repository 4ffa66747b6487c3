import { Topic, type StackContext } from "sst/constructs";

export function Notify({ stack }: StackContext) {
  // New wishes reach members through the stream handler (a subscriber index in the table);
  // the topic carries them for integrations, which subscribe to it themselves.
  const wishEvents = new Topic(stack, "WishEvents");

  stack.addOutputs({ WishEventsTopicArn: wishEvents.topicArn });

  return { wishEvents };
}
