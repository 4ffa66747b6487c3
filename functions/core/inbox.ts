/**
 * In-app notifications. Each is keyed by its recipient and the event it tells of, and is written
 * under `attribute_not_exists` in the same transaction that moves the recipient's unread counter:
 * a replayed event neither adds an item nor moves the count. Marking read moves the counter back
 * in the same way, so the count is exact without reading the inbox.
 */
import { getItem, queryPage, updateItem, type Store } from "../store/client.js";
import * as notifications from "../store/entities/notification.js";
import * as unreadCounters from "../store/entities/unread-counter.js";
import type { Notification } from "../store/entities/index.js";
import { appText, langOf } from "../notify/templates.js";
import type { NoticeKind, NoticeParams } from "./audience.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";
import { page, write } from "./storage.js";

export interface Delivery {
  userId: string;
  eventId: string;
  kind: NoticeKind;
  wishId?: string;
  activityId?: string;
  communityId: string;
  at: string;
  params: NoticeParams;
}

/** Transactions hold 100 items: the counter and up to 99 notifications marked read at once. */
const readBatch = 99;

/**
 * Writes the notification once. `created` is false when it was there already (a replay), and
 * `smsSentAt` tells whether its SMS went out on an earlier try.
 */
export async function deliver(store: Store, d: Delivery): Promise<{ created: boolean; smsSentAt?: string }> {
  const notification: Notification = { id: d.eventId, ...d, createdAt: new Date().toISOString() };
  const outcome = await write(store, [notifications.create(notification), unreadCounters.add(d.userId, 1)]);
  if (outcome.ok) return { created: true };
  const existing = outcome.failed[0]?.item ?? (await getItem(store, notifications.key(d.userId, d.eventId)));
  return { created: false, smsSentAt: existing && notifications.fromItem(existing).smsSentAt };
}

/** Notes that the notification's SMS went out, so a retried event does not send it again. */
export async function markSmsSent(store: Store, userId: string, eventId: string, at = new Date().toISOString()) {
  await updateItem(store, notifications.smsSent(userId, eventId, at));
}

async function unreadCount(store: Store, userId: string): Promise<number> {
  return unreadCounters.countOf(await getItem(store, unreadCounters.key(userId)));
}

/** What the reader sees: the notice in their language, and whether they read it. */
function present(n: Notification, lang: ReturnType<typeof langOf>) {
  return {
    id: n.id,
    kind: n.kind as NoticeKind,
    wishId: n.wishId,
    activityId: n.activityId,
    communityId: n.communityId,
    at: n.at,
    read: Boolean(n.readAt),
    text: appText(n.kind as NoticeKind, lang, n.params as NoticeParams),
  };
}

/** My notifications, newest first, in my language, with how many are unread. */
export async function list(store: Store, actor: Actor, cursor?: string, limit = 20) {
  const [found, unread] = await Promise.all([
    page(store, notifications.newest(actor.id, limit), cursor, notifications.fromItem),
    unreadCount(store, actor.id),
  ]);
  const lang = langOf(actor.lang);
  return { items: found.items.map((n) => present(n, lang)), unread, cursor: found.cursor };
}

/** Marks one notification read; marking it again changes nothing. */
export async function markRead(store: Store, actor: Actor, id: string) {
  const at = new Date().toISOString();
  const outcome = await write(store, [notifications.read(actor.id, id, at), unreadCounters.add(actor.id, -1)]);
  // Failed with the item there: read already, and the count moved then.
  if (!outcome.ok && !outcome.failed[0]?.item) fail("notification.not_found", `You have no notification ${id}.`);
  return { unread: await unreadCount(store, actor.id) };
}

/** Marks every unread notification read, up to 99 in each transaction with the counter. */
export async function markAllRead(store: Store, actor: Actor) {
  for (let rounds = 0; rounds < 1000; rounds++) {
    const unread = await unreadIds(store, actor.id);
    if (unread.length === 0) break;
    const at = new Date().toISOString();
    // Not committed: some were read meanwhile (in another tab); the next round looks again.
    await write(store, [...unread.map((id) => notifications.read(actor.id, id, at)), unreadCounters.add(actor.id, -unread.length)]);
  }
  return { unread: await unreadCount(store, actor.id) };
}

/** Up to a transaction's worth of unread ids, oldest first, reading no further than it takes. */
async function unreadIds(store: Store, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const found = await queryPage(store, notifications.unread(userId), cursor);
    ids.push(...found.items.map((i) => notifications.fromItem(i).id));
    cursor = found.cursor;
  } while (cursor && ids.length < readBatch);
  return ids.slice(0, readBatch);
}
