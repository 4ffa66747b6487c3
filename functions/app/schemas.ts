import * as z from "zod";
import { noticeKinds } from "../core/audience.js";
import { categoryCodes, statuses } from "../core/model.js";
import { normalizePhone } from "../core/identity.js";

/**
 * One schema per input: it validates the request, types the handler and describes the
 * route in the OpenAPI document. Text is measured in characters as a person counts them
 * (code points), so a title of emoji or Chinese gets the same allowance as one in Latin.
 */
function text(max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const min = opts.min ?? 1;
  const controls = opts.multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ : /[\u0000-\u001F\u007F]/;
  return z
    .string()
    .max(max * 2, `At most ${max} characters.`)
    .transform((s) => s.trim())
    .refine((s) => [...s].length >= min, min === 1 ? "Must not be empty." : `At least ${min} characters.`)
    .refine((s) => [...s].length <= max, `At most ${max} characters.`)
    .refine((s) => s.isWellFormed(), "Contains broken characters (an unpaired surrogate).")
    .refine((s) => !controls.test(s), "Contains control characters.")
    .meta({ maxLength: max });
}

const isoTime = z.iso.datetime({ offset: true, message: "An ISO 8601 time with a zone, like 2026-11-22T09:00:00+08:00." });

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Not an id.");

export const Phone = z
  .string()
  .max(32, "Not a phone number.")
  .transform((raw, ctx) => {
    const phone = normalizePhone(raw);
    if (!phone) {
      ctx.addIssue({ code: "custom", message: "A mobile number like 13800138000 or +8613800138000." });
      return z.NEVER;
    }
    return phone;
  })
  .meta({ example: "13800138000" });

export const OtpRequest = z.object({ phone: Phone });
export const TokenRequest = z.object({
  phone: Phone,
  code: z.string().regex(/^\d{6}$/, "The 6 digits from the text message."),
});

export const LatLng = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

export const NewWish = z.object({
  communityId: Id,
  category: z.enum(categoryCodes),
  title: text(80),
  description: text(2000, { multiline: true }),
  address: text(200).optional(),
  location: LatLng.optional(),
  window: z.object({ from: isoTime, to: isoTime }).optional(),
});

export const WishQuery = z.object({
  communityId: Id.optional(),
  status: z.enum(statuses).optional(),
  mine: z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1").optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const PageQuery = z.object({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const Approve = z.object({
  slots: z.number().int().min(1).max(500).default(1),
  estimatedMinutes: z.number().int().min(5).max(24 * 60),
  deadline: isoTime.optional(),
});
export const Reason = z.object({ reason: text(500, { multiline: true }) });
export const OptionalReason = z.object({ reason: text(500, { multiline: true }).optional() });
export const Dispatch = z.object({
  memberIds: z.array(Id).min(1, "Name at least one member.").max(50, "At most 50 members at a time."),
});
export const Position = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().positive().max(100_000),
});
export const CheckOut = Position.extend({ code: z.string().regex(/^\d{4}$/, "The 4-digit code the resident shows.").optional() });
export const Complete = z.object({ note: text(1000, { multiline: true }) });
export const Confirm = z.object({
  rating: z.number().int().min(1, "From 1 to 5 stars.").max(5, "From 1 to 5 stars."),
  comment: text(1000, { multiline: true }).optional(),
});
export const Verify = z.object({
  minutes: z.record(Id, z.number().int().min(0).max(24 * 60, "At most 1440 minutes (a day).")).optional(),
  reason: text(500, { multiline: true }).optional(),
  staffRating: z.number().int().min(1, "From 1 to 5.").max(5, "From 1 to 5.").optional().meta({ description: "staff's rating of the team's work; counts in the rankings" }),
  peopleServed: z.number().int().min(1).max(100_000).optional().meta({ description: "people the wish served, by staff's count; 1 (the resident) when not given" }),
});
export const OutboxQuery = z.object({ to: Phone });

export const Preferences = z.object({
  lang: z.enum(["zh-CN", "en"]),
  sms: z.array(z.enum(noticeKinds)).max(50, "At most 50 entries."),
  categories: z.array(z.enum(categoryCodes)).max(50, "At most 50 entries."),
});
