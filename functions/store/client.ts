import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import {
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
  doc: DynamoDBDocumentClient;
  table: string;
}

/** A cursor that this API never gave out, or that names no position in the list asked for. */
export class BadCursor extends Error {}

/** A transaction that kept colliding with concurrent ones after every retry. */
export class Contended extends Error {}

export function createStore(table: string, config: DynamoDBClientConfig = {}): Store {
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, table };
}

export async function getItem(store: Store, key: Key): Promise<Item | undefined> {
  const out = await store.doc.send(new GetCommand({ TableName: store.table, Key: key, ConsistentRead: true }));
  return out.Item;
}

/** Several items by key in one strongly consistent round trip (at most 100 keys). */
export async function getMany(store: Store, keys: Key[]): Promise<Item[]> {
  if (keys.length === 0) return [];
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
  return Boolean(await conditional(store.doc.send(new PutCommand({ ...Put, TableName: store.table }))));
}

/** Updates an item; `ok: false` when its condition did not hold, else the item as it now is. */
export async function updateItem(store: Store, { Update }: Update): Promise<{ ok: true; item: Item } | { ok: false }> {
  const out = await conditional(store.doc.send(new UpdateCommand({ ...Update, TableName: store.table, ReturnValues: "ALL_NEW" })));
  return out ? { ok: true, item: out.Attributes ?? {} } : { ok: false };
}

/** Deletes an item; false when its condition did not hold. */
export async function deleteItem(store: Store, { Delete }: Delete): Promise<boolean> {
  return Boolean(await conditional(store.doc.send(new DeleteCommand({ ...Delete, TableName: store.table }))));
}

/** Unconditional writes in batches of 25, four at a time, until DynamoDB has taken every one. */
export async function putMany(store: Store, items: Item[]) {
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
  for (let attempt = 0; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: withTable }));
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
