/**
 * The alarms an operator is mailed: every function's errors and throttles, the stream falling behind,
 * records given up on, the API's 5xx, SMS failing and SMS spend nearing the month's limit. Each acts on
 * the operator topic, which mails ALARM_EMAIL. A file of its own: SST's project is process-wide.
 */
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Api } from "../../stacks/Api.js";
import { Data } from "../../stacks/Data.js";
import { Jobs } from "../../stacks/Jobs.js";
import { Notify } from "../../stacks/Notify.js";
import { Ops, thresholds } from "../../stacks/Ops.js";
import { synth } from "./synth.js";

type Json = Record<string, any>;
type Resource = { Type: string; Properties: Json };
const templates: Record<string, Template> = {};

beforeAll(async () => {
  process.env.ALARM_EMAIL = "ops@example.org, duty@example.org";
  process.env.SMS_SPEND_LIMIT_USD = "5000";
  try {
    await synth("test", ["Data", "Ops", "Notify", "Api", "Jobs"]);
  } finally {
    delete process.env.ALARM_EMAIL;
    delete process.env.SMS_SPEND_LIMIT_USD;
  }
  const sst = await import("sst/constructs");
  for (const [name, fn] of Object.entries({ Data, Ops, Notify, Api, Jobs })) templates[name] = Template.fromStack(sst.getStack(fn));
}, 300_000);

const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, Resource][];
const alarms = (name: string) => resources(templates[name], "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
const topicId = () => {
  const topics = resources(templates.Ops, "AWS::SNS::Topic");
  expect(topics).toHaveLength(1);
  return topics[0][0];
};

/** The alarm's action resolves to the operator topic (directly in Ops, or through its export elsewhere). */
function actsOnOperators(stack: string, a: Json) {
  expect(a.AlarmActions).toHaveLength(1);
  const [action] = a.AlarmActions;
  if (stack === "Ops") return expect(action).toEqual({ Ref: topicId() });
  const name = action["Fn::ImportValue"];
  const output = (Object.values(templates.Ops.toJSON().Outputs) as Json[]).find((o) => o.Export?.Name === name);
  expect(output?.Value, `${stack}: ${JSON.stringify(action)}`).toEqual({ Ref: topicId() });
}

describe("the operator topic", () => {
  it("mails every address in ALARM_EMAIL", () => {
    const subs = resources(templates.Ops, "AWS::SNS::Subscription").map(([, s]) => s.Properties);
    expect(subs.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ["email", "duty@example.org"],
      ["email", "ops@example.org"],
    ]);
    for (const s of subs) expect(s.TopicArn).toEqual({ Ref: topicId() });
  });

  it("is where every alarm in every stack acts, and only on breaching (missing data is no trouble)", () => {
    let count = 0;
    for (const stack of Object.keys(templates)) {
      for (const a of alarms(stack)) {
        count++;
        actsOnOperators(stack, a);
        expect(a.ComparisonOperator).toBe("GreaterThanOrEqualToThreshold");
        expect(a.TreatMissingData).toBe("notBreaching");
        expect(a.AlarmDescription).toBeTruthy();
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });
});

describe("functions", () => {
  it("each of the app's functions has an errors alarm and a throttles alarm on its own name", () => {
    const ours = ["Api", "Jobs"].flatMap((stack) =>
      resources(templates[stack], "AWS::Lambda::Function")
        .filter(([, f]) => /(^|\/)(api|stream|cron|jobs-shard)\.handler$/.test(f.Properties.Handler))
        .map(([id]) => ({ stack, id })),
    );
    expect(ours).toHaveLength(4);
    for (const { stack, id } of ours) {
      const mine = alarms(stack).filter(
        (a) => JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: "FunctionName", Value: { Ref: id } }]),
      );
      const byMetric = Object.fromEntries(mine.map((a) => [a.MetricName, a]));
      expect(Object.keys(byMetric), `${stack}/${id}`).toEqual(expect.arrayContaining(["Errors", "Throttles"]));
      expect(mine.filter((a) => a.MetricName === "Errors" || a.MetricName === "Throttles")).toHaveLength(2);
      expect(byMetric.Errors).toEqual(expect.objectContaining({ Namespace: "AWS/Lambda", Statistic: "Sum", Period: 300 }));
      expect(byMetric.Errors.Threshold).toBe(thresholds.functionErrors);
      expect(byMetric.Throttles.Threshold).toBe(thresholds.functionThrottles);
    }
  });
});

describe("the stream and its dead letters", () => {
  it("alarms when the consumer falls five minutes behind", () => {
    const [consumer] = resources(templates.Jobs, "AWS::Lambda::Function").find(([, f]) => /stream\.handler$/.test(f.Properties.Handler))!;
    const age = alarms("Jobs").filter((a) => a.MetricName === "IteratorAge");
    expect(age).toHaveLength(1);
    expect(age[0]).toEqual(expect.objectContaining({ Namespace: "AWS/Lambda", Statistic: "Maximum", Threshold: 300_000 }));
    expect(age[0].Dimensions).toEqual([{ Name: "FunctionName", Value: { Ref: consumer } }]);
  });

  it("alarms as soon as one record waits in a dead-letter queue: the stream's, and the scheduled jobs' shards'", () => {
    // The dead-letter queues are the ones no queue redrives from and nothing reads.
    const queues = resources(templates.Jobs, "AWS::SQS::Queue");
    const dead = queues.filter(([, q]) => !q.Properties.RedrivePolicy).map(([id]) => id);
    expect(dead).toHaveLength(2);
    const depth = alarms("Jobs").filter((a) => a.MetricName === "ApproximateNumberOfMessagesVisible");
    expect(depth).toHaveLength(2);
    for (const a of depth) expect(a).toEqual(expect.objectContaining({ Namespace: "AWS/SQS", Threshold: 1 }));
    expect(depth.map((a) => a.Dimensions[0].Value["Fn::GetAtt"][0]).sort()).toEqual(dead.sort());
  });
});

describe("the API", () => {
  it("alarms on 5xx answers of the HTTP API", () => {
    const [[apiId]] = resources(templates.Api, "AWS::ApiGatewayV2::Api");
    const errors = alarms("Api").filter((a) => a.MetricName === "5xx");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual(expect.objectContaining({ Namespace: "AWS/ApiGateway", Statistic: "Sum", Threshold: thresholds.api5xx }));
    expect(errors[0].Dimensions).toEqual([{ Name: "ApiId", Value: { Ref: apiId } }]);
  });
});

describe("SMS", () => {
  it("alarms when SMS sent straight to phones fail", () => {
    const failed = alarms("Ops").filter((a) => a.MetricName === "NumberOfNotificationsFailed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toEqual(expect.objectContaining({ Namespace: "AWS/SNS", Statistic: "Sum", Threshold: thresholds.smsFailures }));
    expect(failed[0].Dimensions).toEqual([{ Name: "PhoneNumber", Value: "PhoneNumberDirect" }]);
  });

  it("alarms at 80% of the month's SMS spend limit (SMS_SPEND_LIMIT_USD)", () => {
    const spend = alarms("Ops").filter((a) => a.MetricName === "SMSMonthToDateSpentUSD");
    expect(spend).toHaveLength(1);
    expect(spend[0]).toEqual(expect.objectContaining({ Namespace: "AWS/SNS", Statistic: "Maximum", Threshold: 4000 }));
  });
});

describe("SMS preferences", () => {
  it("the stack sets the account's SMS to transactional, the spend limit, and delivery-status logging through a role SNS assumes", () => {
    const prefs = resources(templates.Ops, "Custom::AWS");
    expect(prefs).toHaveLength(1);
    const create = JSON.stringify(prefs[0][1].Properties.Create);
    expect(create).toContain('\\"action\\":\\"setSMSAttributes\\"');
    expect(create).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    expect(create).toContain('\\"MonthlySpendLimit\\":\\"5000\\"');
    expect(create).toContain('\\"DeliveryStatusSuccessSamplingRate\\":\\"100\\"');
    const [roleId, role] = resources(templates.Ops, "AWS::IAM::Role").find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("sns.amazonaws.com"),
    )!;
    expect(role).toBeDefined();
    expect(create).toContain(`"DeliveryStatusIAMRole\\":\\"",{"Fn::GetAtt":["${roleId}","Arn"]}`);
    expect(JSON.stringify(prefs[0][1].Properties.Update)).toBe(JSON.stringify(prefs[0][1].Properties.Create));
  });

  it("SNS's delivery logs are groups the stack makes, kept a month, and the role may write only to them", () => {
    const groups = resources(templates.Ops, "AWS::Logs::LogGroup").filter(([, g]) =>
      JSON.stringify(g.Properties.LogGroupName ?? "").includes("DirectPublishToPhoneNumber"),
    );
    expect(groups.map(([, g]) => JSON.stringify(g.Properties.LogGroupName)).sort()).toEqual([
      JSON.stringify("sns/us-east-1/123456789012/DirectPublishToPhoneNumber"),
      JSON.stringify("sns/us-east-1/123456789012/DirectPublishToPhoneNumber/Failure"),
    ]);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(30);
    const [roleId] = resources(templates.Ops, "AWS::IAM::Role").find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("sns.amazonaws.com"),
    )!;
    const policies = resources(templates.Ops, "AWS::IAM::Policy").filter(
      ([, p]) => JSON.stringify(p.Properties.Roles) === `[{"Ref":"${roleId}"}]`,
    );
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    const ids = groups.map(([id]) => id);
    for (const r of statements[0].Resource) expect(ids.some((id) => JSON.stringify(r).includes(id))).toBe(true);
  });
});
