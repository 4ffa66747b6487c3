import { Duration } from "aws-cdk-lib/core";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { Cron, Function, use, type StackContext } from "sst/constructs";
import { Data } from "./Data.js";
import { Notify } from "./Notify.js";

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
    environment: { TABLE_NAME: table.tableName, TOPIC_ARN: wishEvents.topicArn },
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
  ]);
  consumer.addEventSource(
    new DynamoEventSource(table.cdk.table, {
      startingPosition: StartingPosition.LATEST,
      batchSize: 25,
      // A failed publish fails its record: retried from there, the batch split to isolate it,
      // and after the retries set aside in the dead-letter queue rather than blocking the shard.
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(deadLetters),
      // Only event items are news; every other write to the table is left on the stream.
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual("INSERT"),
          dynamodb: { NewImage: { type: { S: FilterRule.isEqual("event") } } },
        }),
      ],
    }),
  );

  const jobs = new Cron(stack, "ScheduledJobs", {
    schedule: "rate(5 minutes)",
    job: {
      function: {
        handler: "functions/cron.handler",
        memorySize: "512 MB",
        timeout: "4 minutes",
        environment: { TABLE_NAME: table.tableName },
      },
    },
  });
  // Reminders and alerts are event items; the stream consumer sends them, so the jobs need no SNS.
  jobs.jobFunction.attachPermissions([
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

  stack.addOutputs({ StreamDeadLettersUrl: deadLetters.queueUrl });

  return { consumer, jobs, deadLetters };
}
