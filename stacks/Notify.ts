import { Topic, type StackContext } from "sst/constructs";

export function Notify({ stack }: StackContext) {
  // Members' subscriptions come and go with the members and carry their own filter
  // policies, so the stack declares the topic only, not its subscribers.
  const wishEvents = new Topic(stack, "WishEvents");

  stack.addOutputs({ WishEventsTopicArn: wishEvents.topicArn });

  return { wishEvents };
}
