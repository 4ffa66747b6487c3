import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { ulid } from "ulid";
import type { Notifier } from "../notify/notifier.js";
import { renderSms } from "../notify/templates.js";
import { deleteItem, getItem, putItem, queryAll, updateItem, type Store } from "../store/client.js";
import * as otps from "../store/entities/otp.js";
import * as phones from "../store/entities/phone.js";
import * as rateLimits from "../store/entities/rate-limit.js";
import * as roles from "../store/entities/role.js";
import * as units from "../store/entities/unit.js";
import type { UnitKind } from "../store/entities/unit.js";
import * as users from "../store/entities/user.js";
import type { UserRecord } from "../store/entities/index.js";
import { fail } from "./errors.js";
import { signToken, TokenError, verifyToken } from "./jwt.js";
import { tidy, type Role } from "./model.js";
import { countryOf, smsRulesFrom, type SmsRules } from "./sms.js";
import { write } from "./storage.js";

export const codeTtlSeconds = 5 * 60;
export const codeTries = 5;
/** Access tokens are short: a session lasts through its refresh token (core/sessions.ts). */
export const tokenTtlSeconds = 3600;

/**
 * Limits on asking for codes. A code belongs to the phone and the client address that asked for it,
 * so the tight limits are per pair: another client's requests never use up the owner's. The phone's
 * own cap bounds the texts anyone can make a number receive; the address's, what one client can send.
 */
export const otpLimits = [
  { scope: "pair", windowSeconds: 60, max: 1 },
  { scope: "pair", windowSeconds: 3600, max: 5 },
  { scope: "phone", windowSeconds: 3600, max: 10 },
  { scope: "client", windowSeconds: 3600, max: 30 },
] as const;

const defaultSms = smsRulesFrom();

export interface User {
  id: string;
  phone: string;
  name: string;
  lang: "zh-CN" | "en";
  /** where the person lives, for those who come to help; their own to give */
  address?: string;
  /** what the person can do for others, from the skill catalogue or in their own words */
  skills?: string[];
}

export interface Membership {
  communityId: string;
  roles: Role[];
  branchId?: string;
}

/** Staff of a county, street or grid (or a grid's leader), with the unit's place in the tree. */
export interface UnitMembership {
  unitId: string;
  kind: UnitKind;
  path: string[];
  roles: ("staff" | "leader")[];
}

/** The signed-in person with what they may do, read from the table on each request. */
export interface Actor extends User {
  /** whether the person has a name of their own rather than the placeholder made from their number */
  named: boolean;
  admin: boolean;
  communities: Membership[];
  units: UnitMembership[];
}

export function rolesIn(actor: Actor, communityId: string): Role[] {
  return actor.communities.find((m) => m.communityId === communityId)?.roles ?? [];
}

export function hasRole(actor: Actor, communityId: string, role: Role): boolean {
  return rolesIn(actor, communityId).includes(role) || (role === "staff" && actor.admin);
}

/**
 * Accepts a mainland mobile number (13800138000, with or without +86, spaces or dashes)
 * or any E.164 number, and returns E.164. Anything else is refused.
 */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.replace(/[\s-]/g, "");
  if (/^1[3-9]\d{9}$/.test(s)) return `+86${s}`;
  if (/^\+861[3-9]\d{9}$/.test(s)) return s;
  if (/^\+86/.test(s)) return undefined;
  if (/^\+[1-9]\d{7,14}$/.test(s)) return s;
  return undefined;
}

export function maskPhone(phone: string): string {
  const local = phone.startsWith("+86") ? phone.slice(3) : phone;
  return local.length > 7 ? `${local.slice(0, 3)}****${local.slice(-4)}` : "****";
}

function codeHash(secret: string, phone: string, code: string) {
  return createHmac("sha256", secret).update(`${phone}:${code}`).digest("hex");
}

/**
 * The address a client is counted and known by. An IPv6 client holds a whole /64 (its addresses
 * rotate within it, and anyone can pick any of them), so it is known by that prefix; an IPv4
 * address seen through an IPv6 socket is the IPv4 address.
 */
export function clientAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(":")) return address;
  const [head, tail = ""] = address.toLowerCase().split("%")[0].split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  const prefix = groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ""));
  return `${prefix.join(":")}::/64`;
}

/** A client as stored: a keyed hash of its address, so the table holds no one's address. */
function clientId(secret: string, client: string) {
  const mac = createHmac("sha256", secret).update(`client:${clientAddress(client)}`);
  return mac.digest("hex").slice(0, 20);
}

/**
 * Counts one code asked for in every window at once: one transaction of conditional counters, so
 * either every window has room and all move, or none moves and the answer says how long to wait
 * (the longest of the full windows). Each window's item expires with it (TTL).
 */
async function countHits(store: Store, phone: string, client: string, country: { prefix: string; perHour: number }, now: number) {
  const nowS = Math.floor(now / 1000);
  const limits = [...otpLimits, { scope: "country", windowSeconds: 3600, max: country.perHour } as const];
  const windows = limits.map((limit) => {
    const start = Math.floor(nowS / limit.windowSeconds) * limit.windowSeconds;
    const window = `${limit.windowSeconds}#${start}`;
    const key =
      limit.scope === "pair"
        ? rateLimits.key(`otp#${phone}`, `${client}#${window}`)
        : limit.scope === "phone"
          ? rateLimits.key(`otp#${phone}`, window)
          : limit.scope === "client"
            ? rateLimits.key(`otp-client#${client}`, window)
            : rateLimits.key(`otp-country#${country.prefix}`, window);
    return { ...limit, start, key };
  });
  const outcome = await write(
    store,
    windows.map((w) => rateLimits.hit(w.key, w.max, w.start + w.windowSeconds + 60)),
  );
  if (outcome.ok) return;
  const full = outcome.failed.map(({ index }) => windows[index]);
  const retryAfter = Math.max(...full.map((w) => w.start + w.windowSeconds - nowS));
  const scopes = new Set(full.map((w) => w.scope));
  const what =
    scopes.has("pair") || scopes.has("phone") ? "this number" : scopes.has("client") ? "this device" : `numbers in +${country.prefix}`;
  fail("auth.rate_limited", `Too many codes asked for ${what}; try again in ${retryAfter} s.`, { retryAfter });
}

/**
 * Sends a 6-digit sign-in code by SMS, to the countries the deployment serves; only its hash is
 * stored, for 5 minutes, under the phone and the client that asked.
 */
export async function requestCode(
  store: Store,
  notifier: Notifier,
  secret: string,
  input: { phone: string; client: string; now?: number; sms?: SmsRules },
) {
  const now = input.now ?? Date.now();
  const country = countryOf(input.sms ?? defaultSms, input.phone);
  if (!country) {
    const served = (input.sms ?? defaultSms).countries.map((c) => `+${c.prefix}`).join(", ");
    return fail("auth.country_not_served", `Sign-in codes are sent only to numbers in ${served}; ${input.phone} is not one of them.`, {
      field: "phone",
      countries: served.split(", "),
    });
  }
  const client = clientId(secret, input.client);
  await countHits(store, input.phone, client, country, now);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const hash = codeHash(secret, input.phone, code);
  await putItem(store, otps.put(input.phone, client, { hash, tries: 0, expiresAt: Math.floor(now / 1000) + codeTtlSeconds }));
  const { text, template } = renderSms("sign-in", "zh-CN", { code });
  await notifier.send({ to: input.phone, channel: "sms", kind: "sign-in", text, template });
  return { expiresInSeconds: codeTtlSeconds };
}

/**
 * Checks a code against the one this client asked for: guesses from elsewhere never reach it. Each
 * try is counted before the code is compared, in one conditional write (`tries < 5`, not expired):
 * however many guesses arrive at once, at most five are ever compared with one code, and after the
 * fifth even the right code is refused. A right code is used up at once.
 */
export async function redeemCode(store: Store, secret: string, input: { phone: string; code: string; client: string; now?: number }) {
  const nowS = Math.floor((input.now ?? Date.now()) / 1000);
  const client = clientId(secret, input.client);
  const counted = await updateItem(store, otps.countTry(input.phone, client, nowS, codeTries));
  if (!counted.ok) {
    const old = await getItem(store, otps.key(input.phone, client));
    if (!old || otps.fromItem(old).expiresAt <= nowS) {
      fail(
        "auth.code_expired",
        "No live code was asked for this number from this network (a code lasts 5 minutes and works where it was asked for): " +
          "ask for a new one.",
      );
    }
    return fail("auth.locked", "Too many wrong codes: ask for a new one.");
  }
  const otp = otps.fromItem(counted.item);
  const given = Buffer.from(codeHash(secret, input.phone, input.code));
  if (!timingSafeEqual(given, Buffer.from(otp.hash))) {
    const left = codeTries - otp.tries;
    fail("auth.wrong_code", left > 0 ? `Wrong code: ${left} tries left.` : "Wrong code: ask for a new one.", { triesLeft: left });
  }
  if (!(await deleteItem(store, otps.useUp(input.phone, client, otp.hash)))) fail("auth.code_expired", "This code was used already.");
  return findOrCreateUser(store, { phone: input.phone });
}

/** What a person is called until they say: 居民 and the last four digits of their number. */
export const placeholderName = (phone: string | undefined) => `居民${(phone ?? "").slice(-4)}`;

/** Whether the person has said what they are called: someone whose record has no phone has a name given by staff. */
export function hasChosenName(user: Pick<User, "name"> & { phone?: string }): boolean {
  return Boolean(user.name) && user.name !== placeholderName(user.phone);
}

export async function findOrCreateUser(store: Store, input: { phone: string; name?: string; id?: string }): Promise<User> {
  const link = await getItem(store, phones.key(input.phone));
  if (link) return userOf(users.fromItem((await getItem(store, users.key(phones.fromItem(link).userId)))!));
  const user: User = {
    id: input.id ?? ulid(),
    phone: input.phone,
    name: input.name ?? placeholderName(input.phone),
    lang: "zh-CN",
  };
  const at = new Date().toISOString();
  const outcome = await write(store, [users.create({ ...user, createdAt: at }), phones.create({ phone: user.phone, userId: user.id })]);
  // The same phone signed up at the same moment: the account that won is theirs.
  if (!outcome.ok) return findOrCreateUser(store, { phone: input.phone });
  return user;
}

const userOf = ({ id, phone, name, lang, address, skills }: UserRecord): User => ({
  id,
  phone,
  name,
  lang: lang ?? "zh-CN",
  address,
  skills,
});

export interface Profile {
  name?: string;
  address?: string;
  skills?: string[];
}

/**
 * Sets what the person says about themselves; fields not given stay as they are. A new name also
 * goes to their role in each community, where the community's lists read it, in the same write.
 * Skills are kept once each (functions/core/model.ts, `tidy`).
 */
export async function setProfile(store: Store, actor: Actor, input: Profile): Promise<Actor> {
  const changes = { name: input.name, address: input.address, skills: input.skills && tidy(input.skills) };
  if (changes.name === undefined && changes.address === undefined && changes.skills === undefined) return actor;
  const renamed = changes.name !== undefined && changes.name !== actor.name;
  const outcome = await write(store, [
    users.setProfile(actor.id, changes),
    ...(renamed ? actor.communities.map((m) => roles.rename(actor.id, m.communityId, changes.name!)) : []),
  ]);
  if (!outcome.ok) fail("user.changed", "Your account changed meanwhile (a role given or taken): try again.");
  const next = {
    ...actor,
    name: changes.name ?? actor.name,
    address: changes.address ?? actor.address,
    skills: changes.skills ?? actor.skills,
  };
  return { ...next, named: hasChosenName(next) };
}

export async function getUser(store: Store, id: string): Promise<User | undefined> {
  const item = await getItem(store, users.key(id));
  return item ? userOf(users.fromItem(item)) : undefined;
}

/** The user and their roles per community and unit: one query on the user's partition. */
export async function loadActor(store: Store, userId: string): Promise<Actor | undefined> {
  const items = await queryAll(store, users.withRoles(userId));
  const head = items.find(users.isUser);
  if (!head) return undefined;
  const user = users.fromItem(head);
  return {
    ...userOf(user),
    named: hasChosenName(user),
    admin: Boolean(user.admin),
    communities: items
      .filter(roles.isRole)
      .map(roles.fromItem)
      .map((r) => ({ communityId: r.communityId, roles: r.roles, branchId: r.branchId })),
    units: items
      .filter(units.isUnitRole)
      .map(units.roleFromItem)
      .map((r) => ({ unitId: r.unitId, kind: r.kind, path: r.path, roles: r.roles })),
  };
}

export async function issueToken(secret: string, userId: string, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  return signToken({ sub: userId, iat, exp: iat + tokenTtlSeconds }, secret);
}

/** The user id a token was issued to, or a 401-class error saying why not. */
export async function readToken(secret: string, token: string): Promise<string> {
  try {
    const payload = verifyToken(token, secret);
    // Every token must expire: one without exp (which verifyToken lets through) is refused.
    if (typeof payload.sub === "string" && payload.sub && typeof payload.exp === "number") return payload.sub;
  } catch (err: unknown) {
    if (err instanceof TokenError && err.reason === "expired") fail("auth.token_expired", "Your sign-in has expired: sign in again.");
  }
  return fail("auth.bad_token", "The sign-in token is not valid: sign in again.");
}
