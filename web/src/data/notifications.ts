import { createRoot, createSignal } from "solid-js";
import { get } from "./api";
import type { Page } from "./types";

export interface Notice {
  id: string;
  kind: string;
  wishId: string;
  communityId: string;
  at: string;
  read: boolean;
  /** in the person's language, written by the server */
  text: string;
}

export type Inbox = Page<Notice> & { unread: number };

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
