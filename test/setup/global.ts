import type { TestProject } from "vitest/node";
import { startDynamoLocal } from "../../functions/store/dynamo-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local shared by the whole run, e.g. `http://127.0.0.1:41234`. */
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({});
  project.provide("dynamoEndpoint", dynamo.endpoint);
  // For code that finds its endpoint the way the app does, not through vitest.
  process.env.DYNAMO_ENDPOINT = dynamo.endpoint;
  return async () => {
    await dynamo.stop();
  };
}
