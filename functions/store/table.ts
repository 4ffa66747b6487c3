/**
 * The one table definition. `stacks/Data.ts` provisions it on AWS and the local boot
 * creates it in DynamoDB Local from the same object, so the two cannot drift.
 */
export const table = {
  partitionKey: "pk",
  sortKey: "sk",
  ttl: "expiresAt",
  stream: "NEW_AND_OLD_IMAGES",
  indexes: {
    /** wishes of a community by status, oldest first: `C#<community>#S#<status>` / `<createdAt>#<wish>` */
    byStatus: { partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    /** what a person owns: posted wishes (`W#...`) and claims (`CL#...`) under `U#<user>` */
    byUser: { partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    /** everything of a community in time order: wishes (`C#<c>#W`) and people (`C#<c>#U`) */
    byCommunity: { partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  },
} as const;

export type IndexName = keyof typeof table.indexes;

/** Attribute definitions and key schemas in DynamoDB's own API shape (CreateTable). */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([table.partitionKey, table.sortKey]);
  for (const ix of Object.values(table.indexes)) {
    attrs.add(ix.partitionKey);
    attrs.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: "S" as const })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: "HASH" as const },
      { AttributeName: table.sortKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: Object.entries(table.indexes).map(([IndexName, ix]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: "HASH" as const },
        { AttributeName: ix.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
  };
}
