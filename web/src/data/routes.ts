/**
 * The app's own pages, as the router declares them. A `next=` after sign-in may only name one of
 * these: anything else (`//evil.example`, `/\evil.example`, `/%09/evil.example`) would be sent to
 * the browser as a navigation it refuses or takes off-site.
 */
export const pagePaths = [
  "/post",
  "/mine",
  "/wishes/:id",
  "/hall",
  "/tasks",
  "/hours",
  "/review",
  "/board",
  "/verify",
  "/stats",
  "/import",
  "/settings",
  "/notifications",
  "/me",
  "/voices",
  "/activities",
  "/activities/:id/check-in",
  "/map",
  "/menu",
  "/units/:id",
  "/units/:id/manage",
  "/organisation",
  "/join",
] as const;

const pattern = new RegExp(`^(?:${pagePaths.map((p) => p.replace(/:\w+/g, "[A-Za-z0-9_-]{1,64}")).join("|")})$`);
/** A query string of plain characters only: ids, periods, flags. */
const plainQuery = /^(?:\?[A-Za-z0-9_.~%=&-]{0,512})?$/;

/** `next` when it is a page of this app (with a plain query), otherwise `fallback`. */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== "string") return fallback;
  const at = next.indexOf("?");
  const path = at === -1 ? next : next.slice(0, at);
  const query = at === -1 ? "" : next.slice(at);
  // The path is one of ours, so an escape in the query cannot move the navigation elsewhere.
  return pattern.test(path) && plainQuery.test(query) ? next : fallback;
}
