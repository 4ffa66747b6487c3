import { signedPoster } from "./signed.js";

/** Where and as whom to call SQS; by default the Lambda's region and role (from the environment). */
export interface SqsConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** tries of one batch, the first included, while entries fail on SQS's side (3, as the SDK) */
  maxAttempts?: number;
}

/** The most entries one SendMessageBatch takes. */
export const batchLimit = 10;

/**
 * Sends messages to a queue, ten to a SendMessageBatch, over SQS's JSON protocol (a signed POST
 * with `X-Amz-Target`), as functions/aws/sns.ts does for SNS: the scheduler sends a handful of
 * batches a run and needs no SDK client for them. Entries SQS failed on its side (not the sender's
 * fault) are sent again after a short, growing wait; whatever still fails throws, naming the count.
 */
export function sqsSender(config: SqsConfig = {}, env: NodeJS.ProcessEnv = process.env) {
  const post = signedPoster({ service: "sqs", ...config, endpoint: config.endpoint ?? env.AWS_ENDPOINT_URL_SQS }, env);
  const attempts = Math.max(1, config.maxAttempts ?? 3);

  async function call(action: string, input: unknown): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    const res = await post({ "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` }, body);
    const text = await res.text();
    if (!res.ok) {
      const err = (() => {
        try {
          return JSON.parse(text);
        } catch {
          return {};
        }
      })();
      const type = String(err.__type ?? `Http${res.status}`)
        .split("#")
        .pop();
      throw new Error(`SQS ${action} failed: ${res.status} ${type} ${String(err.message ?? err.Message ?? text).slice(0, 200)}`);
    }
    return JSON.parse(text || "{}");
  }

  /** Sends every body to the queue; resolves once SQS has taken each of them. */
  return async function send(queueUrl: string, bodies: string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += batchLimit) {
      let entries = bodies.slice(start, start + batchLimit).map((MessageBody, i) => ({ Id: String(start + i), MessageBody }));
      for (let attempt = 1; entries.length; attempt++) {
        const out = await call("SendMessageBatch", { QueueUrl: queueUrl, Entries: entries });
        const failed = (out.Failed ?? []) as { Id: string; SenderFault?: boolean; Code?: string; Message?: string }[];
        if (!failed.length) break;
        const theirs = failed.filter((f) => !f.SenderFault);
        if (theirs.length < failed.length || attempt >= attempts) {
          const f = failed[0];
          throw new Error(`SQS refused ${failed.length} of ${entries.length} messages: ${f.Code ?? "?"} ${f.Message ?? ""}`.trim());
        }
        entries = entries.filter((e) => theirs.some((f) => f.Id === e.Id));
        await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
      }
    }
  };
}
