/**
 * The poster and attendance through real HTTP: the poster carries a QR code and a link with a
 * token only it holds; check-in and check-out need that token (another activity's is refused),
 * the phone inside the 300 m fence (299 m in, 301 m out), and the window's rules (no late
 * arrival, no early departure). Members who did not sign up walk in while places remain. Every
 * refusal names its rule and writes nothing; the comment left at check-out is shown to all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earthRadiusMeters } from "../../functions/core/geo.js";
import { community, snapshot, startApi, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;

const place = { lat: 33.0676, lng: 107.0238 };
const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
/** A position `meters` due north of the activity's place: along a meridian the great circle is exact. */
const north = (meters: number) => ({ lat: place.lat + (meters / earthRadiusMeters) * (180 / Math.PI), lng: place.lng, accuracy: 15 });

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 4, residents: 0 });
}, 60_000);
afterAll(() => api.close());

/** Posts an activity and reads its token off the printed poster, as a phone scanning it would. */
async function postWithPoster(window: { from: string; to: string }, extra: Record<string, unknown> = {}) {
  const res = await api.call("POST", `/api/communities/${c.id}/activities`, {
    as: c.staff,
    body: { title: "健康义诊", description: "为老人量血压、测血糖。", address: "社区卫生站门口", location: place, window, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const poster = await api.call("GET", `/api/activities/${res.body.id}/poster`, { as: c.staff });
  expect(poster.status).toBe(200);
  const link = new RegExp(`${api.base}/activities/${res.body.id}/check-in\\?t=([A-Za-z0-9_-]+)`).exec(poster.body);
  expect(link, "the poster prints its check-in link").not.toBeNull();
  return { id: res.body.id as string, token: link![1], poster: poster.body as string };
}
const partition = (id: string) => snapshot(api.store, [`A#${id}`]);
const checkIn = (id: string, as = c.members[0], body: Record<string, unknown>) =>
  api.call("POST", `/api/activities/${id}/check-in`, { as, body });
const checkOut = (id: string, as = c.members[0], body: Record<string, unknown>) =>
  api.call("POST", `/api/activities/${id}/check-out`, { as, body });

describe("the poster", () => {
  it("is an A4 page with the title, time, place, a QR code and the link; only staff get it", async () => {
    const a = await postWithPoster({ from: minutes(60 * 24), to: minutes(60 * 26) });
    expect(a.poster).toMatch(/@page\{size:A4/);
    expect(a.poster).toContain("健康义诊");
    expect(a.poster).toContain("社区卫生站门口");
    expect(a.poster).toMatch(/<svg[^>]*viewBox/);
    expect(a.poster).toMatch(/\d+月\d+日 \d\d:\d\d–\d\d:\d\d|至/);
    const asMember = await api.call("GET", `/api/activities/${a.id}/poster`, { as: c.members[0] });
    expect(asMember.status).toBe(403);
    expect(asMember.body.code).toBe("activity.forbidden");
    const view = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    expect(JSON.stringify(view.body)).not.toContain(a.token);
  });
});

describe("check-in and check-out", () => {
  it("299 m from the place is inside the fence, 301 m is refused with the distance and the radius", async () => {
    const a = await postWithPoster({ from: minutes(-10), to: minutes(20) });
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0] })).status).toBe(409);
    const before = await partition(a.id);
    const far = await checkIn(a.id, c.members[0], { ...north(301), token: a.token });
    expect(far.status).toBe(409);
    expect(far.body.code).toBe("checkin.too_far");
    expect(far.body).toMatchObject({ distanceMeters: 301, radiusMeters: 300 });
    expect(await partition(a.id)).toBe(before);
    const near = await checkIn(a.id, c.members[0], { ...north(299), token: a.token });
    expect(near.status, JSON.stringify(near.body)).toBe(200);
    expect(near.body.mySignup.walkIn).toBe(true);
    expect(near.body.mySignup.checkIn.distanceMeters).toBe(299);

    const farOut = await checkOut(a.id, c.members[0], { ...north(301), token: a.token });
    expect(farOut.status).toBe(409);
    expect(farOut.body.code).toBe("checkout.too_far");
    const out = await checkOut(a.id, c.members[0], { ...north(299), token: a.token, comment: "老人们很开心，下次还来。" });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.mySignup.checkOut.distanceMeters).toBe(299);
    const again = await checkOut(a.id, c.members[0], { ...north(10), token: a.token });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("signup.checked_out");

    // The comment is on the activity's page for members and for staff.
    const seen = await api.call("GET", `/api/activities/${a.id}`, { as: c.members[1] });
    expect(seen.body.comments).toEqual([{ memberName: c.members[0].name, comment: "老人们很开心，下次还来。", at: expect.any(String) }]);
    const staff = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    expect(staff.body.signups[0].comment).toBe("老人们很开心，下次还来。");
  });

  it("another activity's token, or none, is refused and writes nothing", async () => {
    const a = await postWithPoster({ from: minutes(-10), to: minutes(120) });
    const b = await postWithPoster({ from: minutes(-10), to: minutes(120) });
    const before = await partition(a.id);
    const wrong = await checkIn(a.id, c.members[1], { ...north(0), token: b.token });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe("activity.bad_token");
    expect(wrong.body.detail).toMatch(/poster/);
    const none = await checkIn(a.id, c.members[1], { ...north(0) });
    expect(none.status).toBe(422);
    expect(none.body.errors).toHaveProperty("token");
    expect(await partition(a.id)).toBe(before);
  });

  it("no late arrival: check-in more than 30 minutes after the start is refused, naming until when it was open", async () => {
    const a = await postWithPoster({ from: minutes(-31), to: minutes(120) });
    const before = await partition(a.id);
    const late = await checkIn(a.id, c.members[1], { ...north(0), token: a.token });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("checkin.too_late");
    expect(late.body.detail).toMatch(/This activity started at/);
    expect(late.body.graceMinutes).toBe(30);
    expect(await partition(a.id)).toBe(before);
  });

  it("no early arrival either: check-in more than an hour before the start is refused", async () => {
    const a = await postWithPoster({ from: minutes(90), to: minutes(180) });
    const early = await checkIn(a.id, c.members[1], { ...north(0), token: a.token });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("checkin.too_early");
  });

  it("no early departure: check-out before the end minus 30 minutes is refused; before check-in it is refused too", async () => {
    const a = await postWithPoster({ from: minutes(-5), to: minutes(120) });
    const notIn = await checkOut(a.id, c.members[2], { ...north(0), token: a.token });
    expect(notIn.status).toBe(409);
    expect(notIn.body.code).toBe("signup.not_checked_in");
    expect((await checkIn(a.id, c.members[2], { ...north(0), token: a.token })).status).toBe(200);
    const twice = await checkIn(a.id, c.members[2], { ...north(0), token: a.token });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("signup.checked_in");
    const before = await partition(a.id);
    const early = await checkOut(a.id, c.members[2], { ...north(0), token: a.token });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("checkout.too_early");
    expect(early.body.graceMinutes).toBe(30);
    expect(await partition(a.id)).toBe(before);
  });

  it("walk-ins are welcome while places remain; once full, a walk-in is refused and a member who signed up still gets in", async () => {
    const a = await postWithPoster({ from: minutes(45), to: minutes(180) }, { places: 2 });
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[0] })).status).toBe(200);
    const walkIn = await checkIn(a.id, c.members[1], { ...north(0), token: a.token });
    expect(walkIn.status).toBe(200);
    expect(walkIn.body.signedUp).toBe(2);
    const before = await partition(a.id);
    const full = await checkIn(a.id, c.members[2], { ...north(0), token: a.token });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe("activity.full");
    expect(await partition(a.id)).toBe(before);
    expect((await checkIn(a.id, c.members[0], { ...north(0), token: a.token })).status).toBe(200);
    const staff = await api.call("GET", `/api/activities/${a.id}`, { as: c.staff });
    expect(staff.body.attendance).toMatchObject({ signedUp: 2, checkedIn: 2, walkIns: 1, absent: 0 });
  });

  it("a withdrawal after check-in is refused: the place is taken", async () => {
    const a = await postWithPoster({ from: minutes(30), to: minutes(180) });
    expect((await api.call("POST", `/api/activities/${a.id}/signup`, { as: c.members[3] })).status).toBe(200);
    expect((await checkIn(a.id, c.members[3], { ...north(0), token: a.token })).status).toBe(200);
    const out = await api.call("POST", `/api/activities/${a.id}/withdraw`, { as: c.members[3] });
    expect(out.status).toBe(409);
    expect(out.body.code).toBe("signup.checked_in");
  });
});
