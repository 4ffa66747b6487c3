import { CfnResource, type IAspect, type RemovalPolicy, Stack } from "aws-cdk-lib/core";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";

/** How long function logs and the API's access log are kept: a month covers any incident's review. */
export const logRetention = RetentionDays.ONE_MONTH;

/**
 * Gives every Lambda function in the app (ours, SST's and CDK's custom-resource handlers alike) a log
 * group of its own with a retention, through the function's LoggingConfig: Lambda would otherwise
 * create `/aws/lambda/<name>` on first use, never expiring. The group exists before the function,
 * so no invocation during a deploy can race it.
 */
export class FunctionLogs implements IAspect {
  constructor(private readonly removal: RemovalPolicy) {}

  visit(node: IConstruct) {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== "AWS::Lambda::Function") return;
    const given =
      node instanceof CfnFunction
        ? (node.loggingConfig as { logGroup?: string } | undefined)?.logGroup
        : (node as unknown as { _cfnProperties?: { LoggingConfig?: { LogGroup?: string } } })._cfnProperties?.LoggingConfig?.LogGroup;
    if (given) return;
    const scope = node.node.scope ?? Stack.of(node);
    const group = new LogGroup(scope, `${node.node.id}Logs`, { retention: logRetention, removalPolicy: this.removal });
    node.addPropertyOverride("LoggingConfig.LogGroup", group.logGroupName);
  }
}
