/** A message for one person on one channel. Sign-in codes and lifecycle SMS both go through here. */
export interface Message {
  to: string;
  channel: "sms";
  kind: string;
  text: string;
}

export interface Notifier {
  send(message: Message): Promise<void>;
}
