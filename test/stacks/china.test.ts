/**
 * The app deployed to AWS China (Ningxia, cn-northwest-1, partition `aws-cn`): every template of
 * every stack names ARNs through the partition it is deployed in (`AWS::Partition`, CDK's
 * `Aws.PARTITION`, `stack.partition`), never a hard-coded `arn:aws:`, which no resource in China
 * has; and with SMS through a domestic provider, as SNS sends none there, no SNS SMS settings or
 * alarms. A file of its own: SST's project (and so the stage) is process-wide.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "sst/constructs";
import { synth } from "./synth.js";

const region = "cn-northwest-1";
const account = "210987654321";
let templates: Record<string, unknown>;

beforeAll(async () => {
  // SNS sends no SMS in the China regions: a deployment there sends them through a domestic provider.
  process.env.SMS_PROVIDER = "http";
  // Every stack but the web app's, whose build (Vite) has nothing to do with ARNs; it is synthesized inactive.
  let app: App;
  try {
    app = await synth("prod", ["Data", "Ops", "Notify", "Api", "Jobs", "Photos"], process.cwd(), { region, account });
  } finally {
    delete process.env.SMS_PROVIDER;
  }
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

  it("with SMS through a domestic provider, sets no SNS SMS preferences and raises no SNS SMS alarms", () => {
    const ops = templates["prod-microwish-Ops"] as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const resources = Object.values(ops.Resources);
    expect(resources.filter((r) => JSON.stringify(r.Properties ?? {}).includes("setSMSAttributes"))).toEqual([]);
    const alarms = Object.values(templates).flatMap((t) =>
      Object.values((t as typeof ops).Resources).filter((r) => r.Type === "AWS::CloudWatch::Alarm"),
    );
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((a) => a.Properties.Namespace === "AWS/SNS")).toEqual([]);
    const api = (templates["prod-microwish-Api"] as typeof ops).Resources;
    const env = Object.values(api)
      .filter((r) => r.Type === "AWS::Lambda::Function")
      .map((f) => (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
    expect(env.some((v) => v.SMS_PROVIDER === "http")).toBe(true);
  });
});
