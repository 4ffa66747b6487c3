import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Data } from "../../stacks/Data.js";
import { synth } from "./synth.js";

// A file of its own: SST's project (and so the stage) is process-wide.
let data: Template;

beforeAll(async () => {
  await synth("prod", ["Data"]);
  const { getStack } = await import("sst/constructs");
  data = Template.fromStack(getStack(Data));
}, 180_000);

describe("Data stack in prod", () => {
  it("retains the table on delete and on replacement, refuses a delete from the console, with point-in-time recovery", () => {
    data.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true },
    });
    expect(Object.keys(data.findResources("AWS::DynamoDB::Table"))).toHaveLength(1);
  });
});
