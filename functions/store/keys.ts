/**
 * Every key of the table is built here, so the access patterns in the README
 * can be read off one module.
 */
export const Keys = {
  community: (id: string) => ({ pk: `C#${id}`, sk: "C" }),
  branch: (communityId: string, id: string) => ({ pk: `C#${communityId}`, sk: `B#${id}` }),

  user: (id: string) => ({ pk: `U#${id}`, sk: "U" }),
  /** one item per community a person holds roles in */
  role: (userId: string, communityId: string) => ({ pk: `U#${userId}`, sk: `R#${communityId}` }),
  rolePeople: (communityId: string, userId: string) => ({ gsi3pk: `C#${communityId}#U`, gsi3sk: userId }),
  phone: (phone: string) => ({ pk: `P#${phone}`, sk: "P" }),
  otp: (phone: string) => ({ pk: `P#${phone}`, sk: "OTP" }),
  rate: (bucket: string, window: string) => ({ pk: `RL#${bucket}`, sk: window }),

  wish: (id: string) => ({ pk: `W#${id}`, sk: "W" }),
  wishByStatus: (communityId: string, status: string, createdAt: string, id: string) => ({
    gsi1pk: `C#${communityId}#S#${status}`,
    gsi1sk: `${createdAt}#${id}`,
  }),
  wishByOwner: (ownerId: string, createdAt: string, id: string) => ({ gsi2pk: `U#${ownerId}`, gsi2sk: `W#${createdAt}#${id}` }),
  wishByCommunity: (communityId: string, createdAt: string, id: string) => ({
    gsi3pk: `C#${communityId}#W`,
    gsi3sk: `${createdAt}#${id}`,
  }),
  /** only active claims exist; a released or declined claim is deleted and lives on in the timeline */
  claim: (wishId: string, memberId: string) => ({ pk: `W#${wishId}`, sk: `CL#${memberId}` }),
  claimByMember: (memberId: string, claimedAt: string, wishId: string) => ({
    gsi2pk: `U#${memberId}`,
    gsi2sk: `CL#${claimedAt}#${wishId}`,
  }),
  event: (wishId: string, eventId: string) => ({ pk: `W#${wishId}`, sk: `E#${eventId}` }),

  ledger: (memberId: string, wishId: string) => ({ pk: `U#${memberId}`, sk: `HL#${wishId}` }),
  /** the ledger of a community in order of verification, for its CSV export */
  ledgerByCommunity: (communityId: string, verifiedAt: string, wishId: string, memberId: string) => ({
    gsi3pk: `C#${communityId}#L`,
    gsi3sk: `${verifiedAt}#${wishId}#${memberId}`,
  }),
  /** a member's hours in one community: all time, and per month in attributes `<YYYY-MM>#<figure>` */
  memberTally: (memberId: string, communityId: string) => ({ pk: `U#${memberId}`, sk: `HT#${communityId}` }),
  /** a community's figures: branch tallies, the all-time tally, month stats, residents served */
  branchTally: (communityId: string, branchId: string) => ({ pk: `CT#${communityId}`, sk: `B#${branchId}` }),
  communityTally: (communityId: string) => ({ pk: `CT#${communityId}`, sk: "C" }),
  monthStats: (communityId: string, month: string) => ({ pk: `CT#${communityId}`, sk: `S#${month}` }),
  /** which periods a resident has been served in, so "distinct residents" counts each once */
  residentServed: (communityId: string, residentId: string) => ({ pk: `CT#${communityId}`, sk: `R#${residentId}` }),
  certificate: (number: string) => ({ pk: `CERT#${number}`, sk: "CERT" }),
  certificateByMember: (memberId: string, issuedAt: string, number: string) => ({ gsi2pk: `U#${memberId}`, gsi2sk: `CE#${issuedAt}#${number}` }),

  /** in-app notification: one per recipient per event, so a replayed event writes nothing new */
  notification: (userId: string, eventId: string) => ({ pk: `U#${userId}`, sk: `N#${eventId}` }),
  /** the unread counter, moved in the same transaction as each notification and each read mark */
  unread: (userId: string) => ({ pk: `U#${userId}`, sk: "NC" }),
  preferences: (userId: string) => ({ pk: `U#${userId}`, sk: "PREF" }),
  /** every community, for the scheduled jobs: one partition, read page by page */
  communityList: (id: string) => ({ pk: "COMMUNITIES", sk: id }),

  idempotency: (userId: string, key: string) => ({ pk: `IK#${userId}`, sk: key }),
  outbox: (to: string, id: string) => ({ pk: `OUT#${to}`, sk: id }),
} as const;

export const Prefix = { branch: "B#", claim: "CL#", event: "E#", role: "R#", ledger: "HL#", ownWish: "W#", notification: "N#" } as const;
