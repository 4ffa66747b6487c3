import * as z from "zod/mini";
import { unitKinds } from "../store/entities/unit.js";
import { Id, LatLng, PageQuery, Phone, text } from "./schemas.js";

/** Inputs and answers of the units routes: the tree, its staff and its audit trail. */
export const NewUnit = z.object({
  kind: z.enum(unitKinds),
  name: text(60),
  parentId: z.optional(Id),
  area: z.optional(z.array(LatLng).check(z.maxLength(500, "At most 500 points."))),
  id: z.optional(Id),
});

export const Appointment = z.object({ phone: Phone, name: text(40), leader: z.optional(z.boolean()) });

const str = z.string();
const opt = z.optional;
const obj = z.strictObject;
const kind = z.enum(unitKinds);
const Point = obj({ lat: z.number(), lng: z.number() });
const UnitStaff = obj({ id: str, name: str, roles: z.array(z.enum(["staff", "leader"])) });

export const Unit = obj({
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
});
export const Appointed = obj({ id: str, name: str, unitId: str, roles: z.array(z.enum(["staff", "leader"])) });
export const AuditEvent = obj({
  unitId: str,
  id: str,
  action: str,
  by: str,
  byName: str,
  at: z.iso.datetime({ offset: true }),
  before: opt(z.unknown()),
  after: opt(z.unknown()),
});
export const AuditPage = obj({ items: z.array(AuditEvent), cursor: opt(str) });

export const NewRegistration = z.object({ name: text(40), branchId: z.optional(Id), note: z.optional(text(200, { multiline: true })) });
export const RegistrationQuery = z.extend(PageQuery, { status: z._default(z.enum(["pending", "approved", "rejected"]), "pending") });
export const Rejection = z.object({ reason: text(200) });
export const Registration = obj({
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
});
export const RegistrationPage = obj({ items: z.array(Registration), cursor: opt(str) });
export const Invitation = obj({
  userId: str,
  communityId: str,
  communityName: str,
  name: str,
  branchId: opt(str),
  invitedBy: str,
  invitedByName: str,
  createdAt: z.iso.datetime({ offset: true }),
});
export const Invitations = obj({ items: z.array(Invitation) });
export const Answer = obj({ communityId: str, accepted: z.boolean() });
