import { createRoot, createSignal } from "solid-js";
import { get } from "./api";
import type { Notification, NotificationPage } from "./types";

export type Notice = Notification;
export type Inbox = NotificationPage;

/** How many notifications are unread, for the bell; refreshed on each page and every minute. */
export const [unread, setUnread] = createRoot(() => createSignal(0));

/** The bell's read: index.tsx starts it as the app opens, the shell's first refresh takes the answer. */
export const unreadPath = "/api/notifications?limit=1";

/** The read on its way, if any: a page change while it travels waits for it rather than asking again. */
let reading: Promise<void> | undefined;

export function refreshUnread(): Promise<void> {
  reading ??= (async () => {
    try {
      setUnread((await get<Inbox>(unreadPath)).unread);
    } catch {
      // The bell keeps its last count; the page itself says when the network is gone.
    } finally {
      reading = undefined;
    }
  })();
  return reading;
}
