import * as z from "zod/mini";
import { lazy } from "./lazy-schema.js";
import { smsNoticeKinds } from "../core/audience.js";
import { refreshTokenPattern } from "../core/sessions.js";
import { categoryCodes, maxSkillLength, maxSkills, menuKinds, statuses } from "../core/model.js";
import { normalizePhone } from "../core/identity.js";
import { maxPhotoBytes, maxPhotosPerRecord, photoContentTypes, purposes } from "../core/photos.js";

/**
 * One schema per input: it validates the request, types the handler and describes the
 * route in the OpenAPI document. Text is measured in characters as a person counts them
 * (code points), so a title of emoji or Chinese gets the same allowance as one in Latin.
 */
export function text(max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const min = opts.min ?? 1;
  const controls = opts.multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ : /[\u0000-\u001F\u007F]/;
  return z
    .pipe(
      z.string().check(z.maxLength(max * 2, `At most ${max} characters.`)),
      z.transform((s: string) => s.trim()),
    )
    .check(
      z.refine((s) => [...s].length >= min, min === 1 ? "Must not be empty." : `At least ${min} characters.`),
      z.refine((s) => [...s].length <= max, `At most ${max} characters.`),
      z.refine((s) => s.isWellFormed(), "Contains broken characters (an unpaired surrogate)."),
      z.refine((s) => !controls.test(s), "Contains control characters."),
      z.meta({ maxLength: max }),
    );
}

const isoTime = lazy(() => z.iso.datetime({ offset: true, message: "An ISO 8601 time with a zone, like 2026-11-22T09:00:00+08:00." }));

export const Id = lazy(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "Not an id.")));

export const Phone = lazy(() =>
  z
    .pipe(
      z.string().check(z.maxLength(32, "Not a phone number.")),
      z.transform((raw: string, ctx) => {
        const phone = normalizePhone(raw);
        if (!phone) {
          ctx.issues.push({ code: "custom", message: "A mobile number like 13800138000 or +8613800138000.", input: raw });
          return z.NEVER;
        }
        return phone;
      }),
    )
    .check(z.meta({ example: "13800138000" })),
);

/** An integer from min to max, as `z.number().int().min(min).max(max)` with the same messages. */
const int = (min: number, max: number, tooSmall?: string, tooBig?: string) =>
  z.number().check(z.int(), z.gte(min, tooSmall), z.lte(max, tooBig));

/**
 * DynamoDB stores 0 and numbers from 1e-130 to just under 1e126 in size, and refuses the whole
 * write for any other: a number with a fraction (an integer's bounds already keep it in range)
 * is checked here, so a client's 1e-200 is its mistake, named by field, and not our 500.
 */
const storable = z.refine<number>(
  (n) => n === 0 || (Math.abs(n) >= 1e-130 && Math.abs(n) < 1e126),
  "Too small or too large to store: use 0, or a number from 1e-130 to 1e125 in size.",
);
const between = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max), storable);

export const OtpRequest = lazy(() => z.object({ phone: Phone }));
export const RefreshRequest = lazy(() =>
  z.object({
    refreshToken: z.string().check(z.regex(refreshTokenPattern, "The refresh token sign-in or the last refresh gave out.")),
  }),
);
export const TokenRequest = lazy(() =>
  z.object({
    phone: Phone,
    code: z.string().check(z.regex(/^\d{6}$/, "The 6 digits from the text message.")),
  }),
);

export const LatLng = lazy(() =>
  z.object({
    lat: between(-90, 90),
    lng: between(-180, 180),
  }),
);

/** Keys of photos uploaded through POST /api/uploads; each is checked to be the caller's when attached. */
export const PhotoKeys = lazy(() =>
  z
    .array(z.string().check(z.minLength(1), z.maxLength(200)))
    .check(z.maxLength(maxPhotosPerRecord, `At most ${maxPhotosPerRecord} photos on one record.`)),
);

export const Upload = lazy(() =>
  z.object({
    purpose: z.enum(purposes),
    contentType: z.enum(photoContentTypes, "A JPEG, PNG or WebP photo: image/jpeg, image/png or image/webp."),
    size: int(1, maxPhotoBytes, "Empty file.", `At most ${maxPhotoBytes} bytes (2 MB): shrink the photo first.`),
  }),
);

/** A person's name as they are called in the community: 王奶奶, 李明, Mrs Wang. */
export const PersonName = lazy(() => text(40));

export const NewWish = lazy(() =>
  z.object({
    communityId: Id,
    category: z.enum(categoryCodes),
    title: text(80),
    description: text(2000, { multiline: true }),
    address: z.optional(text(200)),
    location: z.optional(LatLng),
    window: z.optional(z.object({ from: isoTime, to: isoTime })),
    photos: z.optional(PhotoKeys),
    onBehalfOf: z.optional(
      z
        .object({ phone: Phone, name: PersonName })
        .check(z.meta({ description: "staff only: the resident who phoned or walked in; they own the wish and get its code by SMS" })),
    ),
    menuItemId: z.optional(
      Id.check(
        z.meta({ description: "an order from the community's service menu: the category must be the item's; its branch hears first" }),
      ),
    ),
  }),
);

const cursor = lazy(() => z.string().check(z.maxLength(2048)));
const limit = lazy(() => z.coerce.number().check(z.int(), z.gte(1), z.lte(100)));

export const WishQuery = lazy(() =>
  z.object({
    communityId: z.optional(Id),
    status: z.optional(z.enum(statuses)),
    mine: z.optional(
      z.pipe(
        z.enum(["true", "false", "1", "0"]),
        z.transform((v) => v === "true" || v === "1"),
      ),
    ),
    cursor: z.optional(cursor),
    limit: z.optional(limit),
    skills: z.optional(
      z.enum(["mine"]).check(z.meta({ description: "only wishes matching my skills (a page may then hold fewer than limit)" })),
    ),
  }),
);

/** A coordinate in a query string: decimal degrees, refused when absent or empty rather than read as 0. */
const degrees = (min: number, max: number, example: string) =>
  z
    .pipe(
      z.string().check(z.maxLength(32), z.regex(/^-?\d{1,3}(\.\d+)?$/, `Decimal degrees, like ${example}.`)),
      z.transform((v: string) => Number(v)),
    )
    .check(
      z.refine((n) => n >= min && n <= max, `From ${min} to ${max}.`),
      z.meta({ example }),
    );

export const SimilarQuery = lazy(() =>
  z.object({
    communityId: Id,
    category: z.enum(categoryCodes),
    lat: degrees(-90, 90, "33.0676"),
    lng: degrees(-180, 180, "107.0238"),
  }),
);

export const PageQuery = lazy(() =>
  z.object({
    cursor: z.optional(cursor),
    limit: z.optional(limit),
  }),
);

export const Approve = lazy(() =>
  z.object({
    slots: z._default(int(1, 500), 1),
    estimatedMinutes: int(5, 24 * 60),
    deadline: z.optional(isoTime),
  }),
);
export const Reason = lazy(() => z.object({ reason: text(500, { multiline: true }) }));
export const OptionalReason = lazy(() => z.object({ reason: z.optional(text(500, { multiline: true })) }));
export const Dispatch = lazy(() =>
  z.object({
    memberIds: z.array(Id).check(z.minLength(1, "Name at least one member."), z.maxLength(50, "At most 50 members at a time.")),
  }),
);
export const TakeoverAsk = lazy(() =>
  z.object({
    memberId: z.optional(Id.check(z.meta({ description: "whose stalled claim; may be left out when only one is stalled" }))),
  }),
);
export const Position = lazy(() =>
  z.object({
    lat: between(-90, 90),
    lng: between(-180, 180),
    accuracy: z.number().check(z.positive(), z.lte(100_000), storable),
  }),
);
export const CheckOut = lazy(() =>
  z.extend(Position, {
    code: z.optional(z.string().check(z.regex(/^\d{4}$/, "The 4-digit code the resident shows."))),
  }),
);
export const Complete = lazy(() => z.object({ note: text(1000, { multiline: true }), photos: z.optional(PhotoKeys) }));
export const Confirm = lazy(() =>
  z.object({
    rating: int(1, 5, "From 1 to 5 stars.", "From 1 to 5 stars."),
    comment: z.optional(text(1000, { multiline: true })),
  }),
);
export const Verify = lazy(() =>
  z.object({
    minutes: z.optional(z.record(Id, int(0, 24 * 60, undefined, "At most 1440 minutes (a day)."))),
    reason: z.optional(text(500, { multiline: true })),
    staffRating: z
      .optional(int(1, 5, "From 1 to 5.", "From 1 to 5."))
      .check(z.meta({ description: "staff's rating of the team's work; counts in the rankings" })),
    peopleServed: z
      .optional(int(1, 100_000))
      .check(z.meta({ description: "people the wish served, by staff's count; 1 (the resident) when not given" })),
  }),
);
/** What a person says about themselves; each field is optional and only those given change. */
export const Profile = lazy(() =>
  z.object({
    name: z.optional(PersonName),
    address: z.optional(text(200)),
    skills: z.optional(
      z
        .array(text(maxSkillLength))
        .check(
          z.maxLength(maxSkills, `At most ${maxSkills} skills.`),
          z.meta({ description: "from the community's skill list or in one's own words; an empty list clears them" }),
        ),
    ),
  }),
);

export const candidateOrders = ["skill", "distance", "load"] as const;
export const CandidateQuery = lazy(() =>
  z.object({
    skill: z.optional(text(maxSkillLength)),
    sort: z.optional(
      z.enum(candidateOrders).check(
        z.meta({
          description: "what comes first: skill (skills matched; the default), distance (nearest first) or load (fewest tasks in hand)",
        }),
      ),
    ),
  }),
);

/** An item of the service menu (服务清单), as staff write it; an edit sends the whole item. */
export const MenuItem = lazy(() =>
  z.object({
    kind: z.enum(menuKinds, "One of skill (送技能), service (送服务), health (送健康)."),
    title: text(40),
    description: text(500, { multiline: true }).check(z.meta({ description: "what is offered" })),
    category: z.enum(categoryCodes),
    when: z.optional(text(100)).check(z.meta({ description: "when it is offered: 每周六上午, 预约上门" })),
    where: z.optional(text(100)).check(z.meta({ description: "where: 社区服务站, 上门" })),
    branchId: Id.check(z.meta({ description: "the offering branch: one of the community's" })),
  }),
);

/** 微心声: a message to the community, in the resident's words. */
export const maxVoice = 500;
export const NewVoice = lazy(() => z.object({ text: text(maxVoice, { multiline: true }) }));
export const VoiceAnswer = lazy(() => z.object({ text: text(1000, { multiline: true }) }));
export const VoiceToWish = lazy(() =>
  z.object({
    category: z.enum(categoryCodes),
    title: z.optional(text(80)).check(z.meta({ description: "the message's first line when not given" })),
  }),
);
export const VoiceQuery = lazy(() =>
  z.object({
    status: z.optional(z.enum(["new", "answered"])),
    mine: z.optional(
      z.pipe(
        z.enum(["true", "false", "1", "0"]),
        z.transform((v) => v === "true" || v === "1"),
      ),
    ),
    cursor: z.optional(cursor),
    limit: z.optional(limit),
  }),
);

export const OutboxQuery = lazy(() => z.object({ to: Phone }));

export const Preferences = lazy(() =>
  z.object({
    lang: z.enum(["zh-CN", "en"]),
    sms: z.array(z.enum(smsNoticeKinds)).check(z.maxLength(50, "At most 50 entries.")),
    categories: z.array(z.enum(categoryCodes)).check(z.maxLength(50, "At most 50 entries.")),
    digest: z.optional(z.boolean()),
  }),
);
