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
export const lt = compare("<");
export const le = compare("<=");
export const gt = compare(">");
export const exists =
  (path: string): Condition =>
  (p) =>
    `attribute_exists(${p.name(path)})`;
export const notExists =
  (path: string): Condition =>
  (p) =>
    `attribute_not_exists(${p.name(path)})`;
export const contains =
  (path: string, value: unknown): Condition =>
  (p) =>
    `contains(${p.name(path)}, ${p.value(value)})`;
export const oneOf =
  (path: string, values: readonly unknown[]): Condition =>
  (p) =>
    `${p.name(path)} IN (${values.map((v) => p.value(v)).join(", ")})`;

type Part = Condition | false | undefined;
const joined =
  (op: string) =>
  (...parts: Part[]): Condition =>
  (p) =>
    parts
      .filter((c): c is Condition => Boolean(c))
      .map((c) => `(${c(p)})`)
      .join(op);
/** Parts that are false or undefined are left out: a condition that applies only sometimes reads inline. */
export const and = joined(" AND ");
export const or = joined(" OR ");

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

/** `item` with `changes` applied, as DynamoDB applies them (paths may be nested: `crediting.done`). */
export function applyChanges(item: Attributes, changes: Changes): Attributes {
  const out = structuredClone(item);
  const at = (path: string): [Attributes, string] => {
    const parts = path.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    return [node, parts[parts.length - 1]];
  };
  for (const [k, v] of Object.entries(changes.set ?? {})) {
    if (v === undefined) continue;
    const [node, last] = at(k);
    node[last] = structuredClone(v);
  }
  for (const [k, n] of Object.entries(changes.increment ?? {})) {
    const [node, last] = at(k);
    node[last] = (node[last] ?? 0) + n;
  }
  for (const [k, n] of Object.entries(changes.add ?? {})) {
    if (!n) continue;
    const [node, last] = at(k);
    node[last] = (node[last] ?? 0) + n;
  }
  for (const [k, list] of Object.entries(changes.append ?? {})) {
    const [node, last] = at(k);
    node[last] = [...(node[last] ?? []), ...structuredClone(list)];
  }
  for (const k of changes.remove ?? []) {
    const [node, last] = at(k);
    delete node[last];
  }
  return out;
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
  return [
    sets.length && `SET ${sets.join(", ")}`,
    adds.length && `ADD ${adds.join(", ")}`,
    removes.length && `REMOVE ${removes.join(", ")}`,
  ]
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

export type Put = { Put: PutOp };
export type Update = { Update: UpdateOp };
export type Delete = { Delete: KeyOp };
/** One item of a transaction, in the SDK's shape less the table name (the store adds it); single writes take the same. */
export type TransactItem = Put | Update | Delete | { ConditionCheck: KeyOp & { ConditionExpression: string } };

/** The condition and the placeholders of one operation; an absent condition stays undefined, which the SDK leaves out. */
function guarded<T>(when: Condition | undefined, build: (p: Placeholders) => T) {
  const p = new Placeholders();
  const op = build(p);
  return { ...op, ConditionExpression: when?.(p), ...p.maps() };
}

/** The changes an update was built from, kept beside its expression so a committed write can be applied in memory. */
const changesOf = Symbol("changes");

/** What `update` changes, when it was built by `tx.update`. */
export function changesOfUpdate(update: UpdateOp): Changes | undefined {
  return (update as UpdateOp & { [changesOf]?: Changes })[changesOf];
}

export const tx = {
  put: (item: Attributes, when?: Condition): Put => ({ Put: guarded(when, () => ({ Item: item })) }),
  update: (key: Key, changes: Changes, when?: Condition): Update => {
    const Update = guarded(when, (p) => ({ Key: key, UpdateExpression: updateExpression(changes, p) }));
    // Not enumerable: the SDK never sees it.
    Object.defineProperty(Update, changesOf, { value: changes });
    return { Update };
  },
  delete: (key: Key, when?: Condition): Delete => ({ Delete: guarded(when, () => ({ Key: key })) }),
  check: (key: Key, when: Condition): TransactItem => ({
    ConditionCheck: guarded(when, () => ({ Key: key })) as KeyOp & { ConditionExpression: string },
  }),
};

/** A range of sort keys, rendered with the sort key's placeholder. */
export type SortRange = (sk: string, p: Placeholders) => string;
export const beginsWith =
  (prefix: string): SortRange =>
  (sk, p) =>
    `begins_with(${sk}, ${p.value(prefix)})`;
/** Both ends included. */
export const between =
  (from: string, to: string): SortRange =>
  (sk, p) =>
    `${sk} BETWEEN ${p.value(from)} AND ${p.value(to)}`;
export const below =
  (bound: string): SortRange =>
  (sk, p) =>
    `${sk} < ${p.value(bound)}`;
export const atLeast =
  (bound: string): SortRange =>
  (sk, p) =>
    `${sk} >= ${p.value(bound)}`;

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
  const pk = `${p.name(keys.partitionKey)} = ${p.value(q.pk)}`;
  // Options left undefined are left out of the request by the SDK.
  return {
    IndexName: q.index,
    KeyConditionExpression: q.sk ? `${pk} AND ${q.sk(p.name(keys.sortKey), p)}` : pk,
    FilterExpression: q.filter?.(p),
    ProjectionExpression: q.project?.map((a) => p.name(a)).join(", "),
    ScanIndexForward: q.forward,
    Limit: q.limit,
    ConsistentRead: q.consistent,
    ...p.maps(),
  };
}
