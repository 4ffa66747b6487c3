import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import * as Sdk from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DocClient,
  DynamoError,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "../../functions/aws/dynamodb.js";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { freshTable } from "../helpers/db.js";

/**
 * The store's DynamoDB client speaks the wire protocol itself. Against DynamoDB Local, what it
 * writes the SDK's document client reads back the same and the other way round, and DynamoDB's
 * refusals arrive under the SDK's names; against a stand-in it retries as the SDK does.
 */
describe("the document client against DynamoDB Local", () => {
  let table: string;
  let sdk: Sdk.DynamoDBDocumentClient;
  let ours: DocClient;

  beforeAll(async () => {
    const t = await freshTable();
    table = t.tableName;
    sdk = t.doc;
    ours = new DocClient(dynamoClientConfig(t.endpoint));
  });
  afterAll(() => ours.destroy());

  const item = {
    pk: "W#1",
    sk: "W",
    title: "帮忙把旧衣柜搬下楼",
    places: 3,
    price: 12.5,
    done: false,
    note: null,
    tags: new Set(["carry", "heavy"]),
    where: { building: "3", floors: [6, 1], lift: false },
    gone: undefined,
  };

  it("writes what the SDK reads back, and reads what the SDK wrote, undefined attributes left out", async () => {
    await ours.send(new PutCommand({ TableName: table, Item: item }));
    const { gone, ...kept } = item;
    expect((await sdk.send(new Sdk.GetCommand({ TableName: table, Key: { pk: "W#1", sk: "W" } }))).Item).toEqual(kept);
    await sdk.send(new Sdk.PutCommand({ TableName: table, Item: { ...kept, pk: "W#2" } }));
    expect((await ours.send(new GetCommand({ TableName: table, Key: { pk: "W#2", sk: "W" }, ConsistentRead: true }))).Item).toEqual({
      ...kept,
      pk: "W#2",
    });
    expect((await ours.send(new GetCommand({ TableName: table, Key: { pk: "W#9", sk: "W" } }))).Item).toBeUndefined();
  });

  it("answers an update with the item as it now is, and a failed condition as ConditionalCheckFailedException", async () => {
    const out = await ours.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: "W#1", sk: "W" },
        UpdateExpression: "SET places = places - :one",
        ConditionExpression: "places >= :one",
        ExpressionAttributeValues: { ":one": 1 },
        ReturnValues: "ALL_NEW",
      }),
    );
    expect(out.Attributes?.places).toBe(2);
    const refused = await ours
      .send(
        new DeleteCommand({
          TableName: table,
          Key: { pk: "W#1", sk: "W" },
          ConditionExpression: "places > :n",
          ExpressionAttributeValues: { ":n": 5 },
        }),
      )
      .catch((e) => e);
    expect(refused).toBeInstanceOf(DynamoError);
    expect(refused.name).toBe("ConditionalCheckFailedException");
    expect(refused.$fault).toBe("client");
    expect((await sdk.send(new Sdk.GetCommand({ TableName: table, Key: { pk: "W#1", sk: "W" } }))).Item?.places).toBe(2);
  });

  it("pages a query with the key it answers, and batches writes and reads", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ pk: "C#1", sk: `W#${String(i).padStart(2, "0")}`, n: i }));
    const wrote = await ours.send(
      new BatchWriteCommand({ RequestItems: { [table]: rows.slice(0, 25).map((Item) => ({ PutRequest: { Item } })) } }),
    );
    expect(wrote.UnprocessedItems?.[table] ?? []).toEqual([]);
    await ours.send(new BatchWriteCommand({ RequestItems: { [table]: rows.slice(25).map((Item) => ({ PutRequest: { Item } })) } }));

    const seen: number[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await ours.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "C#1" },
          Limit: 7,
          ExclusiveStartKey: start,
        }),
      );
      seen.push(...(page.Items ?? []).map((i) => i.n));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start);
    expect(seen).toEqual(rows.map((r) => r.n));
    expect(pages).toBe(5);

    const got = await ours.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: rows.map(({ pk, sk }) => ({ pk, sk })) } } }));
    expect(got.Responses?.[table]?.map((i) => i.n).sort((a, b) => a - b)).toEqual(rows.map((r) => r.n));
    await ours.send(new BatchWriteCommand({ RequestItems: { [table]: [{ DeleteRequest: { Key: { pk: "C#1", sk: "W#00" } } }] } }));
    const scanned = await sdk.send(new Sdk.ScanCommand({ TableName: table, ConsistentRead: true }));
    expect(scanned.Items?.filter((i) => i.pk === "C#1")).toHaveLength(29);
  });

  it("names each item's reason when a transaction is cancelled, with the item as it was, and writes nothing", async () => {
    const err = await ours
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: "W#3", sk: "W", places: 1 } } },
            {
              Update: {
                TableName: table,
                Key: { pk: "W#1", sk: "W" },
                UpdateExpression: "SET places = :z",
                ConditionExpression: "places = :five",
                ExpressionAttributeValues: { ":z": 0, ":five": 5 },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
          ],
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe("TransactionCanceledException");
    expect(err.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(["None", "ConditionalCheckFailed"]);
    expect(unmarshall(err.CancellationReasons[1].Item)).toMatchObject({ pk: "W#1", places: 2 });
    const both = await sdk.send(
      new Sdk.TransactGetCommand({
        TransactItems: [
          { Get: { TableName: table, Key: { pk: "W#3", sk: "W" } } },
          { Get: { TableName: table, Key: { pk: "W#1", sk: "W" } } },
        ],
      }),
    );
    expect(both.Responses?.map((r) => r.Item?.places)).toEqual([undefined, 2]);
  });

  it("says what is wrong with a request DynamoDB refuses", async () => {
    const err = await ours
      .send(new QueryCommand({ TableName: table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":other": "C#1" } }))
      .catch((e) => e);
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(/:pk/);
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe("the document client on the wire", () => {
  const seen: { headers: IncomingMessage["headers"]; body: any }[] = [];
  let replies: { status: number; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(body) });
      const reply = replies.shift() ?? { status: 200, body: {} };
      res.writeHead(reply.status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(reply.body));
    });
  });
  let client: DocClient;
  const throttled = {
    status: 400,
    body: { __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", message: "slow down" },
  };

  beforeAll(async () => {
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    client = new DocClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      region: "cn-northwest-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  });

  it("signs each call for DynamoDB in its region and names the operation", async () => {
    seen.length = 0;
    replies = [{ status: 200, body: { Item: { pk: { S: "W#1" }, n: { N: "3" } } } }];
    const out = await client.send(new GetCommand({ TableName: "microwish", Key: { pk: "W#1", sk: "W" } }));
    expect(out.Item).toEqual({ pk: "W#1", n: 3 });
    expect(seen[0].headers["x-amz-target"]).toBe("DynamoDB_20120810.GetItem");
    expect(seen[0].headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/cn-northwest-1\/dynamodb\/aws4_request/);
    expect(seen[0].body.Key).toEqual({ pk: { S: "W#1" }, sk: { S: "W" } });
  });

  it("tries a throttled transaction again with the same token, so it cannot apply twice", async () => {
    seen.length = 0;
    replies = [throttled, throttled, { status: 200, body: {} }];
    await client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "microwish", Item: { pk: "W#1", sk: "W" } } }] }));
    expect(seen).toHaveLength(3);
    const tokens = new Set(seen.map((s) => s.body.ClientRequestToken));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives up after three tries when DynamoDB keeps failing on its side", async () => {
    seen.length = 0;
    const failing = { status: 500, body: { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "try again" } };
    replies = [failing, failing, failing, failing];
    const err = await client.send(new GetCommand({ TableName: "microwish", Key: { pk: "W#1", sk: "W" } })).catch((e) => e);
    expect(err.name).toBe("InternalServerError");
    expect(err.$fault).toBe("server");
    expect(seen).toHaveLength(3);
    replies = [];
  });

  it("does not try a refused write again", async () => {
    seen.length = 0;
    replies = [{ status: 400, body: { __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", message: "no" } }];
    const err = await client
      .send(new PutCommand({ TableName: "microwish", Item: { pk: "W#1", sk: "W" }, ConditionExpression: "attribute_not_exists(pk)" }))
      .catch((e) => e);
    expect(err.name).toBe("ConditionalCheckFailedException");
    expect(seen).toHaveLength(1);
  });
});
