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
import { queryInput, type Key, type KeyOp, type KeyQuery, type PutOp, type QueryInput, type TransactItem, type UpdateOp } from "./expression.js";
import { table, type IndexName } from "./table.js";

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
export class BadCursor extends Error {
  constructor() {
    super("The cursor is not one this API gave out.");
    this.name = "BadCursor";
  }
}

/** A transaction that kept colliding with concurrent ones after every retry. */
export class Contended extends Error {
  constructor() {
    super("Many writes to the same items at the same moment.");
    this.name = "Contended";
  }
}

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

const conditionFailed = (err: any) => err?.name === "ConditionalCheckFailedException";

/** Writes an item; false when its condition did not hold (nothing was written). */
export async function putItem(store: Store, op: PutOp): Promise<boolean> {
  try {
    await store.doc.send(new PutCommand({ ...op, TableName: store.table }));
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Updates an item; `ok: false` when its condition did not hold, else the item as it now is. */
export async function updateItem(store: Store, op: UpdateOp): Promise<{ ok: true; item: Item } | { ok: false }> {
  try {
    const out = await store.doc.send(new UpdateCommand({ ...op, TableName: store.table, ReturnValues: "ALL_NEW" }));
    return { ok: true, item: out.Attributes ?? {} };
  } catch (err) {
    if (conditionFailed(err)) return { ok: false };
    throw err;
  }
}

/** Deletes an item; false when its condition did not hold. */
export async function deleteItem(store: Store, op: KeyOp): Promise<boolean> {
  try {
    await store.doc.send(new DeleteCommand({ ...op, TableName: store.table }));
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
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

type Query = KeyQuery | QueryInput;
const inputOf = (q: Query): QueryInput => ("pk" in q ? queryInput(q) : q);

/** One page of a query; the cursor is the opaque form of DynamoDB's LastEvaluatedKey. */
export async function queryPage(store: Store, query: Query, cursor?: string): Promise<Page<Item>> {
  const out = await send(store, inputOf(query), cursor ? decodeCursor(cursor) : undefined);
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
export async function queryAll(store: Store, query: Query): Promise<Item[]> {
  const input = inputOf(query);
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
  const keyNames = keyAttributes(query.index);
  const items: Item[] = [];
  let start = cursor ? decodeCursor(cursor) : undefined;
  for (let read = 0; read < maxReads; read++) {
    const want = limit - items.length;
    // Without a filter every item read counts; with one, read ahead for the matches.
    const out = await send(store, { ...input, Limit: query.filter ? Math.min(1000, Math.max(25, want * 4)) : want }, start);
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

/** The attributes of a position in a query: the table's key, and the index's when it reads one. */
function keyAttributes(index?: IndexName): string[] {
  const own = [table.partitionKey, table.sortKey];
  return index ? [...own, table.indexes[index].partitionKey, table.indexes[index].sortKey] : own;
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
      const failed = reasons
        .map((r, index) => ({ index, code: r?.Code, item: r?.Item ? unmarshall(r.Item) : undefined }))
        .filter((r) => r.code === "ConditionalCheckFailed")
        .map(({ index, item }) => ({ index, item }));
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
