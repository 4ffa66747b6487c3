import { CreateTableCommand, DescribeTableCommand, waitUntilTableExists, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTableInput } from "./table.js";

/** Creates the table from the one definition when it is missing (local runs and tests). */
export async function ensureTable(client: DynamoDBClient, name: string): Promise<{ created: boolean }> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return { created: false };
  } catch (err: any) {
    if (err?.name !== "ResourceNotFoundException") throw err;
  }
  await client.send(new CreateTableCommand(createTableInput(name)));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 as any, maxDelay: 1 }, { TableName: name });
  return { created: true };
}
