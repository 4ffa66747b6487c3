/**
 * The SNS adapter against SNS's wire protocol: @aws-sdk/client-sns talks to a double on 127.0.0.1
 * that reads the form-encoded query request and answers in SNS's XML, and records what arrived.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { retryable, snsNotifier } from "../../functions/notify/sns.js";
import { startSnsDouble, type SnsDouble } from "./sns-double.js";

const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:wish-events";
let sns: SnsDouble;

beforeAll(async () => {
  sns = await startSnsDouble();
});
afterAll(() => sns.close());
beforeEach(() => sns.reset());

describe("SMS straight to a phone", () => {
  it("publishes to the phone number, marked transactional, as a form-encoded Publish", async () => {
    const notifier = snsNotifier({ ...sns.config(), topicArn });
    await notifier.send({
      to: "+8613900000001",
      channel: "sms",
      kind: "task-confirmed",
      text: "【微心愿】您已认领心愿「代取降压药」，请按时前往。",
    });
    expect(sns.requests).toEqual([{ contentType: expect.stringMatching(/^application\/x-www-form-urlencoded/), action: "Publish" }]);
    expect(sns.publishes).toEqual([
      {
        phoneNumber: "+8613900000001",
        topicArn: undefined,
        message: "【微心愿】您已认领心愿「代取降压药」，请按时前往。",
        attributes: { "AWS.SNS.SMS.SMSType": { dataType: "String", value: "Transactional" } },
        accepted: true,
      },
    ]);
  });

  it("carries the registered sender ID when the deployment has one, on direct SMS and topic messages alike", async () => {
    const notifier = snsNotifier({ ...sns.config(), topicArn, senderId: "MICROWISH" });
    await notifier.send({ to: "+85291234567", channel: "sms", kind: "task-confirmed", text: "[Microwish] You claimed a wish" });
    await notifier.publish({ kind: "wish-open", text: "x", attributes: { type: "wish.open" } });
    for (const p of sns.publishes) {
      expect(p.attributes["AWS.SNS.SMS.SMSType"]).toEqual({ dataType: "String", value: "Transactional" });
      expect(p.attributes["AWS.SNS.SMS.SenderID"]).toEqual({ dataType: "String", value: "MICROWISH" });
    }
    expect(sns.publishes).toHaveLength(2);
  });
});

describe("the wish-events topic", () => {
  it("publishes to the topic with each attribute as a String message attribute", async () => {
    const notifier = snsNotifier({ ...sns.config(), topicArn });
    const attributes = { community: "c-1", category: "repair", type: "wish.open", lang: "en" };
    await notifier.publish({ kind: "wish-open", text: "[Microwish] New wish", attributes });
    expect(sns.publishes).toHaveLength(1);
    const [p] = sns.publishes;
    expect(p.topicArn).toBe(topicArn);
    expect(p.phoneNumber).toBeUndefined();
    expect(p.message).toBe("[Microwish] New wish");
    expect(p.attributes).toEqual({
      community: { dataType: "String", value: "c-1" },
      category: { dataType: "String", value: "repair" },
      type: { dataType: "String", value: "wish.open" },
      lang: { dataType: "String", value: "en" },
      // The topic's SMS subscribers get it as transactional, not as the account's default type.
      "AWS.SNS.SMS.SMSType": { dataType: "String", value: "Transactional" },
    });
  });

  it("refuses to publish without a topic, before anything is sent", async () => {
    const notifier = snsNotifier(sns.config());
    await expect(notifier.publish({ kind: "wish-open", text: "x", attributes: {} })).rejects.toThrow(/TOPIC_ARN/);
    expect(sns.requests).toHaveLength(0);
  });
});

describe("SNS saying no", () => {
  const send = () => snsNotifier(sns.config()).send({ to: "+8613900000001", channel: "sms", kind: "task-reminder", text: "提醒" });

  it("a 500 InternalError is an error worth retrying", async () => {
    sns.failNext("internal");
    const err = await send().then(
      () => undefined,
      (e) => e,
    );
    expect(err?.name).toBe("InternalErrorException");
    expect(retryable(err)).toBe(true);
  });

  it("a Throttling answer is an error worth retrying", async () => {
    sns.failNext("throttling");
    const err = await send().then(
      () => undefined,
      (e) => e,
    );
    expect(err?.name).toBe("Throttling");
    expect(retryable(err)).toBe(true);
  });

  it("an InvalidParameter answer (a number SNS will not text) is not", async () => {
    sns.failNext("invalid");
    const err = await send().then(
      () => undefined,
      (e) => e,
    );
    expect(err?.name).toBe("InvalidParameterException");
    expect(retryable(err)).toBe(false);
  });

  it("no answer at all (nothing listening) is worth retrying", async () => {
    const err = await snsNotifier({ ...sns.config(), endpoint: "http://127.0.0.1:9" })
      .send({ to: "+8613900000001", channel: "sms", kind: "task-reminder", text: "提醒" })
      .then(
        () => undefined,
        (e) => e,
      );
    expect(err).toBeInstanceOf(Error);
    expect(retryable(err)).toBe(true);
  });

  it("the SDK's own retries ride out one 500: two Publish requests, the second accepted", async () => {
    sns.failNext("internal");
    await snsNotifier(sns.config(3)).send({ to: "+8613900000001", channel: "sms", kind: "task-reminder", text: "提醒" });
    expect(sns.publishes.map((p) => p.accepted)).toEqual([false, true]);
  });
});
