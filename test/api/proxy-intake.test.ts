/**
 * Wishes taken in for residents who phoned or walked in: staff type the wish, the resident owns it
 * (an account is made for a new phone), the resident's phone gets the handshake code by SMS, they can
 * sign in later and find it, and the timeline says who took it in. Refusals write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStreamHandler } from "../../functions/notify/stream-handler.js";
import { outboxNotifier } from "../../functions/notify/local.js";
import { community, newPhone, newWish, snapshot, somewhere, startApi, type Api, type TestCommunity } from "../helpers/api.js";
import { streamFeed } from "../notify/feed.js";

let api: Api;
let c: TestCommunity;
let feed: ReturnType<typeof streamFeed>;
let handle: ReturnType<typeof createStreamHandler>;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 2, residents: 1 });
  handle = createStreamHandler({ store: api.store, notifier: outboxNotifier(api.store), log: () => {} });
  feed = streamFeed(api.store);
  await feed.next();
}, 60_000);

afterAll(async () => {
  feed?.close();
  await api?.close();
});

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** Runs the notifications the new events call for, as the stream would. */
async function deliver() {
  const batch = await feed.next();
  expect((await handle(batch)).batchItemFailures).toEqual([]);
}

const texts = async (phone: string) => (await ok(api.call("GET", `/api/dev/outbox?to=${encodeURIComponent(phone)}`))) as any[];

async function signIn(phone: string) {
  await ok(api.call("POST", "/api/auth/otp", { body: { phone } }), 202);
  const sms = (await texts(phone)).find((m) => m.kind === "sign-in");
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(sms.text)![1];
  return (await ok(api.call("POST", "/api/auth/token", { body: { phone, code } }))).token as string;
}

describe("a wish taken in for a resident", () => {
  it("is the resident's: the code comes by SMS, they sign in and find it; the volunteer checks out with that code", async () => {
    const phone = newPhone();
    const posted = await ok(
      api.call("POST", "/api/wishes", {
        as: c.staff,
        body: newWish(c.id, { title: "帮王奶奶买菜", onBehalfOf: { phone, name: "王奶奶" } }),
      }),
      201,
    );
    expect(posted).toMatchObject({
      ownerName: "王奶奶",
      contactPhone: phone,
      takenInBy: { id: c.staff.id, name: c.staff.name },
      status: "submitted",
    });
    expect(posted.ownerId).not.toBe(c.staff.id);
    expect(posted.handshakeCode).toMatch(/^\d{4}$/);

    await deliver();
    const sms = (await texts(phone)).filter((m) => m.kind === "wish-taken-in");
    expect(sms).toHaveLength(1);
    // A registered template: the handshake code and the link to the wish, none of what staff typed.
    expect(sms[0].text).toContain(`验证码${posted.handshakeCode}`);
    expect(sms[0].text).toMatch(new RegExp(`/wishes/${posted.id}$`));
    expect(sms[0].text).not.toContain("帮王奶奶买菜");
    // Staff hear of the wish to review; the one who typed it in is not told of their own step.
    expect((await texts(c.staff.phone)).some((m) => m.text.includes("帮王奶奶买菜"))).toBe(false);

    const token = await signIn(phone);
    const me = await ok(api.call("GET", "/api/me", { as: token }));
    expect(me).toMatchObject({ id: posted.ownerId, name: "王奶奶", named: true, phone });
    const mine = await ok(api.call("GET", "/api/wishes?mine=true", { as: token }));
    expect(mine.items.map((w: any) => w.id)).toEqual([posted.id]);
    const seen = await ok(api.call("GET", `/api/wishes/${posted.id}`, { as: token }));
    expect(seen.handshakeCode).toBe(posted.handshakeCode);
    expect(seen.timeline).toHaveLength(1);
    expect(seen.timeline[0]).toMatchObject({ kind: "submit", actorId: c.staff.id, actorName: c.staff.name, data: { takenInFor: me.id } });

    const [volunteer] = c.members;
    await ok(api.call("POST", `/api/wishes/${posted.id}/approve`, { as: c.staff, body: { estimatedMinutes: 60 } }));
    await ok(api.call("POST", `/api/wishes/${posted.id}/claim`, { as: volunteer }));
    await ok(api.call("POST", `/api/wishes/${posted.id}/check-in`, { as: volunteer, body: somewhere }));
    const out = await ok(
      api.call("POST", `/api/wishes/${posted.id}/check-out`, { as: volunteer, body: { ...somewhere, code: posted.handshakeCode } }),
    );
    expect(out.claims[0].checkOut.signedByResident).toBe(true);
    await ok(api.call("POST", `/api/wishes/${posted.id}/complete`, { as: volunteer, body: { note: "菜已送到" } }));

    // The resident has no smartphone to confirm with: staff do it for them, and must say why.
    const silent = await api.call("POST", `/api/wishes/${posted.id}/confirm`, { as: c.staff, body: { rating: 5 } });
    expect(silent.status).toBe(422);
    const confirmed = await ok(
      api.call("POST", `/api/wishes/${posted.id}/confirm`, { as: c.staff, body: { rating: 5, comment: "王奶奶电话里说满意" } }),
    );
    expect(confirmed.status).toBe("confirmed");
    expect(confirmed.timeline.at(-1)).toMatchObject({ kind: "confirm", actorId: c.staff.id, data: { onBehalf: true } });
  });

  it("a resident who already chose a name keeps it and their account; their phone written without +86 finds them", async () => {
    const resident = c.residents[0];
    const local = resident.phone.replace(/^\+86/, "");
    const posted = await ok(
      api.call("POST", "/api/wishes", { as: c.staff, body: newWish(c.id, { onBehalfOf: { phone: local, name: "别的名字" } }) }),
      201,
    );
    expect(posted).toMatchObject({ ownerId: resident.id, ownerName: resident.name, contactPhone: resident.phone });
    const mine = await ok(api.call("GET", "/api/wishes?mine=true", { as: resident }));
    expect(mine.items.map((w: any) => w.id)).toContain(posted.id);
    expect((await ok(api.call("GET", "/api/me", { as: resident }))).name).toBe(resident.name);
  });

  it("a resident known only by number gets the name staff heard", async () => {
    const phone = newPhone();
    await signIn(phone);
    const posted = await ok(
      api.call("POST", "/api/wishes", { as: c.staff, body: newWish(c.id, { onBehalfOf: { phone, name: "李大爷" } }) }),
      201,
    );
    expect(posted.ownerName).toBe("李大爷");
  });
});

describe("refused, and nothing written", () => {
  const stored = () => snapshot(api.store, [`C#${c.id}`, `U#${c.staff.id}`]);
  const wishes = async () => (await ok(api.call("GET", `/api/wishes?communityId=${c.id}&status=submitted`, { as: c.staff }))).items.length;

  it.each([
    ["a phone that is not a mobile number", { phone: "12345", name: "王奶奶" }, "onBehalfOf.phone"],
    ["a landline with the country code", { phone: "+86 10 1234 5678", name: "王奶奶" }, "onBehalfOf.phone"],
    ["a name over 40 characters", { phone: "13700000099", name: "王".repeat(41) }, "onBehalfOf.name"],
    ["an empty name", { phone: "13700000098", name: "  " }, "onBehalfOf.name"],
  ])("%s: 422 naming the field", async (_what, onBehalfOf, field) => {
    const count = await wishes();
    const items = await stored();
    const res = await api.call("POST", "/api/wishes", { as: c.staff, body: newWish(c.id, { onBehalfOf }) });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await wishes()).toBe(count);
    expect(await stored()).toBe(items);
    expect(await snapshot(api.store, ["P#+8613700000099", "P#+8613700000098"])).toBe("[]");
  });

  it("anyone but the community's staff: 403, and no account made for the phone", async () => {
    const phone = newPhone();
    for (const who of [c.members[0], c.residents[0]]) {
      const res = await api.call("POST", "/api/wishes", { as: who, body: newWish(c.id, { onBehalfOf: { phone, name: "王奶奶" } }) });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("wish.forbidden");
    }
    expect(await snapshot(api.store, [`P#${phone}`])).toBe("[]");
  });
});
