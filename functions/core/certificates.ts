import { randomInt } from "node:crypto";
import { getItem, putItem, queryAll, type Store } from "../store/client.js";
import * as certificates from "../store/entities/certificate.js";
import * as ledger from "../store/entities/ledger-entry.js";
import type { Certificate, LedgerEntry, PublicCertificate } from "../store/entities/index.js";
import { recordScope, within } from "./access.js";
import { fail } from "./errors.js";
import { mayReadHours } from "./hours.js";
import { hasRole, type Actor } from "./identity.js";
import { dayOf } from "./period.js";
import { page } from "./storage.js";

export type { Certificate, PublicCertificate } from "../store/entities/index.js";

/** The most entries one certificate lists; a longer record is certified over shorter ranges. */
export const maxEntries = 300;

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** `MW-20261122-7KQ9X3AB`: the day of issue and 40 random bits, so numbers cannot be guessed from one another. */
function newNumber(at: string) {
  const random = Array.from({ length: 8 }, () => crockford[randomInt(32)]).join("");
  return `MW-${dayOf(at).replaceAll("-", "")}-${random}`;
}
export const numberPattern = /^MW-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

/** The day a service counts on for a certificate's range: the day it started, China time (or was certified, without a check-in). */
export const serviceDay = (entry: LedgerEntry) => dayOf(entry.start ?? entry.verifiedAt);

/**
 * Issues a certificate of a member's verified hours in one community over a range of days, and
 * stores it, entries and all, so its number verifies exactly what was printed. The member may
 * ask for their own; staff for any member of their community.
 */
export async function issue(
  store: Store,
  actor: Actor,
  memberId: string,
  input: { communityId?: string; from: string; to: string },
): Promise<Certificate> {
  await mayReadHours(store, actor, memberId);
  const kept = (await queryAll(store, ledger.ofMember(memberId))).map(ledger.fromItem);
  const record = within(
    await recordScope(
      store,
      actor,
      memberId,
      kept.map((e) => e.communityId),
    ),
    kept,
  );
  const inRange = record.filter((e) => serviceDay(e) >= input.from && serviceDay(e) <= input.to);
  const communities = [...new Set(inRange.map((e) => e.communityId))];
  const communityId = input.communityId ?? (communities.length === 1 ? communities[0] : undefined);
  if (!communityId) {
    if (!communities.length) fail("certificate.invalid", `No verified hours between ${input.from} and ${input.to}.`, { field: "from" });
    fail("certificate.invalid", "These hours were served in several communities: say which one certifies them.", {
      field: "communityId",
      communityIds: communities,
    });
  }
  if (actor.id !== memberId && !actor.admin && !hasRole(actor, communityId!, "staff")) {
    fail("certificate.forbidden", "Only the member and staff of the community may issue this certificate.");
  }
  const entries = inRange
    .filter((e) => e.communityId === communityId)
    .sort((a, b) => serviceDay(a).localeCompare(serviceDay(b)) || ledger.serviceOf(a).localeCompare(ledger.serviceOf(b)));
  if (!entries.length)
    fail("certificate.invalid", `No verified hours in this community between ${input.from} and ${input.to}.`, { field: "from" });
  if (entries.length > maxEntries) {
    fail(
      "certificate.invalid",
      `${entries.length} services in this range; a certificate lists at most ${maxEntries}: choose a shorter range.`,
      { field: "to" },
    );
  }
  const at = new Date().toISOString();
  const number = newNumber(at);
  const certificate: Certificate = {
    number,
    memberId,
    memberName: entries.at(-1)!.memberName,
    communityId: communityId!,
    communityName: entries.at(-1)!.communityName,
    from: input.from,
    to: input.to,
    totalMinutes: entries.reduce((s, e) => s + e.minutes, 0),
    entries: entries.map((e) => ({
      kind: e.kind ?? "wish",
      wishId: e.wishId,
      activityId: e.activityId,
      day: serviceDay(e),
      content: e.content,
      category: e.category,
      place: e.place,
      branchName: e.branchName,
      start: e.start,
      end: e.end,
      minutes: e.minutes,
      signedByResident: Boolean(e.signedByResident),
      verifierName: e.verifierName,
      verifiedAt: e.verifiedAt,
    })),
    verifiers: [...new Set(entries.map((e) => e.verifierName))],
    issuedAt: at,
    issuedBy: { id: actor.id, name: actor.name },
  };
  // 40 random bits: a number met twice is a fault worth a 500, never a certificate overwritten.
  if (!(await putItem(store, certificates.create(certificate)))) throw new Error(`Certificate number ${number} exists already.`);
  return certificate;
}

async function find(store: Store, raw: string): Promise<Certificate> {
  const number = raw.trim().toUpperCase();
  const item = numberPattern.test(number) ? await getItem(store, certificates.key(number)) : undefined;
  if (!item) return fail("certificate.not_found", `No certificate has the number ${raw.slice(0, 40)}.`);
  return certificates.fromItem(item);
}

/** A certificate by its number, as anyone who holds the number sees it: nothing about the residents served nor anyone's id. */
export async function byNumber(store: Store, raw: string): Promise<PublicCertificate> {
  return certificates.presentPublic(await find(store, raw));
}

/**
 * A certificate by its number for whoever asks: whole for the member and staff of the issuing
 * community (and admins, who may issue it), the public view for everyone else, signed in or not.
 */
export async function read(store: Store, raw: string, actor?: Actor): Promise<Certificate | PublicCertificate> {
  const cert = await find(store, raw);
  const entitled = actor && (await recordScope(store, actor, cert.memberId, [cert.communityId])).covers(cert.communityId);
  return entitled ? certificates.present(cert) : certificates.presentPublic(cert);
}

/** A member's certificates, newest first, from the member index: number, range, hours, community. */
export async function ofMember(store: Store, actor: Actor, memberId: string, cursor?: string, limit = 20) {
  await mayReadHours(store, actor, memberId);
  const found = await page(store, certificates.ofMember(memberId, limit), cursor, certificates.fromItem);
  const scope = await recordScope(
    store,
    actor,
    memberId,
    found.items.map((c) => c.communityId),
  );
  return { items: within(scope, found.items).map(certificates.summary), cursor: found.cursor };
}
