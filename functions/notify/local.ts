import { ulid } from "ulid";
import { putItem, queryPage, type Store } from "../store/client.js";
import * as outbox from "../store/entities/outbox.js";
import type { Message, Notifier } from "./notifier.js";

const keepSeconds = 7 * 24 * 3600;

/**
 * Delivery for local runs: each message is kept in the table (so the dev outbox
 * survives a restart and every process sees it) and printed to the console. A topic
 * message is for integrations, which a local run has none of: it is printed only (members
 * hear of new wishes through the stream handler, as on AWS).
 */
export function outboxNotifier(store: Store, opts: { print?: boolean } = {}): Notifier {
  const send = async (message: Message) => {
    const at = new Date();
    await putItem(
      store,
      outbox.put(ulid(at.getTime()), { ...message, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + keepSeconds }),
    );
    if (opts.print) console.log(`[outbox] ${message.channel} → ${message.to}: ${message.text}`);
  };
  return {
    send,
    async publish(message) {
      if (opts.print) console.log(`[outbox] topic ${JSON.stringify(message.attributes)}: ${message.text}`);
    },
  };
}

export async function readOutbox(store: Store, to: string, limit = 50) {
  const now = Math.floor(Date.now() / 1000);
  const page = await queryPage(store, outbox.newest(to, limit));
  return page.items
    .map(outbox.fromItem)
    .filter((m) => m.expiresAt > now)
    .map(({ to, channel, kind, text, at }) => ({ to, channel, kind, text, at }));
}
