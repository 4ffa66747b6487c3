/**
 * Amazon SNS on the wire, for tests: a small HTTP server on 127.0.0.1 that speaks the query
 * protocol @aws-sdk/client-sns uses (a form-encoded POST with `Action=Publish&...`, answered in
 * XML). It records every Publish that arrives, and can be told to fail the next ones the way SNS
 * does (any action): a 500 InternalError, a 400 Throttling, or a 400 InvalidParameter. It also keeps
 * subscriptions as SNS does (Subscribe, SetSubscriptionAttributes, Unsubscribe): one per topic,
 * protocol and endpoint; subscribing again with other attributes is refused.
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

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
}

const ns = "http://sns.amazonaws.com/doc/2010-03-31/";

function errorXml(type: string, code: string, message: string) {
  const error = `<Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>`;
  return `<ErrorResponse xmlns="${ns}">${error}<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
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

/** `Attributes.entry.N.key` / `.value`, the query protocol's form of a string map. */
function mapOf(form: URLSearchParams, name: string) {
  const out: Record<string, string> = {};
  for (let n = 1; form.has(`${name}.entry.${n}.key`); n++)
    out[form.get(`${name}.entry.${n}.key`)!] = form.get(`${name}.entry.${n}.value`) ?? "";
  return out;
}

const done = (action: string, result = "") =>
  `<${action}Response xmlns="${ns}">${result}` +
  `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

export async function startSnsDouble() {
  const subscriptions = new Map<string, Subscription>();
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
      const refuse = (status: number, code: string, message: string) => {
        res.statusCode = status;
        res.end(errorXml("Sender", code, message));
      };
      const known = ["Publish", "Subscribe", "SetSubscriptionAttributes", "Unsubscribe"];
      if (req.method !== "POST" || !known.includes(action ?? "")) {
        return refuse(400, "InvalidAction", `Could not find operation ${action}`);
      }
      const failure = planned.shift() ?? failing;
      if (action === "Publish") {
        publishes.push({
          phoneNumber: form.get("PhoneNumber") ?? undefined,
          topicArn: form.get("TopicArn") ?? undefined,
          message: form.get("Message") ?? "",
          attributes: attributesOf(form),
          accepted: !failure,
        });
      }
      if (failure) {
        res.statusCode = failures[failure].status;
        res.end(failures[failure].body());
        return;
      }
      if (action === "Subscribe") {
        const wanted = { topicArn: form.get("TopicArn") ?? "", protocol: form.get("Protocol") ?? "", endpoint: form.get("Endpoint") ?? "" };
        const attributes = mapOf(form, "Attributes");
        const same = [...subscriptions.values()].find(
          (x) => x.topicArn === wanted.topicArn && x.protocol === wanted.protocol && x.endpoint === wanted.endpoint,
        );
        if (same && Object.entries(attributes).some(([k, v]) => same.attributes[k] !== v)) {
          return refuse(
            400,
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
          );
        }
        const sub = same ?? { arn: `${wanted.topicArn}:${randomUUID()}`, ...wanted, attributes };
        subscriptions.set(sub.arn, sub);
        return res.end(done("Subscribe", `<SubscribeResult><SubscriptionArn>${sub.arn}</SubscriptionArn></SubscribeResult>`));
      }
      if (action === "SetSubscriptionAttributes") {
        const sub = subscriptions.get(form.get("SubscriptionArn") ?? "");
        if (!sub) return refuse(404, "NotFound", "Subscription does not exist");
        sub.attributes[form.get("AttributeName") ?? ""] = form.get("AttributeValue") ?? "";
        return res.end(done("SetSubscriptionAttributes"));
      }
      if (action === "Unsubscribe") {
        if (!subscriptions.delete(form.get("SubscriptionArn") ?? "")) return refuse(404, "NotFound", "Subscription does not exist");
        return res.end(done("Unsubscribe"));
      }
      res.end(
        `<PublishResponse xmlns="${ns}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
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
    /** the subscriptions SNS holds now */
    subscriptions,
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
      subscriptions.clear();
      planned = [];
      failing = undefined;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
export type SnsDouble = Awaited<ReturnType<typeof startSnsDouble>>;
