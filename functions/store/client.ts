import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { DomainError } from "../core/errors.js";

export type Item = Record<string, any>;
type RawTransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
/** A transaction item without its table name: `transact` adds it. */
export type TransactItem = {
  [K in keyof RawTransactItem]?: Omit<NonNullable<RawTransactItem[K]>, "TableName">;
};

/** What the domain needs from DynamoDB: a document client and the table's name. */
export interface Store {
  doc: DynamoDBDocumentClient;
  table: string;
}

export function createStore(table: string, config: DynamoDBClientConfig = {}): Store {
  const client = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, table };
}

export async function getItem(store: Store, key: { pk: string; sk: string }): Promise<Item | undefined> {
  const out = await store.doc.send(new GetCommand({ TableName: store.table, Key: key, ConsistentRead: true }));
  return out.Item;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** One page of a query; the cursor is the opaque form of DynamoDB's LastEvaluatedKey. */
export async function queryPage(
  store: Store,
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
  cursor?: string,
): Promise<Page<Item>> {
  const start = cursor ? decodeCursor(cursor) : undefined;
  try {
    const out = await store.doc.send(new QueryCommand({ ...input, TableName: store.table, ExclusiveStartKey: start }));
    return { items: out.Items ?? [], cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined };
  } catch (err: any) {
    // A cursor that decodes but names no position in this query (forged, or from another list) is the caller's mistake.
    if (start && err?.name === "ValidationException" && /start(ing)? key/i.test(err.message ?? "")) {
      throw new DomainError("request.bad_cursor", "The cursor is not one this API gave out.");
    }
    throw err;
  }
}

/** Every item of a query, following pages. For partitions the application keeps small (one wish). */
export async function queryAll(store: Store, input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">) {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(store, input, cursor);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const ok =
      key && typeof key === "object" && !Array.isArray(key) && Object.values(key).every((v) => typeof v === "string");
    if (ok && typeof key.pk === "string") return key;
  } catch {}
  throw new DomainError("request.bad_cursor", "The cursor is not one this API gave out.");
}

/**
 * A transaction whose cancellation reasons are handed to `onCancel` (index of the
 * item that failed its condition, and the item as it was), so callers can name the
 * rule that stopped it instead of answering a generic conflict. Conflicts with a
 * concurrent transaction are retried: the conditions are evaluated afresh each time.
 */
export async function transact(
  store: Store,
  items: TransactItem[],
  onCancel: (failed: { index: number; item?: Item }[]) => never,
): Promise<void> {
  const withTable = items.map((t) => {
    const [kind, op] = Object.entries(t)[0] as [string, any];
    const returnOld = op.ConditionExpression ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" } : {};
    return { [kind]: { ...op, TableName: store.table, ...returnOld } } as RawTransactItem;
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: withTable }));
      return;
    } catch (err: any) {
      const reasons: any[] = err?.name === "TransactionCanceledException" ? err.CancellationReasons ?? [] : [];
      const failed = reasons
        .map((r, index) => ({ index, code: r?.Code, item: r?.Item ? unmarshall(r.Item) : undefined }))
        .filter((r) => r.code === "ConditionalCheckFailed");
      if (failed.length) onCancel(failed.map(({ index, item }) => ({ index, item })));
      const conflict = reasons.some((r) => r?.Code === "TransactionConflict");
      if (conflict && attempt < 12) {
        await sleep(5 + Math.random() * 20 * (attempt + 1));
        continue;
      }
      if (conflict) throw new DomainError("wish.busy", "Many people changed this at the same moment; try again.");
      throw err;
    }
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Several items by key in one strongly consistent round trip (at most 100 keys). */
export async function getMany(store: Store, keys: { pk: string; sk: string }[]): Promise<Item[]> {
  if (keys.length === 0) return [];
  const found: Item[] = [];
  let pending: Record<string, any>[] = keys;
  while (pending.length) {
    const out = await store.doc.send(
      new BatchGetCommand({ RequestItems: { [store.table]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...(out.Responses?.[store.table] ?? []));
    pending = (out.UnprocessedKeys?.[store.table]?.Keys as Record<string, any>[]) ?? [];
  }
  return found;
}
