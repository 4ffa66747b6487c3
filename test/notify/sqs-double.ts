/**
 * Amazon SQS on the wire, for tests: a small HTTP server on 127.0.0.1 that speaks the JSON protocol
 * (a POST with `X-Amz-Target: AmazonSQS.<Action>`, a JSON body, a JSON answer). It takes
 * SendMessageBatch, keeps every message it accepted by queue URL in order, and can be told to fail
 * the next entries on its side, as SQS does (`Failed` with `SenderFault: false`). Requests must be
 * SigV4-signed for the sqs service; others are refused as SQS would.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SqsDouble {
  endpoint: string;
  /** messages accepted on the queue, in the order sent */
  messages(queueUrl: string): { messageId: string; body: string }[];
  /** the queue's messages as the event Lambda's SQS source hands a function, one message per event */
  events(queueUrl: string): { Records: { messageId: string; body: string }[] }[];
  /** SendMessageBatch calls received */
  batches: number;
  /** fail the next `n` entries sent, on SQS's side */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startSqsDouble(): Promise<SqsDouble> {
  const queues = new Map<string, { messageId: string; body: string }[]>();
  let failing = 0;
  const state = { batches: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify(body));
      };
      const auth = String(req.headers.authorization ?? "");
      if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[\w-]+\/sqs\/aws4_request/.test(auth))
        return answer(400, { __type: "com.amazonaws.sqs#MissingAuthenticationToken", message: "not signed for sqs" });
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target !== "AmazonSQS.SendMessageBatch" || req.headers["content-type"] !== "application/x-amz-json-1.0")
        return answer(400, { __type: "com.amazonaws.sqs#InvalidAction", message: `not served here: ${target}` });
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const entries = input.Entries as { Id: string; MessageBody: string }[];
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
        return answer(400, { __type: "com.amazonaws.sqs#TooManyEntriesInBatchRequest", message: "1 to 10 entries" });
      state.batches++;
      const queue = queues.get(input.QueueUrl) ?? [];
      queues.set(input.QueueUrl, queue);
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const e of entries) {
        if (failing > 0) {
          failing--;
          Failed.push({ Id: e.Id, SenderFault: false, Code: "InternalError", Message: "try again" });
          continue;
        }
        const messageId = randomUUID();
        queue.push({ messageId, body: e.MessageBody });
        Successful.push({ Id: e.Id, MessageId: messageId, MD5OfMessageBody: createHash("md5").update(e.MessageBody).digest("hex") });
      }
      answer(200, { Successful, Failed });
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    messages: (url) => [...(queues.get(url) ?? [])],
    events: (url) => (queues.get(url) ?? []).map((m) => ({ Records: [m] })),
    get batches() {
      return state.batches;
    },
    failNext(n) {
      failing = n;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
