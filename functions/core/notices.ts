/**
 * Notices (一键下发): staff send a text to an activity's people, or to their community's members
 * (only some branches, when named), in the app and, when asked, by SMS. The notice is one item;
 * the table's stream delivers it through the same path as every other notification
 * (functions/notify/stream-handler.ts): one in-app notice per person, once, then the SMS.
 */
import { ulid } from "ulid";
import { queryAll, type Store } from "../store/client.js";
import * as activities from "../store/entities/activity.js";
import * as notices from "../store/entities/notice.js";
import * as roles from "../store/entities/role.js";
import type { NoticeRecord } from "../store/entities/notice.js";
import * as Activities from "./activities.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { hasRole, type Actor } from "./identity.js";
import { write } from "./storage.js";

export type { NoticeRecord } from "../store/entities/notice.js";

export interface NewNotice {
  /** a community (the unit whose members hear) */
  unitId?: string;
  activityId?: string;
  branchIds?: string[];
  text: string;
  sms?: boolean;
}

export async function send(store: Store, actor: Actor, input: NewNotice, now = new Date()) {
  if (Boolean(input.unitId) === Boolean(input.activityId)) {
    fail("notice.invalid", "Name either the activity (activityId) or the community (unitId) whose people hear.", { field: "activityId" });
  }
  let record: NoticeRecord;
  const at = now.toISOString();
  const base = { id: ulid(now.getTime()), text: input.text, sms: Boolean(input.sms), actorId: actor.id, actorName: actor.name, at };
  if (input.activityId) {
    if (input.branchIds?.length)
      fail("notice.invalid", "A notice to an activity goes to everyone signed up for it.", { field: "branchIds" });
    const a = await Activities.load(store, input.activityId);
    if (!hasRole(actor, a.communityId, "staff") && !hasRole(actor, a.communityId, "member")) {
      fail("activity.not_found", `No activity ${input.activityId} that you can see.`);
    }
    if (!hasRole(actor, a.communityId, "staff")) fail("notice.forbidden", "Only staff of this activity's community may send notices.");
    record = { ...base, communityId: a.communityId, activityId: a.id, title: a.title };
  } else {
    const community = await Community.fromId(store, input.unitId!);
    if (!hasRole(actor, community.id, "staff")) fail("notice.forbidden", "Only staff of this community may send notices to its members.");
    const known = new Set(community.branches.map((b) => b.id));
    const unknown = (input.branchIds ?? []).filter((b) => !known.has(b));
    if (unknown.length) fail("notice.invalid", `No such branches in this community: ${unknown.join(", ")}.`, { field: "branchIds" });
    record = { ...base, communityId: community.id, branchIds: input.branchIds?.length ? [...new Set(input.branchIds)] : undefined };
  }
  const outcome = await write(store, [notices.create(record)]);
  if (!outcome.ok) fail("notice.invalid", "This notice was sent already.");
  return { ...record, recipients: (await recipientsOf(store, record)).length };
}

/** Who hears a notice: everyone signed up for the activity, or the community's members (of the branches named); never the sender. */
export async function recipientsOf(store: Store, n: NoticeRecord): Promise<string[]> {
  let ids: string[];
  if (n.activityId) {
    ids = (await queryAll(store, activities.signupsOf(n.activityId))).map(activities.signupFromItem).map((s) => s.memberId);
  } else {
    ids = (await queryAll(store, roles.ofCommunity(n.communityId, { role: "member" })))
      .map(roles.fromItem)
      .filter((r) => !n.branchIds?.length || (r.branchId && n.branchIds.includes(r.branchId)))
      .map((r) => r.userId);
  }
  return [...new Set(ids)].filter((id) => id !== n.actorId);
}
