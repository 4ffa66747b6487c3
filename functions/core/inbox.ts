/**
 * In-app notifications. Each is keyed by its recipient and the event it tells of, and is written
 * under `attribute_not_exists` in the same transaction that moves the recipient's unread counter:
 * a replayed event neither adds an item nor moves the count. Marking read moves the counter back
 * in the same way, so the count is exact without reading the inbox.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { getItem, queryPage, transact, type Item, type Store, type TransactItem } from "../store/client.js";
import { Keys, Prefix } from "../store/keys.js";
import { appText, langOf } from "../notify/templates.js";
import type { NoticeKind, NoticeParams } from "./audience.js";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";

export interface Delivery {
  userId: string;
  eventId: string;
  kind: NoticeKind;
  wishId: string;
  communityId: string;
  at: string;
  params: NoticeParams;
}

/** Transactions hold 100 items: the counter and up to 99 notifications marked read at once. */
const readBatch = 99;

class Exists extends Error {
  constructor(readonly item?: Item) {
    super("exists");
  }
}

/**
 * Writes the notification once. `created` is false when it was there already (a replay), and
 * `smsSentAt` tells whether its SMS went out on an earlier try.
 */
export async function deliver(store: Store, d: Delivery): Promise<{ created: boolean; smsSentAt?: string }> {
  const item = {
    ...Keys.notification(d.userId, d.eventId),
    type: "notification",
    id: d.eventId,
    ...d,
    createdAt: new Date().toISOString(),
  };
  try {
    await transact(
      store,
      [
        { Put: { Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
        { Update: { Key: Keys.unread(d.userId), UpdateExpression: "ADD unread :one", ExpressionAttributeValues: { ":one": 1 } } },
      ],
      (failed) => {
        throw new Exists(failed[0]?.item);
      },
    );
    return { created: true };
  } catch (err) {
    if (!(err instanceof Exists)) throw err;
    const existing = err.item ?? (await getItem(store, Keys.notification(d.userId, d.eventId)));
    return { created: false, smsSentAt: existing?.smsSentAt };
  }
}

/** Notes that the notification's SMS went out, so a retried event does not send it again. */
export async function markSmsSent(store: Store, userId: string, eventId: string, at = new Date().toISOString()) {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: Keys.notification(userId, eventId),
      UpdateExpression: "SET smsSentAt = :at",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
}

async function unreadCount(store: Store, userId: string): Promise<number> {
  const counter = await getItem(store, Keys.unread(userId));
  return Math.max(0, counter?.unread ?? 0);
}

function present(item: Item, lang: ReturnType<typeof langOf>) {
  return {
    id: item.id as string,
    kind: item.kind as NoticeKind,
    wishId: item.wishId as string,
    communityId: item.communityId as string,
    at: item.at as string,
    read: Boolean(item.readAt),
    text: appText(item.kind, lang, item.params),
  };
}

/** My notifications, newest first, in my language, with how many are unread. */
export async function list(store: Store, actor: Actor, cursor?: string, limit = 20) {
  const [page, unread] = await Promise.all([
    queryPage(
      store,
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :n)",
        ExpressionAttributeValues: { ":pk": Keys.user(actor.id).pk, ":n": Prefix.notification },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    ),
    unreadCount(store, actor.id),
  ]);
  const lang = langOf(actor.lang);
  return { items: page.items.map((n) => present(n, lang)), unread, cursor: page.cursor };
}

const readUpdate = (userId: string, id: string, at: string): TransactItem => ({
  Update: {
    Key: Keys.notification(userId, id),
    UpdateExpression: "SET readAt = :at",
    ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(readAt)",
    ExpressionAttributeValues: { ":at": at },
  },
});

const countDown = (userId: string, n: number): TransactItem => ({
  Update: { Key: Keys.unread(userId), UpdateExpression: "ADD unread :n", ExpressionAttributeValues: { ":n": -n } },
});

/** Marks one notification read; marking it again changes nothing. */
export async function markRead(store: Store, actor: Actor, id: string) {
  const at = new Date().toISOString();
  try {
    await transact(store, [readUpdate(actor.id, id, at), countDown(actor.id, 1)], (failed) => {
      if (!failed[0]?.item) fail("notification.not_found", `You have no notification ${id}.`);
      throw new Exists(failed[0].item);
    });
  } catch (err) {
    if (!(err instanceof Exists)) throw err;
  }
  return { unread: await unreadCount(store, actor.id) };
}

/** Marks every unread notification read, up to 99 in each transaction with the counter. */
export async function markAllRead(store: Store, actor: Actor) {
  for (let rounds = 0; rounds < 1000; rounds++) {
    const unread = await unreadIds(store, actor.id);
    if (unread.length === 0) break;
    const at = new Date().toISOString();
    try {
      await transact(store, [...unread.map((id) => readUpdate(actor.id, id, at)), countDown(actor.id, unread.length)], () => {
        // Read meanwhile (by another tab): look again.
        throw new Exists();
      });
    } catch (err) {
      if (!(err instanceof Exists)) throw err;
    }
  }
  return { unread: await unreadCount(store, actor.id) };
}

async function unreadIds(store: Store, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(
      store,
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :n)",
        FilterExpression: "attribute_not_exists(readAt)",
        ExpressionAttributeValues: { ":pk": Keys.user(userId).pk, ":n": Prefix.notification },
        ProjectionExpression: "#id",
        ExpressionAttributeNames: { "#id": "id" },
        ConsistentRead: true,
      },
      cursor,
    );
    ids.push(...page.items.map((i) => i.id as string));
    cursor = page.cursor;
  } while (cursor && ids.length < readBatch);
  return ids.slice(0, readBatch);
}
