import * as z from "zod/mini";
import { lazy } from "./lazy-schema.js";
import { periodPattern } from "../core/period.js";

/**
 * Inputs of the hours routes: settings (with the unclaimed-wish alert the jobs read), stats and
 * rankings, certificates, the ledger export and the roster import.
 */
const int = (min: number, max: number, tooSmall?: string, tooBig?: string) =>
  z.number().check(z.int(), z.gte(min, tooSmall), z.lte(max, tooBig));
const weight = lazy(() => int(0, 100, "From 0 to 100.", "From 0 to 100."));
export const SettingsChange = lazy(() =>
  z.partial(
    z.strictObject({
      fenceRadiusMeters: int(20, 5000, "At least 20 m.", "At most 5000 m."),
      checkInEarlyMinutes: int(0, 24 * 60),
      checkInGraceMinutes: int(0, 24 * 60),
      checkOutGraceMinutes: int(0, 24 * 60),
      onTimeClaimHours: int(1, 24 * 30),
      // How long an approved wish may wait for a volunteer before its staff hear of it (the jobs read it).
      unclaimedAlertHours: int(1, 24 * 30, "At least 1 hour.", "At most 720 hours (30 days)."),
      // How long after a window's start a claim not checked in is kept before the job releases it.
      claimGraceMinutes: int(10, 24 * 60, "At least 10 minutes.", "At most 1440 minutes (a day)."),
      rankingWeights: z.partial(
        z.strictObject({
          hours: weight,
          onTime: weight,
          completion: weight,
          residentRating: weight,
          staffRating: weight,
          attendance: weight,
        }),
      ),
    }),
  ),
);

export const Period = lazy(() =>
  z.string().check(z.regex(periodPattern, "A month (2026-11), a quarter (2026-Q4), a year (2026) or all."), z.meta({ example: "2026-11" })),
);

export const StatsQuery = lazy(() => z.object({ period: z._default(Period, "all") }));
export const RankingsQuery = lazy(() =>
  z.object({
    period: Period.check(z.refine((p) => p !== "all", "A month (2026-11), a quarter (2026-Q4) or a year (2026).")),
    by: z._default(z.enum(["branch", "member"]), "branch"),
  }),
);

const day = lazy(() => z.iso.date({ message: "A date like 2026-11-22." }));
export const DateRange = lazy(() =>
  z
    .object({ from: day, to: day })
    .check(z.refine((r) => r.from <= r.to, { message: "The range must not end before it starts.", path: ["to"] })),
);

export const NewCertificate = lazy(() =>
  z
    .object({ communityId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "Not an id."))), from: day, to: day })
    .check(z.refine((r) => r.from <= r.to, { message: "The range must not end before it starts.", path: ["to"] })),
);
