import { RemovalPolicy } from "aws-cdk-lib/core";
import { Table, type StackContext, type TableGlobalIndexProps } from "sst/constructs";
import { table as schema } from "../functions/store/table.js";

const keyNames = [schema.partitionKey, schema.sortKey, ...Object.values(schema.indexes).flatMap((ix) => [ix.partitionKey, ix.sortKey])];

export function Data({ stack }: StackContext) {
  const table = new Table(stack, "Main", {
    fields: Object.fromEntries(keyNames.map((name) => [name, "string" as const])),
    primaryIndex: { partitionKey: schema.partitionKey, sortKey: schema.sortKey },
    globalIndexes: Object.fromEntries(
      Object.entries(schema.indexes).map(([name, ix]): [string, TableGlobalIndexProps] => [
        name,
        { partitionKey: ix.partitionKey, sortKey: ix.sortKey },
      ]),
    ),
    timeToLiveAttribute: schema.ttl,
    stream: schema.stream.toLowerCase() as Lowercase<typeof schema.stream>,
    cdk: {
      table: {
        // Production wishes and claims must survive a mistaken `sst remove` or a replaced stack.
        removalPolicy: stack.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        // ...and a delete through the console or the API as well: CloudFormation's Retain does not stop those.
        deletionProtection: stack.stage === "prod",
      },
    },
  });

  return { table };
}
