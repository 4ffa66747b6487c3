/**
 * Amazon SNS on the wire, for tests: a small HTTP server on 127.0.0.1 that speaks the query
 * protocol @aws-sdk/client-sns uses (a form-encoded POST with `Action=Publish&...`, answered in
 * XML). It records every Publish that arrives, and can be told to fail the next ones the way SNS
 * does: a 500 InternalError, a 400 Throttling, or a 400 InvalidParameter.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Publish {
  phoneNumber?: string;
  topicArn?: string;
  message: string;
  attributes: Record<string, { dataType: string; value: string }>;
  /** whether the double answered it with success */
  accepted: boolean;
}

type Failure = "internal" | "throttling" | "invalid";

const ns = "http://sns.amazonaws.com/doc/2010-03-31/";

function errorXml(type: string, code: string, message: string) {
  return `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

const failures: Record<Failure, { status: number; body: () => string }> = {
  internal: { status: 500, body: () => errorXml("Receiver", "InternalError", "Internal error") },
  throttling: { status: 400, body: () => errorXml("Sender", "Throttling", "Rate exceeded") },
  invalid: { status: 400, body: () => errorXml("Sender", "InvalidParameter", "Invalid parameter: PhoneNumber Reason: not a valid number") },
};

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue`, back into a map. */
function attributesOf(form: URLSearchParams) {
  const out: Publish["attributes"] = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    out[form.get(`MessageAttributes.entry.${n}.Name`)!] = {
      dataType: form.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? "",
      value: form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? "",
    };
  }
  return out;
}

export async function startSnsDouble() {
  const publishes: Publish[] = [];
  const requests: { contentType: string; action: string | null }[] = [];
  let planned: Failure[] = [];
  let failing: Failure | undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const action = form.get("Action");
      requests.push({ contentType: String(req.headers["content-type"] ?? ""), action });
      res.setHeader("content-type", "text/xml");
      if (req.method !== "POST" || action !== "Publish") {
        res.statusCode = 400;
        res.end(errorXml("Sender", "InvalidAction", `Could not find operation ${action}`));
        return;
      }
      const failure = planned.shift() ?? failing;
      const publish: Publish = {
        phoneNumber: form.get("PhoneNumber") ?? undefined,
        topicArn: form.get("TopicArn") ?? undefined,
        message: form.get("Message") ?? "",
        attributes: attributesOf(form),
        accepted: !failure,
      };
      publishes.push(publish);
      if (failure) {
        res.statusCode = failures[failure].status;
        res.end(failures[failure].body());
        return;
      }
      res.end(
        `<PublishResponse xmlns="${ns}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    /** client settings that reach this double, with the SDK's own retries off unless asked */
    config: (maxAttempts = 1) => ({
      endpoint,
      region: "ap-southeast-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts,
    }),
    publishes,
    requests,
    /** publishes SNS accepted */
    accepted: () => publishes.filter((p) => p.accepted),
    /** fail the next publishes, one failure each, in order */
    failNext: (...kinds: Failure[]) => {
      planned.push(...kinds);
    },
    /** fail every publish until told otherwise */
    failAll: (kind: Failure | undefined) => {
      failing = kind;
    },
    reset: () => {
      publishes.length = 0;
      requests.length = 0;
      planned = [];
      failing = undefined;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
export type SnsDouble = Awaited<ReturnType<typeof startSnsDouble>>;
