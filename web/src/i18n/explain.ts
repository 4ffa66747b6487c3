import { ApiError } from "../data/api";
import { formatDistance, formatMinutes, locale, t, type Key } from "./index";
import zh from "./zh-CN";

const statusKey = (s: unknown) => `status.${String(s)}` as Key;

/**
 * A refusal in words the person understands. Known codes have their own message (with the
 * numbers the server gave, such as places left or how far away); an unknown one falls back
 * to a plain sentence in the user's language, plus the server's own detail in English.
 */
export function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return t("err.unknown");
  const d = err.data;
  switch (err.code) {
    case "wish.full":
      return typeof d.free === "number" && d.free > 0 ? t("err.wish.full_some", { free: d.free }) : t("err.wish.full");
    case "wish.wrong_state":
    case "wish.changed":
      return d.wishStatus ? t("err.wish.now", { status: t(statusKey(d.wishStatus)) }) : t("err.wish.changed");
  }
  const fence = fenceRefusal(err);
  if (fence) return fence;
  const key = `err.${err.code}` as Key;
  if (key in zh) return t(key);
  if (err.code.startsWith("request.invalid") || err.code.endsWith(".invalid")) return t("err.invalid");
  if (err.status >= 500) return t("err.server");
  return locale() === "en" ? err.detail : `${t("err.refused")}（${err.detail}）`;
}

/**
 * Check-in and check-out refusals: how far the phone is from the wish and the allowed radius,
 * or which time rule refused. The server names these in the problem's details.
 */
function fenceRefusal(err: ApiError): string | undefined {
  const d = err.data as Record<string, any>;
  const distance = d.distanceMeters ?? d.distance;
  const radius = d.radiusMeters ?? d.fenceRadiusMeters ?? d.radius;
  if (typeof distance === "number" && typeof radius === "number") {
    return t("err.fence.far", { distance: formatDistance(distance), radius: formatDistance(radius) });
  }
  const accuracy = d.accuracyMeters ?? d.accuracy;
  if (/accuracy/.test(err.code) && typeof accuracy === "number") {
    return t("err.fence.accuracy", { accuracy: formatDistance(accuracy), radius: typeof radius === "number" ? formatDistance(radius) : "" });
  }
  if (/too_late|late/.test(err.code)) return t("err.window.late", { grace: typeof d.graceMinutes === "number" ? formatMinutes(d.graceMinutes) : "" });
  if (/too_early|early/.test(err.code)) return t("err.window.early", { grace: typeof d.graceMinutes === "number" ? formatMinutes(d.graceMinutes) : "" });
  return undefined;
}

/** A field's problem under the field: plain words, and the server's own words in English. */
export function fieldProblem(err: unknown, ...fields: string[]): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const hit = fields.map((f) => err.errors[f]).find(Boolean);
  if (!hit) return undefined;
  return locale() === "en" ? hit : t("err.field");
}
