import type { Item } from "../client.js";

/** The attributes that place an item in the table and its indexes, and its kind: never part of its shape. */
const placement = /^(pk|sk|gsi\d(pk|sk)|type)$/;

/** An item read from the table as its entity's shape: the typed form starts here. */
export function shapeOf<T>(item: Item): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!placement.test(k)) out[k] = v;
  return out as T;
}

/** The names in a list separated by spaces and line breaks, as a union type. */
type OneLine<S extends string> = S extends `${infer A}\n${infer B}` ? OneLine<`${A} ${B}`> : S;
type Words<S extends string, Found = never> = S extends `${infer Head} ${infer Tail}`
  ? Words<Tail, Found | (Head extends "" ? never : Head)>
  : Found | (S extends "" ? never : S);

/** A presenter's list of fields as one string of names; where it is used, each is checked to be a key of the shape. */
export const fields = <S extends string>(names: S) => names.trim().split(/\s+/) as Words<OneLine<S>>[];

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
export type Decided<T, Shown extends keyof T, Withheld extends keyof T = never> = [Exclude<keyof T, Shown | Withheld>] extends [never]
  ? true
  : false;
export type Proven<T extends true> = T;
