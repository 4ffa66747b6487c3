/**
 * Group activities (DESIGN.md section 11): staff post one with a place, a window, places (or
 * none for unlimited), teams and the branches invited; members sign up or withdraw before it
 * starts, race-safe like claims (the activity's counter moves under a condition in the same
 * transaction as the sign-up item); at the place, members check in and out with the poster's
 * token, inside the fence and within the window's rules, and may walk in while places remain.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import { getItem, getMany, queryAll, queryPage, type Store, type TransactItem } from "../store/client.js";
import * as activities from "../store/entities/activity.js";
import * as branchTallies from "../store/entities/branch-tally.js";
import * as communityTallies from "../store/entities/community-tally.js";
import * as ledger from "../store/entities/ledger-entry.js";
import * as memberTallies from "../store/entities/member-tally.js";
import * as monthStats from "../store/entities/month-stats.js";
import type { Activity, ActivityEvent, ActivityStatus, Signup } from "../store/entities/activity.js";
import type { Figures } from "../store/entities/figures.js";
import { checkArrival, checkDeparture, checkPlace, type Position } from "./attendance.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { maxMinutes } from "./hours.js";
import { hasRole, type Actor } from "./identity.js";
import { monthOf } from "./period.js";
import * as Settings from "./settings.js";
import * as Photos from "./photos.js";
import type { PhotoBucket } from "./photos.js";
import { page, write } from "./storage.js";
import type { LatLng } from "./wish.js";

export type { Activity, Signup } from "../store/entities/activity.js";

export interface NewActivity {
  title: string;
  description: string;
  address: string;
  location: LatLng;
  window: { from: string; to: string };
  places?: number;
  teams?: string[];
  branchIds?: string[];
  /** keys of the poster's own uploads for an activity */
  photos?: string[];
}

type Who = Pick<Actor, "id" | "name">;

const notFound = (id: string): never => fail("activity.not_found", `No activity ${id.slice(0, 64)} that you can see.`);

/** Members and staff of the activity's community see it; anyone else is told it does not exist. */
function mayView(actor: Actor, a: Pick<Activity, "communityId">) {
  return hasRole(actor, a.communityId, "staff") || hasRole(actor, a.communityId, "member");
}

function mustBeStaff(actor: Actor, communityId: string, what: string) {
  if (!hasRole(actor, communityId, "staff")) fail("activity.forbidden", `Only staff of this community may ${what}.`);
}

export function eventItem(a: Activity, who: Who, kind: string, at: string, extra: { note?: string; data?: Record<string, unknown> } = {}) {
  const event: ActivityEvent = {
    id: ulid(Date.parse(at)),
    activityId: a.id,
    communityId: a.communityId,
    kind,
    actorId: who.id,
    actorName: who.name,
    at,
    note: extra.note,
    data: extra.data,
  };
  return activities.appendEvent(event);
}

/** Staff post an activity; it opens at once for sign-ups. */
export async function create(store: Store, actor: Actor, communityId: string, input: NewActivity, now = new Date(), bucket?: PhotoBucket) {
  const community = await Community.fromId(store, communityId);
  mustBeStaff(actor, communityId, "post activities");
  const from = Date.parse(input.window.from);
  const to = Date.parse(input.window.to);
  if (from >= to) fail("activity.invalid", "The time window must end after it starts.", { field: "window.to" });
  if (to - from > 7 * 24 * 3_600_000) fail("activity.invalid", "An activity lasts at most 7 days.", { field: "window.to" });
  if (to <= now.getTime()) fail("activity.invalid", "The time window is already over.", { field: "window.to" });
  const teams = input.teams?.length ? [...new Set(input.teams)] : undefined;
  if (teams && teams.length !== input.teams!.length) fail("activity.invalid", "Each team needs its own name.", { field: "teams" });
  const known = new Set(community.branches.map((b) => b.id));
  const unknown = (input.branchIds ?? []).filter((b) => !known.has(b));
  if (unknown.length) fail("activity.invalid", `No such branches in this community: ${unknown.join(", ")}.`, { field: "branchIds" });
  // Staff's own uploads for an activity, checked and marked attached before the activity is written.
  const photos = await Photos.attach(bucket, actor, "activity", input.photos);
  const at = now.toISOString();
  const activity: Activity = {
    id: ulid(now.getTime()),
    communityId,
    title: input.title,
    description: input.description,
    address: input.address,
    location: { lat: input.location.lat, lng: input.location.lng },
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    places: input.places,
    signedUp: 0,
    teams,
    branchIds: input.branchIds?.length ? [...new Set(input.branchIds)] : undefined,
    status: "open",
    token: randomBytes(16).toString("base64url"),
    createdBy: actor.id,
    createdByName: actor.name,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...(photos.length ? { photos } : {}),
  };
  const outcome = await write(store, [activities.create(activity), eventItem(activity, actor, "post", at)]);
  if (!outcome.ok) fail("activity.wrong_state", "An activity with this id exists already; post again.");
  return activity;
}

/**
 * Staff add photos to an activity, before it or after it took place (its photo-and-text record,
 * 图文): their own uploads for an activity, nine at most on it in all, written with an event.
 */
export async function addPhotos(store: Store, actor: Actor, id: string, keys: string[], bucket?: PhotoBucket, now = new Date()) {
  const a = await load(store, id);
  if (!mayView(actor, a)) notFound(id);
  mustBeStaff(actor, a.communityId, "add photos to activities");
  const photos = await Photos.attach(bucket, actor, "activity", keys, a.photos ?? []);
  const at = now.toISOString();
  const added = { data: { added: keys.length } };
  const outcome = await write(store, [activities.attachPhotos(a, photos, at), eventItem(a, actor, "photos", at, added)]);
  if (!outcome.ok) fail("activity.wrong_state", "The activity changed meanwhile: add the photos again.");
}

export async function load(store: Store, id: string): Promise<Activity> {
  const item = await getItem(store, activities.key(id));
  return item ? activities.fromItem(item) : notFound(id);
}

/** The activity, and the caller's sign-up, in one consistent round trip. */
async function loadWithSignup(store: Store, id: string, memberId: string): Promise<{ activity: Activity; signup?: Signup }> {
  const items = await getMany(store, [activities.key(id), activities.signupKey(id, memberId)]);
  const head = items.find(activities.isActivity);
  if (!head) return notFound(id);
  const own = items.find(activities.isSignup);
  return { activity: activities.fromItem(head), signup: own && activities.signupFromItem(own) };
}

/** The activity's partition: the activity, its sign-ups (in sign-up order) and its timeline. */
export async function loadAll(store: Store, id: string) {
  const items = await queryAll(store, activities.partition(id));
  const head = items.find(activities.isActivity);
  if (!head) return notFound(id);
  const signups = items
    .filter(activities.isSignup)
    .map(activities.signupFromItem)
    .sort((a, b) => a.signedAt.localeCompare(b.signedAt) || a.memberId.localeCompare(b.memberId));
  const events = items.filter(activities.isEvent).map(activities.eventFromItem);
  return { activity: activities.fromItem(head), signups, events };
}

/** Whether the member's branch is among those invited (every member is, when none are named). */
function eligible(actor: Actor, a: Activity): { branchId?: string } {
  if (!hasRole(actor, a.communityId, "member"))
    fail("activity.forbidden", "Only members of this community may take part in its activities.");
  const branchId = actor.communities.find((m) => m.communityId === a.communityId)?.branchId;
  if (a.branchIds?.length && !(branchId && a.branchIds.includes(branchId))) {
    fail("activity.not_invited", "This activity is for invited branches only, and yours is not among them.", { branchIds: a.branchIds });
  }
  return { branchId };
}

function teamOf(a: Activity, team: string | undefined) {
  if (team === undefined) return undefined;
  if (!a.teams?.includes(team)) {
    fail("activity.invalid", a.teams?.length ? `No team "${team}": choose one of ${a.teams.join(", ")}.` : "This activity has no teams.", {
      field: "team",
      teams: a.teams ?? [],
    });
  }
  return team;
}

const fullMessage = (a: Activity) => `All ${a.places} places of this activity are taken.`;

/** Why a transaction that took a place failed: the activity's state, its places, or an existing sign-up. */
function placeRefused(a: Activity, failedIndex: number | undefined, now: Pick<Activity, "status" | "signedUp"> | undefined): never {
  if (failedIndex === 1) fail("signup.exists", "You have signed up for this activity already.");
  if (now && now.status !== "open") fail("activity.wrong_state", `This activity is ${now.status}: nobody can join it now.`);
  return fail("activity.full", fullMessage(a), { places: a.places, free: 0 });
}

/** A member takes a place before the activity starts, under the counter's condition. */
export async function signUp(store: Store, actor: Actor, id: string, input: { team?: string }, now = new Date()) {
  const { activity: a, signup } = await loadWithSignup(store, id, actor.id);
  if (!mayView(actor, a)) notFound(id);
  const { branchId } = eligible(actor, a);
  if (signup) fail("signup.exists", "You have signed up for this activity already.");
  if (a.status !== "open") fail("activity.wrong_state", `This activity is ${a.status}: nobody can sign up now.`);
  if (now.getTime() >= Date.parse(a.window.from)) {
    fail("activity.started", `This activity started at ${a.window.from}: sign-up closed then. You may still walk in while places remain.`, {
      windowFrom: a.window.from,
    });
  }
  const team = teamOf(a, input.team);
  if (a.places !== undefined && a.signedUp >= a.places) fail("activity.full", fullMessage(a), { places: a.places, free: 0 });
  const at = now.toISOString();
  const entry: Signup = {
    activityId: id,
    communityId: a.communityId,
    memberId: actor.id,
    memberName: actor.name,
    branchId,
    team,
    signedAt: at,
  };
  const outcome = await write(store, [
    activities.takePlace(a, at),
    activities.signUp(entry),
    eventItem(a, actor, "signup", at, { data: team ? { team } : undefined }),
  ]);
  if (!outcome.ok) {
    const failed = outcome.failed[0];
    placeRefused(a, failed.index, failed.index === 0 ? (failed.item as Activity | undefined) : undefined);
  }
  return entry;
}

/** A member gives the place back before the activity starts. */
export async function withdraw(store: Store, actor: Actor, id: string, now = new Date()) {
  const { activity: a, signup } = await loadWithSignup(store, id, actor.id);
  if (!mayView(actor, a)) notFound(id);
  if (!signup) return fail("signup.none", "You have not signed up for this activity.");
  if (signup.checkIn) fail("signup.checked_in", "You have checked in already: the place is yours.");
  if (now.getTime() >= Date.parse(a.window.from)) {
    fail("activity.started", `This activity started at ${a.window.from}: it is too late to withdraw.`, { windowFrom: a.window.from });
  }
  const at = now.toISOString();
  const outcome = await write(store, [activities.givePlace(a, at), activities.withdraw(id, actor.id), eventItem(a, actor, "withdraw", at)]);
  if (!outcome.ok) {
    if (outcome.failed.some((f) => f.index === 1)) fail("signup.checked_in", "You checked in meanwhile: the place is yours.");
    fail("activity.wrong_state", "This activity changed meanwhile; look again.");
  }
}

/** The poster's token, compared in constant time. Another activity's token (or none) is refused. */
function checkToken(a: Activity, token: string) {
  const given = Buffer.from(token);
  const held = Buffer.from(a.token);
  if (given.length !== held.length || !timingSafeEqual(given, held)) {
    fail("activity.bad_token", "This code is not from this activity's poster: scan the poster at the activity's place.");
  }
}

export interface Attendance extends Position {
  token: string;
  comment?: string;
}

/**
 * Arrival at the place, with the poster's token, inside the fence and not late. A member who did
 * not sign up walks in: the sign-up is made with the arrival, while places remain.
 */
export async function checkIn(store: Store, actor: Actor, id: string, input: Attendance, now = new Date()) {
  const { activity: a, signup } = await loadWithSignup(store, id, actor.id);
  if (!mayView(actor, a)) notFound(id);
  checkToken(a, input.token);
  if (a.status !== "open") fail("activity.wrong_state", `This activity is ${a.status}: check-in is over.`);
  if (signup?.checkIn) fail("signup.checked_in", `You checked in already, at ${signup.checkIn.at}.`);
  const settings = await Settings.read(store, a.communityId);
  checkArrival(a, now, settings, "activity");
  const distanceMeters = checkPlace("checkin", a, input, settings, "activity");
  const at = now.toISOString();
  const arrival = { at, lat: input.lat, lng: input.lng, accuracy: input.accuracy, distanceMeters };
  if (signup) {
    const outcome = await write(store, [
      activities.stillIn(id, "open"),
      activities.arrive(id, actor.id, arrival),
      eventItem(a, actor, "check-in", at, { data: { ...arrival } }),
    ]);
    if (!outcome.ok) {
      if (outcome.failed.some((f) => f.index === 1)) fail("signup.checked_in", "You checked in already.");
      fail("activity.wrong_state", "This activity closed meanwhile.");
    }
    return { ...signup, checkIn: arrival };
  }
  const { branchId } = eligible(actor, a);
  if (a.places !== undefined && a.signedUp >= a.places)
    fail("activity.full", `${fullMessage(a)} Walk-ins are welcome only while places remain.`);
  const entry: Signup = {
    activityId: id,
    communityId: a.communityId,
    memberId: actor.id,
    memberName: actor.name,
    branchId,
    signedAt: at,
    walkIn: true,
    checkIn: arrival,
  };
  const outcome = await write(store, [
    activities.takePlace(a, at),
    activities.signUp(entry),
    eventItem(a, actor, "check-in", at, { data: { ...arrival, walkIn: true } }),
  ]);
  if (!outcome.ok) {
    const failed = outcome.failed[0];
    if (failed.index === 1) fail("signup.checked_in", "You checked in already.");
    placeRefused(a, failed.index, failed.item as Activity | undefined);
  }
  return entry;
}

/** Departure, with the poster's token, inside the fence and not early; the comment (心得) goes with it. */
export async function checkOut(store: Store, actor: Actor, id: string, input: Attendance, now = new Date()) {
  const { activity: a, signup } = await loadWithSignup(store, id, actor.id);
  if (!mayView(actor, a)) notFound(id);
  checkToken(a, input.token);
  if (!signup?.checkIn) return fail("signup.not_checked_in", "Check in before you check out.");
  if (signup.checkOut) fail("signup.checked_out", `You checked out already, at ${signup.checkOut.at}.`);
  if (a.status === "verified") fail("activity.wrong_state", "This activity's attendance is verified already.");
  const settings = await Settings.read(store, a.communityId);
  checkDeparture(a, now, settings, "activity");
  const distanceMeters = checkPlace("checkout", a, input, settings, "activity");
  const at = now.toISOString();
  const departure = { at, lat: input.lat, lng: input.lng, accuracy: input.accuracy, distanceMeters };
  const outcome = await write(store, [
    activities.depart(id, actor.id, departure, input.comment),
    eventItem(a, actor, "check-out", at, { note: input.comment, data: { ...departure } }),
  ]);
  if (!outcome.ok) fail("signup.checked_out", "You checked out already.");
  return { ...signup, checkOut: departure, comment: input.comment };
}

/** A community's activities, soonest-starting last; one status when given. */
export async function list(
  store: Store,
  actor: Actor,
  communityId: string,
  q: { status?: ActivityStatus; cursor?: string; limit?: number },
) {
  if (!mayView(actor, { communityId })) {
    await Community.fromId(store, communityId);
    fail("community.forbidden", "Only members and staff of this community see its activities.");
  }
  return page(store, { ...activities.ofCommunity(communityId, q.status), limit: q.limit ?? 20 }, q.cursor, (item) =>
    activities.present(activities.fromItem(item)),
  );
}

/** What a sign-up shows everyone who may see the activity: who came, and what they wrote. */
const comments = (signups: Signup[]) =>
  signups.filter((s) => s.comment).map((s) => ({ memberName: s.memberName, comment: s.comment!, at: s.checkOut?.at ?? s.signedAt }));

/**
 * The activity as the caller sees it: everyone its facts, the comments and their own sign-up;
 * staff also every sign-up, grouped per team, with attendance and absence.
 */
export async function view(store: Store, actor: Actor, id: string, bucket?: PhotoBucket) {
  const { activity: a, signups } = await loadAll(store, id);
  if (!mayView(actor, a)) notFound(id);
  const mine = signups.find((s) => s.memberId === actor.id);
  const out = {
    ...activities.present(a),
    photos: await Photos.readable(bucket, a.photos),
    mySignup: mine && activities.presentSignup(mine),
    comments: comments(signups),
  };
  if (!hasRole(actor, a.communityId, "staff")) return out;
  const teams = [...(a.teams ?? []), ...(signups.some((s) => !s.team) ? [null] : [])];
  return {
    ...out,
    signups: signups.map(activities.presentSignup),
    byTeam: teams.map((team) => {
      const of = signups.filter((s) => (s.team ?? null) === team);
      return {
        team,
        signedUp: of.length,
        checkedIn: of.filter((s) => s.checkIn).length,
        absent: of.filter((s) => s.absentAt).length,
        members: of.map((s) => ({ memberId: s.memberId, memberName: s.memberName, branchId: s.branchId })),
      };
    }),
    attendance: {
      signedUp: signups.length,
      checkedIn: signups.filter((s) => s.checkIn).length,
      checkedOut: signups.filter((s) => s.checkOut).length,
      walkIns: signups.filter((s) => s.walkIn).length,
      absent: signups.filter((s) => s.absentAt).length,
    },
  };
}

/** The activities a member signed up for, newest first. */
export async function mine(store: Store, actor: Actor, limit = 50) {
  const found = await queryPage(store, activities.signupsOfMember(actor.id, limit));
  const signups = found.items.map(activities.signupFromItem);
  const heads = await getMany(
    store,
    signups.map((s) => activities.key(s.activityId)),
  );
  const byId = new Map(heads.map((h) => [h.id as string, activities.fromItem(h)]));
  return signups
    .filter((s) => byId.has(s.activityId))
    .map((s) => ({ signup: activities.presentSignup(s), activity: activities.present(byId.get(s.activityId)!) }));
}

/** For the poster: the activity with its token, for staff of its community only. */
export async function forPoster(store: Store, actor: Actor, id: string) {
  const a = await load(store, id);
  if (!mayView(actor, a)) notFound(id);
  mustBeStaff(actor, a.communityId, "print its poster");
  const community = await Community.fromId(store, a.communityId);
  return { activity: a, communityName: community.name };
}

// ------------------------------------------------------------------------------------------
// After the window: absence (the scheduled job) and verification (staff)
// ------------------------------------------------------------------------------------------

const system = { id: "system", name: "system" } as const;

/** The month (China time) an activity's attendance and absences count in: the month it took place. */
export const attendanceMonth = (a: Pick<Activity, "window">) => monthOf(a.window.from);

/**
 * Closes an activity whose window is over: each member who signed up and never checked in is
 * marked absent, once (the sign-up's condition), with an event that tells them and a count on
 * their and their branch's tallies for the rankings' attendance; then the activity closes, once.
 * Safe to run twice at once or again: each write names the state it expects.
 */
export async function closeIfOver(store: Store, id: string, now = new Date()): Promise<{ closed: boolean; absent: number }> {
  const { activity: a, signups } = await loadAll(store, id);
  if (a.status !== "open" || Date.parse(a.window.to) > now.getTime()) return { closed: false, absent: 0 };
  const at = now.toISOString();
  const month = attendanceMonth(a);
  let absent = 0;
  for (const s of signups.filter((x) => !x.checkIn && !x.absentAt)) {
    const outcome = await write(store, [
      activities.stillIn(id, "open"),
      activities.markAbsent(id, s.memberId, at),
      eventItem(a, system, "absent", at, { data: { memberIds: [s.memberId] } }),
      memberTallies.add(s, month, { absent: 1 }),
      ...(s.branchId ? [branchTallies.add(a.communityId, s.branchId, month, { absent: 1 })] : []),
    ]);
    if (outcome.ok) absent++;
  }
  const total = signups.filter((x) => !x.checkIn).length;
  const outcome = await write(store, [
    activities.move(a, "open", "closed", at, { closedAt: at, absent: total }),
    eventItem(a, system, "close", at, { data: { absent: total } }),
  ]);
  return { closed: outcome.ok, absent };
}

/** The open activities of a community whose window is over, and closes each. */
export async function closeEnded(store: Store, communityId: string, now = new Date(), onError?: (id: string, err: unknown) => void) {
  const report = { closed: 0, absent: 0 };
  const started = (await queryAll(store, activities.openStartedBefore(communityId, now.toISOString()))).map(activities.fromItem);
  for (const a of started.filter((x) => Date.parse(x.window.to) <= now.getTime())) {
    try {
      const done = await closeIfOver(store, a.id, now);
      if (done.closed) report.closed++;
      report.absent += done.absent;
    } catch (err) {
      onError?.(a.id, err);
    }
  }
  return report;
}

export interface VerifyActivity {
  minutes?: Record<string, number>;
  reason?: string;
}

const measured = (s: Signup) =>
  s.checkIn && s.checkOut ? Math.max(0, Math.floor((Date.parse(s.checkOut.at) - Date.parse(s.checkIn.at)) / 60_000)) : undefined;

/**
 * Staff verify a closed activity: each member who checked in is credited staff's figure (with a
 * reason) or the measured minutes (check-out − check-in); absentees get nothing. The activity
 * moves to `verified` first, with the decisions in its event; then each member is credited in a
 * transaction of their own (sign-up marked, ledger entry, member, branch and community tallies,
 * the month's stats), so an activity of any size verifies, and pressing verify again after an
 * interruption finishes the members left, from the decisions recorded.
 */
export async function verify(store: Store, actor: Actor, id: string, input: VerifyActivity, now = new Date()) {
  let { activity: a, signups, events } = await loadAll(store, id);
  if (!mayView(actor, a)) notFound(id);
  mustBeStaff(actor, a.communityId, "verify its attendance");
  if (a.status === "open") {
    const over = Date.parse(a.window.to) <= now.getTime();
    fail(
      "activity.not_over",
      over
        ? "This activity's absences are being recorded (a few minutes after its end): verify then."
        : `This activity runs until ${a.window.to}: verify its attendance after it ends.`,
      { windowTo: a.window.to },
    );
  }
  const attended = signups.filter((s) => s.checkIn);
  if (a.status === "closed") {
    const given = input.minutes ?? {};
    const strangers = Object.keys(given).filter((m) => !attended.some((s) => s.memberId === m));
    if (strangers.length) {
      fail("activity.invalid", `Only members who checked in can be credited; not: ${strangers.join(", ")}.`, {
        field: "minutes",
        memberIds: strangers,
      });
    }
    if (Object.keys(given).length && !input.reason?.trim()) {
      fail("activity.invalid", "Give a reason when you set the minutes yourself.", { field: "reason" });
    }
    const credits = attended.map((s) => {
      const own = given[s.memberId];
      const m = measured(s);
      if (own === undefined && m !== undefined && m > maxMinutes) {
        fail("activity.invalid", `${s.memberName} was checked in for more than a day: give the minutes yourself, with a reason.`, {
          field: `minutes.${s.memberId}`,
        });
      }
      return { memberId: s.memberId, minutes: own ?? m ?? 0, measuredMinutes: m ?? null, given: own !== undefined };
    });
    const at = now.toISOString();
    const outcome = await write(store, [
      activities.move(a, "closed", "verified", at, { verifiedAt: at, verifiedBy: actor.id, verifierName: actor.name }),
      eventItem(a, actor, "verify", at, { note: input.reason, data: { credits, reason: input.reason } }),
    ]);
    if (!outcome.ok) fail("activity.wrong_state", "This activity was verified meanwhile; look again.");
    ({ activity: a, signups, events } = await loadAll(store, id));
  }
  await creditAttendance(store, a, signups, events);
  return a;
}

/** Credits, from the verify event's decisions, every member who checked in and is not credited yet. */
async function creditAttendance(store: Store, a: Activity, signups: Signup[], events: ActivityEvent[]) {
  const decision = events.filter((e) => e.kind === "verify").at(-1);
  if (!decision || !a.verifiedAt) return;
  const credits = new Map(
    ((decision.data?.credits ?? []) as { memberId: string; minutes: number; measuredMinutes: number | null; given: boolean }[]).map((c) => [
      c.memberId,
      c,
    ]),
  );
  const community = await Community.fromId(store, a.communityId);
  const branchName = new Map(community.branches.map((b) => [b.id, b.name]));
  const at = a.verifiedAt;
  const month = monthOf(at);
  for (const s of signups.filter((x) => x.checkIn && !x.creditedAt)) {
    const credit = credits.get(s.memberId);
    if (!credit) continue;
    const minutes = credit.minutes;
    const items: TransactItem[] = [activities.credited(a.id, s.memberId, minutes, at)];
    // Hours count in the month they are verified, as a wish's do; attendance in the activity's own month, as absence does.
    const figures: [string, Figures][] = [[attendanceMonth(a), { attended: 1 }]];
    if (minutes > 0) figures.push([month, { minutes, entries: 1 }]);
    if (minutes > 0) {
      items.push(
        ledger.create({
          kind: "activity",
          memberId: s.memberId,
          memberName: s.memberName,
          communityId: a.communityId,
          communityName: community.name,
          branchId: s.branchId,
          branchName: s.branchId ? branchName.get(s.branchId) : undefined,
          activityId: a.id,
          content: a.title,
          place: a.address,
          location: a.location,
          start: s.checkIn?.at,
          end: s.checkOut?.at,
          minutes,
          measuredMinutes: credit.measuredMinutes ?? undefined,
          reason: credit.given ? decision.data?.reason : undefined,
          signedByResident: false,
          claimedAt: s.signedAt,
          onTime: true,
          verifierId: a.verifiedBy!,
          verifierName: a.verifierName!,
          verifiedAt: at,
          month,
        }),
        communityTallies.add(a.communityId, { totalMinutes: minutes, entries: 1 }),
        monthStats.add(a.communityId, month, { minutes, entries: 1 }),
      );
    }
    items.push(memberTallies.addByMonth(s, figures));
    if (s.branchId) items.push(branchTallies.addByMonth(a.communityId, s.branchId, figures));
    // Not committed: credited meanwhile by another press of verify.
    await write(store, items);
  }
}

/** Finishes crediting a verified activity cut off midway; does nothing once everyone is credited. Safe to repeat. */
export async function resumeCrediting(store: Store, id: string) {
  const item = await getItem(store, activities.key(id));
  if (!item || activities.fromItem(item).status !== "verified") return;
  const { activity, signups, events } = await loadAll(store, id);
  await creditAttendance(store, activity, signups, events);
}
