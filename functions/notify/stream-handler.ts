/**
 * The table's stream as the outbox: each event item inserted into a wish's timeline is turned into
 * in-app notifications, SMS and topic messages. The same handler serves Lambda (functions/stream.ts)
 * and the local stream poller, with Lambda's event shape.
 *
 * Never losing a message, never doubling the inbox: every in-app notification is written first,
 * once (keyed by recipient and event); then the SMS, each marked sent on its notification so a
 * retry skips it; then the topic. A publish that fails for a reason worth retrying (throttling,
 * SNS faults, the network) fails the record: the handler reports it in `batchItemFailures`, stops
 * there (the stream redelivers from that record on, in order), and after its retries the record
 * goes to the dead-letter queue. What no retry can fix (no such user, no phone, a number that is
 * not E.164, SNS refusing the number) is logged and skipped; it never fails the batch.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { resumeCrediting as resumeActivityCrediting } from "../core/activities.js";
import { activityAudience, alwaysSmsKinds, audience, type Notice } from "../core/audience.js";
import { resumeCrediting } from "../core/hours.js";
import * as Inbox from "../core/inbox.js";
import { jsonLog, type Log } from "../core/log.js";
import { newWishType, recipients, type Recipient } from "../core/preferences.js";
import { recipientsOf, type NoticeRecord } from "../core/notices.js";
import * as Rollups from "../core/rollups.js";
import { getItem, updateItem, type Store } from "../store/client.js";
import * as digests from "../store/entities/digest.js";
import type { Digest } from "../store/entities/digest.js";
import * as activities from "../store/entities/activity.js";
import type { ActivityEvent } from "../store/entities/activity.js";
import * as notices from "../store/entities/notice.js";
import * as events from "../store/entities/event.js";
import type { WishEvent } from "../store/entities/index.js";
import type { Notifier } from "./notifier.js";
import { retryable } from "./sns.js";
import { langs, newWishText, renderSms, smsText, wishLink } from "./templates.js";

/** Lambda's DynamoDB stream event, as far as this handler reads it. */
export interface StreamRecord {
  eventID?: string;
  eventName?: "INSERT" | "MODIFY" | "REMOVE";
  eventSource?: string;
  eventSourceARN?: string;
  eventVersion?: string;
  awsRegion?: string;
  dynamodb?: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
}
export interface DynamoDBStreamEvent {
  Records: StreamRecord[];
}
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface StreamDeps {
  store: Store;
  notifier: Notifier;
  log?: Log;
  /** the web app's address, for the link to the wish every SMS carries (none: a path alone) */
  siteUrl?: () => string | Promise<string>;
}

const e164 = /^\+[1-9]\d{7,14}$/;

/**
 * Ten at a time: a group wish of hundreds is told in seconds without flooding the table or SNS.
 * A batch is waited out whole before a failure is passed on, so every SMS that went out is marked
 * sent before the record is handed back for a retry.
 */
async function inBatches<T>(items: T[], each: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += 10) {
    const failed = (await Promise.allSettled(items.slice(i, i + 10).map(each))).find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }
}

/** The event item a record inserts, or nothing for any other write to the table. */
export function eventOf(record: StreamRecord): WishEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== "INSERT" || !image || image.type?.S !== "event") return undefined;
  return events.fromItem(unmarshall(image as Parameters<typeof unmarshall>[0]));
}

/** An activity's event, a notice staff sent, or a morning digest: the other items the stream tells people of. */
function otherOf(record: StreamRecord): { activityEvent?: ActivityEvent; notice?: NoticeRecord; digest?: Digest } | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== "INSERT" || !image) return undefined;
  const item = () => unmarshall(image as Parameters<typeof unmarshall>[0]);
  if (image.type?.S === "activity-event") return { activityEvent: activities.eventFromItem(item()) };
  if (image.type?.S === "notice") return { notice: notices.fromItem(item()) };
  if (image.type?.S === "digest") return { digest: digests.fromItem(item()) };
  return undefined;
}

export function createStreamHandler(deps: StreamDeps) {
  const log = deps.log ?? jsonLog;
  const siteUrl = deps.siteUrl ?? (() => "");
  const rollups = Rollups.keeper(deps.store);
  return async (event: DynamoDBStreamEvent): Promise<StreamBatchResponse> => {
    for (const record of event.Records ?? []) {
      const item = eventOf(record);
      const other = item ? undefined : otherOf(record);
      const tally = !item && !other && Rollups.isTally(record);
      if (!item && !other && !tally) continue;
      try {
        if (tally) await rollups.apply(record);
        else if (item) await handleEvent({ ...deps, log, siteUrl }, item);
        else if (other?.activityEvent) await handleActivityEvent({ ...deps, log, siteUrl }, other.activityEvent);
        else if (other?.notice) await handleNotice({ ...deps, log, siteUrl }, other.notice);
        else if (other?.digest) await handleDigest({ ...deps, log, siteUrl }, other.digest);
      } catch (err) {
        log("error", "notify.retry", {
          eventId: item?.id ?? other?.activityEvent?.id ?? other?.notice?.id,
          wishId: item?.wishId,
          activityId: other?.activityEvent?.activityId ?? other?.notice?.activityId,
          kind: item?.kind ?? other?.activityEvent?.kind ?? (tally ? "rollup" : other?.digest ? "digest" : "notice"),
          error: String((err as Error)?.message ?? err),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** Sends, and says whether it went; throws only what is worth retrying. */
async function attempt(log: Log, what: Record<string, unknown>, send: () => Promise<void>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    if (retryable(err)) throw err;
    log("warn", "notify.refused", { ...what, error: (err as Error)?.name, message: (err as Error)?.message });
    return false;
  }
}

export async function handleEvent(deps: Required<StreamDeps>, event: WishEvent) {
  const { store, notifier, log } = deps;
  // A close too large for one transaction, cut off by a crash after its first, is finished here:
  // its verify event reaches the stream whatever became of the process that wrote it. Resuming is
  // safe to repeat (each step names the progress it expects) and does nothing once done.
  if (event.kind === "verify") await resumeCrediting(store, event.wishId);
  const { notices, topic } = await audience(store, event);
  await tell(deps, { eventId: event.id, wishId: event.wishId, communityId: event.communityId, at: event.at }, notices);

  if (topic) {
    const link = wishLink(await deps.siteUrl(), event.wishId);
    for (const lang of langs) {
      const { text } = newWishText(lang, topic.params, link);
      const attributes = { community: topic.communityId, category: topic.category, type: newWishType, lang };
      await attempt(log, { eventId: event.id, topic: true, lang }, () => notifier.publish({ kind: "wish-open", text, attributes }));
    }
  }
}

/** An activity's absence or credit, told to the members it names. */
export async function handleActivityEvent(deps: Required<StreamDeps>, event: ActivityEvent) {
  if (event.kind === "verify") await resumeActivityCrediting(deps.store, event.activityId);
  const item = await getItem(deps.store, activities.key(event.activityId));
  if (!item) return;
  const notices = activityAudience(event, activities.fromItem(item));
  await tell(deps, { eventId: event.id, activityId: event.activityId, communityId: event.communityId, at: event.at }, notices);
}

/** A notice staff sent: in the app to each recipient, and by SMS to each when staff asked for it. */
export async function handleNotice(deps: Required<StreamDeps>, n: NoticeRecord) {
  const params = { title: n.title ?? "", actor: n.actorName, note: n.text };
  const people = await recipientsOf(deps.store, n);
  const told = people.map((userId) => ({ userId, kind: "notice" as const, params }));
  await tell(deps, { eventId: n.id, activityId: n.activityId, communityId: n.communityId, at: n.at }, told, n.sms);
}

/** A member's morning digest: one SMS with the count and a link to the hall, unless it went out on an earlier try. */
export async function handleDigest(deps: Required<StreamDeps>, d: Digest) {
  const { store, notifier, log } = deps;
  const stored = await getItem(store, digests.key(d.userId, d.day));
  if (!stored || digests.fromItem(stored).smsSentAt) return;
  const person = (await recipients(store, [d.userId])).get(d.userId);
  const what = { digest: d.day, userId: d.userId, kind: "new-wish-digest" };
  if (!person?.phone || !e164.test(person.phone)) {
    log("warn", person?.phone ? "sms.bad_phone" : "sms.no_phone", what);
    return;
  }
  const site = (await deps.siteUrl()).replace(/\/+$/, "");
  const { text, template } = renderSms("new-wish-digest", person.lang, { count: String(d.count), link: `${site}/hall` });
  const sent = await attempt(log, what, () =>
    notifier.send({ to: person.phone!, channel: "sms", kind: "new-wish-digest", text, template }),
  );
  if (sent) await updateItem(store, digests.smsSent(d.userId, d.day, new Date().toISOString()));
}

/**
 * Each person's in-app notice (once, keyed by the event), then their SMS where they chose that
 * kind, or where the sender asked for SMS (`smsToAll`); a sent SMS is marked so a retry skips it.
 */
async function tell(
  deps: Required<StreamDeps>,
  about: { eventId: string; wishId?: string; activityId?: string; communityId: string; at: string },
  notices: Notice[],
  smsToAll = false,
) {
  const { store, notifier, log } = deps;
  const event = { id: about.eventId };
  const site = (await deps.siteUrl()).replace(/\/+$/, "");
  // Each SMS leads to what it is about in the web app, never quoting it.
  const link = about.wishId
    ? wishLink(site, about.wishId)
    : about.activityId
      ? `${site}/activities/${about.activityId}`
      : `${site}/notifications`;
  const people = await recipients(
    store,
    notices.map((n) => n.userId),
  );

  const delivered: { notice: Notice; person: Recipient; smsSentAt?: string }[] = [];
  await inBatches(notices, async (notice) => {
    const person = people.get(notice.userId);
    if (!person) {
      log("warn", "notify.no_user", { eventId: event.id, userId: notice.userId, kind: notice.kind });
      return;
    }
    const outcome = await Inbox.deliver(store, {
      userId: notice.userId,
      eventId: about.eventId,
      kind: notice.kind,
      wishId: about.wishId,
      activityId: about.activityId,
      communityId: about.communityId,
      at: about.at,
      params: notice.params,
    });
    delivered.push({ notice, person, ...outcome });
  });

  await inBatches(delivered, async ({ notice, person, smsSentAt }) => {
    // New wishes go by SMS only in the morning digest (handleDigest).
    if (notice.kind === "new-wish") return;
    if (!(smsToAll || person.sms.includes(notice.kind) || alwaysSmsKinds.includes(notice.kind)) || smsSentAt) return;
    const what = { eventId: event.id, userId: person.userId, kind: notice.kind };
    if (!person.phone) {
      log("warn", "sms.no_phone", what);
      return;
    }
    if (!e164.test(person.phone)) {
      log("warn", "sms.bad_phone", { ...what, phone: person.phone.slice(0, 32) });
      return;
    }
    const { text, template } = smsText(notice.kind, person.lang, notice.params, link);
    const sent = await attempt(log, what, () => notifier.send({ to: person.phone!, channel: "sms", kind: notice.kind, text, template }));
    if (sent) await Inbox.markSmsSent(store, person.userId, event.id);
  });
}
