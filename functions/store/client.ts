import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DocClient,
  type DynamoConfig,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "../aws/dynamodb.js";
import {
  applyChanges,
  changesOfUpdate,
  queryInput,
  type Delete,
  type Key,
  type KeyQuery,
  type Put,
  type QueryInput,
  type TransactItem,
  type Update,
} from "./expression.js";
import { table } from "./table.js";

export type { Key, TransactItem } from "./expression.js";

/** An item as DynamoDB holds it. Only this module and the entity modules' `fromItem` see it untyped. */
export type Item = Record<string, any>;
type RawTransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** What the domain needs from DynamoDB: a document client and the table's name. */
export interface Store {
  doc: DocClient;
  table: string;
  /** one request's reads and writes, when the request keeps them (see `scoped`) */
  scope?: Scope;
}

/**
 * What one request has read and written. A partition read whole and strongly consistently at the
 * start (`remember`) answers the request's reads of its items until the request first writes;
 * every committed write is kept, so the request can answer with the state it wrote (`written`)
 * instead of reading it back, which an eventually consistent read may not yet show.
 */
export interface Scope {
  partitions: Map<string, Item[]>;
  wrote: boolean;
  writes: TransactItem[];
}

/** The store for one request: the same client and table, with a scope of its own. */
export function scoped(store: Store): Store & { scope: Scope } {
  return { ...store, scope: { partitions: new Map(), wrote: false, writes: [] } };
}

/** Records a whole partition read strongly consistently, for the scope's reads until its first write. */
export function remember(store: Store, pk: string, items: Item[]) {
  store.scope?.partitions.set(pk, items);
}

const sameKey = (item: Item, key: Key) => item.pk === key.pk && item.sk === key.sk;

/** The items read by key from the scope's partitions, or undefined when some key lies outside them (or the scope wrote). */
function fromScope(store: Store, keys: Key[]): Item[] | undefined {
  const scope = store.scope;
  if (!scope || scope.wrote || !keys.every((k) => scope.partitions.has(k.pk))) return undefined;
  return keys.flatMap((k) =>
    scope.partitions
      .get(k.pk)!
      .filter((i) => sameKey(i, k))
      .map((i) => structuredClone(i)),
  );
}

/** A write about to go out: the scope's reads no longer answer for the table. */
function writing(store: Store) {
  if (store.scope) store.scope.wrote = true;
}

/** A committed write, kept for `written`. */
function wrote(store: Store, items: TransactItem[]) {
  store.scope?.writes.push(...items);
}

/** A partition's items as they stand after the scope's committed writes, from the items read before them. */
export function written(store: Store, pk: string, before: Item[]): Item[] {
  let items = before.map((i) => structuredClone(i));
  for (const w of store.scope?.writes ?? []) {
    if ("Put" in w && w.Put.Item.pk === pk) items = [...items.filter((i) => !sameKey(i, w.Put.Item as Key)), structuredClone(w.Put.Item)];
    else if ("Delete" in w && w.Delete.Key.pk === pk) items = items.filter((i) => !sameKey(i, w.Delete.Key));
    else if ("Update" in w && w.Update.Key.pk === pk) {
      const changes = changesOfUpdate(w.Update);
      if (!changes) throw new Error(`An update of ${pk} not built by tx.update cannot be applied in memory`);
      const current = items.find((i) => sameKey(i, w.Update.Key)) ?? { ...w.Update.Key };
      items = [...items.filter((i) => !sameKey(i, w.Update.Key)), applyChanges(current, changes)];
    }
  }
  return items.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
}

/** A cursor that this API never gave out, or that names no position in the list asked for. */
export class BadCursor extends Error {}

/** A transaction that kept colliding with concurrent ones after every retry. */
export class Contended extends Error {}

export function createStore(table: string, config: DynamoConfig = {}): Store {
  return { doc: new DocClient(config), table };
}

export async function getItem(store: Store, key: Key): Promise<Item | undefined> {
  const known = fromScope(store, [key]);
  if (known) return known[0];
  const out = await store.doc.send(new GetCommand({ TableName: store.table, Key: key, ConsistentRead: true }));
  return out.Item;
}

/** Several items by key in one strongly consistent round trip (at most 100 keys). */
export async function getMany(store: Store, keys: Key[]): Promise<Item[]> {
  if (keys.length === 0) return [];
  const known = fromScope(store, keys);
  if (known) return known;
  const found: Item[] = [];
  let pending: Record<string, any>[] = keys;
  while (pending.length) {
    const out = await store.doc.send(new BatchGetCommand({ RequestItems: { [store.table]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[store.table] ?? []));
    pending = (out.UnprocessedKeys?.[store.table]?.Keys as Record<string, any>[]) ?? [];
  }
  return found;
}

/** The write's answer, or undefined when its condition did not hold (nothing was written). */
async function conditional<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err: any) {
    if (err?.name === "ConditionalCheckFailedException") return undefined;
    throw err;
  }
}

/** Writes an item; false when its condition did not hold. */
export async function putItem(store: Store, { Put }: Put): Promise<boolean> {
  writing(store);
  const ok = Boolean(await conditional(store.doc.send(new PutCommand({ ...Put, TableName: store.table }))));
  if (ok) wrote(store, [{ Put }]);
  return ok;
}

/** Updates an item; `ok: false` when its condition did not hold, else the item as it now is. */
export async function updateItem(store: Store, { Update }: Update): Promise<{ ok: true; item: Item } | { ok: false }> {
  writing(store);
  const out = await conditional(store.doc.send(new UpdateCommand({ ...Update, TableName: store.table, ReturnValues: "ALL_NEW" })));
  // The item as DynamoDB answered it: kept as a put of that item.
  if (out) wrote(store, [{ Put: { Item: { ...(out.Attributes ?? {}), ...Update.Key } } }]);
  return out ? { ok: true, item: out.Attributes ?? {} } : { ok: false };
}

/** Deletes an item; false when its condition did not hold. */
export async function deleteItem(store: Store, { Delete }: Delete): Promise<boolean> {
  writing(store);
  const ok = Boolean(await conditional(store.doc.send(new DeleteCommand({ ...Delete, TableName: store.table }))));
  if (ok) wrote(store, [{ Delete }]);
  return ok;
}

/** Unconditional writes in batches of 25, four at a time, until DynamoDB has taken every one. */
export async function putMany(store: Store, items: Item[]) {
  writing(store);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += 25;
      let pending: any[] = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt) await sleep(Math.min(1000, 20 * 2 ** attempt));
        const out = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table]: pending } }));
        pending = out.UnprocessedItems?.[store.table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  wrote(
    store,
    items.map((Item) => ({ Put: { Item } })),
  );
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** One page of a query; the cursor is the opaque form of DynamoDB's LastEvaluatedKey. */
export async function queryPage(store: Store, query: KeyQuery, cursor?: string): Promise<Page<Item>> {
  const out = await send(store, queryInput(query), cursor ? decodeCursor(cursor) : undefined);
  return { items: out.Items ?? [], cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined };
}

async function send(store: Store, input: QueryInput, start: Record<string, unknown> | undefined) {
  try {
    return await store.doc.send(new QueryCommand({ ...input, TableName: store.table, ExclusiveStartKey: start }));
  } catch (err: any) {
    // A cursor that decodes but names no position in this query (forged, or from another list).
    if (start && err?.name === "ValidationException" && /start(ing)? key/i.test(err.message ?? "")) throw new BadCursor();
    throw err;
  }
}

/** Every item of a query, following pages. For partitions the application keeps small (one wish). */
export async function queryAll(store: Store, query: KeyQuery): Promise<Item[]> {
  const whole = !query.index && !query.sk && !query.filter && !query.limit && !query.project && query.forward !== false;
  const scope = store.scope;
  if (whole && scope && !scope.wrote && scope.partitions.has(query.pk)) return structuredClone(scope.partitions.get(query.pk)!);
  const input = queryInput(query);
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await send(store, input, start);
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A page of `limit` items that pass the query's filter, read on until it is full or the range
 * ends. DynamoDB applies `Limit` before the filter, so one read may return few matches or none;
 * reads overshoot and the page is cut after its last item, whose key becomes the cursor. A cursor
 * comes back only when more matches may follow. `maxReads` bounds the work of one request: a page
 * cut short by it carries a cursor to go on from.
 */
export async function queryFilled(store: Store, query: KeyQuery, limit: number, cursor?: string, maxReads = 10): Promise<Page<Item>> {
  const input = queryInput({ ...query, limit: undefined });
  const ix = query.index && table.indexes[query.index];
  // A position in the query: the table's key, and the index's when it reads one.
  const keyNames = [table.partitionKey, table.sortKey, ...(ix ? [ix.partitionKey, ix.sortKey] : [])];
  const items: Item[] = [];
  let start = cursor ? decodeCursor(cursor) : undefined;
  for (let read = 0; read < maxReads; read++) {
    const want = limit - items.length;
    // Without a filter every item read counts; with one, read ahead for the matches.
    const out = await send(store, { ...input, Limit: query.filter ? Math.max(25, want * 4) : want }, start);
    const found = out.Items ?? [];
    if (found.length > want) {
      items.push(...found.slice(0, want));
      const last = items[items.length - 1];
      return { items, cursor: encodeCursor(Object.fromEntries(keyNames.map((k) => [k, last[k]]))) };
    }
    items.push(...found);
    start = out.LastEvaluatedKey;
    if (!start || items.length === limit) break;
  }
  return { items, cursor: start ? encodeCursor(start) : undefined };
}

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const ok = key && typeof key === "object" && !Array.isArray(key) && Object.values(key).every((v) => typeof v === "string");
    if (ok && typeof key.pk === "string") return key;
  } catch {}
  throw new BadCursor();
}

/** A condition of the transaction's item at `index` failed; `item` is that item as it was, when it existed. */
export interface FailedCondition {
  index: number;
  item?: Item;
}

/** Whether a transaction committed, or which of its conditions stopped it (nothing was written then). */
export type TransactOutcome = { ok: true } | { ok: false; failed: FailedCondition[] };

/**
 * A transaction, answered with its outcome: committed, or the items whose conditions failed
 * (with each item as it was), so callers can name the rule that stopped it instead of answering
 * a generic conflict. Conflicts with a concurrent transaction are retried, the conditions
 * evaluated afresh each time; one that keeps colliding throws `Contended`.
 */
export async function transact(store: Store, items: TransactItem[]): Promise<TransactOutcome> {
  const withTable = items.map((t) => {
    const [kind, op] = Object.entries(t)[0] as [string, any];
    const returnOld = op.ConditionExpression ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" } : {};
    return { [kind]: { ...op, TableName: store.table, ...returnOld } } as RawTransactItem;
  });
  writing(store);
  for (let attempt = 0; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: withTable }));
      wrote(store, items);
      return { ok: true };
    } catch (err: any) {
      const reasons: any[] = err?.name === "TransactionCanceledException" ? (err.CancellationReasons ?? []) : [];
      const failed: FailedCondition[] = reasons.flatMap((r, index) =>
        r?.Code === "ConditionalCheckFailed" ? [{ index, item: r.Item ? unmarshall(r.Item) : undefined }] : [],
      );
      if (failed.length) return { ok: false, failed };
      const conflict = reasons.some((r) => r?.Code === "TransactionConflict");
      if (!conflict) throw err;
      if (attempt >= 12) throw new Contended();
      await sleep(5 + Math.random() * 20 * (attempt + 1));
    }
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
