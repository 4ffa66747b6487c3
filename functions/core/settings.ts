import { getItem, type Store } from "../store/client.js";
import * as communities from "../store/entities/community.js";
import type { CommunityRecord } from "../store/entities/index.js";
import { fail } from "./errors.js";
import { write } from "./storage.js";
import { auditOf } from "./units.js";
import { hasRole, type Actor } from "./identity.js";

/**
 * How hours are checked and ranked, per community (README, "Hours you can certify"). The fence
 * is measured from the wish's location. The window rules apply to wishes with a time window: no
 * check-in earlier than its start minus `checkInEarlyMinutes` or later than its start plus
 * `checkInGraceMinutes` (no late arrival), no check-out earlier than its end minus
 * `checkOutGraceMinutes` (no early departure). A claim is on time when taken within
 * `onTimeClaimHours` of the wish opening. The ranking weights default to the Hanzhong scoring's
 * 70/10/10/5/5.
 */
export const hoursDefaults = {
  fenceRadiusMeters: 300,
  checkInEarlyMinutes: 60,
  checkInGraceMinutes: 30,
  checkOutGraceMinutes: 30,
  onTimeClaimHours: 24,
  // Attendance at activities weighs nothing until a community sets it, so the 70/10/10/5/5 scores stay as they were.
  rankingWeights: { hours: 70, onTime: 10, completion: 10, residentRating: 5, staffRating: 5, attendance: 0 },
};
export type HoursSettings = typeof hoursDefaults;
export type Weights = HoursSettings["rankingWeights"];

/** The community's settings over the defaults; weights merge key by key. */
export function hoursSettingsOf(community: Pick<CommunityRecord, "settings"> | undefined): HoursSettings {
  const stored = (community?.settings ?? {}) as Partial<HoursSettings>;
  return { ...hoursDefaults, ...stored, rankingWeights: { ...hoursDefaults.rankingWeights, ...stored.rankingWeights } };
}

async function community(store: Store, communityId: string): Promise<CommunityRecord> {
  const item = await getItem(store, communities.key(communityId));
  if (!item) return fail("community.not_found", `No community has the id ${communityId}.`);
  return communities.fromItem(item);
}

export async function read(store: Store, communityId: string): Promise<HoursSettings> {
  return hoursSettingsOf(await community(store, communityId));
}

export type SettingsChange = Partial<Omit<HoursSettings, "rankingWeights">> & { rankingWeights?: Partial<Weights> };

/** Staff change their community's rules; the weights given replace those keys only. */
export async function update(store: Store, actor: Actor, communityId: string, change: SettingsChange): Promise<HoursSettings> {
  if (!hasRole(actor, communityId, "staff")) fail("community.forbidden", "Only staff of this community may change its settings.");
  const stored = await community(store, communityId);
  const current = hoursSettingsOf(stored);
  const next: HoursSettings = { ...current, ...change, rankingWeights: { ...current.rankingWeights, ...change.rankingWeights } };
  if (Object.values(next.rankingWeights).every((w) => w === 0)) {
    fail("settings.invalid", "At least one ranking weight must be above 0.", { field: "rankingWeights" });
  }
  // The whole map is written back, other settings as read: the community item always has one.
  // The change and its audit event (before, after) in one transaction.
  const changed = [
    communities.setSettings(communityId, { ...stored.settings, ...next }),
    auditOf(actor, communityId, "settings.change", current, next),
  ];
  if (!(await write(store, changed)).ok) fail("community.not_found", `No community has the id ${communityId}.`);
  return next;
}
