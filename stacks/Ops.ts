import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib/core";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { AwsCustomResource, PhysicalResourceId } from "aws-cdk-lib/custom-resources";
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import { type App, Function, type StackContext } from "sst/constructs";
import { logRetention } from "./logs.js";

/** Alarm thresholds, in one place for the README and the tests. */
export const thresholds = {
  /** a function's errors (crashes, timeouts) in five minutes */
  functionErrors: 1,
  /** a function's throttled invocations in five minutes */
  functionThrottles: 1,
  /** how far behind the stream consumer may fall before someone looks, in ms */
  iteratorAgeMs: 5 * 60_000,
  /** records given up on after every retry */
  deadLetters: 1,
  /** API answers 5xx in five minutes */
  api5xx: 5,
  /** SMS that SNS could not deliver, in fifteen minutes */
  smsFailures: 10,
  /** share of the month's SMS spend limit at which to warn */
  smsSpendShare: 0.8,
} as const;

/** The account's monthly SMS spend limit in USD, as requested from AWS (SMS_SPEND_LIMIT_USD, default 1000). */
export const smsSpendLimit = () => Number(process.env.SMS_SPEND_LIMIT_USD ?? 1000);

/**
 * The settings a function that sends SMS reads (plain environment variables of the `sst deploy` run):
 * the sender ID, and a domestic provider in place of SNS for SMS with its signature and template codes.
 */
export const smsSettingNames = [
  "SMS_SENDER_ID",
  "SMS_PROVIDER",
  "SMS_HTTP_URL",
  "SMS_HTTP_KEY",
  "SMS_SIGN_NAME",
  "SMS_TEMPLATE_CODES",
] as const;
export const smsEnvironment = (): Record<string, string> =>
  Object.fromEntries(smsSettingNames.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));

/** Addresses the alarms are mailed to (ALARM_EMAIL, comma-separated); each confirms once from its inbox. */
export const alarmEmails = () =>
  (process.env.ALARM_EMAIL ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

let operators: Topic | undefined;

/**
 * The operator's topic, and the alarms that are the account's rather than a stack's: SMS that failed
 * and the month's SMS spend (SNS reports both per region, not per topic).
 */
export function Ops({ stack }: StackContext) {
  const topic = new Topic(stack, "OperatorAlarms", { displayName: "Microwish alarms" });
  for (const email of alarmEmails()) topic.addSubscription(new EmailSubscription(email));
  operators = topic;

  // The account's SNS SMS preferences and SMS alarms only when SNS sends the SMS: not with a domestic
  // provider (SMS_PROVIDER=http), as a deployment in the China regions, where SNS sends none, needs.
  if ((process.env.SMS_PROVIDER ?? "sns") === "sns") {
    alarm(stack, "SmsFailures", {
      metric: new Metric({
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        // SMS published straight to a phone number, as every SMS here is.
        dimensionsMap: { PhoneNumber: "PhoneNumberDirect" },
        statistic: "Sum",
        period: Duration.minutes(15),
      }),
      threshold: thresholds.smsFailures,
      description: "SMS that SNS could not deliver (a carrier refusing, an unregistered template or sender)",
    });
    alarm(stack, "SmsSpend", {
      metric: new Metric({ namespace: "AWS/SNS", metricName: "SMSMonthToDateSpentUSD", statistic: "Maximum", period: Duration.hours(1) }),
      threshold: Math.round(smsSpendLimit() * thresholds.smsSpendShare),
      description: `SMS spend this month past ${thresholds.smsSpendShare * 100}% of the limit: at the limit SNS stops, sign-in codes too`,
    });

    smsPreferences(stack);
  }

  stack.addOutputs({ OperatorAlarmsTopicArn: topic.topicArn });
  return { operators: topic };
}

/** An alarm that mails the operators when the metric reaches the threshold; no data is no trouble. */
export function alarm(scope: Construct, id: string, props: { metric: IMetric; threshold: number; description: string }) {
  if (!operators) throw new Error("The Ops stack must come before any alarm");
  const made = new Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  made.addAlarmAction(new SnsAction(operators));
  return made;
}

/**
 * Errors and throttles of every function the app defines, each alarm in the function's own stack
 * (so no stack exports a function's name for another to import). Run once all stacks exist:
 * a function added later anywhere is watched without anyone remembering to.
 */
export function watchFunctions(app: App) {
  for (const fn of app.node.findAll().filter((c): c is Function => c instanceof Function)) {
    const scope = Stack.of(fn);
    const id = fn.node.path.split("/").slice(1).join("");
    const period = Duration.minutes(5);
    alarm(scope, `${id}Errors`, {
      metric: fn.metricErrors({ period, statistic: "Sum" }),
      threshold: thresholds.functionErrors,
      description: `${fn.node.path}: invocations that failed (a crash or a timeout)`,
    });
    alarm(scope, `${id}Throttles`, {
      metric: fn.metricThrottles({ period, statistic: "Sum" }),
      threshold: thresholds.functionThrottles,
      description: `${fn.node.path}: invocations refused for want of concurrency`,
    });
  }
}

/**
 * The account's SMS preferences in this region, set by the stack instead of by hand: transactional by
 * default, the monthly spend limit, the sender ID, and delivery-status logging of every SMS (successes
 * and failures) to CloudWatch Logs through a role SNS assumes. The two log groups SNS writes to are made
 * here first, so they expire like every other.
 */
function smsPreferences(stack: StackContext["stack"]) {
  const base = `sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber`;
  const removal = stack.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const groups = [base, `${base}/Failure`].map(
    (logGroupName, i) =>
      new LogGroup(stack, i ? "SmsDeliveryFailures" : "SmsDeliveries", { logGroupName, retention: logRetention, removalPolicy: removal }),
  );
  const role = new Role(stack, "SmsDeliveryStatusRole", {
    assumedBy: new ServicePrincipal("sns.amazonaws.com"),
    description: "Lets SNS log the delivery status of SMS",
  });
  role.addToPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: groups.flatMap((g) => [g.logGroupArn, `${g.logGroupArn}:log-stream:*`]),
    }),
  );
  const attributes: Record<string, string> = {
    DefaultSMSType: "Transactional",
    MonthlySpendLimit: String(smsSpendLimit()),
    DeliveryStatusIAMRole: role.roleArn,
    DeliveryStatusSuccessSamplingRate: "100",
    ...(process.env.SMS_SENDER_ID ? { DefaultSenderID: process.env.SMS_SENDER_ID } : {}),
  };
  const call = {
    service: "SNS",
    action: "setSMSAttributes",
    parameters: { attributes },
    physicalResourceId: PhysicalResourceId.of(`sms-preferences-${stack.stage}`),
  };
  const preferences = new AwsCustomResource(stack, "SmsPreferences", {
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: {
      statements: [
        // Account-wide settings: SNS has no resource to name for them.
        new PolicyStatement({ effect: Effect.ALLOW, actions: ["sns:SetSMSAttributes"], resources: ["*"] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ["iam:PassRole"], resources: [role.roleArn] }),
      ],
    },
  });
  for (const g of groups) preferences.node.addDependency(g);
  return preferences;
}
