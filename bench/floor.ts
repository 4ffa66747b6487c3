/**
 * The floor the API's Lambda is measured against: bare Hono behind the same Lambda adapter, and
 * the same DynamoDB document client reading one item. Built exactly as the API is, it shows what
 * any handler of this shape costs before the application adds anything.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const app = new Hono();
app.get("/api/items/:pk/:sk", async (c) => {
  const out = await doc.send(
    new GetCommand({ TableName: table, Key: { pk: c.req.param("pk"), sk: c.req.param("sk") }, ConsistentRead: true }),
  );
  return out.Item ? c.json(out.Item) : c.json({ error: "not found" }, 404);
});

export const handler = handle(app);
