/**
 * The table's entities: one module per kind of item, each owning its keys, its shape, its
 * `toItem`/`fromItem`, the writes and queries on it (conditions and all) and, where people see
 * it, its presenter as a list of the fields each audience is shown.
 *
 * Why home-made, measured with `npm run bench -- --only=bundles`: a small typed expression builder
 * (../expression.ts, under 3 KB minified) and plain TypeScript types replace the expression strings
 * the domain assembled by hand, and the domain code shrank by what the entities added: the api
 * bundle went from 605.1 KB to 605.0 KB (619,572 bytes before, 619,559 after). ElectroDB (1.9 MB unpacked)
 * cannot meet that budget; dynamodb-toolbox v2 is tree-shakeable but brings its own schema layer
 * and commands beside the DocumentClient calls the store already makes, for typing that plain types
 * give here. zod/mini schemas for items would cost bytes and a parse on every read of data this code
 * alone writes, so shapes are types; validation stays at the HTTP edge, where input comes from outside.
 *
 * The domain imports each module directly (`import * as wishes from ".../wish.js"`) rather than
 * through this barrel, so the bundler inlines the functions instead of building namespace objects.
 */
export * as branchTallies from "./branch-tally.js";
export * as branches from "./branch.js";
export * as certificates from "./certificate.js";
export * as claims from "./claim.js";
export * as communities from "./community.js";
export * as communityList from "./community-entry.js";
export * as communityTallies from "./community-tally.js";
export * as demoRegistry from "./demo-registry.js";
export * as events from "./event.js";
export * as idempotencyKeys from "./idempotency.js";
export * as ledger from "./ledger-entry.js";
export * as memberTallies from "./member-tally.js";
export * as menu from "./menu-item.js";
export * as monthStats from "./month-stats.js";
export * as newWishSubscribers from "./new-wish-subscriber.js";
export * as notifications from "./notification.js";
export * as otps from "./otp.js";
export * as outbox from "./outbox.js";
export * as phones from "./phone.js";
export * as preferences from "./preferences.js";
export * as rateLimits from "./rate-limit.js";
export * as residentsServed from "./resident-served.js";
export * as roles from "./role.js";
export * as rollups from "./rollup.js";
export * as sessions from "./session.js";
export * as unreadCounters from "./unread-counter.js";
export * as users from "./user.js";
export * as voices from "./voice.js";
export * as wishes from "./wish.js";

export type { Branch } from "./branch.js";
export type { Certificate, CertificateEntry, PublicCertificate } from "./certificate.js";
export type { Arrival, Claim, Departure } from "./claim.js";
export type { CommunityRecord } from "./community.js";
export type { WishEvent } from "./event.js";
export { addFigures, figureNames, figuresOf, monthField, type Figures } from "./figures.js";
export type { LedgerEntry } from "./ledger-entry.js";
export type { MemberTally } from "./member-tally.js";
export type { MenuItem } from "./menu-item.js";
export type { MonthCounts, MonthStats } from "./month-stats.js";
export type { Notification } from "./notification.js";
export type { PreferencesRecord } from "./preferences.js";
export type { Role } from "./role.js";
export type { UserRecord } from "./user.js";
export type { Voice } from "./voice.js";
export type { Audience, LatLng, Wish, WishFields } from "./wish.js";
