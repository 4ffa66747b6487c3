import * as z from "zod/mini";
import { lazy } from "./lazy-schema.js";
import { unitKinds } from "../store/entities/unit.js";
import { Period } from "./hours-schemas.js";
import { Id, LatLng, PageQuery, Phone, text } from "./schemas.js";

/** Inputs and answers of the units routes: the tree, its staff and its audit trail. */
export const NewUnit = lazy(() =>
  z.object({
    kind: z.enum(unitKinds),
    name: text(60),
    parentId: z.optional(Id),
    area: z.optional(z.array(LatLng).check(z.maxLength(500, "At most 500 points."))),
    id: z.optional(Id),
  }),
);

export const Appointment = lazy(() => z.object({ phone: Phone, name: text(40), leader: z.optional(z.boolean()) }));

const str = lazy(() => z.string());
const opt = z.optional;
const obj = z.strictObject;
const kind = lazy(() => z.enum(unitKinds));
const Point = lazy(() => obj({ lat: z.number(), lng: z.number() }));
const UnitStaff = lazy(() => obj({ id: str, name: str, roles: z.array(z.enum(["staff", "leader"])) }));

export const Unit = lazy(() =>
  obj({
    id: str,
    kind,
    name: str,
    parentId: opt(str),
    path: opt(z.array(str)),
    area: opt(z.array(Point)),
    leaderIds: opt(z.array(str)),
    createdAt: opt(z.iso.datetime({ offset: true })),
    children: opt(z.array(obj({ id: str, kind, name: str }))),
    staff: opt(z.array(UnitStaff)),
  }),
);
export const Appointed = lazy(() => obj({ id: str, name: str, unitId: str, roles: z.array(z.enum(["staff", "leader"])) }));
export const AuditEvent = lazy(() =>
  obj({
    unitId: str,
    id: str,
    action: str,
    by: str,
    byName: str,
    at: z.iso.datetime({ offset: true }),
    before: opt(z.unknown()),
    after: opt(z.unknown()),
  }),
);
export const AuditPage = lazy(() => obj({ items: z.array(AuditEvent), cursor: opt(str) }));

export const NewRegistration = lazy(() =>
  z.object({ name: text(40), branchId: z.optional(Id), note: z.optional(text(200, { multiline: true })) }),
);
export const RegistrationQuery = lazy(() =>
  z.extend(PageQuery, { status: z._default(z.enum(["pending", "approved", "rejected"]), "pending") }),
);
export const Rejection = lazy(() => z.object({ reason: text(200) }));
export const Registration = lazy(() =>
  obj({
    id: str,
    communityId: str,
    userId: str,
    name: str,
    branchId: opt(str),
    note: opt(str),
    status: z.enum(["pending", "approved", "rejected"]),
    reason: opt(str),
    createdAt: z.iso.datetime({ offset: true }),
    decidedAt: opt(z.iso.datetime({ offset: true })),
    decidedBy: opt(str),
  }),
);
export const RegistrationPage = lazy(() => obj({ items: z.array(Registration), cursor: opt(str) }));
export const MyRegistrations = lazy(() => obj({ items: z.array(Registration) }));
export const Invitation = lazy(() =>
  obj({
    userId: str,
    communityId: str,
    communityName: str,
    name: str,
    branchId: opt(str),
    invitedBy: str,
    invitedByName: str,
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
export const Invitations = lazy(() => obj({ items: z.array(Invitation) }));
export const Answer = lazy(() => obj({ communityId: str, accepted: z.boolean() }));

export const UnitRankingsQuery = lazy(() =>
  z.object({
    period: Period.check(z.refine((p) => p !== "all", "A month (2026-11), a quarter (2026-Q4) or a year (2026).")),
    by: z._default(z.enum(["community", "branch", "member"]), "community"),
    limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))),
  }),
);

const int = lazy(() => z.number().check(z.int()));
const num = lazy(() => z.number());
const Span = lazy(() => obj({ key: str, from: opt(str), to: opt(str) }));

export const UnitStats = lazy(() =>
  obj({
    unitId: str,
    kind,
    name: str,
    period: Span,
    activities: int,
    personTimes: int,
    residentsServed: int,
    distinctResidents: int,
    hours: num,
    detail: obj({
      wishes: obj({ submitted: int, approved: int, claimed: int, closed: int, rejected: int, cancelled: int, expired: int }),
      minutes: int,
      averageRating: z.nullable(num),
      ratings: int,
      averageStaffRating: z.nullable(num),
      staffRatings: int,
      months: z.array(obj({ month: str, submitted: int, closed: int, personTimes: int, minutes: int })),
    }),
  }),
);

export const UnitRankings = lazy(() =>
  obj({
    unitId: str,
    name: str,
    period: Span,
    by: z.enum(["community", "branch", "member"]),
    items: z.array(
      obj({
        rank: int,
        id: str,
        name: str,
        communityId: str,
        communityName: str,
        branchId: opt(str),
        minutes: int,
        hours: num,
        personTimes: int,
        activities: opt(int),
        residentsServed: opt(int),
      }),
    ),
  }),
);
