import { Duration } from "aws-cdk-lib/core";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { Cron, Function, use, type StackContext } from "sst/constructs";
import { Data } from "./Data.js";
import { jobFanOut } from "../functions/core/jobs.js";
import { Notify } from "./Notify.js";
import { siteOriginParameter } from "./Api.js";
import { alarm, smsEnvironment, thresholds } from "./Ops.js";

/** The items whose insertion the stream handler acts on (functions/notify/stream-handler.ts). */
export const streamItemTypes = ["event", "activity-event", "notice", "digest"];

/** Concurrent batches per stream shard (1 to 10). */
export const streamParallelization = 4;

/** How the scheduled jobs fan out (functions/core/jobs.ts), for the tests and the README. */
export { jobFanOut };

export function Jobs({ stack }: StackContext) {
  const { table } = use(Data);
  const { wishEvents } = use(Notify);
  const tableAndIndexes = [table.tableArn, `${table.tableArn}/index/*`];

  // What the stream gives up on after its retries: the batch's shard and sequence numbers,
  // from which the records can be read again while the stream keeps them (24 hours).
  const deadLetters = new Queue(stack, "StreamDeadLetters", { retentionPeriod: Duration.days(14), enforceSSL: true });

  const consumer = new Function(stack, "StreamConsumer", {
    handler: "functions/stream.handler",
    memorySize: "512 MB",
    timeout: "1 minute",
    environment: {
      TABLE_NAME: table.tableName,
      TOPIC_ARN: wishEvents.topicArn,
      // Where the links in SMS lead: the web app's custom domain, else the site URL the Web stack writes.
      SITE_ORIGIN_PARAM: siteOriginParameter(stack),
      ...(process.env.SITE_ORIGIN ? { SITE_ORIGIN: process.env.SITE_ORIGIN } : {}),
      ...smsEnvironment(),
    },
  });
  consumer.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      // Reads people, wishes and claims; writes notifications (with their unread counters) only.
      actions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      resources: tableAndIndexes,
    }),
    new PolicyStatement({ effect: Effect.ALLOW, actions: ["sns:Publish"], resources: [wishEvents.topicArn] }),
    // SMS goes straight to phone numbers, and SNS only authorises direct-to-phone publishes
    // against "*"; this is the one unscoped grant.
    new PolicyStatement({ effect: Effect.ALLOW, actions: ["sns:Publish"], resources: ["*"] }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ssm:GetParameter"],
      resources: [`arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter${siteOriginParameter(stack)}`],
    }),
  ]);
  consumer.addEventSource(
    new DynamoEventSource(table.cdk.table, {
      startingPosition: StartingPosition.LATEST,
      batchSize: 25,
      // Batches from one shard run four at a time. Lambda still hands over records of one partition
      // key in order, and every event of a wish is keyed by the wish (pk `W#<wish>`), so each wish's
      // steps are told in the order they happened while a busy shard's other wishes go alongside.
      parallelizationFactor: streamParallelization,
      // A failed publish fails its record: retried from there, the batch split to isolate it,
      // and after the retries set aside in the dead-letter queue rather than blocking the shard.
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(deadLetters),
      // Inserted items the handler tells people of (a wish's or an activity's event, a notice staff sent,
      // a morning digest); writes to a community's figures move the figures of the units above it
      // (functions/core/rollups.ts). Every other write to the table is left on the stream.
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual("INSERT"),
          dynamodb: { NewImage: { type: { S: FilterRule.or(...streamItemTypes) } } },
        }),
        FilterCriteria.filter({
          eventName: FilterRule.or("INSERT", "MODIFY"),
          dynamodb: { NewImage: { type: { S: FilterRule.or("month-stats", "community-tally", "member-tally", "branch-tally") } } },
        }),
      ],
    }),
  );

  // A shard SQS gave up on after its tries, kept for a look; the next runs do its communities' jobs anyway.
  const shardDeadLetters = new Queue(stack, "JobShardDeadLetters", { retentionPeriod: Duration.days(14), enforceSSL: true });
  const shards = new Queue(stack, "JobShards", {
    // Lambda's advice for an SQS source: six times the function's timeout, so a shard under way is not offered twice.
    visibilityTimeout: Duration.seconds(6 * jobFanOut.workerTimeoutSeconds),
    // A shard not taken within the hour is stale: twelve runs have been scheduled since.
    retentionPeriod: Duration.hours(1),
    enforceSSL: true,
    deadLetterQueue: { queue: shardDeadLetters, maxReceiveCount: jobFanOut.tries },
  });

  const jobs = new Cron(stack, "ScheduledJobs", {
    schedule: "rate(5 minutes)",
    job: {
      function: {
        handler: "functions/cron.handler",
        memorySize: "256 MB",
        timeout: "1 minute",
        environment: {
          TABLE_NAME: table.tableName,
          JOBS_QUEUE_URL: shards.queueUrl,
          ...(process.env.JOBS_SHARD_SIZE ? { JOBS_SHARD_SIZE: process.env.JOBS_SHARD_SIZE } : {}),
        },
      },
    },
  });
  // The scheduler reads the community registry's one partition and sends the shards; nothing else.
  jobs.jobFunction.attachPermissions([
    new PolicyStatement({ effect: Effect.ALLOW, actions: ["dynamodb:Query"], resources: [table.tableArn] }),
    new PolicyStatement({ effect: Effect.ALLOW, actions: ["sqs:SendMessage"], resources: [shards.queueArn] }),
  ]);

  const worker = new Function(stack, "JobShardWorker", {
    handler: "functions/jobs-shard.handler",
    memorySize: "512 MB",
    timeout: jobFanOut.workerTimeoutSeconds,
    environment: { TABLE_NAME: table.tableName },
  });
  // Reminders and alerts are event items; the stream consumer sends them, so the jobs need no SNS.
  worker.attachPermissions([
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
      ],
      resources: tableAndIndexes,
    }),
  ]);
  // One shard per invocation: a failure sends back that shard alone, and an invocation lasts a shard's time.
  worker.addEventSource(new SqsEventSource(shards, { batchSize: 1, maxConcurrency: jobFanOut.workers, reportBatchItemFailures: true }));

  alarm(stack, "StreamIteratorAge", {
    metric: consumer.metric("IteratorAge", { statistic: "Maximum", period: Duration.minutes(5) }),
    threshold: thresholds.iteratorAgeMs,
    description: "The stream consumer is behind: notifications and SMS go out late (records older than 24 hours are lost)",
  });
  alarm(stack, "StreamDeadLettersWaiting", {
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: "Maximum", period: Duration.minutes(5) }),
    threshold: thresholds.deadLetters,
    description: "Stream records given up on after every retry: read them again from the stream within 24 hours",
  });

  alarm(stack, "JobShardDeadLettersWaiting", {
    metric: shardDeadLetters.metricApproximateNumberOfMessagesVisible({ statistic: "Maximum", period: Duration.minutes(5) }),
    threshold: thresholds.deadLetters,
    description: "A shard of the scheduled jobs failed every try: its communities' jobs fail each run (see the worker's log)",
  });

  stack.addOutputs({ StreamDeadLettersUrl: deadLetters.queueUrl, JobShardDeadLettersUrl: shardDeadLetters.queueUrl });

  return { consumer, jobs, deadLetters, shards, worker };
}
