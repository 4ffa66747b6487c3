/**
 * What the API answers, one schema per body, as the requests have theirs in schemas.ts: the
 * OpenAPI document publishes them, the contract test holds every answer of the API suite to
 * them, and the web app takes its types from them. Objects are strict, so a field that is not
 * listed here (an index key, a counter meant for the server) is a broken contract, not a detail.
 */
import * as z from "zod/mini";
import { noticeKinds } from "../core/audience.js";
import { categoryCodes, claimSteps, menuKinds, roles, statuses, transitions } from "../core/model.js";

const str = z.string();
const int = z.int();
const num = z.number();
const bool = z.boolean();
const opt = z.optional;
const obj = z.strictObject;
const time = z.iso.datetime({ offset: true });
const day = z.iso.date();
const status = z.enum(statuses);
const category = z.enum(categoryCodes);
const lang = z.enum(["zh-CN", "en"]);
const page = <T extends z.ZodMiniType>(item: T) => obj({ items: z.array(item), cursor: opt(str) });
const described = <T extends z.ZodMiniType>(schema: T, description: string) => schema.check(z.meta({ description }));
const url = str.check(z.meta({ format: "uri" }));

export const Health = obj({ ok: bool });

export const LatLng = obj({ lat: num, lng: num });

/** A wish as the caller may see it: the handshake code for its resident and staff, the phone masked for others. */
export const Wish = obj({
  id: str,
  communityId: str,
  category,
  title: str,
  description: str,
  address: opt(str),
  location: opt(LatLng),
  window: opt(obj({ from: time, to: time })),
  ownerId: str,
  ownerName: str,
  contactPhone: described(str, "in full for the resident, staff and volunteers holding a claim; masked (138****0000) for others"),
  takenInBy: opt(described(obj({ id: str, name: str }), "the staff member who took the wish in for the resident")),
  status,
  version: int,
  slots: int,
  claimed: int,
  handshakeCode: opt(described(str, "the 4 digits the resident shows a volunteer at check-out; for the resident and staff only")),
  createdAt: time,
  updatedAt: time,
  estimatedMinutes: opt(int),
  deadline: opt(time),
  approvedAt: opt(time),
  approvedBy: opt(str),
  alertedAt: opt(time),
  firstClaimedAt: opt(time),
  startedAt: opt(time),
  completedAt: opt(time),
  completionNote: opt(str),
  completedBy: opt(str),
  rating: opt(int),
  comment: opt(str),
  confirmedBy: opt(str),
  confirmedAt: opt(time),
  autoConfirmed: opt(bool),
  disputeReason: opt(str),
  rejectReason: opt(str),
  cancelReason: opt(str),
  cancelledAt: opt(time),
  expiredAt: opt(time),
  closedAt: opt(time),
  verifiedBy: opt(str),
  verifierName: opt(str),
  staffRating: opt(int),
  crediting: opt(described(obj({ chunks: z.array(int), done: int }), "a close still crediting a very large team, part by part")),
  unitPath: opt(z.array(str)),
  gridId: opt(str),
  menuItemId: opt(described(str, "the service menu item it was ordered from")),
  branchId: opt(described(str, "the branch offering that item, whose members heard of it first")),
});

/** Arrival or departure: when, where, how sure the phone was, and how far from the wish. */
export const Stamp = obj({
  at: time,
  lat: num,
  lng: num,
  accuracy: num,
  distanceMeters: opt(int),
  signedByResident: opt(bool),
});

export const Claim = obj({
  wishId: str,
  communityId: str,
  memberId: str,
  memberName: str,
  branchId: opt(str),
  claimedAt: time,
  dispatchedBy: opt(str),
  checkIn: opt(Stamp),
  checkOut: opt(Stamp),
  codeTries: opt(int),
  remindedAt: opt(time),
  warnedAt: opt(described(time, "when the holder was warned that the claim will be released unless they check in")),
  extendedAt: opt(described(time, "when the holder took the claim's one extension")),
});

export const Takeover = obj({
  memberId: described(str, "the member asking to take the claim over"),
  memberName: str,
  branchId: opt(str),
  holderId: described(str, "the member whose claim stalled"),
  holderName: str,
  at: time,
});

const eventKinds = [...(Object.keys(transitions) as (keyof typeof transitions)[]), "submit", "remind", "alert", ...claimSteps] as const;
export const TimelineEvent = obj({
  id: str,
  kind: z.enum(eventKinds),
  actorId: str,
  actorName: str,
  at: time,
  from: z.nullable(status),
  to: status,
  note: opt(str),
  data: opt(described(z.record(str, z.unknown()), "what the step recorded: the approval's terms, the position, the credits")),
});

/** A photo on a record: its key, and a URL to read it that works for about 15 minutes. */
export const Photo = obj({
  key: str,
  url: described(url, "a presigned GET, valid about 15 minutes: fetch the record again for fresh ones"),
});
/** POST /api/uploads: the form to send the file with, straight to the bucket. */
export const Upload = obj({
  key: described(str, "attach it to the record as one of its photos once the upload succeeded"),
  url,
  method: z.enum(["POST"]),
  fields: described(z.record(str, str), "the form fields to send, in this order, before the file (field name `file`)"),
  maxBytes: int,
  expiresAt: described(time, "start the upload before then"),
});

export const WishView = z.extend(Wish, {
  claims: z.array(Claim),
  timeline: z.array(TimelineEvent),
  photos: described(z.array(Photo), "the resident's photos"),
  completionPhotos: described(z.array(Photo), "the volunteers' photos of the work done"),
  takeovers: opt(described(z.array(Takeover), "requests to take over a stalled claim, waiting for staff")),
});
export const WishPage = page(Wish);
export const TaskPage = page(obj({ claim: Claim, wish: Wish }));

/** Wishes nearby that may be the same thing, nearest first: what and how far, never who or where exactly. */
export const SimilarWishes = obj({
  items: z.array(
    obj({
      id: str,
      communityId: str,
      category,
      title: str,
      status,
      slots: int,
      claimed: int,
      createdAt: time,
      distanceMeters: described(int, "from the position asked about, rounded"),
    }),
  ),
});

/** 微心声: staff and the author see whose it is; everyone else sees names and words only. */
export const Voice = obj({
  id: str,
  communityId: str,
  authorId: opt(described(str, "for the community's staff and the author only")),
  authorName: str,
  text: str,
  status: z.enum(["new", "answered"]),
  createdAt: time,
  answer: opt(obj({ text: str, byId: opt(described(str, "for staff and the author only")), byName: str, at: time })),
  wishId: opt(described(str, "the wish staff made of the message")),
});
export const VoicePage = page(Voice);

/** An item of the service menu (服务清单). */
export const MenuItem = obj({
  id: str,
  communityId: str,
  kind: described(z.enum(menuKinds), "skill 送技能, service 送服务, health 送健康"),
  title: str,
  description: described(str, "what is offered"),
  category: described(category, "the category of a wish ordered from it"),
  when: opt(str),
  where: opt(str),
  branchId: described(str, "the offering branch"),
  branchName: str,
  status: described(z.enum(["active", "withdrawn"]), "withdrawn items are listed for staff only, and cannot be ordered"),
  version: int,
  createdAt: time,
  updatedAt: time,
  withdrawnAt: opt(time),
});
export const Menu = obj({ items: z.array(MenuItem) });

export const Membership = obj({ communityId: str, roles: z.array(z.enum(roles)), branchId: opt(str) });
export const UnitMembership = obj({
  unitId: str,
  kind: z.enum(["county", "street", "community", "grid"]),
  path: z.array(str),
  roles: z.array(z.enum(["staff", "leader"])),
});
export const Me = obj({
  id: str,
  phone: str,
  name: str,
  named: described(bool, "false while the name is the placeholder made from the number (居民5678): the app asks for one"),
  address: opt(str),
  lang,
  skills: opt(z.array(str)),
  admin: bool,
  communities: z.array(Membership),
  units: z.array(UnitMembership),
});
export const Candidate = obj({
  id: str,
  name: str,
  branchId: opt(str),
  skills: z.array(str),
  matched: described(z.array(str), "the member's skills this wish calls for (or the one asked for)"),
  tasksInHand: described(int, "claims on the community's open, claimed and in-progress wishes"),
  distanceMeters: opt(described(int, "from this wish to the nearest wish the member has in hand; members' own positions are never stored")),
});
export const Candidates = obj({ items: z.array(Candidate) });
export const CodeSent = obj({ sent: bool, expiresInSeconds: int });
export const SignedIn = obj({
  token: described(str, "send it as Authorization: Bearer <token>; it lasts an hour"),
  refreshToken: described(str, "trade it at POST /api/auth/refresh for a new pair; it works once, and lasts 60 days from its last use"),
  user: Me,
});
export const SignedOut = obj({ signedOut: bool });

const Weights = obj({ hours: int, onTime: int, completion: int, residentRating: int, staffRating: int, attendance: int });
export const Settings = obj({
  fenceRadiusMeters: int,
  checkInEarlyMinutes: int,
  checkInGraceMinutes: int,
  checkOutGraceMinutes: int,
  onTimeClaimHours: int,
  unclaimedAlertHours: int,
  claimGraceMinutes: int,
  rankingWeights: Weights,
});

export const Community = obj({
  id: str,
  name: str,
  settings: z.extend(z.partial(Settings), { fenceRadiusMeters: int }),
  branches: z.array(obj({ id: str, name: str })),
  categories: z.array(obj({ code: category, name: obj({ "zh-CN": str, en: str }) })),
  skills: described(z.array(obj({ name: str, en: str, categories: z.array(category) })), "the skills members pick from"),
});
/** GET /api/me: who I am, and the community the app opens in, so that a first visit's screen waits on no second read. */
export const MeAtHome = z.extend(Me, {
  community: opt(
    described(
      Community,
      "the community the app opens in when it has none chosen: the first one I have a role in, else the one of my newest wish; " +
        "absent for someone new",
    ),
  ),
});
export const Person = obj({ id: str, name: str, roles: z.array(z.enum(roles)), branchId: opt(str) });
export const PersonPage = page(Person);

const serviceKind = described(z.enum(["wish", "activity"]), "a wish, or a group activity");
export const LedgerEntry = obj({
  kind: opt(serviceKind),
  memberId: str,
  memberName: str,
  communityId: str,
  communityName: str,
  branchId: opt(str),
  branchName: opt(str),
  wishId: opt(str),
  activityId: opt(str),
  category: opt(category),
  content: str,
  place: opt(str),
  location: opt(LatLng),
  start: opt(time),
  end: opt(time),
  minutes: int,
  measuredMinutes: opt(int),
  reason: opt(str),
  signedByResident: bool,
  claimedAt: time,
  onTime: bool,
  residentRating: opt(int),
  staffRating: opt(int),
  verifierId: str,
  verifierName: str,
  verifiedAt: time,
  month: str,
});
export const MemberHours = obj({
  memberId: str,
  totalMinutes: int,
  communities: z.array(obj({ communityId: str, totalMinutes: int, entries: int })),
  entries: z.array(LedgerEntry),
});

const PeriodSpan = obj({ key: str, from: opt(day), to: opt(day) });
export const Stats = obj({
  communityId: str,
  name: str,
  period: PeriodSpan,
  activities: int,
  personTimes: int,
  residentsServed: int,
  distinctResidents: int,
  hours: num,
  detail: opt(
    described(
      obj({
        wishes: obj({ submitted: int, approved: int, claimed: int, closed: int, rejected: int, cancelled: int, expired: int }),
        minutes: int,
        medianMinutesToClaim: z.nullable(num),
        medianMinutesToClose: z.nullable(num),
        averageRating: z.nullable(num),
        ratings: int,
        averageStaffRating: z.nullable(num),
        staffRatings: int,
        months: z.array(obj({ month: str, submitted: int, closed: int, personTimes: int, minutes: int })),
      }),
      "for staff of the community only",
    ),
  ),
});

const Indicator = obj({ value: z.nullable(num), normalized: num, weight: int, points: num });
export const Rankings = obj({
  communityId: str,
  period: PeriodSpan,
  by: z.enum(["branch", "member"]),
  weights: Weights,
  items: z.array(
    obj({
      rank: int,
      id: str,
      name: str,
      branchId: opt(str),
      members: int,
      minutes: int,
      personTimes: int,
      score: num,
      indicators: obj({
        hours: Indicator,
        onTime: Indicator,
        completion: Indicator,
        residentRating: Indicator,
        staffRating: Indicator,
        attendance: described(Indicator, "activities attended over those signed up for and attended or missed"),
      }),
    }),
  ),
});

export const Certificate = obj({
  number: str,
  memberId: str,
  memberName: str,
  communityId: str,
  communityName: str,
  from: day,
  to: day,
  totalMinutes: int,
  entries: z.array(
    obj({
      kind: opt(serviceKind),
      wishId: opt(str),
      activityId: opt(str),
      day,
      content: str,
      category: opt(category),
      place: opt(str),
      branchName: opt(str),
      start: opt(time),
      end: opt(time),
      minutes: int,
      signedByResident: bool,
      verifierName: str,
      verifiedAt: time,
    }),
  ),
  verifiers: z.array(str),
  issuedAt: time,
  issuedBy: obj({ id: str, name: str }),
  printUrl: url,
  verifyUrl: url,
});
/** What anyone holding a certificate's number sees: no titles, places, times of day, staff or ids. */
export const PublicCertificate = obj({
  number: str,
  memberName: str,
  communityName: str,
  from: day,
  to: day,
  totalMinutes: int,
  entries: z.array(obj({ day, kind: opt(serviceKind), category: opt(category), minutes: int })),
  issuedAt: time,
  printUrl: url,
  verifyUrl: url,
});
/** A certificate read by its number: as issued for the member and staff, the public view for anyone else. */
export const CertificateView = z.union([Certificate, PublicCertificate]);
export const CertificatePage = page(
  obj({ number: str, communityId: str, communityName: str, from: day, to: day, totalMinutes: int, entries: int, issuedAt: time }),
);

export const ImportReport = obj({
  rows: int,
  created: int,
  updated: int,
  invited: int,
  unchanged: int,
  branchesCreated: z.array(str),
  refused: z.array(obj({ row: int, phone: str, reason: str })),
});

export const Notification = obj({
  id: str,
  kind: z.enum(noticeKinds),
  wishId: opt(described(str, "the wish it is about")),
  activityId: opt(described(str, "the activity it is about")),
  communityId: str,
  at: time,
  read: bool,
  text: str,
});
export const NotificationPage = obj({ items: z.array(Notification), unread: int, cursor: opt(str) });
export const Unread = obj({ unread: int });
export const Preferences = obj({
  lang,
  sms: z.array(z.enum(noticeKinds)),
  categories: z.array(category),
  communities: described(z.array(str), "the communities whose new wishes in these categories reach me: where I volunteered when I saved"),
  digest: described(bool, "one SMS each morning counting yesterday's new wishes in these categories (China time); off by default"),
});

/** A group activity as everyone who may see it does; the poster's token is never in it. */
export const Activity = obj({
  id: str,
  communityId: str,
  title: str,
  description: str,
  address: str,
  location: LatLng,
  window: obj({ from: time, to: time }),
  places: opt(described(int, "how many may take part; absent: unlimited")),
  signedUp: int,
  teams: opt(z.array(str)),
  branchIds: opt(described(z.array(str), "the branches invited; absent: every member of the community")),
  status: z.enum(["open", "closed", "verified"]),
  createdBy: str,
  createdByName: str,
  createdAt: time,
  updatedAt: time,
  version: int,
  closedAt: opt(time),
  absent: opt(int),
  verifiedAt: opt(time),
  verifiedBy: opt(str),
  verifierName: opt(str),
  photos: opt(z.array(z.unknown())),
});
const ActivityStamp = obj({ at: time, lat: num, lng: num, accuracy: num, distanceMeters: opt(int) });
export const Signup = obj({
  activityId: str,
  communityId: str,
  memberId: str,
  memberName: str,
  branchId: opt(str),
  team: opt(str),
  signedAt: time,
  walkIn: opt(bool),
  checkIn: opt(ActivityStamp),
  checkOut: opt(ActivityStamp),
  comment: opt(str),
  absentAt: opt(time),
  creditedMinutes: opt(int),
  creditedAt: opt(time),
});
export const ActivityView = z.extend(Activity, {
  photos: described(z.array(Photo), "staff's photos of the activity"),
  mySignup: opt(Signup),
  comments: z.array(obj({ memberName: str, comment: str, at: time })),
  signups: opt(described(z.array(Signup), "for staff")),
  byTeam: opt(
    described(
      z.array(
        obj({
          team: z.nullable(str),
          signedUp: int,
          checkedIn: int,
          absent: int,
          members: z.array(obj({ memberId: str, memberName: str, branchId: opt(str) })),
        }),
      ),
      "for staff: who signed up, per team (null: no team)",
    ),
  ),
  attendance: opt(described(obj({ signedUp: int, checkedIn: int, checkedOut: int, walkIns: int, absent: int }), "for staff")),
});
export const ActivityPage = page(Activity);
export const NoticeSent = obj({
  id: str,
  communityId: str,
  activityId: opt(str),
  branchIds: opt(z.array(str)),
  title: opt(str),
  text: str,
  sms: bool,
  actorId: str,
  actorName: str,
  at: time,
  recipients: described(int, "how many people it goes to"),
});
export const MyActivities = obj({ items: z.array(obj({ signup: Signup, activity: Activity })) });

/** Every refusal (RFC 9457), with members of its own where the rule has more to say (`retryAfter`, `triesLeft`, ...). */
export const Problem = z.looseObject({
  type: str,
  title: str,
  status: int,
  detail: str,
  code: described(str, "the dotted rule, e.g. wish.full"),
  errors: opt(described(z.record(str, str), "a message per field")),
});

export type Health = z.output<typeof Health>;
export type LatLng = z.output<typeof LatLng>;
export type Wish = z.output<typeof Wish>;
export type Stamp = z.output<typeof Stamp>;
export type Claim = z.output<typeof Claim>;
export type TimelineEvent = z.output<typeof TimelineEvent>;
export type WishView = z.output<typeof WishView>;
export type Photo = z.output<typeof Photo>;
export type Upload = z.output<typeof Upload>;
export type WishPage = z.output<typeof WishPage>;
export type TaskPage = z.output<typeof TaskPage>;
export type Membership = z.output<typeof Membership>;
export type Me = z.output<typeof Me>;
export type MeAtHome = z.output<typeof MeAtHome>;
export type Candidate = z.output<typeof Candidate>;
export type Voice = z.output<typeof Voice>;
export type MenuItem = z.output<typeof MenuItem>;
export type Menu = z.output<typeof Menu>;
export type VoicePage = z.output<typeof VoicePage>;
export type SimilarWishes = z.output<typeof SimilarWishes>;
export type CodeSent = z.output<typeof CodeSent>;
export type SignedIn = z.output<typeof SignedIn>;
export type SignedOut = z.output<typeof SignedOut>;
export type Settings = z.output<typeof Settings>;
export type Community = z.output<typeof Community>;
export type Person = z.output<typeof Person>;
export type PersonPage = z.output<typeof PersonPage>;
export type LedgerEntry = z.output<typeof LedgerEntry>;
export type MemberHours = z.output<typeof MemberHours>;
export type Stats = z.output<typeof Stats>;
export type Rankings = z.output<typeof Rankings>;
export type Certificate = z.output<typeof Certificate>;
export type CertificatePage = z.output<typeof CertificatePage>;
export type PublicCertificate = z.output<typeof PublicCertificate>;
export type CertificateView = z.output<typeof CertificateView>;
export type ImportReport = z.output<typeof ImportReport>;
export type Notification = z.output<typeof Notification>;
export type NotificationPage = z.output<typeof NotificationPage>;
export type Unread = z.output<typeof Unread>;
export type Preferences = z.output<typeof Preferences>;
export type Problem = z.output<typeof Problem>;
export type Activity = z.output<typeof Activity>;
export type Signup = z.output<typeof Signup>;
export type ActivityView = z.output<typeof ActivityView>;
export type ActivityPage = z.output<typeof ActivityPage>;
export type MyActivities = z.output<typeof MyActivities>;
