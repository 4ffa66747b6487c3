/**
 * Sign-in under attack: tokens that expire and cannot be forged, codes that lock after five
 * tries even when the guesses arrive at once, and codes rate-limited per phone, per client and both.
 * Real HTTP to the Hono app, real DynamoDB Local.
 */
import { createHmac } from "node:crypto";
import { QueryCommand, UpdateCommand } from "../../functions/aws/dynamodb.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as Identity from "../../functions/core/identity.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { community, newPhone, secret, startApi, type Api, type Response, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 1, residents: 1 });
}, 60_000);
afterAll(() => api?.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** A JWT made by hand, so that header and claims can be anything an attacker might send. */
function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: string | null = secret) {
  const head = `${b64(header)}.${b64(claims)}`;
  const signature =
    key === null
      ? ""
      : createHmac(header.alg === "HS512" ? "sha512" : "sha256", key)
          .update(head)
          .digest("base64url");
  return `${head}.${signature}`;
}
const now = () => Math.floor(Date.now() / 1000);

function expectProblem(res: Response, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
  expect(res.body.status).toBe(status);
  expect(res.body).not.toHaveProperty("token");
}

describe("tokens", () => {
  it("a token from sign-in carries sub, iat and exp, valid for an hour", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const res = await redeem(phone, code);
    expect(res.status).toBe(200);
    const [header, claims] = (res.body.token as string)
      .split(".")
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header.alg).toBe("HS256");
    expect(claims.sub).toBe(res.body.user.id);
    expect(claims.exp - claims.iat).toBe(Identity.tokenTtlSeconds);
    expect(Identity.tokenTtlSeconds).toBe(3600);
    expect(Math.abs(claims.iat - now())).toBeLessThan(60);
  });

  it("the hand-made token for a real person is let in (so the refusals below are about the token alone)", async () => {
    const res = await api.call("GET", "/api/me", {
      as: jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, iat: now(), exp: now() + 600 }),
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(c.staff.id);
  });

  const cases: { what: string; token: () => string; code: string }[] = [
    {
      what: "expired a second ago",
      token: () => jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, iat: now() - 3600, exp: now() - 1 }),
      code: "auth.token_expired",
    },
    { what: "expired 8 days ago, issued by the app", token: () => "", code: "auth.token_expired" },
    {
      what: "signed with another secret",
      token: () => jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, iat: now(), exp: now() + 600 }, "another-secret"),
      code: "auth.bad_token",
    },
    {
      what: "alg none, no signature",
      token: () => jwt({ alg: "none", typ: "JWT" }, { sub: c.staff.id, iat: now(), exp: now() + 600 }, null),
      code: "auth.bad_token",
    },
    {
      what: "alg none, with the right HS256 signature appended",
      token: () => {
        const good = jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, iat: now(), exp: now() + 600 });
        return `${b64({ alg: "none", typ: "JWT" })}.${good.split(".")[1]}.${good.split(".")[2]}`;
      },
      code: "auth.bad_token",
    },
    {
      what: "HS512 with the right secret (only HS256 is accepted)",
      token: () => jwt({ alg: "HS512", typ: "JWT" }, { sub: c.staff.id, iat: now(), exp: now() + 600 }),
      code: "auth.bad_token",
    },
    { what: "no sub", token: () => jwt({ alg: "HS256", typ: "JWT" }, { iat: now(), exp: now() + 600 }), code: "auth.bad_token" },
    {
      what: "two parts only",
      token: () =>
        jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, exp: now() + 600 })
          .split(".")
          .slice(0, 2)
          .join("."),
      code: "auth.bad_token",
    },
  ];
  it.each(cases)("a token $what → 401 $code, and nothing is done", async ({ what, token, code }) => {
    const value = what.startsWith("expired 8 days") ? await Identity.issueToken(secret, c.staff.id, Date.now() - 8 * 86400_000) : token();
    expectProblem(await api.call("GET", "/api/me", { as: value }), 401, code);
    const posted = await api.call("POST", "/api/wishes", {
      as: value,
      body: { communityId: c.id, category: "repair", title: "伪造", description: "伪造" },
    });
    expectProblem(posted, 401, code);
    const mine = await api.call("GET", "/api/wishes?mine=true", { as: c.staff });
    expect(mine.body.items ?? mine.body).toEqual([]);
  });

  it("a token without exp is refused: every token must expire", async () => {
    expectProblem(
      await api.call("GET", "/api/me", { as: jwt({ alg: "HS256", typ: "JWT" }, { sub: c.staff.id, iat: now() }) }),
      401,
      "auth.bad_token",
    );
  });
});

async function askCode(phone: string, on: Api = api) {
  const res = await on.call("POST", "/api/auth/otp", { body: { phone } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const outbox = await on.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);
  return /(?<!\d)(\d{6})(?!\d)/.exec(outbox.body[0].text)![1];
}
const wrongOf = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");
const redeem = (phone: string, code: string) => api.call("POST", "/api/auth/token", { body: { phone, code } });
/** The phone's one code (all these tests ask from one address). */
const codeItem = async (phone: string) => {
  const res = await api.store.doc.send(
    new QueryCommand({
      TableName: api.store.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :otp)",
      ExpressionAttributeValues: { ":pk": `P#${phone}`, ":otp": "OTP#" },
      ConsistentRead: true,
    }),
  );
  expect(res.Items).toHaveLength(1);
  return res.Items![0];
};
const triesOf = async (phone: string) => (await codeItem(phone)).tries;

describe("sign-in codes", () => {
  it("five wrong codes, then the sixth try is locked out: even the right code gets 429 auth.locked", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    for (let i = 1; i <= 5; i++) {
      const res = await redeem(phone, wrongOf(code, i));
      expectProblem(res, 400, "auth.wrong_code");
      expect(res.body.triesLeft).toBe(5 - i);
    }
    expectProblem(await redeem(phone, wrongOf(code, 6)), 429, "auth.locked");
    expectProblem(await redeem(phone, code), 429, "auth.locked");
    expect(await triesOf(phone)).toBe(5);
  });

  it("the right code on the fifth try still signs in", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    for (let i = 1; i <= 4; i++) expectProblem(await redeem(phone, wrongOf(code, i)), 400, "auth.wrong_code");
    const res = await redeem(phone, code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
  });

  it("twenty wrong guesses at once count as twenty tries: five are compared, the rest are locked out", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(phone, wrongOf(code, i + 1))));
    const codes = results.map((r) => r.body.code);
    expect(codes.filter((x) => x === "auth.wrong_code")).toHaveLength(5);
    expect(codes.filter((x) => x === "auth.locked")).toHaveLength(15);
    expect(results.map((r) => r.status).every((s) => s === 400 || s === 429)).toBe(true);
    expect(
      results
        .filter((r) => r.body.code === "auth.wrong_code")
        .map((r) => r.body.triesLeft)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(await triesOf(phone)).toBe(5);
    expectProblem(await redeem(phone, code), 429, "auth.locked");
  });

  it("the right code hidden among 30 parallel guesses: at most five guesses are ever compared", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 29 ? code : wrongOf(code, i + 1)));
    const results = await Promise.all(guesses.map((g) => redeem(phone, g)));
    const compared = results.filter((r) => r.status === 200 || r.body.code === "auth.wrong_code");
    expect(compared.length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.body.code === "auth.locked").length).toBeGreaterThanOrEqual(25);
  });

  it("an expired code is refused (400 auth.code_expired), though it is right and still in the table", async () => {
    const phone = newPhone();
    const code = await askCode(phone);
    await api.store.doc.send(
      new UpdateCommand({
        TableName: api.store.table,
        Key: { pk: `P#${phone}`, sk: (await codeItem(phone)).sk },
        UpdateExpression: "SET expiresAt = :t",
        ExpressionAttributeValues: { ":t": now() },
      }),
    );
    expectProblem(await redeem(phone, code), 400, "auth.code_expired");
    expect(await triesOf(phone), "an expired code's tries do not move").toBe(0);
  });

  it("a code is valid for 5 minutes: the domain refuses it 5 minutes after it was sent", async () => {
    const phone = newPhone();
    const sentAt = Date.now() - 10 * 60_000;
    const notifier = outboxNotifier(api.store);
    await Identity.requestCode(api.store, notifier, secret, { phone, client: "203.0.113.9", now: sentAt });
    const outbox = await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`);
    const code = /(\d{6})/.exec(outbox.body[0].text)![1];
    const late = Identity.redeemCode(api.store, secret, { phone, code, client: "203.0.113.9", now: sentAt + 5 * 60_000 });
    await expect(late).rejects.toMatchObject({ code: "auth.code_expired" });
    const user = await Identity.redeemCode(api.store, secret, { phone, code, client: "203.0.113.9", now: sentAt + 5 * 60_000 - 1000 });
    expect(user.phone).toBe(phone);
  });
});

describe("sending codes is rate-limited", () => {
  // The limits count in fixed windows (the minute, the hour): requests that straddle the top of
  // an hour would land in two. Each test starts at the top of the next hour, its clock running on.
  beforeEach(() => {
    vi.useFakeTimers({ now: Math.ceil(Date.now() / 3_600_000) * 3_600_000, toFake: ["Date"], shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("per phone: a second code within the minute → 429 with Retry-After, and no second text", async () => {
    const phone = newPhone();
    await askCode(phone);
    const again = await api.call("POST", "/api/auth/otp", { body: { phone } });
    expectProblem(again, 429, "auth.rate_limited");
    const retryAfter = Number(again.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body).toHaveLength(1);
  });

  it("per phone: ten requests at once send one code", async () => {
    const phone = newPhone();
    const results = await Promise.all(Array.from({ length: 10 }, () => api.call("POST", "/api/auth/otp", { body: { phone } })));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
    expect((await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body).toHaveLength(1);
  });

  it("per phone and address: five codes an hour, a minute apart; the sixth from that address waits for the next hour", async () => {
    const phone = newPhone();
    const notifier = outboxNotifier(api.store);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    for (let i = 0; i < 5; i++) {
      await Identity.requestCode(api.store, notifier, secret, { phone, client: "198.51.100.7", now: hour + i * 61_000 });
    }
    const sixth = Identity.requestCode(api.store, notifier, secret, { phone, client: "198.51.100.7", now: hour + 5 * 61_000 });
    await expect(sixth).rejects.toMatchObject({ code: "auth.rate_limited", details: { retryAfter: 3600 - 5 * 61 } });
    await Identity.requestCode(api.store, notifier, secret, { phone, client: "198.51.100.7", now: hour + 3_600_000 });
    expect((await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body).toHaveLength(6);
  });

  it("per phone: ten codes an hour whatever the addresses; the eleventh waits for the next hour", async () => {
    const phone = newPhone();
    const notifier = outboxNotifier(api.store);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 4 * 3_600_000;
    for (let i = 0; i < 10; i++) {
      await Identity.requestCode(api.store, notifier, secret, { phone, client: `198.51.100.${i}`, now: hour + i * 1000 });
    }
    const eleventh = Identity.requestCode(api.store, notifier, secret, { phone, client: "198.51.100.99", now: hour + 10_000 });
    await expect(eleventh).rejects.toMatchObject({ code: "auth.rate_limited", details: { retryAfter: 3600 - 10 } });
    await Identity.requestCode(api.store, notifier, secret, { phone, client: "198.51.100.99", now: hour + 3_600_000 });
    expect((await api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body).toHaveLength(11);
  });

  it("per client: 30 codes an hour from one address, to 30 phones; the 31st → 429; another address is not held up", async () => {
    const own = await startApi();
    try {
      const phones = Array.from({ length: 31 }, () => newPhone());
      for (const phone of phones.slice(0, 30)) await askCode(phone, own);
      const res = await own.call("POST", "/api/auth/otp", { body: { phone: phones[30] } });
      expectProblem(res, 429, "auth.rate_limited");
      expect(res.body.detail).toMatch(/device/);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect((await own.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phones[30])}`)).body).toHaveLength(0);
      // The refused request moved no counter: the phone's own minute is still free.
      const other = await Identity.requestCode(own.store, outboxNotifier(own.store), secret, { phone: phones[30], client: "192.0.2.1" });
      expect(other.expiresInSeconds).toBe(300);
    } finally {
      await own.close();
    }
  });
});
