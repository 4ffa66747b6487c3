/**
 * A certificate's number is meant to be handed out (to a school, an employer) and printed as a QR
 * code, so whoever holds it, signed in or not, sees only the public view: number, the member's
 * name, the community, the dates, the totals and each service as day, category and minutes. What
 * was done, where, for whom, and anyone's id (the member's, the verifying or issuing staff's)
 * stay with the member and staff of the issuing community, who get the certificate as issued on
 * the JSON route when they send their token. Real HTTP to the Hono app, real DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../functions/core/period.js";
import { community, somewhere, startApi, type Api, type Person, type TestCommunity } from "../helpers/api.js";
import { claimedBy, ok } from "../hours/helpers.js";

let api: Api;
let c: TestCommunity;
let other: TestCommunity;
let member: Person;
let number: string;
const today = dayOf(new Date());
const title = "代取降压药";
const address = "幸福里3号楼2单元501室";
const description = "每月一次去社区医院代取降压药，老人行动不便。";

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 1, name: "幸福里社区" });
  other = await community(api.store, { members: 1, residents: 1, name: "别的社区" });
  member = c.members[0];
  const id = await claimedBy(api, c, [member], { title, address, description, category: "errand" });
  for (const step of ["check-in", "check-out"]) await ok(api.call("POST", `/api/wishes/${id}/${step}`, { as: member, body: somewhere }));
  await ok(api.call("POST", `/api/wishes/${id}/complete`, { as: member, body: { note: "药已送到" } }));
  await ok(api.call("POST", `/api/wishes/${id}/confirm`, { as: c.residents[0], body: { rating: 5 } }));
  await ok(api.call("POST", `/api/wishes/${id}/verify`, { as: c.staff, body: { minutes: { [member.id]: 40 }, reason: "按签到记录核定" } }));
  number = (await ok(api.call("POST", `/api/members/${member.id}/certificates`, { as: member, body: { from: today, to: today } }))).number;
}, 60_000);
afterAll(() => api?.close());

/**
 * What must not reach anyone who only holds the number, wherever the answer may carry it. (The
 * verifier's name is left to the exact views: the page's own text says "经社区工作人员核实",
 * which contains the test staff member's name.)
 */
const secrets = () => {
  const resident = c.residents[0];
  return {
    title,
    address,
    description,
    "the member's id": member.id,
    "the verifier's id": c.staff.id,
    "the resident's name": resident.name,
    "the resident's number": resident.phone.slice(-11),
    "the member's number": member.phone.slice(-11),
    "the completion note": "药已送到",
  };
};

function leaks(text: string) {
  return Object.entries(secrets())
    .filter(([, value]) => text.includes(value))
    .map(([what]) => what);
}

const publicView = () => ({
  number,
  memberName: member.name,
  communityName: "幸福里社区",
  from: today,
  to: today,
  totalMinutes: 40,
  issuedAt: expect.any(String),
  entries: [{ day: today, kind: "wish", category: "errand", minutes: 40 }],
  printUrl: `${api.base}/api/certificates/${number}/print`,
  verifyUrl: `${api.base}/api/certificates/${number}/verify`,
});

describe("a certificate, for whoever holds its number", () => {
  it("anonymous: the JSON is the public view, and nothing more", async () => {
    const res = await api.call("GET", `/api/certificates/${number}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(publicView());
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
  });

  it("anonymous: the print page and the verification page show the public view alone", async () => {
    for (const page of ["print", "verify"]) {
      const res = await api.call("GET", `/api/certificates/${number}/${page}`);
      expect(res.status).toBe(200);
      const html = res.body as string;
      for (const text of [number, member.name, "幸福里社区", "跑腿代办", "0.7"]) expect(html, page).toContain(text);
      expect(leaks(html), page).toEqual([]);
    }
  });

  it("signed in but neither the member nor staff of the community: the public view", async () => {
    for (const who of [c.members[1], c.residents[0], other.staff]) {
      const res = await api.call("GET", `/api/certificates/${number}`, { as: who });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(publicView());
    }
  });

  it("the member and staff of the issuing community get it as issued, entries in full", async () => {
    for (const who of [member, c.staff]) {
      const res = await api.call("GET", `/api/certificates/${number}`, { as: who });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        number,
        memberId: member.id,
        totalMinutes: 40,
        verifiers: [c.staff.name],
        issuedBy: { id: member.id, name: member.name },
        entries: [{ day: today, category: "errand", minutes: 40, content: title, place: address, verifierName: c.staff.name }],
      });
    }
  });

  it("a token that is no good is refused rather than read as anonymous", async () => {
    const res = await api.call("GET", `/api/certificates/${number}`, { as: "not-a-token" });
    expect(res.status).toBe(401);
  });
});
