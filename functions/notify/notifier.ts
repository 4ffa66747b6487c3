import type { Sms } from "./templates.js";

/** A message for one person on one channel. Sign-in codes and lifecycle SMS both go through here. */
export interface Message {
  to: string;
  channel: "sms";
  kind: string;
  /** the text as sent through SNS: the template filled in, with the sender's mark */
  text: string;
  /** the registered template and its variables, which a domestic SMS provider sends instead of the text */
  template?: Sms["template"];
}

/**
 * A message for the wish-events topic, for integrations: the attributes (community, category,
 * type, lang) are what their subscription filter policies match on.
 */
export interface TopicMessage {
  kind: string;
  text: string;
  attributes: Record<string, string>;
}

export interface Notifier {
  send(message: Message): Promise<void>;
  publish(message: TopicMessage): Promise<void>;
}
