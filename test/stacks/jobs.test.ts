/**
 * The Jobs stack as synthesized from sst.config.ts: the stream consumer with its retries, bisection,
 * item failures and dead-letter queue, the schedule and its fan-out (a queue of community shards and
 * the worker that takes them), and rights scoped to what each function does.
 * A file of its own: SST's project (and so the stage) is process-wide.
 */
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Data } from "../../stacks/Data.js";
import { jobFanOut, Jobs } from "../../stacks/Jobs.js";
import { Notify } from "../../stacks/Notify.js";
import { list, synth, type Statement } from "./synth.js";

type Json = Record<string, any>;
type Resource = { Type: string; Properties: Json };

let data: Template;
let notify: Template;
let jobs: Template;

beforeAll(async () => {
  await synth("test", ["Data", "Notify", "Jobs"]);
  const { getStack } = await import("sst/constructs");
  data = Template.fromStack(getStack(Data));
  notify = Template.fromStack(getStack(Notify));
  jobs = Template.fromStack(getStack(Jobs));
}, 180_000);

const only = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type)) as [string, Resource][];
  expect(found).toHaveLength(1);
  return found[0];
};

/** The value a cross-stack `Fn::ImportValue` resolves to in the exporting stack. */
const exported = (from: Template, ref: unknown): unknown => {
  const name = (ref as Json)?.["Fn::ImportValue"];
  expect(name, JSON.stringify(ref)).toBeTypeOf("string");
  const output = (Object.values(from.toJSON().Outputs ?? {}) as Json[]).find((o) => o.Export?.Name === name);
  expect(output, `export ${name}`).toBeDefined();
  return output!.Value;
};

const fn = (handler: RegExp): [string, Resource] => {
  const found = (Object.entries(jobs.findResources("AWS::Lambda::Function")) as [string, Resource][]).filter(([, f]) =>
    handler.test(f.Properties.Handler ?? ""),
  );
  expect(found).toHaveLength(1);
  return found[0];
};
const consumer = () => fn(/(^|\/)stream\.handler$/);
const cron = () => fn(/(^|\/)cron\.handler$/);
const worker = () => fn(/(^|\/)jobs-shard\.handler$/);

/** The event source mapping that feeds the function `id`. */
const mappingOf = (id: string): Resource => {
  const found = (Object.values(jobs.findResources("AWS::Lambda::EventSourceMapping")) as Resource[]).filter(
    (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: id }),
  );
  expect(found).toHaveLength(1);
  return found[0];
};
const streamMapping = () => mappingOf(consumer()[0]);
const queues = () => Object.entries(jobs.findResources("AWS::SQS::Queue")) as [string, Resource][];
/** The queue of shards: the one that sets its failures aside in a dead-letter queue. */
const shardQueue = (): [string, Resource] => {
  const found = queues().filter(([, q]) => q.Properties.RedrivePolicy);
  expect(found).toHaveLength(1);
  return found[0];
};

const statementsOf = ([, f]: [string, Resource]): Statement[] => {
  const roleId = f.Properties.Role["Fn::GetAtt"][0];
  const policies = Object.values(jobs.findResources("AWS::IAM::Policy")) as Resource[];
  const mine = policies.filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
  expect(mine.length).toBeGreaterThan(0);
  return mine.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};
const granting = (statements: Statement[], prefix: string) => statements.filter((s) => list(s.Action).some((a) => a.startsWith(prefix)));

const tableId = () => only(data, "AWS::DynamoDB::Table")[0];
const topicId = () => only(notify, "AWS::SNS::Topic")[0];

describe("stream consumer", () => {
  it("runs functions/stream.handler with the table's name and the topic's ARN", () => {
    const [, f] = consumer();
    expect(f.Properties.Runtime).toBe("nodejs22.x");
    expect(f.Properties.Code.S3Key, "bundled code").toBeDefined();
    const env = f.Properties.Environment.Variables;
    expect(exported(data, env.TABLE_NAME)).toEqual({ Ref: tableId() });
    expect(exported(notify, env.TOPIC_ARN)).toEqual({ Ref: topicId() });
  });

  it("reads the table's stream from the latest record, retrying, bisecting, reporting item failures", () => {
    const p = streamMapping().Properties;
    expect(exported(data, p.EventSourceArn)).toEqual({ "Fn::GetAtt": [tableId(), "StreamArn"] });
    expect(JSON.stringify(p.FunctionName)).toContain(consumer()[0]);
    expect(p.StartingPosition).toBe("LATEST");
    expect(p.BisectBatchOnFunctionError).toBe(true);
    expect(p.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(p.MaximumRetryAttempts).toBeGreaterThanOrEqual(3);
    expect(p.MaximumRetryAttempts).toBeLessThanOrEqual(20);
    expect(p.BatchSize).toBeLessThanOrEqual(100);
  });

  it("hands over inserted items the handler tells people of, and writes to a community's figures", () => {
    const patterns = streamMapping().Properties.FilterCriteria.Filters.map((f: Json) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { eventName: ["INSERT"], dynamodb: { NewImage: { type: { S: ["event", "activity-event", "notice", "digest"] } } } },
      {
        eventName: ["INSERT", "MODIFY"],
        dynamodb: { NewImage: { type: { S: ["month-stats", "community-tally", "member-tally", "branch-tally"] } } },
      },
    ]);
  });

  it("sends what fails every retry to an SQS dead-letter queue that keeps it 14 days", () => {
    const destination = streamMapping().Properties.DestinationConfig.OnFailure.Destination;
    const [queueId, queue] = queues().find(([id]) => JSON.stringify(destination) === JSON.stringify({ "Fn::GetAtt": [id, "Arn"] }))!;
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const sqs = granting(statementsOf(consumer()), "sqs:");
    expect(sqs.flatMap((s) => list(s.Action))).toContain("sqs:SendMessage");
    for (const s of sqs) expect(list(s.Resource)).toEqual([{ "Fn::GetAtt": [queueId, "Arn"] }]);
    expect(Object.keys(jobs.findOutputs("StreamDeadLettersUrl"))).toHaveLength(1);
  });

  it("may read the stream, and the table and its indexes, with item actions only", () => {
    const statements = statementsOf(consumer());
    const stream = statements.filter((s) => list(s.Action).some((a) => /dynamodb:(GetRecords|GetShardIterator|DescribeStream)/.test(a)));
    expect(stream.length).toBeGreaterThan(0);
    for (const s of stream) {
      for (const r of list(s.Resource)) {
        if (r === "*") expect(list(s.Action)).toEqual(["dynamodb:ListStreams"]);
        else expect(exported(data, r)).toEqual({ "Fn::GetAtt": [tableId(), "StreamArn"] });
      }
    }
    const items = granting(statements, "dynamodb:").filter((s) => !stream.includes(s) && !list(s.Action).includes("dynamodb:ListStreams"));
    expect(items).toHaveLength(1);
    expect(list(items[0].Action).sort()).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    const [table, indexes] = list(items[0].Resource) as Json[];
    expect(exported(data, table)).toEqual({ "Fn::GetAtt": [tableId(), "Arn"] });
    expect(indexes).toEqual({ "Fn::Join": ["", [table, "/index/*"]] });
  });

  it("publishes to the wish-events topic, and to '*' only for direct SMS", () => {
    const sns = granting(statementsOf(consumer()), "sns:");
    for (const s of sns) expect(list(s.Action)).toEqual(["sns:Publish"]);
    const resources = sns.flatMap((s) => list(s.Resource));
    expect(resources).toHaveLength(2);
    expect(resources).toContain("*");
    expect(
      exported(
        notify,
        resources.find((r) => r !== "*"),
      ),
    ).toEqual({ Ref: topicId() });
  });
});

describe("scheduled jobs", () => {
  it("the scheduler runs functions/cron.handler every five minutes, given the table and the shard queue", () => {
    const [id, f] = cron();
    const [, rule] = only(jobs, "AWS::Events::Rule");
    expect(rule.Properties.ScheduleExpression).toBe("rate(5 minutes)");
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { "Fn::GetAtt": [id, "Arn"] } })]);
    const env = f.Properties.Environment.Variables;
    expect(exported(data, env.TABLE_NAME)).toEqual({ Ref: tableId() });
    expect(env.JOBS_QUEUE_URL).toEqual({ Ref: shardQueue()[0] });
    expect(f.Properties.Timeout).toBeLessThanOrEqual(60);
  });

  it("the scheduler may read the table (the registry's partition) and send to the shard queue, nothing else but X-Ray", () => {
    const all = statementsOf(cron());
    const other = all.flatMap((s) => list(s.Action)).filter((a) => !/^(dynamodb|sqs|xray):/.test(a));
    expect(other).toEqual([]);
    const reads = granting(all, "dynamodb:");
    expect(reads.flatMap((s) => list(s.Action))).toEqual(["dynamodb:Query"]);
    expect(reads.flatMap((s) => list(s.Resource)).map((r) => exported(data, r))).toEqual([{ "Fn::GetAtt": [tableId(), "Arn"] }]);
    const sends = granting(all, "sqs:");
    expect(sends.flatMap((s) => list(s.Action))).toEqual(["sqs:SendMessage"]);
    expect(sends.flatMap((s) => list(s.Resource))).toEqual([{ "Fn::GetAtt": [shardQueue()[0], "Arn"] }]);
  });

  it("the shard queue hands functions/jobs-shard.handler one shard at a time, at most 20 at once, item failures reported", () => {
    const [id, f] = worker();
    expect(f.Properties.Runtime).toBe("nodejs22.x");
    expect(exported(data, f.Properties.Environment.Variables.TABLE_NAME)).toEqual({ Ref: tableId() });
    expect(f.Properties.Timeout).toBe(jobFanOut.workerTimeoutSeconds);
    const p = mappingOf(id).Properties;
    expect(p.EventSourceArn).toEqual({ "Fn::GetAtt": [shardQueue()[0], "Arn"] });
    expect(p.BatchSize).toBe(1);
    expect(p.ScalingConfig).toEqual({ MaximumConcurrency: 20 });
    expect(p.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });

  it("a shard is offered again only after six worker timeouts, and after three tries is set aside 14 days, with an alarm", () => {
    const [, queue] = shardQueue();
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * jobFanOut.workerTimeoutSeconds);
    expect(queue.Properties.MessageRetentionPeriod).toBe(3600);
    const redrive = queue.Properties.RedrivePolicy;
    expect(redrive.maxReceiveCount).toBe(3);
    const [deadId, dead] = queues().find(
      ([id]) => JSON.stringify(redrive.deadLetterTargetArn) === JSON.stringify({ "Fn::GetAtt": [id, "Arn"] }),
    )!;
    expect(dead.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const alarms = (Object.values(jobs.findResources("AWS::CloudWatch::Alarm")) as Resource[]).filter(
      (a) =>
        JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: "QueueName", Value: { "Fn::GetAtt": [deadId, "QueueName"] } }]),
    );
    expect(alarms.map((a) => [a.Properties.MetricName, a.Properties.Threshold])).toEqual([["ApproximateNumberOfMessagesVisible", 1]]);
    expect(Object.keys(jobs.findOutputs("JobShardDeadLettersUrl"))).toHaveLength(1);
  });

  it("the worker may use the table and its indexes with item actions only, take from the shard queue, and nothing else", () => {
    const all = statementsOf(worker());
    expect(all.flatMap((s) => list(s.Action)).filter((a) => !/^(dynamodb|sqs|xray):/.test(a))).toEqual([]);
    const statements = granting(all, "dynamodb:");
    expect(statements).toHaveLength(1);
    expect(list(statements[0].Action).sort()).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    const [table] = list(statements[0].Resource) as Json[];
    expect(exported(data, table)).toEqual({ "Fn::GetAtt": [tableId(), "Arn"] });
    const sqs = granting(all, "sqs:");
    expect(sqs.flatMap((s) => list(s.Action))).not.toContain("sqs:SendMessage");
    expect(sqs.flatMap((s) => list(s.Action))).toEqual(expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage"]));
    for (const s of sqs) expect(list(s.Resource)).toEqual([{ "Fn::GetAtt": [shardQueue()[0], "Arn"] }]);
  });
});

describe("the Jobs stack", () => {
  it("never grants a wildcard action, nor any DynamoDB action on '*' but listing streams", () => {
    const policies = Object.values(jobs.findResources("AWS::IAM::Policy")) as Resource[];
    for (const s of policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])) {
      const actions = list(s.Action);
      expect(actions.some((a) => a === "*" || a.endsWith(":*"))).toBe(false);
      if (actions.some((a) => a.startsWith("dynamodb:")) && list(s.Resource).includes("*"))
        expect(actions).toEqual(["dynamodb:ListStreams"]);
    }
  });
});
