import * as z from "zod/mini";
import { lazy } from "./lazy-schema.js";
import { activityStatuses } from "../store/entities/activity.js";
import { Id, LatLng, PhotoKeys, Position, text } from "./schemas.js";

/** Inputs of the activity routes and of notices (DESIGN.md section 11). */
const isoTime = lazy(() => z.iso.datetime({ offset: true, message: "An ISO 8601 time with a zone, like 2026-11-22T09:00:00+08:00." }));

export const NewActivity = lazy(() =>
  z.object({
    title: text(80),
    description: text(2000, { multiline: true }),
    address: text(200),
    location: LatLng,
    window: z.object({ from: isoTime, to: isoTime }),
    places: z.optional(
      z.number().check(z.int(), z.gte(1, "At least 1 place; leave it out for unlimited."), z.lte(10_000, "At most 10000 places.")),
    ),
    teams: z.optional(z.array(text(40)).check(z.maxLength(20, "At most 20 teams."))),
    branchIds: z.optional(z.array(Id).check(z.maxLength(100, "At most 100 branches."))),
    photos: z.optional(PhotoKeys),
  }),
);

export const AddPhotos = lazy(() => z.object({ photos: PhotoKeys.check(z.minLength(1, "At least one photo.")) }));

export const ActivityQuery = lazy(() =>
  z.object({
    status: z.optional(z.enum(activityStatuses)),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
    limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))),
  }),
);

export const SignUp = lazy(() => z.object({ team: z.optional(text(40)) }));

const token = lazy(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "The code from the activity's poster.")));
export const ActivityCheckIn = lazy(() => z.extend(Position, { token }));
export const ActivityCheckOut = lazy(() => z.extend(ActivityCheckIn, { comment: z.optional(text(1000, { multiline: true })) }));

export const VerifyActivity = lazy(() =>
  z.object({
    minutes: z.optional(z.record(Id, z.number().check(z.int(), z.gte(0), z.lte(24 * 60, "At most 1440 minutes (a day).")))),
    reason: z.optional(text(500, { multiline: true })),
  }),
);

export const NewNotice = lazy(() =>
  z.object({
    unitId: z.optional(Id.check(z.meta({ description: "the community whose members hear" }))),
    activityId: z.optional(Id.check(z.meta({ description: "the activity whose people hear" }))),
    branchIds: z.optional(z.array(Id).check(z.maxLength(100, "At most 100 branches."))),
    text: text(300, { multiline: true }),
    sms: z.optional(z.boolean()),
  }),
);
