/**
 * The morning digest: new wishes reach members in the app, and those who ask for it get one SMS
 * a day, from 08:00 China time, counting the new wishes of their categories the day before (China
 * time, 00:00 to 24:00 at UTC+8). None when there were none. The job writes a digest item per
 * member and day under `attribute_not_exists`, so however many runs or communities meet the
 * member, one is written; the stream handler sends it and marks it sent.
 */
import { getItem, putItem, queryAll, type Store } from "../store/client.js";
import * as digests from "../store/entities/digest.js";
import * as subscribers from "../store/entities/new-wish-subscriber.js";
import * as notifications from "../store/entities/notification.js";
import { categoryCodes } from "./model.js";
import { chinaOffsetMinutes, dayOf, dayStart } from "./period.js";

/** The hour of the China day from which the digest goes out. */
export const digestHour = 8;
const keepSeconds = 7 * 24 * 3600;

/** The China day a run at `now` sends digests for (the day before), or nothing before the digest hour. */
export function digestDay(now: Date): { today: string; counted: string; from: Date; to: Date } | undefined {
  const chinaHour = new Date(now.getTime() + chinaOffsetMinutes * 60_000).getUTCHours();
  if (chinaHour < digestHour) return undefined;
  const today = dayOf(now);
  const to = dayStart(today);
  const counted = dayOf(new Date(to.getTime() - 1));
  return { today, counted, from: dayStart(counted), to };
}

/** Writes the day's digests of one community's members who asked for them; answers how many were written. */
export async function writeDigests(store: Store, communityId: string, now: Date): Promise<number> {
  const when = digestDay(now);
  if (!when) return 0;
  if (await getItem(store, digests.doneKey(communityId, when.today))) return 0;
  const people = new Set<string>();
  for (const category of categoryCodes) {
    for (const item of await queryAll(store, subscribers.of(communityId, category, { digest: true }))) {
      people.add(subscribers.fromItem(item).userId);
    }
  }
  const at = now.toISOString();
  const expiresAt = Math.floor(now.getTime() / 1000) + keepSeconds;
  let written = 0;
  for (const userId of people) {
    if (await getItem(store, digests.key(userId, when.counted))) continue;
    const count = (await queryAll(store, notifications.ofKindBetween(userId, "new-wish", when.from, when.to))).length;
    if (count === 0) continue;
    if (await putItem(store, digests.create({ userId, day: when.counted, count, createdAt: at, expiresAt }))) written++;
  }
  await putItem(store, digests.done(communityId, when.today, at, expiresAt));
  return written;
}
