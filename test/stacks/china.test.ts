/**
 * The app deployed to AWS China (Ningxia, cn-northwest-1, partition `aws-cn`): every template of
 * every stack names ARNs through the partition it is deployed in (`AWS::Partition`, CDK's
 * `Aws.PARTITION`, `stack.partition`), never a hard-coded `arn:aws:`, which no resource in China
 * has. A file of its own: SST's project (and so the stage) is process-wide.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "sst/constructs";
import { synth } from "./synth.js";

const region = "cn-northwest-1";
const account = "210987654321";
let templates: Record<string, unknown>;

beforeAll(async () => {
  // Every stack but the web app's, whose build (Vite) has nothing to do with ARNs; it is synthesized inactive.
  const app: App = await synth("prod", ["Data", "Ops", "Notify", "Api", "Jobs", "Photos"], process.cwd(), { region, account });
  const { Stack } = await import("aws-cdk-lib/core");
  const stacks = app.node.findAll().filter((c) => Stack.isStack(c)) as InstanceType<typeof Stack>[];
  const assembly = app.synth();
  templates = Object.fromEntries(stacks.map((s) => [s.stackName, assembly.getStackByName(s.stackName).template]));
}, 300_000);

/** Every string in a template with where it sits. */
function strings(value: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) strings(v, `${at}[${i}]`, out);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  return out;
}

describe("the app in cn-northwest-1", () => {
  it("synthesizes every stack of sst.config.ts in the China region", () => {
    expect(Object.keys(templates).sort()).toEqual(
      ["Api", "Data", "Jobs", "Notify", "Ops", "Photos", "Web"].map((s) => `prod-microwish-${s}`).sort(),
    );
    for (const [name, t] of Object.entries(templates))
      expect(Object.keys((t as { Resources?: object }).Resources ?? {}).length, name).toBeGreaterThan(0);
  });

  it("hard-codes no ARN of the aws partition in any template: each takes its partition from AWS::Partition", () => {
    const hardCoded = Object.entries(templates).flatMap(([name, t]) =>
      strings(t, name)
        .filter(([, s]) => s.includes("arn:aws:"))
        .map(([at, s]) => `${at}: ${s.slice(0, 120)}`),
    );
    expect(hardCoded).toEqual([]);
    // There are ARNs to get right: the ones the stacks build name their partition.
    const partitioned = Object.values(templates).flatMap((t) => strings(t, "").filter(([, s]) => s === "AWS::Partition"));
    expect(partitioned.length).toBeGreaterThan(10);
  });
});
