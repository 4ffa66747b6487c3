import { randomBytes } from "node:crypto";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { dynamoClientConfig } from "../../functions/store/dynamo-local.js";
import { createTableInput } from "../../functions/store/table.js";

/**
 * A new, empty table with the application's schema in the run's DynamoDB Local, so a
 * test never sees another test's items.
 */
export async function freshTable(): Promise<{
  tableName: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  endpoint: string;
}> {
  const endpoint = inject("dynamoEndpoint");
  const tableName = `t-${randomBytes(6).toString("hex")}`;
  const client = new DynamoDBClient(dynamoClientConfig(endpoint));
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { tableName, client, doc, endpoint };
}
