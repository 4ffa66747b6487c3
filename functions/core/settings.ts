import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { getItem, type Item, type Store } from "../store/client.js";
import { Keys } from "../store/keys.js";
import { fail } from "./errors.js";
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
  rankingWeights: { hours: 70, onTime: 10, completion: 10, residentRating: 5, staffRating: 5 },
};
export type HoursSettings = typeof hoursDefaults;
export type Weights = HoursSettings["rankingWeights"];

/** The community's settings over the defaults; weights merge key by key. */
export function hoursSettingsOf(community: Item | undefined): HoursSettings {
  const stored = (community?.settings ?? {}) as Partial<HoursSettings>;
  return { ...hoursDefaults, ...stored, rankingWeights: { ...hoursDefaults.rankingWeights, ...stored.rankingWeights } };
}

export async function read(store: Store, communityId: string): Promise<HoursSettings> {
  const community = (await getItem(store, Keys.community(communityId))) ?? fail("community.not_found", `No community has the id ${communityId}.`);
  return hoursSettingsOf(community);
}

export type SettingsChange = Partial<Omit<HoursSettings, "rankingWeights">> & { rankingWeights?: Partial<Weights> };

/** Staff change their community's rules; the weights given replace those keys only. */
export async function update(store: Store, actor: Actor, communityId: string, change: SettingsChange): Promise<HoursSettings> {
  if (!hasRole(actor, communityId, "staff")) fail("community.forbidden", "Only staff of this community may change its settings.");
  const community = (await getItem(store, Keys.community(communityId))) ?? fail("community.not_found", `No community has the id ${communityId}.`);
  const current = hoursSettingsOf(community);
  const next: HoursSettings = { ...current, ...change, rankingWeights: { ...current.rankingWeights, ...change.rankingWeights } };
  if (Object.values(next.rankingWeights).every((w) => w === 0)) {
    fail("settings.invalid", "At least one ranking weight must be above 0.", { field: "rankingWeights" });
  }
  // The whole map is written back, other settings as read: the community item always has one.
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: Keys.community(communityId),
      UpdateExpression: "SET settings = :s",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":s": { ...community.settings, ...next } },
    }),
  );
  return next;
}
