import * as z from "zod";
import { periodPattern } from "../core/period.js";

/** Inputs of the hours routes: settings, stats and rankings, certificates, the ledger export and the roster import. */
const weight = z.number().int().min(0, "From 0 to 100.").max(100, "From 0 to 100.");
export const SettingsChange = z
  .object({
    fenceRadiusMeters: z.number().int().min(20, "At least 20 m.").max(5000, "At most 5000 m."),
    checkInEarlyMinutes: z.number().int().min(0).max(24 * 60),
    checkInGraceMinutes: z.number().int().min(0).max(24 * 60),
    checkOutGraceMinutes: z.number().int().min(0).max(24 * 60),
    onTimeClaimHours: z.number().int().min(1).max(24 * 30),
    rankingWeights: z
      .object({ hours: weight, onTime: weight, completion: weight, residentRating: weight, staffRating: weight })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export const Period = z
  .string()
  .regex(periodPattern, "A month (2026-11), a quarter (2026-Q4), a year (2026) or all.")
  .meta({ example: "2026-11" });

export const StatsQuery = z.object({ period: Period.default("all") });
export const RankingsQuery = z.object({
  period: Period.refine((p) => p !== "all", "A month (2026-11), a quarter (2026-Q4) or a year (2026)."),
  by: z.enum(["branch", "member"]).default("branch"),
});

const day = z.iso.date({ message: "A date like 2026-11-22." });
export const DateRange = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to, { message: "The range must not end before it starts.", path: ["to"] });

export const NewCertificate = z
  .object({ communityId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Not an id.").optional(), from: day, to: day })
  .refine((r) => r.from <= r.to, { message: "The range must not end before it starts.", path: ["to"] });
