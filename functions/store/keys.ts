/**
 * Every key of the table, gathered from the entity modules that build them, so the access
 * patterns in the README can be read off one page.
 */
import * as E from "./entities/index.js";

export const Keys = {
  community: E.communities.key,
  branch: E.branches.key,

  user: E.users.key,
  role: E.roles.key,
  rolePeople: E.roles.byCommunityKey,
  phone: E.phones.key,
  otp: E.otps.key,
  session: E.sessions.key,
  rate: E.rateLimits.key,

  wish: E.wishes.key,
  wishByStatus: E.wishes.byStatusKey,
  wishByOwner: E.wishes.byOwnerKey,
  wishByCommunity: E.wishes.byCommunityKey,
  claim: E.claims.key,
  claimByMember: E.claims.byMemberKey,
  event: E.events.key,

  menuItem: E.menu.key,

  voice: E.voices.key,
  voiceByStatus: E.voices.byStatusKey,
  voiceByAuthor: E.voices.byAuthorKey,
  voiceByCommunity: E.voices.byCommunityKey,

  ledger: E.ledger.key,
  ledgerByCommunity: E.ledger.byCommunityKey,
  memberTally: E.memberTallies.key,
  branchTally: E.branchTallies.key,
  communityTally: E.communityTallies.key,
  monthStats: E.monthStats.key,
  residentServed: E.residentsServed.key,
  certificate: E.certificates.key,
  certificateByMember: E.certificates.byMemberKey,

  notification: E.notifications.key,
  unread: E.unreadCounters.key,
  preferences: E.preferences.key,
  newWishSubscriber: E.newWishSubscribers.key,
  communityList: E.communityList.key,

  idempotency: E.idempotencyKeys.key,
  outbox: E.outbox.key,
  demo: E.demoRegistry.key,
} as const;
