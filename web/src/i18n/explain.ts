import { ApiError } from "../data/api";
import { formatDateTime, formatDistance, locale, t, type Key } from "./index";

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
    case "certificate.invalid":
      if (err.errors.from) return t("err.certificate.none");
      if (err.errors.to) return t("err.certificate.tooMany");
      break;
    case "ledger.invalid":
      if (err.errors.to) return t("err.ledger.tooMany");
      break;
    case "handshake.wrong_code":
      return typeof d.triesLeft === "number" && d.triesLeft > 0 ? t("err.handshake.wrong", { n: d.triesLeft }) : t("err.handshake.locked");
  }
  const fence = fenceRefusal(err);
  if (fence) return fence;
  const key = `err.${err.code}` as Key;
  const said = t(key);
  if (said !== key) return said;
  if (err.code.startsWith("request.invalid") || err.code.endsWith(".invalid")) return t("err.invalid");
  if (err.status >= 500) return t("err.server");
  return locale() === "en" ? err.detail : `${t("err.refused")}（${err.detail}）`;
}

/**
 * Why something to read did not arrive: no network is not "what you typed is kept" (nothing was
 * typed), and the page looks again by itself once the network returns.
 */
export function explainLoad(err: unknown): string {
  if (err instanceof ApiError && err.code === "network.offline") return t("err.load.offline");
  if (err instanceof ApiError && err.code === "network.failed") return t("err.load.failed");
  return explain(err);
}

/**
 * Check-in and check-out refusals, from the numbers the server gives: how far the phone is from
 * the wish and the allowed radius, how vague its fix is, or from when (until when) the time
 * window allows the step.
 */
function fenceRefusal(err: ApiError): string | undefined {
  const d = err.data as { radiusMeters?: number; distanceMeters?: number; accuracyMeters?: number; earliestAt?: string; latestAt?: string };
  const [area, rule] = err.code.split(".");
  if (area !== "checkin" && area !== "checkout") return undefined;
  const step = t(area === "checkin" ? "step.checkin" : "step.checkout");
  const radius = typeof d.radiusMeters === "number" ? formatDistance(d.radiusMeters) : "";
  if (rule === "too_far" && typeof d.distanceMeters === "number")
    return t("err.fence.far", { step, distance: formatDistance(d.distanceMeters), radius });
  if (rule === "inaccurate" && typeof d.accuracyMeters === "number")
    return t("err.fence.accuracy", { step, accuracy: formatDistance(d.accuracyMeters), radius });
  if (rule === "too_early" && d.earliestAt)
    return t(area === "checkin" ? "err.window.checkinEarly" : "err.window.checkoutEarly", { at: formatDateTime(d.earliestAt) });
  if (rule === "too_late" && d.latestAt) return t("err.window.late", { at: formatDateTime(d.latestAt) });
  return undefined;
}

/** A field's problem under the field: plain words, and the server's own words in English. */
export function fieldProblem(err: unknown, ...fields: string[]): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const hit = fields.map((f) => err.errors[f]).find(Boolean);
  if (!hit) return undefined;
  return locale() === "en" ? hit : t("err.field");
}
