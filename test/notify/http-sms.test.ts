/**
 * A domestic SMS provider in place of SNS for SMS, chosen by configuration (SMS_PROVIDER=http): the
 * Lambda stream entry sends each SMS as a registered template and its variables to a provider double
 * on loopback speaking a JSON API, while new wishes still go to the SNS topic (a double too).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { httpSmsNotifier } from "../../functions/notify/http-sms.js";
import { community, newWish, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "./feed.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

type Sent = { authorization?: string; body: any };
const sent: Sent[] = [];
let answers: number[] = [];
const provider = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const status = answers.shift() ?? 200;
    sent.push({ authorization: req.headers.authorization, body: JSON.parse(body) });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(status === 200 ? { code: "OK", bizId: "123" } : { code: "isv.BUSINESS_LIMIT_CONTROL" }));
  });
});
const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
let url: string;
let api: Api;
let sns: SnsDouble;
let c: TestCommunity;
let stream: (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  api = await startApi();
  sns = await startSnsDouble();
  c = await community(api.store, { members: 1, residents: 1 });
  await new Promise<void>((ready) => provider.listen(0, "127.0.0.1", ready));
  url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/sms/send`;
  Object.assign(process.env, {
    TABLE_NAME: api.store.table,
    TOPIC_ARN: topicArn,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: inject("dynamoEndpoint"),
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    SITE_ORIGIN: "https://mw.example.cn",
    SMS_PROVIDER: "http",
    SMS_HTTP_URL: url,
    SMS_HTTP_KEY: "provider-key",
    SMS_SIGN_NAME: "微心愿",
    SMS_TEMPLATE_CODES: JSON.stringify({ "task-confirmed.zh-CN": "SMS_271600001" }),
  });
  ({ handler: stream } = (await import("../../functions/stream.js")) as any);
}, 60_000);
afterAll(async () => {
  await sns?.close();
  await api?.close();
  await new Promise<void>((done) => provider.close(() => done()));
});
beforeEach(() => {
  sent.length = 0;
  answers = [];
  sns.reset();
});

describe("SMS through a domestic provider, by configuration", () => {
  it("sends the registered template code and its variables, never the wish's text; new wishes still go to the SNS topic", async () => {
    const feed = streamFeed(api.store);
    const id = (await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, { title: "帮王奶奶取药" }) })).body.id;
    expect((await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } })).status).toBe(
      200,
    );
    expect((await api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] })).status).toBe(200);
    expect(await stream(await feed.next())).toEqual({ batchItemFailures: [] });
    feed.close();

    expect(sent).toEqual([
      {
        authorization: "Bearer provider-key",
        body: {
          phone: c.members[0].phone,
          signName: "微心愿",
          templateCode: "SMS_271600001",
          params: { link: `https://mw.example.cn/wishes/${id}`, time: "见详情" },
        },
      },
    ]);
    expect(JSON.stringify(sent)).not.toContain("帮王奶奶取药");
    // No SMS through SNS; the topic still hears of the new wish.
    expect(sns.publishes.filter((p) => p.phoneNumber)).toEqual([]);
    expect(sns.accepted().filter((p) => p.topicArn === topicArn).length).toBeGreaterThan(0);
  });

  it("a provider throttling or failing fails the record, to be retried; a refusal is not retried", async () => {
    const feed = streamFeed(api.store);
    const id = (await api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id) })).body.id;
    await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } });
    await api.call("POST", `/api/wishes/${id}/claim`, { as: c.members[0] });
    const batch = await feed.next();
    answers = [503];
    const failed = await stream(batch);
    expect(failed.batchItemFailures).toHaveLength(1);
    // Retried from the failed record: the SMS goes this time, once.
    expect(await stream(batch)).toEqual({ batchItemFailures: [] });
    expect(sent.filter((s) => s.body.phone === c.members[0].phone).map((s) => s.body.params.link)).toEqual([
      `https://mw.example.cn/wishes/${id}`,
      `https://mw.example.cn/wishes/${id}`,
    ]);
    feed.close();
  });
});

describe("the provider adapter", () => {
  const notifier = () => httpSmsNotifier({ url, key: "k", signName: "微心愿" }, { publish: async () => {} });

  it("names a template by its id and language when no provider code is configured", async () => {
    await notifier().send({
      to: "+8613900000009",
      channel: "sms",
      kind: "sign-in",
      text: "【微心愿】您的登录验证码是 123456，5分钟内有效。",
      template: { id: "sign-in", lang: "zh-CN", vars: { code: "123456" } },
    });
    expect(sent.at(-1)?.body).toEqual({
      phone: "+8613900000009",
      signName: "微心愿",
      templateCode: "sign-in.zh-CN",
      params: { code: "123456" },
    });
  });

  it("refuses free text (no template) before anything is sent, as a refusal not worth retrying", async () => {
    const err = await notifier()
      .send({ to: "+8613900000009", channel: "sms", kind: "notice", text: "自由文本" })
      .catch((e) => e);
    expect(err.$fault).toBe("client");
    expect(sent).toEqual([]);
  });

  it("a 4xx is a refusal (not retried), a 429 or 5xx a fault (retried)", async () => {
    const template = { id: "sign-in" as const, lang: "zh-CN" as const, vars: { code: "1" } };
    const message = { to: "+8613900000009", channel: "sms" as const, kind: "sign-in", text: "x", template };
    for (const [status, fault] of [
      [400, "client"],
      [429, "server"],
      [500, "server"],
    ] as const) {
      answers = [status];
      const err = await notifier()
        .send(message)
        .catch((e) => e);
      expect(err.$fault, String(status)).toBe(fault);
    }
  });
});
