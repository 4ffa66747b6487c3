import type { Item } from "../client.js";
import { and, eq, exists, gt, lt, tx, type Delete, type Put, type Update } from "../expression.js";
import { shapeOf } from "./item.js";

/** A sign-in code, stored hashed, with its tries and its expiry (also DynamoDB's TTL). */
export interface Otp {
  hash: string;
  tries: number;
  /** epoch seconds */
  expiresAt: number;
}

/**
 * A code belongs to the phone and to the client address that asked for it (`client` is a keyed
 * hash of the address, never the address): another client's request or guesses never touch it.
 */
export const key = (phone: string, client: string) => ({ pk: `P#${phone}`, sk: `OTP#${client}` });
export const fromItem: (item: Item) => Otp = shapeOf;

/** A new code replaces the one this client asked for earlier. */
export const put = (phone: string, client: string, o: Otp): Put => tx.put({ ...key(phone, client), type: "otp", ...o });

/** Counts a try before the code is compared: only on a code that exists, has not expired and has tries left. */
export const countTry = (phone: string, client: string, nowSeconds: number, maxTries: number): Update =>
  tx.update(key(phone, client), { increment: { tries: 1 } }, and(exists("pk"), gt("expiresAt", nowSeconds), lt("tries", maxTries)));

/** Uses the code up: only the code that was compared, so a new one sent meanwhile survives. */
export const useUp = (phone: string, client: string, hash: string): Delete => tx.delete(key(phone, client), eq("hash", hash));
