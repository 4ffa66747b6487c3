import { createRoot, createSignal } from "solid-js";
import { get } from "./api";
import type { Notification, NotificationPage } from "./types";

export type Notice = Notification;
export type Inbox = NotificationPage;

/** How many notifications are unread, for the bell; refreshed on each page and every minute. */
export const [unread, setUnread] = createRoot(() => createSignal(0));

export async function refreshUnread() {
  try {
    const inbox = await get<Inbox>("/api/notifications?limit=1");
    setUnread(inbox.unread);
  } catch {
    // The bell keeps its last count; the page itself says when the network is gone.
  }
}
