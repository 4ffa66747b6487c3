/**
 * Every rule the domain (or the HTTP layer) can refuse with, by dotted code, and how the API
 * answers it: the status and the title of its problem document. Domain code names the code
 * only; the table is the one place that decides what the client sees, and a code without an
 * entry here does not compile.
 */
const badRequest = { status: 400, title: "Bad request" } as const;
const notSignedIn = { status: 401, title: "Not signed in" } as const;
const notAllowed = { status: 403, title: "Not allowed" } as const;
const notFound = { status: 404, title: "Not found" } as const;
const conflict = { status: 409, title: "Conflict" } as const;
const tooLarge = { status: 413, title: "Request too large" } as const;
const unsupportedType = { status: 415, title: "Unsupported media type" } as const;
const invalid = { status: 422, title: "Invalid input" } as const;
const tooMany = { status: 429, title: "Too many requests" } as const;
const ours = { status: 500, title: "Something went wrong" } as const;
const unavailable = { status: 503, title: "Service unavailable" } as const;

export const errors = {
  "auth.unauthenticated": notSignedIn,
  "auth.bad_token": notSignedIn,
  "auth.token_expired": notSignedIn,
  "auth.refresh_invalid": notSignedIn,
  "auth.wrong_code": badRequest,
  "auth.code_expired": badRequest,
  "auth.locked": tooMany,
  "auth.rate_limited": tooMany,
  "auth.country_not_served": { status: 400, title: "Country not served" },

  "request.invalid_query": badRequest,
  "request.invalid_body": invalid,
  "request.bad_cursor": badRequest,
  "request.bad_idempotency_key": badRequest,
  "request.idempotency_mismatch": badRequest,
  "request.too_large": tooLarge,
  // Raised as HTTP errors while the body is read: broken JSON, and a body that is not JSON.
  "request.http_400": badRequest,
  "request.http_415": unsupportedType,
  "route.not_found": notFound,
  "route.method_not_allowed": { status: 405, title: "Method not allowed" },
  "server.error": ours,

  "wish.not_found": notFound,
  "wish.forbidden": notAllowed,
  "wish.invalid": invalid,
  "wish.wrong_state": conflict,
  "wish.full": conflict,
  "wish.own_wish": { status: 409, title: "Not on your own wish" },
  "wish.changed": conflict,
  "wish.busy": conflict,
  "wish.not_due": conflict,
  // Two requests with one Idempotency-Key at once; the loser replays the winner's wish.
  "wish.idempotency_race": conflict,
  "claim.exists": conflict,
  "claim.not_dispatched": conflict,
  "claim.checked_in": conflict,
  "claim.not_checked_in": conflict,
  "claim.checked_out": conflict,
  "claim.not_found": notFound,
  "claim.no_deadline": conflict,
  "claim.extended": conflict,
  "claim.lapsed": conflict,
  "takeover.own_claim": { status: 409, title: "Not your own claim" },
  "takeover.not_stalled": conflict,
  "takeover.asked": conflict,
  "takeover.not_found": notFound,
  "takeover.stale": conflict,
  "checkin.too_early": conflict,
  "checkin.too_late": conflict,
  "checkin.inaccurate": conflict,
  "checkin.too_far": conflict,
  "checkout.too_early": conflict,
  "checkout.inaccurate": conflict,
  "checkout.too_far": conflict,
  "handshake.wrong_code": conflict,
  "handshake.locked": tooMany,

  "hours.invalid": invalid,
  "hours.forbidden": notAllowed,
  // Another caller moved a close's crediting on first: the step is done, nothing to retry.
  "hours.progressed": conflict,
  "ledger.invalid": invalid,
  "ledger.forbidden": notAllowed,
  "period.invalid": invalid,
  "rankings.forbidden": notAllowed,
  "rollups.forbidden": notAllowed,
  "certificate.invalid": invalid,
  "certificate.forbidden": notAllowed,
  "certificate.not_found": notFound,

  "activity.not_found": notFound,
  "activity.forbidden": notAllowed,
  "activity.invalid": invalid,
  "activity.not_invited": notAllowed,
  "activity.bad_token": notAllowed,
  "activity.full": conflict,
  "activity.started": conflict,
  "activity.wrong_state": conflict,
  "activity.not_over": conflict,
  "signup.exists": conflict,
  "signup.none": conflict,
  "signup.checked_in": conflict,
  "signup.not_checked_in": conflict,
  "signup.checked_out": conflict,
  "notice.invalid": invalid,
  "notice.forbidden": notAllowed,

  "community.not_found": notFound,
  "community.forbidden": notAllowed,
  "community.exists": conflict,
  "member.not_found": notFound,
  "unit.not_found": notFound,
  "unit.forbidden": notAllowed,
  "unit.exists": conflict,
  "unit.changed": conflict,
  "unit.wrong_kind": invalid,
  "unit.cycle": invalid,
  "unit.invalid_area": invalid,
  "registration.invalid": invalid,
  "registration.forbidden": notAllowed,
  "registration.not_found": notFound,
  "registration.exists": conflict,
  "registration.decided": conflict,
  "registration.changed": conflict,
  "invitation.not_found": notFound,
  "settings.invalid": invalid,
  "import.invalid": invalid,
  "import.raced": conflict,
  "csv.invalid": invalid,

  "menu.not_found": notFound,
  "menu.forbidden": notAllowed,
  "menu.invalid": invalid,
  "menu.withdrawn": conflict,
  "menu.changed": conflict,
  "voice.not_found": notFound,
  "voice.forbidden": notAllowed,
  "voice.answered": conflict,
  "voice.wished": conflict,

  "user.exists": conflict,
  "user.not_found": notFound,
  "user.changed": conflict,
  "notification.not_found": notFound,
  "preferences.unavailable": unavailable,

  "photo.unavailable": unavailable,
  "photo.invalid": invalid,
  "photo.not_yours": notAllowed,
  "photo.not_uploaded": invalid,
  "photo.wrong_type": unsupportedType,
  "photo.too_large": tooLarge,
  "photo.too_many": invalid,
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errors;
export type ErrorStatus = (typeof errors)[ErrorCode]["status"];

/** A rule of the domain said no. `code` is dotted (`wish.full`, `wish.wrong_state`); the table above gives its status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};
