import type * as Doc from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { signedPoster, withRetries } from "./signed.js";

/**
 * DynamoDB's document API over its JSON protocol: plain values in and out, marshalled on the wire,
 * as `DynamoDBDocumentClient` does it. The SDK's client and its middleware are about 330 KB of
 * every bundle and most of a cold start's import time; the store needs eight operations of it, and reads only by key or index (no Scan).
 * Inputs and outputs keep the SDK's types, so code written against the SDK reads the same.
 */

/** Where and as whom to call DynamoDB; by default the Lambda's region and role (from the environment). */
export interface DynamoConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** tries of one call, the first included, while DynamoDB throttles, fails on its side or cannot be reached (3, as the SDK) */
  maxAttempts?: number;
}

/** One operation with its input, as the SDK's command objects carry them. */
abstract class Command<In, Out> {
  /** the operation's name on the wire (`X-Amz-Target: DynamoDB_20120810.<operation>`) */
  abstract readonly operation: string;
  declare readonly output: Out;
  constructor(readonly input: In) {}
}

export class GetCommand extends Command<Doc.GetCommandInput, Doc.GetCommandOutput> {
  readonly operation = "GetItem";
}
export class BatchGetCommand extends Command<Doc.BatchGetCommandInput, Doc.BatchGetCommandOutput> {
  readonly operation = "BatchGetItem";
}
export class PutCommand extends Command<Doc.PutCommandInput, Doc.PutCommandOutput> {
  readonly operation = "PutItem";
}
export class UpdateCommand extends Command<Doc.UpdateCommandInput, Doc.UpdateCommandOutput> {
  readonly operation = "UpdateItem";
}
export class DeleteCommand extends Command<Doc.DeleteCommandInput, Doc.DeleteCommandOutput> {
  readonly operation = "DeleteItem";
}
export class BatchWriteCommand extends Command<Doc.BatchWriteCommandInput, Doc.BatchWriteCommandOutput> {
  readonly operation = "BatchWriteItem";
}
export class QueryCommand extends Command<Doc.QueryCommandInput, Doc.QueryCommandOutput> {
  readonly operation = "Query";
}
export class TransactWriteCommand extends Command<Doc.TransactWriteCommandInput, Doc.TransactWriteCommandOutput> {
  readonly operation = "TransactWriteItems";
}

export type AnyCommand = Command<any, any>;

/**
 * A refusal or failure from DynamoDB, shaped as the SDK's errors are: `name` is the exception
 * (`ConditionalCheckFailedException`, `TransactionCanceledException` with its `CancellationReasons`,
 * `ValidationException`), `$fault` whose fault it was, `$metadata.httpStatusCode` the status.
 */
export class DynamoError extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: { httpStatusCode: number };
  /** a cancelled transaction's reasons, one per item, each item as it was (marshalled) where asked */
  readonly CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, any> }[];
  /** the item as it was, when a single write's condition failed and it asked for it */
  readonly Item?: Record<string, any>;
  constructor(name: string, message: string, status: number, body: Record<string, any> = {}) {
    super(message || name);
    this.name = name;
    this.$fault = status >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode: status };
    this.CancellationReasons = body.CancellationReasons;
    this.Item = body.Item;
  }
}

/** The SDK's throttling codes: tried again like a failure on DynamoDB's side. */
const throttling = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
]);

const retryable = (err: unknown) => !(err instanceof DynamoError) || err.$fault === "server" || throttling.has(err.name);

type Values = Record<string, any>;
const keep = { removeUndefinedValues: true };
const toWire = (v: Values | undefined) => (v ? marshall(v, keep) : undefined);
const fromWire = (v: Values | undefined) => (v ? unmarshall(v) : undefined);
const fromWireAll = (vs: Values[] | undefined) => vs?.map((v) => unmarshall(v));

/** One operation's fields that hold items, keys or values: marshalled in place of a copy. */
function marshalled(op: Values): Values {
  const out: Values = { ...op };
  for (const field of ["Key", "Item", "ExpressionAttributeValues", "ExclusiveStartKey"]) {
    if (out[field]) out[field] = toWire(out[field]);
  }
  return out;
}

/** A batch write's requests (`PutRequest.Item`, `DeleteRequest.Key`) in or out of the wire's form. */
const writeRequests = (requests: Values | undefined, convert: (v: Values) => Values) =>
  requests &&
  Object.fromEntries(
    Object.entries(requests).map(([table, list]) => [
      table,
      (list as Values[]).map((r) =>
        r.PutRequest ? { PutRequest: { Item: convert(r.PutRequest.Item) } } : { DeleteRequest: { Key: convert(r.DeleteRequest.Key) } },
      ),
    ]),
  );

/** Keys of a batch read (`Keys` of each table) in or out of the wire's form. */
const keysOf = (requests: Values | undefined, convert: (v: Values) => Values) =>
  requests && Object.fromEntries(Object.entries(requests).map(([table, r]) => [table, { ...r, Keys: (r as Values).Keys.map(convert) }]));

const toWireInput: Record<string, (input: Values) => Values> = {
  BatchGetItem: (i) => ({ ...i, RequestItems: keysOf(i.RequestItems, (k) => marshall(k, keep)) }),
  BatchWriteItem: (i) => ({ ...i, RequestItems: writeRequests(i.RequestItems, (v) => marshall(v, keep)) }),
  // A token, as the SDK fills it in: a transaction tried again after a lost answer is not applied twice.
  TransactWriteItems: (i) => ({
    ClientRequestToken: randomUUID(),
    ...i,
    TransactItems: i.TransactItems.map((t: Values) => Object.fromEntries(Object.entries(t).map(([kind, op]) => [kind, marshalled(op)]))),
  }),
};

const fromWireOutput: Record<string, (output: Values) => Values> = {
  BatchGetItem: (o) => ({
    ...o,
    Responses: o.Responses && Object.fromEntries(Object.entries(o.Responses).map(([t, items]) => [t, fromWireAll(items as Values[])])),
    UnprocessedKeys: keysOf(o.UnprocessedKeys, unmarshall),
  }),
  BatchWriteItem: (o) => ({ ...o, UnprocessedItems: writeRequests(o.UnprocessedItems, unmarshall) }),
};

/** An operation's answer with its items, keys and attributes as plain values. */
function plain(operation: string, o: Values): Values {
  const special = fromWireOutput[operation];
  if (special) return special(o);
  const out: Values = { ...o };
  if (out.Item) out.Item = fromWire(out.Item);
  if (out.Attributes) out.Attributes = fromWire(out.Attributes);
  if (out.Items) out.Items = fromWireAll(out.Items);
  if (out.LastEvaluatedKey) out.LastEvaluatedKey = fromWire(out.LastEvaluatedKey);
  return out;
}

/**
 * A DynamoDB client for the document API: `send(new GetCommand({...}))` as with the SDK's
 * `DynamoDBDocumentClient` (undefined attributes left out of items), with the SDK's retry rule:
 * throttling, DynamoDB's own faults and the network are tried again after a short, growing,
 * jittered wait; a refusal (a failed condition, a cancelled transaction, bad input) is not.
 */
export class DocClient {
  private readonly post: ReturnType<typeof signedPoster>;
  private readonly attempts: number;

  constructor(config: DynamoConfig = {}, env: NodeJS.ProcessEnv = process.env) {
    this.post = signedPoster({ service: "dynamodb", ...config, endpoint: config.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB }, env);
    this.attempts = config.maxAttempts ?? 3;
  }

  async send<C extends AnyCommand>(command: C): Promise<C["output"]> {
    const { operation } = command;
    const wire = (toWireInput[operation] ?? marshalled)(command.input);
    const body = JSON.stringify(wire);
    return plain(operation, await withRetries(this.attempts, retryable, () => this.once(operation, body))) as C["output"];
  }

  /** Closes the connections kept open to DynamoDB (a test's table that went away, say). */
  destroy() {
    this.post.destroy();
  }

  private async once(operation: string, body: string): Promise<Values> {
    const res = await this.post({ "content-type": "application/x-amz-json-1.0", "x-amz-target": `DynamoDB_20120810.${operation}` }, body);
    const text = await res.text();
    let json: Values = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (res.ok) throw new DynamoError("SerializationException", `DynamoDB answered ${operation} with no JSON`, 502);
    }
    if (res.ok) return json;
    const type = String(json.__type ?? `Http${res.status}`);
    throw new DynamoError(type.slice(type.lastIndexOf("#") + 1), json.message ?? json.Message ?? text.slice(0, 200), res.status, json);
  }
}
