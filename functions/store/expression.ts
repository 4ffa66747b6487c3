/**
 * DynamoDB's expression strings, built from typed parts. Every name and value goes through a
 * placeholder (`#n0`, `:v0`), so reserved words (`status`), month figures (`2026-11#minutes`) and
 * nested paths (`crediting.done`) need no care at the call site, and no expression is ever
 * assembled by hand outside the entity modules that use this.
 */
import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { table, type IndexName } from "./table.js";

export type Key = { pk: string; sk: string };
type Attributes = Record<string, any>;

class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private byName = new Map<string, string>();
  private nextValue = 0;

  /** A path's placeholder; a dot separates the parts of a nested path. */
  name(path: string): string {
    return path
      .split(".")
      .map((part) => {
        let ph = this.byName.get(part);
        if (!ph) {
          ph = `#n${this.byName.size}`;
          this.byName.set(part, ph);
          this.names[ph] = part;
        }
        return ph;
      })
      .join(".");
  }

  value(v: unknown): string {
    const ph = `:v${this.nextValue++}`;
    this.values[ph] = v;
    return ph;
  }

  /** The two maps, each left out when empty (DynamoDB refuses an empty one). */
  maps() {
    return {
      ...(this.byName.size ? { ExpressionAttributeNames: this.names } : {}),
      ...(this.nextValue ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** A condition renders itself with the placeholders of the operation it ends up in. */
export type Condition = (p: Placeholders) => string;

const compare =
  (op: string) =>
  (path: string, value: unknown): Condition =>
  (p) =>
    `${p.name(path)} ${op} ${p.value(value)}`;

export const eq = compare("=");
export const ne = compare("<>");
export const lt = compare("<");
export const le = compare("<=");
export const gt = compare(">");
export const exists = (path: string): Condition => (p) => `attribute_exists(${p.name(path)})`;
export const notExists = (path: string): Condition => (p) => `attribute_not_exists(${p.name(path)})`;
export const contains = (path: string, value: unknown): Condition => (p) => `contains(${p.name(path)}, ${p.value(value)})`;
export const oneOf = (path: string, values: readonly unknown[]): Condition => (p) =>
  `${p.name(path)} IN (${values.map((v) => p.value(v)).join(", ")})`;

type Part = Condition | false | undefined;
export const and = (...parts: Part[]): Condition => (p) =>
  parts
    .filter((c): c is Condition => Boolean(c))
    .map((c) => `(${c(p)})`)
    .join(" AND ");
export const or = (...parts: Part[]): Condition => (p) =>
  parts
    .filter((c): c is Condition => Boolean(c))
    .map((c) => `(${c(p)})`)
    .join(" OR ");

/**
 * What an update does to an item. `set` skips undefined values (an absent optional field stays
 * absent); `increment` is `SET a = a + n` (the attribute must exist); `add` is DynamoDB's ADD
 * (starts from 0); `append` adds to a list, creating it when missing; zero adds are left out.
 */
export interface Changes {
  set?: Attributes;
  increment?: Record<string, number>;
  add?: Record<string, number>;
  append?: Record<string, unknown[]>;
  remove?: string[];
}

function updateExpression(changes: Changes, p: Placeholders): string {
  const sets: string[] = [];
  for (const [k, v] of Object.entries(changes.set ?? {})) if (v !== undefined) sets.push(`${p.name(k)} = ${p.value(v)}`);
  for (const [k, n] of Object.entries(changes.increment ?? {})) sets.push(`${p.name(k)} = ${p.name(k)} + ${p.value(n)}`);
  for (const [k, list] of Object.entries(changes.append ?? {})) {
    sets.push(`${p.name(k)} = list_append(if_not_exists(${p.name(k)}, ${p.value([])}), ${p.value(list)})`);
  }
  const adds = Object.entries(changes.add ?? {})
    .filter(([, n]) => n)
    .map(([k, n]) => `${p.name(k)} ${p.value(n)}`);
  const removes = (changes.remove ?? []).map((k) => p.name(k));
  return [sets.length && `SET ${sets.join(", ")}`, adds.length && `ADD ${adds.join(", ")}`, removes.length && `REMOVE ${removes.join(", ")}`]
    .filter(Boolean)
    .join(" ");
}

export interface PutOp {
  Item: Attributes;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}
export interface UpdateOp {
  Key: Key;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}
export interface KeyOp {
  Key: Key;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

const conditionOf = (when: Condition | undefined, p: Placeholders) => (when ? { ConditionExpression: when(p) } : {});

export function putOp(item: Attributes, when?: Condition): PutOp {
  const p = new Placeholders();
  const condition = conditionOf(when, p);
  return { Item: item, ...condition, ...p.maps() };
}

export function updateOp(key: Key, changes: Changes, when?: Condition): UpdateOp {
  const p = new Placeholders();
  const UpdateExpression = updateExpression(changes, p);
  return { Key: key, UpdateExpression, ...conditionOf(when, p), ...p.maps() };
}

export function keyOp(key: Key, when?: Condition): KeyOp {
  const p = new Placeholders();
  return { Key: key, ...conditionOf(when, p), ...p.maps() };
}

/** One item of a transaction, in the SDK's shape less the table name (the store adds it). */
export type TransactItem = { Put: PutOp } | { Update: UpdateOp } | { Delete: KeyOp } | { ConditionCheck: KeyOp & { ConditionExpression: string } };

export const tx = {
  put: (item: Attributes, when?: Condition): TransactItem => ({ Put: putOp(item, when) }),
  update: (key: Key, changes: Changes, when?: Condition): TransactItem => ({ Update: updateOp(key, changes, when) }),
  delete: (key: Key, when?: Condition): TransactItem => ({ Delete: keyOp(key, when) }),
  check: (key: Key, when: Condition): TransactItem => ({ ConditionCheck: keyOp(key, when) as KeyOp & { ConditionExpression: string } }),
};

/** A sort key range: a prefix, an inclusive range, or everything below a bound. */
export type SortRange = { beginsWith: string } | { between: readonly [string, string] } | { below: string };

export interface KeyQuery {
  /** the table's own key when absent */
  index?: IndexName;
  pk: string;
  sk?: SortRange;
  filter?: Condition;
  /** newest first when false */
  forward?: boolean;
  limit?: number;
  consistent?: boolean;
  /** only these attributes */
  project?: string[];
}

export type QueryInput = Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">;

/** A query on one partition of the table or of an index, as the SDK takes it. */
export function queryInput(q: KeyQuery): QueryInput {
  const p = new Placeholders();
  const keys = q.index ? table.indexes[q.index] : { partitionKey: table.partitionKey, sortKey: table.sortKey };
  let key = `${p.name(keys.partitionKey)} = ${p.value(q.pk)}`;
  const sk = q.sk ? p.name(keys.sortKey) : "";
  if (q.sk && "beginsWith" in q.sk) key += ` AND begins_with(${sk}, ${p.value(q.sk.beginsWith)})`;
  if (q.sk && "between" in q.sk) key += ` AND ${sk} BETWEEN ${p.value(q.sk.between[0])} AND ${p.value(q.sk.between[1])}`;
  if (q.sk && "below" in q.sk) key += ` AND ${sk} < ${p.value(q.sk.below)}`;
  const filter = q.filter ? { FilterExpression: q.filter(p) } : {};
  const projection = q.project ? { ProjectionExpression: q.project.map((a) => p.name(a)).join(", ") } : {};
  return {
    ...(q.index ? { IndexName: q.index } : {}),
    KeyConditionExpression: key,
    ...filter,
    ...projection,
    ...p.maps(),
    ...(q.forward === false ? { ScanIndexForward: false } : {}),
    ...(q.limit ? { Limit: q.limit } : {}),
    ...(q.consistent ? { ConsistentRead: true } : {}),
  };
}
