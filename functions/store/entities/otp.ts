import type { Item } from "../client.js";
import { and, eq, exists, gt, keyOp, lt, putOp, updateOp, type KeyOp, type PutOp, type UpdateOp } from "../expression.js";

/** A sign-in code, stored hashed, with its tries and its expiry (also DynamoDB's TTL). */
export interface Otp {
  phone: string;
  hash: string;
  tries: number;
  /** epoch seconds */
  expiresAt: number;
}

export const key = (phone: string) => ({ pk: `P#${phone}`, sk: "OTP" });
export const fromItem = (item: Item): Otp => ({ phone: String(item.pk).slice(2), hash: item.hash, tries: item.tries, expiresAt: item.expiresAt });

/** A new code replaces any earlier one. */
export const put = (o: Otp): PutOp => putOp({ ...key(o.phone), type: "otp", hash: o.hash, tries: o.tries, expiresAt: o.expiresAt });

/** Counts a try before the code is compared: only on a code that exists, has not expired and has tries left. */
export const countTry = (phone: string, nowSeconds: number, maxTries: number): UpdateOp =>
  updateOp(key(phone), { increment: { tries: 1 } }, and(exists("pk"), gt("expiresAt", nowSeconds), lt("tries", maxTries)));

/** Uses the code up: only the code that was compared, so a new one sent meanwhile survives. */
export const useUp = (phone: string, hash: string): KeyOp => keyOp(key(phone), eq("hash", hash));
