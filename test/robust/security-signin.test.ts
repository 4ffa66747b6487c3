/**
 * Sign-in that nobody else can deny, and texts nobody can pump: a code belongs to the phone and
 * the address that asked for it, so another client's requests and guesses neither use up nor lock
 * the owner's; codes go only to the countries the deployment serves, a capped number an hour.
 * Real HTTP to the Hono app, real DynamoDB Local; the attacker sends from other loopback addresses.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { smsRulesFrom } from "../../functions/core/sms.js";
import { newPhone, startApi, type Api, type Response } from "../helpers/api.js";

const owner = "127.0.0.1";
const attacker = "127.0.0.2";

let api: Api;
beforeAll(async () => {
  api = await startApi();
}, 60_000);
afterAll(() => api?.close());

// The limits count in fixed windows: each test starts at the top of the next hour, its clock running on.
beforeEach(() => {
  vi.useFakeTimers({ now: Math.ceil(Date.now() / 3_600_000) * 3_600_000, toFake: ["Date"], shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});
const minuteLater = () => vi.setSystemTime(Date.now() + 61_000);

function expectProblem(res: Response, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
  expect(res.body).not.toHaveProperty("token");
}

const ask = (phone: string, from: string, on: Api = api) => on.call("POST", "/api/auth/otp", { body: { phone }, from });
const redeem = (phone: string, code: string, from: string, on: Api = api) =>
  on.call("POST", "/api/auth/token", { body: { phone, code }, from });
/** The texts the phone received, newest first. */
const texts = async (phone: string, on: Api = api) =>
  (await on.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`)).body as { text: string }[];
const newestCode = async (phone: string, on: Api = api) => /(?<!\d)(\d{6})(?!\d)/.exec((await texts(phone, on))[0].text)![1];
const wrongOf = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");

describe("another client cannot keep the owner out", () => {
  it("six wrong guesses from another address leave the owner's code alone: the owner signs in with it", async () => {
    const phone = newPhone();
    expect((await ask(phone, owner)).status).toBe(202);
    const code = await newestCode(phone);
    for (let i = 1; i <= 6; i++) expect((await redeem(phone, wrongOf(code, i), attacker)).status).not.toBe(200);
    const res = await redeem(phone, code, owner);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
  });

  it("a code asked for from another address does not replace the owner's live code", async () => {
    const phone = newPhone();
    expect((await ask(phone, owner)).status).toBe(202);
    const code = await newestCode(phone);
    minuteLater();
    await ask(phone, attacker);
    expect((await redeem(phone, code, owner)).status).toBe(200);
  });

  it("an attacker asking every minute and guessing each code does not stop the owner receiving a code and signing in", async () => {
    const phone = newPhone();
    const answers: number[] = [];
    for (let minute = 0; minute < 8; minute++) {
      const res = await ask(phone, attacker);
      answers.push(res.status);
      if (res.status === 202) {
        const sent = await newestCode(phone);
        for (let i = 1; i <= 6; i++) await redeem(phone, wrongOf(sent, i), attacker);
      }
      minuteLater();
    }
    // The attacker's own quota for this phone ran out; the owner's did not.
    expect(answers).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    const asked = await ask(phone, owner);
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const res = await redeem(phone, await newestCode(phone), owner);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe("the brute-force bound holds per code", () => {
  it("twenty guesses at once from one address: five compared with its code, the rest locked out; the owner's code untouched", async () => {
    const phone = newPhone();
    expect((await ask(phone, owner)).status).toBe(202);
    const ownerCode = await newestCode(phone);
    expect((await ask(phone, attacker)).status).toBe(202);
    const attackerCode = await newestCode(phone);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(phone, wrongOf(attackerCode, i + 1), attacker)));
    const codes = results.map((r) => r.body.code);
    expect(codes.filter((x) => x === "auth.wrong_code")).toHaveLength(5);
    expect(codes.filter((x) => x === "auth.locked")).toHaveLength(15);
    expectProblem(await redeem(phone, attackerCode, attacker), 429, "auth.locked");
    // Five tries were the owner's from the start.
    const slip = await redeem(phone, wrongOf(ownerCode), owner);
    expectProblem(slip, 400, "auth.wrong_code");
    expect(slip.body.triesLeft).toBe(4);
    expect((await redeem(phone, ownerCode, owner)).status).toBe(200);
  });

  it("a code works only from the address that asked for it: typed elsewhere it is not compared, and it still works at home", async () => {
    const phone = newPhone();
    expect((await ask(phone, owner)).status).toBe(202);
    const code = await newestCode(phone);
    const elsewhere = await redeem(phone, code, "127.0.0.3");
    expectProblem(elsewhere, 400, "auth.code_expired");
    expect(elsewhere.body.detail).toMatch(/ask for a new one/);
    const home = await redeem(phone, code, owner);
    expect(home.status).toBe(200);
  });
});

/** Every item of a test table, to show that a refusal wrote nothing. */
const everything = async (on: Api) => JSON.stringify(await on.everything());

describe("codes go only to the countries the deployment serves", () => {
  it.each([
    ["a satellite number", "+88216123456789"],
    ["an international premium-rate number", "+979123456789"],
    ["a UK mobile", "+447700900123"],
  ])("%s (%s) → 400 auth.country_not_served naming +86; nothing written, no text", async (_what, phone) => {
    const before = await everything(api);
    const res = await ask(phone, owner);
    expectProblem(res, 400, "auth.country_not_served");
    expect(res.body.detail).toContain("+86");
    expect(await texts(phone)).toEqual([]);
    expect(await everything(api)).toBe(before);
  });

  it("a deployment that serves Hong Kong as well (SMS_COUNTRIES=86,852) sends there and still refuses satellites", async () => {
    const own = await startApi({ sms: smsRulesFrom({ SMS_COUNTRIES: "86,852" }) });
    try {
      const hk = "+85291234567";
      expect((await ask(hk, owner, own)).status).toBe(202);
      const res = await redeem(hk, await newestCode(hk, own), owner, own);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.phone).toBe(hk);
      expect((await ask(newPhone(), owner, own)).status).toBe(202);
      const refused = await ask("+88216123456780", owner, own);
      expectProblem(refused, 400, "auth.country_not_served");
      expect(refused.body.detail).toMatch(/\+86, \+852/);
    } finally {
      await own.close();
    }
  });

  it("a country's hourly cap reached (SMS_COUNTRIES=86,852:3) → 429 with Retry-After and no text; other countries go on", async () => {
    const own = await startApi({ sms: smsRulesFrom({ SMS_COUNTRIES: "86,852:3" }) });
    try {
      for (const phone of ["+85291230001", "+85291230002", "+85291230003"]) expect((await ask(phone, owner, own)).status).toBe(202);
      const fourth = "+85291230004";
      const res = await ask(fourth, attacker, own);
      expectProblem(res, 429, "auth.rate_limited");
      expect(res.body.detail).toContain("+852");
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await texts(fourth, own)).toEqual([]);
      expect((await ask(newPhone(), owner, own)).status).toBe(202);
    } finally {
      await own.close();
    }
  });
});
