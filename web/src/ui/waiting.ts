import type { Status, Wish } from "../data/types";

/**
 * How long a wish may sit in a state before the board marks it: a day for review, two days to
 * find a volunteer, a day from claim to start, a day of work, three days for the resident to
 * confirm (after which the system confirms), two days for staff to verify.
 */
const patienceHours: Partial<Record<Status, number>> = {
  submitted: 24,
  open: 48,
  claimed: 24,
  in_progress: 24,
  completed: 72,
  confirmed: 48,
};

export function waitingTooLong(w: Wish, now = Date.now()) {
  const limit = patienceHours[w.status];
  return limit !== undefined && now - Date.parse(w.updatedAt) > limit * 3_600_000;
}
