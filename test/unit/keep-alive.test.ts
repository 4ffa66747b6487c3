/**
 * A body refused for its size on a kept-alive connection: the local server answers 413 before
 * the body has arrived, and the client's next request, on the same agent, is still answered.
 * Nothing here touches the table: sending a code refuses the body before it reads anything.
 */
import { Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/app/index.js";
import { serveNode } from "../../functions/app/node-server.js";

let server: ReturnType<typeof serveNode>;
let port: number;
beforeAll(async () => {
  const app = createApp({ store: {} as never, notifier: {} as never, secret: async () => "unused", publicUrl: () => "http://127.0.0.1" });
  server = serveNode({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function send(agent: Agent, method: string, path: string, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const headers = body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) };
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      res.on("error", reject);
    });
    // The upload is cut short by the answer: what the client sees is the answer.
    req.on("error", (err) => (req.writableFinished ? reject(err) : undefined));
    req.end(body);
  });
}

describe("a body past its limit on a kept-alive connection", () => {
  it("is answered 413 with Connection: close, and the next request on the same agent is answered", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = JSON.stringify({ phone: "13800138000", padding: "x".repeat(300 * 1024) });
      const refused = await send(agent, "POST", "/api/auth/otp", big);
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text)).toMatchObject({ status: 413, code: "request.too_large" });
      expect(refused.headers.connection).toBe("close");

      const next = await Promise.race([
        send(agent, "GET", "/api/health"),
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error("the second request got no answer")), 5000)),
      ]);
      expect(next.status).toBe(200);
      expect(JSON.parse(next.text)).toEqual({ ok: true });
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection of a request whose body was read to its end", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, "POST", "/api/auth/otp", JSON.stringify({ phone: "not a phone" }));
      expect(refused.status).toBe(422);
      expect(refused.headers.connection).toBe("keep-alive");
      expect((await send(agent, "GET", "/api/health")).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
