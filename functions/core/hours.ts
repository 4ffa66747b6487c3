import { getItem, queryAll, type Store, type TransactItem } from "../store/client.js";
import { addFigures } from "../store/entities/figures.js";
import * as branchTallies from "../store/entities/branch-tally.js";
import * as claimItems from "../store/entities/claim.js";
import * as communityTallies from "../store/entities/community-tally.js";
import * as events from "../store/entities/event.js";
import * as ledger from "../store/entities/ledger-entry.js";
import * as memberTallies from "../store/entities/member-tally.js";
import * as monthStats from "../store/entities/month-stats.js";
import * as residentsServed from "../store/entities/resident-served.js";
import * as roles from "../store/entities/role.js";
import * as wishes from "../store/entities/wish.js";
import type { Claim, Figures, Wish, WishEvent } from "../store/entities/index.js";
import * as Community from "./community.js";
import { recordScope, within } from "./access.js";
import { fail } from "./errors.js";
import { hasRole, type Actor } from "./identity.js";
import { monthOf, periodsOf } from "./period.js";
import { hoursSettingsOf } from "./settings.js";
import { write } from "./storage.js";
import { authorize, changedMeanwhile, eventItem, wishUpdate } from "./wish.js";

/** DynamoDB's limit on the items of one transaction. */
export const transactionLimit = 100;
/** The most minutes one volunteer may be credited for one wish, measured or given: a day. */
export const maxMinutes = 24 * 60;
/**
 * Items every transaction of a close carries besides the volunteers' own: the first has the
 * wish, its event, the month stats, the community tally and room for the resident's marker;
 * each later one the wish (its progress), the month stats and the community tally.
 */
const firstOverhead = 5;
const laterOverhead = 3;

export function measuredMinutes(claim: Claim): number | undefined {
  if (!claim.checkIn?.at || !claim.checkOut?.at) return undefined;
  return Math.max(0, Math.floor((Date.parse(claim.checkOut.at) - Date.parse(claim.checkIn.at)) / 60_000));
}

export interface VerifyInput {
  minutes?: Record<string, number>;
  reason?: string;
  /** staff's rating of the team's work, 1–5: the rankings' "staff rating" */
  staffRating?: number;
  /** how many people the wish served, by staff's count; the resident who posted it when not given */
  peopleServed?: number;
}

interface Credit {
  claim: Claim;
  minutes: number;
  measured?: number;
  given: boolean;
}

/**
 * Staff closes a confirmed wish and credits each volunteer: the measured minutes
 * (check-out − check-in), or staff's figure with a reason kept in the event. A volunteer
 * with neither gets no entry. Ledger entries, the member, branch and community tallies and
 * the month's stats move in the transaction that closes the wish. A team too large for one
 * transaction (DynamoDB takes 100 items) closes in that first transaction with as many
 * volunteers as fit, and the rest follow in transactions of their own, each moving its
 * entries and their tallies together and advancing the wish's `crediting` marker under a
 * condition, so that a retry or a second caller can neither skip nor repeat one.
 */
export async function verify(store: Store, actor: Actor, id: string, input: VerifyInput, now = new Date()): Promise<Wish> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { wish, claims } = await loadForVerify(store, id);
    if (wish.status === "closed" && wish.crediting) {
      if (!hasRole(actor, wish.communityId, "staff")) fail("wish.forbidden", "Only staff may verify this wish.");
      await resumeCrediting(store, id);
      return { ...wish, crediting: undefined };
    }
    authorize(actor, wish, "verify");
    const credits = decide(claims, input);
    const community = await Community.fromId(store, wish.communityId);
    const at = now.toISOString();
    const month = monthOf(at);
    const sizes = plan(credits);
    const resident = await getItem(store, residentsServed.key(wish.communityId, wish.ownerId));
    const seen = residentsServed.periodsOf(resident, servedPeriods(at));
    const newPeriods = servedPeriods(at).filter((p) => !seen.includes(p));
    const rating = typeof wish.rating === "number" ? wish.rating : undefined;

    const fields = {
      closedAt: at,
      verifiedBy: actor.id,
      verifierName: actor.name,
      staffRating: input.staffRating,
      crediting: sizes.length > 1 ? { chunks: sizes, done: 1 } : undefined,
    };
    const data = {
      credits: credits.map((c) => ({ memberId: c.claim.memberId, minutes: c.minutes, measuredMinutes: c.measured ?? null })),
      reason: input.reason,
      adjusted: credits.filter((c) => c.given).map((c) => c.claim.memberId),
      staffRating: input.staffRating,
      peopleServed: input.peopleServed,
    };
    const closed: Wish = { ...wish, ...fields, status: "closed" };
    const context = { wish: closed, community, verifier: { id: actor.id, name: actor.name }, reason: input.reason, at, month };
    const first = chunkItems(context, credits.slice(0, sizes[0]));
    const items: TransactItem[] = [
      wishUpdate(wish, "closed", at, fields),
      eventItem(wish, actor, "verify", "closed", at, { note: input.reason, data }),
      monthStats.add(
        wish.communityId,
        month,
        {
          closed: 1,
          residentsServed: input.peopleServed ?? 1,
          distinctResidents: newPeriods.includes(month) ? 1 : 0,
          residentRatingSum: rating ?? 0,
          residentRatings: rating === undefined ? 0 : 1,
          staffRatingSum: input.staffRating ?? 0,
          staffRatings: input.staffRating === undefined ? 0 : 1,
          ...first.totals,
        },
        { toClose: Math.max(0, Math.round((Date.parse(at) - Date.parse(wish.createdAt)) / 60_000)) },
      ),
      communityTallies.add(wish.communityId, {
        closed: 1,
        residentsServed: input.peopleServed ?? 1,
        totalMinutes: first.totals.minutes ?? 0,
        entries: first.totals.entries ?? 0,
        ...Object.fromEntries(newPeriods.filter((p) => p !== month).map((p) => [`${p}#distinctResidents`, 1])),
      }),
    ];
    const markerAt = items.length;
    if (newPeriods.length) items.push(residentsServed.mark(wish.communityId, wish.ownerId, newPeriods, at));
    items.push(...first.items);

    const outcome = await write(store, items);
    if (!outcome.ok) {
      // Another close counted this resident meanwhile: read again and count them no more.
      if (newPeriods.length && outcome.failed.some((f) => f.index === markerAt)) continue;
      await changedMeanwhile(store, id);
    }
    if (sizes.length > 1) await resumeCrediting(store, id);
    return { ...closed, crediting: undefined, version: wish.version + 1, updatedAt: at };
  }
  return fail("wish.busy", "Many wishes of this resident closed at the same moment; try again.");
}

/** The wish, its claims (in member id order) and its timeline, for a close and for its resumption. */
async function loadForVerify(store: Store, id: string): Promise<{ wish: Wish; claims: Claim[]; events: WishEvent[] }> {
  const items = await queryAll(store, wishes.partition(id));
  const head = items.find(wishes.isWish) ?? fail("wish.not_found", `No wish ${id} that you can see.`);
  const claims = items
    .filter(claimItems.isClaim)
    .map(claimItems.fromItem)
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
  return { wish: wishes.fromItem(head), claims, events: items.filter(events.isEvent).map(events.fromItem) };
}

/** Who gets what: staff's figure where given, else the measured minutes, else nothing. */
function decide(claims: Claim[], input: VerifyInput): Credit[] {
  const given = input.minutes ?? {};
  const strangers = Object.keys(given).filter((m) => !claims.some((c) => c.memberId === m));
  if (strangers.length)
    fail("hours.invalid", `No claim on this wish for: ${strangers.join(", ")}.`, { field: "minutes", memberIds: strangers });
  if (Object.keys(given).length && !input.reason?.trim()) {
    fail("hours.invalid", "Give a reason when you set the minutes yourself.", { field: "reason" });
  }
  return claims.map((claim) => {
    const measured = measuredMinutes(claim);
    const own = given[claim.memberId];
    if (own === undefined && measured !== undefined && measured > maxMinutes) {
      fail(
        "hours.invalid",
        `${claim.memberName} checked out ${measured} minutes after checking in, more than a day: give the minutes yourself, with a reason.`,
        {
          field: `minutes.${claim.memberId}`,
          memberId: claim.memberId,
          measuredMinutes: measured,
        },
      );
    }
    return { claim, measured, minutes: own ?? measured ?? 0, given: own !== undefined };
  });
}

/** The periods a close counts a resident in, for "distinct residents served". */
function servedPeriods(at: string) {
  const { month, quarter, year } = periodsOf(at);
  return [month, quarter, year, "all"];
}

/**
 * Splits the volunteers (in member id order) into transactions that fit: a credited volunteer
 * costs two items (entry and tally), an uncredited one one (the tally's unfinished count), and
 * each branch met in a transaction one more.
 */
export function plan(credits: Credit[]): number[] {
  const sizes: number[] = [];
  let size = 0;
  let cost = firstOverhead;
  let branches = new Set<string>();
  for (const c of credits) {
    const own = c.minutes > 0 ? 2 : 1;
    const branch = c.claim.branchId && !branches.has(c.claim.branchId) ? 1 : 0;
    if (size > 0 && cost + own + branch > transactionLimit) {
      sizes.push(size);
      size = 0;
      cost = laterOverhead;
      branches = new Set();
    }
    size++;
    cost += own + (c.claim.branchId && !branches.has(c.claim.branchId) ? 1 : 0);
    if (c.claim.branchId) branches.add(c.claim.branchId);
  }
  sizes.push(size);
  return sizes;
}

interface CloseContext {
  wish: Wish;
  community: Community.Community;
  verifier: { id: string; name: string };
  reason?: string;
  at: string;
  month: string;
}

/** The ledger entries and tally moves of some of a wish's volunteers, and what they add to the community. */
function chunkItems(ctx: CloseContext, credits: Credit[]) {
  const { wish, community, at, month } = ctx;
  const settings = hoursSettingsOf(community);
  const branchName = new Map(community.branches.map((b) => [b.id, b.name]));
  const opened = Date.parse(wish.approvedAt ?? wish.createdAt);
  const rating = typeof wish.rating === "number" ? wish.rating : undefined;
  const items: TransactItem[] = [];
  const byBranch = new Map<string, Figures>();
  let totals: Figures = {};
  for (const { claim, minutes, measured, given } of credits) {
    let figures: Figures;
    if (minutes > 0) {
      const onTime = Date.parse(claim.claimedAt) - opened <= settings.onTimeClaimHours * 3_600_000;
      figures = {
        minutes,
        entries: 1,
        onTime: onTime ? 1 : 0,
        residentRatingSum: rating ?? 0,
        residentRatings: rating === undefined ? 0 : 1,
        staffRatingSum: wish.staffRating ?? 0,
        staffRatings: wish.staffRating === undefined ? 0 : 1,
      };
      items.push(
        ledger.create({
          kind: "wish",
          memberId: claim.memberId,
          memberName: claim.memberName,
          communityId: wish.communityId,
          communityName: community.name,
          branchId: claim.branchId,
          branchName: claim.branchId ? branchName.get(claim.branchId) : undefined,
          wishId: wish.id,
          category: wish.category,
          content: wish.title,
          place: wish.address,
          location: wish.location,
          start: claim.checkIn?.at,
          end: claim.checkOut?.at,
          minutes,
          measuredMinutes: measured,
          reason: given ? ctx.reason : undefined,
          signedByResident: Boolean(claim.checkOut?.signedByResident),
          claimedAt: claim.claimedAt,
          onTime,
          residentRating: rating,
          staffRating: wish.staffRating,
          verifierId: ctx.verifier.id,
          verifierName: ctx.verifier.name,
          verifiedAt: at,
          month,
        }),
      );
      totals = addFigures(totals, { minutes, entries: 1 });
    } else {
      figures = { unfinished: 1 };
    }
    items.push(memberTallies.add(claim, month, figures));
    if (claim.branchId) byBranch.set(claim.branchId, addFigures(byBranch.get(claim.branchId) ?? {}, figures));
  }
  for (const [branchId, figures] of byBranch) {
    items.push(branchTallies.add(wish.communityId, branchId, month, figures));
  }
  return { items, totals };
}

/**
 * Credits the volunteers a close left for later transactions, from where it stopped. Safe to
 * call again at any time, from anywhere: each step names the progress it expects.
 */
export async function resumeCrediting(store: Store, id: string) {
  for (let guard = 0; guard < 1000; guard++) {
    const { wish, claims, events } = await loadForVerify(store, id);
    if (!wish.crediting) return;
    const { chunks, done } = wish.crediting;
    const verifyEvent = events.filter((e) => e.kind === "verify").at(-1)!;
    const decided = new Map<string, { minutes: number; measuredMinutes: number | null }>(
      ((verifyEvent.data?.credits ?? []) as { memberId: string; minutes: number; measuredMinutes: number | null }[]).map((c) => [
        c.memberId,
        c,
      ]),
    );
    const adjusted = new Set<string>(verifyEvent.data?.adjusted ?? []);
    const credits: Credit[] = claims.map((claim) => {
      const c = decided.get(claim.memberId)!;
      return { claim, minutes: c.minutes, measured: c.measuredMinutes ?? undefined, given: adjusted.has(claim.memberId) };
    });
    const start = chunks.slice(0, done).reduce((a, b) => a + b, 0);
    const community = await Community.fromId(store, wish.communityId);
    const at = wish.closedAt as string;
    const month = monthOf(at);
    const verifier = { id: wish.verifiedBy!, name: wish.verifierName! };
    const ctx = { wish, community, verifier, reason: verifyEvent.data?.reason, at, month };
    const chunk = chunkItems(ctx, credits.slice(start, start + chunks[done]));
    const last = done + 1 === chunks.length;
    // Not committed means another caller moved on meanwhile: the next round reads where it stopped.
    await write(store, [
      wishes.creditingStep(id, done, last),
      monthStats.add(wish.communityId, month, chunk.totals),
      communityTallies.add(wish.communityId, { totalMinutes: chunk.totals.minutes ?? 0, entries: chunk.totals.entries ?? 0 }),
      ...chunk.items,
    ]);
  }
}

/**
 * A member's totals and ledger; readable by the member and by staff of a community they serve,
 * who see only what their own communities recorded.
 * One query on the member's partition: the entries (`HL#`) and a tally per community (`HT#`).
 */
export async function memberHours(store: Store, actor: Actor, memberId: string) {
  await mayReadHours(store, actor, memberId);
  const items = await queryAll(store, ledger.withTallies(memberId));
  const allTallies = items.filter(memberTallies.isMemberTally).map(memberTallies.fromItem);
  const scope = await recordScope(
    store,
    actor,
    memberId,
    allTallies.map((t) => t.communityId),
  );
  const tallies = within(scope, allTallies);
  const entries = within(scope, items.filter(ledger.isEntry).map(ledger.fromItem))
    .map(ledger.present)
    .sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt));
  return {
    memberId,
    totalMinutes: tallies.reduce((sum, t) => sum + (t.totalMinutes ?? 0), 0),
    communities: tallies.map((t) => ({ communityId: t.communityId, totalMinutes: t.totalMinutes ?? 0, entries: t.entries ?? 0 })),
    entries,
  };
}

export const presentEntry = ledger.present;

export async function mayReadHours(store: Store, actor: Actor, memberId: string) {
  if (actor.id === memberId || actor.admin) return;
  const communities = actor.communities.filter((m) => m.roles.includes("staff")).map((m) => m.communityId);
  const held = await Promise.all(communities.map((c) => getItem(store, roles.key(memberId, c))));
  if (!held.some((r) => r && roles.fromItem(r).roles?.includes("member"))) {
    fail("hours.forbidden", "Only the member and staff of their community may see these hours.");
  }
}
