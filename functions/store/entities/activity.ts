import type { Item } from "../client.js";
import { and, beginsWith, below, eq, exists, lt, notExists, or, tx, type KeyQuery, type TransactItem } from "../expression.js";
import type { Arrival } from "./claim.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";
import type { LatLng } from "./wish.js";

/**
 * A group activity (a theme day, a Saturday clean-up, a health fair): staff post it, members sign
 * up, and attendance is checked in and out at the place with the poster's token. `open` while
 * people may sign up and attend; `closed` once its window is over and the absences are recorded;
 * `verified` once staff credited attendance.
 */
export const activityStatuses = ["open", "closed", "verified"] as const;
export type ActivityStatus = (typeof activityStatuses)[number];

export interface Activity {
  id: string;
  communityId: string;
  title: string;
  description: string;
  address: string;
  location: LatLng;
  window: { from: string; to: string };
  /** how many may take part; absent: unlimited */
  places?: number;
  /** members signed up (walk-ins included) */
  signedUp: number;
  /** the teams members sign up in, when the activity has any */
  teams?: string[];
  /** the branches invited; absent or empty: every member of the community */
  branchIds?: string[];
  status: ActivityStatus;
  /** the secret the poster's QR code carries; nobody else is shown it */
  token: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  closedAt?: string;
  absent?: number;
  verifiedAt?: string;
  verifiedBy?: string;
  verifierName?: string;
  /** photo keys staff attached */
  photos?: string[];
}

/** One member's place in an activity, and their attendance. */
export interface Signup {
  activityId: string;
  communityId: string;
  memberId: string;
  memberName: string;
  branchId?: string;
  team?: string;
  signedAt: string;
  /** came without signing up, while places remained */
  walkIn?: boolean;
  checkIn?: Arrival;
  checkOut?: Arrival;
  /** the member's words at check-out (心得) */
  comment?: string;
  /** recorded by the scheduled job: signed up and never checked in */
  absentAt?: string;
  /** minutes credited at verification */
  creditedMinutes?: number;
  creditedAt?: string;
}

export const key = (id: string) => ({ pk: `A#${id}`, sk: "A" });
export const byStatusKey = (communityId: string, status: ActivityStatus, from: string, id: string) => ({
  gsi1pk: `C#${communityId}#AS#${status}`,
  gsi1sk: `${from}#${id}`,
});
export const byCommunityKey = (communityId: string, from: string, id: string) => ({
  gsi3pk: `C#${communityId}#A`,
  gsi3sk: `${from}#${id}`,
});

export const toItem = (a: Activity): Item => ({
  ...key(a.id),
  ...byStatusKey(a.communityId, a.status, a.window.from, a.id),
  ...byCommunityKey(a.communityId, a.window.from, a.id),
  type: "activity",
  ...a,
});
export const fromItem: (item: Item) => Activity = shapeOf;
export const isActivity = (item: Item) => item.sk === "A";

export const create = (a: Activity): TransactItem => tx.put(toItem(a), notExists("pk"));

/** One more place taken, under the condition that the activity is open and, when limited, has room. */
export const takePlace = (a: Activity, at: string): TransactItem =>
  tx.update(
    key(a.id),
    { set: { updatedAt: at }, increment: { signedUp: 1, version: 1 } },
    and(eq("status", "open"), or(notExists("places"), lt("signedUp", a.places ?? 0))),
  );

/** A place given back. */
export const givePlace = (a: Activity, at: string): TransactItem =>
  tx.update(key(a.id), { set: { updatedAt: at }, increment: { signedUp: -1, version: 1 } }, eq("status", "open"));

/** The activity is still in this state, for steps that write beside it. */
export const stillIn = (id: string, status: ActivityStatus): TransactItem => tx.check(key(id), eq("status", status));

/** Moves the activity from one state to the next, once. */
export const move = (a: Activity, from: ActivityStatus, to: ActivityStatus, at: string, set: Partial<Activity> = {}): TransactItem =>
  tx.update(
    key(a.id),
    { set: { ...set, status: to, updatedAt: at, gsi1pk: byStatusKey(a.communityId, to, "", "").gsi1pk }, increment: { version: 1 } },
    eq("status", from),
  );

/** Photo keys attached by staff: all of them, written only if nobody changed the activity since it was read. */
export const attachPhotos = (a: Activity, photos: string[], at: string): TransactItem =>
  tx.update(key(a.id), { set: { photos, updatedAt: at }, increment: { version: 1 } }, eq("version", a.version));

/** The activity's partition: the activity, its sign-ups and its timeline. */
export const partition = (id: string): KeyQuery => ({ pk: key(id).pk, consistent: true });
/** A community's activities by start, soonest last; one status when given. */
export const ofCommunity = (communityId: string, status?: ActivityStatus, newestFirst = true): KeyQuery =>
  status
    ? { index: "byStatus", pk: byStatusKey(communityId, status, "", "").gsi1pk, forward: !newestFirst }
    : { index: "byCommunity", pk: byCommunityKey(communityId, "", "").gsi3pk, forward: !newestFirst };
/** Open activities of a community that started before `before`: the candidates for closing. */
export const openStartedBefore = (communityId: string, before: string): KeyQuery => ({
  index: "byStatus",
  pk: byStatusKey(communityId, "open", "", "").gsi1pk,
  sk: below(before),
});

/** Everyone sees an activity's facts; the poster's token is never among them. */
const shown = fields(`
  id communityId title description address location window places signedUp teams branchIds status
  createdBy createdByName createdAt updatedAt version closedAt absent verifiedAt verifiedBy verifierName
  photos
`) satisfies (keyof Activity)[];
export type PresenterCovers = Proven<Decided<Activity, (typeof shown)[number], "token">>;
export const present = (a: Activity) => pick(a, shown);

// ------------------------------------------------------------------------------------------
// Sign-ups
// ------------------------------------------------------------------------------------------

export const signupPrefix = "S#";
export const signupKey = (activityId: string, memberId: string) => ({ pk: `A#${activityId}`, sk: `${signupPrefix}${memberId}` });
export const signupByMemberKey = (memberId: string, signedAt: string, activityId: string) => ({
  gsi2pk: `U#${memberId}`,
  gsi2sk: `AS#${signedAt}#${activityId}`,
});
export const signupToItem = (s: Signup): Item => ({
  ...signupKey(s.activityId, s.memberId),
  ...signupByMemberKey(s.memberId, s.signedAt, s.activityId),
  type: "signup",
  ...s,
});
export const signupFromItem: (item: Item) => Signup = shapeOf;
export const isSignup = (item: Item) => item.sk.startsWith(signupPrefix);

/** A member signs up once. */
export const signUp = (s: Signup): TransactItem => tx.put(signupToItem(s), notExists("pk"));
/** Withdraws a sign-up whose member has not checked in. */
export const withdraw = (activityId: string, memberId: string): TransactItem =>
  tx.delete(signupKey(activityId, memberId), and(exists("pk"), notExists("checkIn")));
/** Records arrival, once. */
export const arrive = (activityId: string, memberId: string, arrival: Arrival): TransactItem =>
  tx.update(signupKey(activityId, memberId), { set: { checkIn: arrival } }, and(exists("pk"), notExists("checkIn")));
/** Records departure and the comment, once, after arrival. */
export const depart = (activityId: string, memberId: string, departure: Arrival, comment?: string): TransactItem =>
  tx.update(signupKey(activityId, memberId), { set: { checkOut: departure, comment } }, and(exists("checkIn"), notExists("checkOut")));
/** Marks a member who signed up and never came as absent, once. */
export const markAbsent = (activityId: string, memberId: string, at: string): TransactItem =>
  tx.update(signupKey(activityId, memberId), { set: { absentAt: at } }, and(exists("pk"), notExists("checkIn"), notExists("absentAt")));
/** Notes the minutes credited to a member, once. */
export const credited = (activityId: string, memberId: string, minutes: number, at: string): TransactItem =>
  tx.update(
    signupKey(activityId, memberId),
    { set: { creditedMinutes: minutes, creditedAt: at } },
    and(exists("pk"), notExists("creditedAt")),
  );

/** An activity's sign-ups. */
export const signupsOf = (activityId: string): KeyQuery => ({ pk: key(activityId).pk, sk: beginsWith(signupPrefix), consistent: true });
/** A member's sign-ups, newest first. */
export const signupsOfMember = (memberId: string, limit: number): KeyQuery => ({
  index: "byUser",
  pk: `U#${memberId}`,
  sk: beginsWith("AS#"),
  forward: false,
  limit,
});

const signupShown = fields(`
  activityId communityId memberId memberName branchId team signedAt walkIn checkIn checkOut comment absentAt
  creditedMinutes creditedAt
`) satisfies (keyof Signup)[];
export type SignupPresenterCovers = Proven<Decided<Signup, (typeof signupShown)[number]>>;
export const presentSignup = (s: Signup) => pick(s, signupShown);

// ------------------------------------------------------------------------------------------
// The activity's timeline: sign-ups, attendance, absences, verification and notices; the
// stream reads it as it reads a wish's.
// ------------------------------------------------------------------------------------------

export interface ActivityEvent {
  id: string;
  activityId: string;
  communityId: string;
  kind: string;
  actorId: string;
  actorName: string;
  at: string;
  note?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each kind of event records its own shape; readers know theirs by `kind`
  data?: Record<string, any>;
}

export const eventPrefix = "E#";
export const eventKey = (activityId: string, eventId: string) => ({ pk: `A#${activityId}`, sk: `${eventPrefix}${eventId}` });
export const eventToItem = (e: ActivityEvent): Item => ({ ...eventKey(e.activityId, e.id), type: "activity-event", ...e });
export const eventFromItem: (item: Item) => ActivityEvent = shapeOf;
export const isEvent = (item: Item) => item.sk.startsWith(eventPrefix);
export const appendEvent = (e: ActivityEvent): TransactItem => tx.put(eventToItem(e));
