import { fail } from "./errors.js";
import { distanceMeters } from "./geo.js";
import type { HoursSettings } from "./settings.js";
import type { LatLng } from "./wish.js";

export interface Position extends LatLng {
  accuracy: number;
}

/** Wrong handshake codes a volunteer may enter on one claim before the code locks. */
export const maxHandshakeTries = 5;

type Step = "checkin" | "checkout";
const verb = { checkin: "check in", checkout: "check out" } as const;

/** What is attended: a wish or an activity, with its place and time window when it has them. */
export interface Attended {
  location?: LatLng;
  window?: { from: string; to: string };
}
type Noun = "wish" | "activity";

/**
 * The fence: within the radius of the wish's location, measured on the great circle, with a
 * fix at least as accurate as the radius (a 2 km fix cannot show that someone is within
 * 300 m). A wish without a location has no fence. Returns the distance for the record.
 */
export function checkPlace(
  step: Step,
  wish: Attended,
  position: Position,
  settings: HoursSettings,
  noun: Noun = "wish",
): number | undefined {
  if (!wish.location) return undefined;
  const radiusMeters = settings.fenceRadiusMeters;
  if (position.accuracy > radiusMeters) {
    fail(
      `${step}.inaccurate`,
      `Your phone places you only to within ${Math.round(position.accuracy)} m; to ${verb[step]} it must be within ${radiusMeters} m. ` +
        `Turn on GPS or step outside, and try again.`,
      {
        accuracyMeters: Math.round(position.accuracy),
        radiusMeters,
      },
    );
  }
  const distance = distanceMeters(wish.location, position);
  if (distance > radiusMeters) {
    fail(
      `${step}.too_far`,
      `You are ${Math.round(distance)} m from the place of this ${noun}; you can ${verb[step]} within ${radiusMeters} m of it.`,
      {
        distanceMeters: Math.round(distance),
        radiusMeters,
      },
    );
  }
  return Math.round(distance);
}

const minutes = (n: number) => n * 60_000;

/** No check-in long before the window opens, nor later than its start plus the grace: no late arrival. */
export function checkArrival(wish: Attended, now: Date, settings: HoursSettings, noun: Noun = "wish") {
  if (!wish.window) return;
  const from = Date.parse(wish.window.from);
  const earliest = from - minutes(settings.checkInEarlyMinutes);
  const latest = from + minutes(settings.checkInGraceMinutes);
  if (now.getTime() < earliest) {
    fail(
      "checkin.too_early",
      `This ${noun} starts at ${wish.window.from}; you can check in from ${settings.checkInEarlyMinutes} minutes before, at ` +
        `${iso(earliest)}.`,
      {
        windowFrom: wish.window.from,
        earliestAt: iso(earliest),
        earlyMinutes: settings.checkInEarlyMinutes,
      },
    );
  }
  if (now.getTime() > latest) {
    fail(
      "checkin.too_late",
      `This ${noun} started at ${wish.window.from}; check-in closed ${settings.checkInGraceMinutes} minutes after, at ` +
        `${iso(latest)}. Ask staff to record your time.`,
      {
        windowFrom: wish.window.from,
        latestAt: iso(latest),
        graceMinutes: settings.checkInGraceMinutes,
      },
    );
  }
}

/** No check-out earlier than the window's end minus the grace: no early departure. */
export function checkDeparture(wish: Attended, now: Date, settings: HoursSettings, noun: Noun = "wish") {
  if (!wish.window) return;
  const earliest = Date.parse(wish.window.to) - minutes(settings.checkOutGraceMinutes);
  if (now.getTime() < earliest) {
    fail(
      "checkout.too_early",
      `This ${noun} runs until ${wish.window.to}; you can check out from ${settings.checkOutGraceMinutes} minutes before its end, at ` +
        `${iso(earliest)}.`,
      {
        windowTo: wish.window.to,
        earliestAt: iso(earliest),
        graceMinutes: settings.checkOutGraceMinutes,
      },
    );
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
