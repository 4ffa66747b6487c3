import type { Item } from "../client.js";

/** The attributes that place an item in the table and its indexes, and its kind: never part of its shape. */
const placement = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "type"]);

/** An item read from the table as its entity's shape: the typed form starts here. */
export function shapeOf<T>(item: Item): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!placement.has(k)) out[k] = v;
  return out as T;
}

/** The fields of `value` named in `fields`, in that order; absent ones stay absent. */
export function pick<T extends object, K extends keyof T>(value: T, fields: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const f of fields) if (value[f] !== undefined) out[f] = value[f];
  return out;
}

/**
 * With `Proven`, compile-time proof that a presenter decided about every field of its shape: each is shown, or
 * named as withheld. A field added to the shape and to neither list fails the type check here.
 */
export type Decided<T, Shown extends keyof T, Withheld extends keyof T = never> = [Exclude<keyof T, Shown | Withheld>] extends [never] ? true : false;
export type Proven<T extends true> = T;
