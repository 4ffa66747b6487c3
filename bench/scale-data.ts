/**
 * The data of the scale benchmark: communities with two years of wishes, their volunteers'
 * claims and their month figures, as items of the table, built with the application's own key
 * builders in the shapes its transitions leave behind (functions/core/wish.ts, claims.ts,
 * hours.ts, tallies.ts). Deterministic: a community made from the same seed is the same, item
 * for item, whichever table it goes into, so the measured community can be put in a small
 * table and a large one alike.
 *
 * What is written is what the measured routes read, for every community alike: the wish items
 * (with all three index keys), the claims (with the member index key, check-in and check-out
 * records), the month stats and all-time tally of each community, the community with its
 * branches, and the volunteers' and staff's accounts with their roles. Left out, because none of
 * the three routes reads them: the timeline events under each wish, the ledger entries and the
 * member and branch tallies (read by the hours pages), residents' accounts and phone links, and
 * the markers of residents served (read only when a wish closes).
 */
import { ulid } from "ulid";
import type { Item } from "../functions/store/client.js";
import { Keys } from "../functions/store/keys.js";
import type { Status } from "../functions/core/model.js";
import { monthOf, periodsOf } from "../functions/core/period.js";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A small fast PRNG (mulberry32): the same seed gives the same community. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rng = ReturnType<typeof prng>;
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo);
const pick = <T>(rng: Rng, xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];

export interface CommunityPlan {
  seed: number;
  /** how many wishes the community posted over its history */
  wishes: number;
  members: number;
  residents: number;
  /** how many months back its history goes */
  months: number;
  /** the instant its history ends: the benchmark's "now" */
  now: number;
}

export interface Person {
  id: string;
  name: string;
  phone: string;
  branchId?: string;
}

export interface SeededCommunity {
  id: string;
  name: string;
  staff: Person;
  members: Person[];
  items: Item[];
  /** wishes by status */
  counts: Partial<Record<Status, number>>;
  wishes: Item[];
  claims: Item[];
  /** month stats items by month (`2026-11`) */
  months: Map<string, Item>;
}

const categories = ["errand", "carry", "repair", "elderly", "children", "health", "cleaning", "digital", "farming", "other"] as const;
const titles = [
  "厨房水龙头漏水",
  "代取降压药",
  "帮忙把旧衣柜搬下楼",
  "周末陪老人聊聊天",
  "教我用手机挂号",
  "楼道杂物清理",
  "更换楼道灯泡",
  "辅导孙子数学作业",
  "修理自行车",
  "陪同去医院复查",
];
const names = ["李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏", "徐刚", "孙悦", "马超"];
const here = { lat: 33.0676, lng: 107.0238 };

/**
 * How a community's wishes stand: the share of each status. About an eighth are open (posted in
 * the last weeks, waiting for volunteers); a few more are further along; the rest, older, ended.
 */
export function statusCounts(n: number): [Status, number][] {
  const recent: [Status, number][] = [
    ["open", 0.12],
    ["submitted", 0.02],
    ["claimed", 0.016],
    ["in_progress", 0.012],
    ["completed", 0.008],
    ["confirmed", 0.004],
  ];
  const ended: [Status, number][] = [
    ["rejected", 0.04],
    ["cancelled", 0.03],
    ["expired", 0.03],
  ];
  const out = [...recent, ...ended].map(([s, share]) => [s, Math.round(share * n)] as [Status, number]);
  const used = out.reduce((sum, [, k]) => sum + k, 0);
  return [...out, ["closed", n - used]];
}

const recentStatuses = new Set<Status>(["open", "submitted", "claimed", "in_progress", "completed", "confirmed"]);

/**
 * One community: a staff member, `members` volunteers in three branches (the first of them,
 * `members[0]`, claims about a third of the jobs: a volunteer with a long history), residents
 * who post wishes, and `wishes` wishes over `months` months, each in the state its status says,
 * with its claims. The month stats and the all-time tally are then added up from the wishes
 * exactly as the transitions would have moved them.
 */
export function makeCommunity(plan: CommunityPlan, label: string): SeededCommunity {
  const rng = prng(plan.seed);
  const id = (at: number) => ulid(Math.floor(at), rng);
  const founded = plan.now - plan.months * 30 * day - 30 * day;
  const communityId = id(founded);
  const name = `${label}社区`;
  const items: Item[] = [];
  const at = (t: number) => new Date(Math.floor(t)).toISOString();

  items.push({
    ...Keys.community(communityId),
    type: "community",
    id: communityId,
    name,
    settings: { fenceRadiusMeters: 300 },
    createdAt: at(founded),
  });
  items.push({ ...Keys.communityList(communityId), type: "community-entry", id: communityId, createdAt: at(founded) });
  const branches = ["第一支部", "第二支部", "青年志愿服务队"].map((b) => ({ id: id(founded), name: b }));
  for (const b of branches) items.push({ ...Keys.branch(communityId, b.id), type: "branch", communityId, ...b });

  const phone = (() => {
    let n = Math.floor(rng() * 1e6);
    return () => `+86139${String(n++ % 1e8).padStart(8, "0")}`;
  })();
  const account = (who: Person, roles: string[]) => {
    items.push({ ...Keys.user(who.id), type: "user", id: who.id, phone: who.phone, name: who.name, lang: "zh-CN", createdAt: at(founded) });
    items.push({
      ...Keys.role(who.id, communityId),
      ...Keys.rolePeople(communityId, who.id),
      type: "role",
      userId: who.id,
      communityId,
      name: who.name,
      roles,
      branchId: who.branchId,
    });
  };
  const staff: Person = { id: id(founded), name: "社区工作人员", phone: phone() };
  account(staff, ["staff"]);
  const members: Person[] = Array.from({ length: plan.members }, (_, i) => ({
    id: id(founded),
    name: `${names[i % names.length]}${i + 1}`,
    phone: phone(),
    branchId: branches[i % branches.length].id,
  }));
  for (const m of members) account(m, ["member"]);
  const residents = Array.from({ length: plan.residents }, (_, i) => ({ id: id(founded), name: `居民${i + 1}`, phone: phone() }));

  // Statuses in a shuffled order; recent ones get recent dates, ended ones dates spread over the history.
  const statuses = statusCounts(plan.wishes).flatMap(([s, k]) => Array.from({ length: k }, () => s));
  const historyStart = plan.now - plan.months * 30 * day;
  const wishes: Item[] = [];
  const claims: Item[] = [];
  for (const status of statuses) {
    const created = recentStatuses.has(status)
      ? between(rng, plan.now - 14 * day, plan.now - 2 * hour)
      : between(rng, historyStart, plan.now - 20 * day);
    const { wish, wishClaims } = makeWish(rng, {
      communityId,
      status,
      created,
      now: plan.now,
      staff,
      members,
      owner: pick(rng, residents),
      id: id(created),
    });
    wishes.push(wish);
    claims.push(...wishClaims);
  }
  items.push(...wishes, ...claims);

  const months = monthStats(communityId, wishes, claims);
  items.push(...months.values(), communityTally(communityId, wishes, claims));

  const counts: Partial<Record<Status, number>> = {};
  for (const w of wishes) counts[w.status as Status] = (counts[w.status as Status] ?? 0) + 1;
  return { id: communityId, name, staff, members, items, counts, wishes, claims, months };
}

interface WishPlan {
  communityId: string;
  status: Status;
  created: number;
  now: number;
  staff: Person;
  members: Person[];
  owner: Person;
  id: string;
}

/** Steps after `from`, each a random share of the time left before `now`, never past it. */
function clock(rng: Rng, from: number, now: number) {
  let t = from;
  return (lo: number, hi: number) => {
    const step = between(rng, lo, hi);
    t = Math.min(t + step, t + (now - t) * 0.3);
    return t;
  };
}

/**
 * A wish as its transitions leave it: the item `Wish.create` writes, with what approve, claim,
 * check-in, check-out, complete, confirm, verify, reject, cancel or expire each set on it, its
 * version moved once per transaction, and the claims the claim steps put beside it.
 */
export function makeWish(rng: Rng, p: WishPlan): { wish: Item; wishClaims: Item[] } {
  const at = (t: number) => new Date(Math.floor(t)).toISOString();
  const createdAt = at(p.created);
  const category = pick(rng, categories);
  const title = pick(rng, titles);
  const spot = { lat: here.lat + between(rng, -0.01, 0.01), lng: here.lng + between(rng, -0.01, 0.01) };
  const wish: Item = {
    ...Keys.wish(p.id),
    ...Keys.wishByStatus(p.communityId, p.status, createdAt, p.id),
    ...Keys.wishByOwner(p.owner.id, createdAt, p.id),
    ...Keys.wishByCommunity(p.communityId, createdAt, p.id),
    type: "wish",
    id: p.id,
    communityId: p.communityId,
    // A community with no unit above it is its own path (Units.communityPath).
    unitPath: [p.communityId],
    category,
    title,
    description: `${title}，想请志愿者帮忙。`,
    address: `幸福里${1 + Math.floor(rng() * 30)}号楼`,
    location: spot,
    ownerId: p.owner.id,
    ownerName: p.owner.name,
    contactPhone: p.owner.phone,
    status: p.status,
    version: 1,
    slots: 1,
    claimed: 0,
    handshakeCode: String(Math.floor(rng() * 10_000)).padStart(4, "0"),
    createdAt,
    updatedAt: createdAt,
  };
  const next = clock(rng, p.created, p.now);
  const step = (fields: Record<string, unknown>, t: number) => {
    Object.assign(wish, fields);
    wish.version += 1;
    wish.updatedAt = at(t);
  };
  if (p.status === "submitted") return { wish, wishClaims: [] };
  // Half the cancelled wishes are withdrawn before review, half after they opened.
  if (p.status === "rejected" || (p.status === "cancelled" && rng() < 0.5)) {
    const t = next(hour, 24 * hour);
    step(p.status === "rejected" ? { rejectReason: "不在服务范围内。" } : { cancelReason: "家人已经帮忙解决了。", cancelledAt: at(t) }, t);
    return { wish, wishClaims: [] };
  }

  const approved = next(hour, 12 * hour);
  const slots = rng() < 0.75 ? 1 : rng() < 0.7 ? 2 : 3;
  const deadline = p.status === "expired" ? approved + 7 * day : p.status === "open" ? Math.max(approved, p.now) + 30 * day : undefined;
  step(
    {
      slots,
      estimatedMinutes: pick(rng, [30, 60, 90, 120]),
      ...(deadline ? { deadline: at(deadline) } : {}),
      approvedAt: at(approved),
      approvedBy: p.staff.id,
    },
    approved,
  );
  if (p.status === "expired") {
    step({ expiredAt: at(deadline! + between(rng, 0, hour)) }, deadline! + between(rng, 0, hour));
    return { wish, wishClaims: [] };
  }
  if (p.status === "cancelled") {
    const t = next(hour, 48 * hour);
    step({ cancelReason: "家人已经帮忙解决了。", cancelledAt: at(t) }, t);
    return { wish, wishClaims: [] };
  }

  // Who comes: the community's first volunteer in about a third of the jobs, others at random.
  const open = p.status === "open";
  const taking = open ? (slots > 1 && rng() < 0.25 ? 1 : 0) : slots;
  const team: Person[] = [];
  if (taking && rng() < 0.35) team.push(p.members[0]);
  while (team.length < taking) {
    const m = pick(rng, p.members);
    if (!team.includes(m)) team.push(m);
  }
  const wishClaims: Item[] = [];
  for (const m of team) {
    const claimedAt = at(next(10 * minute, 24 * hour));
    const first = wishClaims.length === 0;
    wishClaims.push({
      ...Keys.claim(p.id, m.id),
      ...Keys.claimByMember(m.id, claimedAt, p.id),
      type: "claim",
      wishId: p.id,
      communityId: p.communityId,
      memberId: m.id,
      memberName: m.name,
      branchId: m.branchId,
      claimedAt,
    });
    const full = wishClaims.length === slots;
    step(
      { status: full ? "claimed" : "open", claimed: wishClaims.length, ...(first ? { firstClaimedAt: claimedAt } : {}) },
      Date.parse(claimedAt),
    );
  }
  wish.status = p.status;
  if (open || p.status === "claimed") return { wish, wishClaims };

  // At work: everyone checks in (the first starts the work), then out, with the resident's code.
  let first = true;
  for (const c of wishClaims) {
    const t = next(hour, 48 * hour);
    c.checkIn = { at: at(t), lat: spot.lat, lng: spot.lng, accuracy: 15, distanceMeters: Math.round(between(rng, 5, 120)) };
    step(first ? { startedAt: at(t) } : {}, t);
    first = false;
  }
  if (p.status === "in_progress") return { wish, wishClaims };
  for (const c of wishClaims) {
    const t = next(30 * minute, 180 * minute);
    c.checkOut = {
      at: at(t),
      lat: spot.lat,
      lng: spot.lng,
      accuracy: 15,
      distanceMeters: Math.round(between(rng, 5, 120)),
      signedByResident: true,
    };
    step({}, t);
  }
  const completed = next(minute, 30 * minute);
  step({ completedAt: at(completed), completionNote: "已完成。", completedBy: wishClaims[0].memberId }, completed);
  if (p.status === "completed") return { wish, wishClaims };
  const rating = rng() < 0.8 ? 5 : 4;
  const confirmed = next(hour, 48 * hour);
  step({ rating, comment: "谢谢志愿者！", confirmedBy: p.owner.id, confirmedAt: at(confirmed) }, confirmed);
  if (p.status === "confirmed") return { wish, wishClaims };
  const closed = next(hour, 72 * hour);
  const staffRating = rng() < 0.5 ? pick(rng, [4, 5]) : undefined;
  step({ closedAt: at(closed), verifiedBy: p.staff.id, verifierName: p.staff.name, ...(staffRating ? { staffRating } : {}) }, closed);
  return { wish, wishClaims };
}

/** Minutes credited at verification: check-out − check-in, as `Hours.measuredMinutes`. */
export const creditedMinutes = (claim: Item) =>
  Math.max(0, Math.floor((Date.parse(claim.checkOut.at) - Date.parse(claim.checkIn.at)) / minute));

const toClaimMinutes = (wish: Item) =>
  Math.max(0, Math.round((Date.parse(wish.firstClaimedAt) - Date.parse(wish.approvedAt ?? wish.createdAt)) / minute));
const toCloseMinutes = (wish: Item) => Math.max(0, Math.round((Date.parse(wish.closedAt) - Date.parse(wish.createdAt)) / minute));

/**
 * The month stats items of `tallies.monthStatsUpdate`, added up over the wishes: each counter in
 * the month of the step that moves it, durations appended for the medians, and a resident counted
 * as distinct in the first month a wish of theirs closed (`Hours.verify`).
 */
export function monthStats(communityId: string, wishes: Item[], claims: Item[]): Map<string, Item> {
  const months = new Map<string, Item>();
  const of = (t: string) => {
    const month = monthOf(t);
    let m = months.get(month);
    if (!m) months.set(month, (m = { ...Keys.monthStats(communityId, month), type: "month-stats", communityId, month }));
    return m;
  };
  const add = (t: string, k: string, n: number) => {
    if (!n) return;
    const m = of(t);
    m[k] = (m[k] ?? 0) + n;
  };
  const push = (t: string, k: string, v: number) => {
    const m = of(t);
    (m[k] ??= []).push(v);
  };
  const byWish = claimsByWish(claims);
  for (const w of wishes) {
    add(w.createdAt, "submitted", 1);
    if (w.approvedAt) add(w.approvedAt, "approved", 1);
    if (w.status === "rejected") add(w.updatedAt, "rejected", 1);
    if (w.cancelledAt) add(w.cancelledAt, "cancelled", 1);
    if (w.expiredAt) add(w.expiredAt, "expired", 1);
    if (w.firstClaimedAt) {
      add(w.firstClaimedAt, "claimed", 1);
      push(w.firstClaimedAt, "toClaim", toClaimMinutes(w));
    }
  }
  const served = new Map<string, Set<string>>();
  for (const w of closedInOrder(wishes)) {
    const periods = servedPeriods(w.closedAt);
    const seen = served.get(w.ownerId) ?? new Set<string>();
    const credited = (byWish.get(w.id) ?? []).map(creditedMinutes).filter((m) => m > 0);
    add(w.closedAt, "closed", 1);
    add(w.closedAt, "residentsServed", 1);
    add(w.closedAt, "distinctResidents", seen.has(periods[0]) ? 0 : 1);
    add(w.closedAt, "residentRatingSum", w.rating ?? 0);
    add(w.closedAt, "residentRatings", w.rating === undefined ? 0 : 1);
    add(w.closedAt, "staffRatingSum", w.staffRating ?? 0);
    add(w.closedAt, "staffRatings", w.staffRating === undefined ? 0 : 1);
    add(
      w.closedAt,
      "minutes",
      credited.reduce((a, b) => a + b, 0),
    );
    add(w.closedAt, "entries", credited.length);
    push(w.closedAt, "toClose", toCloseMinutes(w));
    for (const p of periods) seen.add(p);
    served.set(w.ownerId, seen);
  }
  return months;
}

/** The all-time tally `Hours.verify` moves beside the month stats. */
export function communityTally(communityId: string, wishes: Item[], claims: Item[]): Item {
  const tally: Item = { ...Keys.communityTally(communityId), type: "community-tally", communityId };
  const add = (k: string, n: number) => {
    if (n) tally[k] = (tally[k] ?? 0) + n;
  };
  const byWish = claimsByWish(claims);
  const served = new Map<string, Set<string>>();
  for (const w of closedInOrder(wishes)) {
    const credited = (byWish.get(w.id) ?? []).map(creditedMinutes).filter((m) => m > 0);
    add("closed", 1);
    add("residentsServed", 1);
    add(
      "totalMinutes",
      credited.reduce((a, b) => a + b, 0),
    );
    add("entries", credited.length);
    const seen = served.get(w.ownerId) ?? new Set<string>();
    const periods = servedPeriods(w.closedAt);
    for (const p of periods.slice(1)) if (!seen.has(p)) add(`${p}#distinctResidents`, 1);
    for (const p of periods) seen.add(p);
    served.set(w.ownerId, seen);
  }
  return tally;
}

function servedPeriods(at: string) {
  const { month, quarter, year } = periodsOf(at);
  return [month, quarter, year, "all"];
}

const closedInOrder = (wishes: Item[]) => wishes.filter((w) => w.status === "closed").sort((a, b) => a.closedAt.localeCompare(b.closedAt));

function claimsByWish(claims: Item[]) {
  const out = new Map<string, Item[]>();
  for (const c of claims) out.set(c.wishId, [...(out.get(c.wishId) ?? []), c]);
  return out;
}

/** What the stats route should answer a staff member for `month`, added up from the wishes themselves. */
export function expectedMonth(c: SeededCommunity, month: string) {
  const closed = c.wishes.filter((w) => w.status === "closed" && monthOf(w.closedAt) === month);
  const byWish = claimsByWish(c.claims);
  const credited = closed.flatMap((w) => (byWish.get(w.id) ?? []).map(creditedMinutes).filter((m) => m > 0));
  const minutes = credited.reduce((a, b) => a + b, 0);
  return {
    activities: closed.length,
    personTimes: credited.length,
    hours: Math.round(minutes / 6) / 10,
    submitted: c.wishes.filter((w) => monthOf(w.createdAt) === month).length,
    approved: c.wishes.filter((w) => w.approvedAt && monthOf(w.approvedAt) === month).length,
  };
}

/** The member's claims as `/api/me/tasks` lists them: newest first (`CL#<claimedAt>#<wish>` descending). */
export function expectedTasks(c: SeededCommunity, memberId: string) {
  return c.claims
    .filter((x) => x.memberId === memberId)
    .sort((a, b) => b.gsi2sk.localeCompare(a.gsi2sk))
    .map((x) => x.wishId as string);
}

/** The open wishes as `GET /api/wishes?status=open` lists them: oldest first. */
export function expectedOpen(c: SeededCommunity) {
  return c.wishes
    .filter((w) => w.status === "open")
    .sort((a, b) => a.gsi1sk.localeCompare(b.gsi1sk))
    .map((w) => w.id as string);
}
