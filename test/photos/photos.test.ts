/**
 * Photos through the real presigned flow: the API hands out a presigned POST, the test sends the
 * file to the local S3 server (s3rver) as a phone's browser would, then attaches the key to a
 * wish or a completion, and reads the photos back through the URLs the wish's answer carries.
 * s3rver ignores POST policies, so the type and size a policy would refuse at upload are sent
 * through here and refused when attached: the API's own check, which holds on AWS as well.
 */
import { GetObjectTaggingCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localCredentials } from "../../functions/dev/s3-local.js";
import {
  community,
  newWish,
  snapshot,
  wishIn,
  startApi,
  type Api,
  type Person,
  type Response,
  type TestCommunity,
} from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
let client: S3Client;

beforeAll(async () => {
  api = await startApi();
  c = await community(api.store, { members: 3, residents: 3 });
  client = new S3Client({ region: "us-east-1", endpoint: api.s3.endpoint, forcePathStyle: true, credentials: localCredentials });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await api?.close();
});

/** A few bytes that start like a JPEG; the server never decodes them. */
const jpeg = (bytes = 2048) => {
  const b = new Uint8Array(bytes);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
};

interface Uploaded {
  key: string;
  status: number;
}

/** Asks for an upload and sends the form, fields first, then the file, as a browser does. */
async function upload(
  who: Person,
  opts: { purpose?: string; contentType?: string; body?: Uint8Array<ArrayBuffer>; sendAs?: string } = {},
): Promise<Uploaded> {
  const contentType = opts.contentType ?? "image/jpeg";
  const body = opts.body ?? jpeg();
  const grant = await api.call("POST", "/api/uploads", {
    as: who,
    body: { purpose: opts.purpose ?? "wish", contentType, size: Math.min(body.length, 2 * 1024 * 1024) },
  });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.body.fields as Record<string, string>)) {
    form.append(name, name === "Content-Type" && opts.sendAs ? opts.sendAs : value);
  }
  form.append("file", new Blob([body], { type: opts.sendAs ?? contentType }), "photo");
  const res = await fetch(grant.body.url, { method: grant.body.method, body: form });
  await res.arrayBuffer();
  return { key: grant.body.key, status: res.status };
}

const expectProblem = (res: Response, status: number, code: string, field?: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(code);
  if (field) expect(res.body.errors?.[field], JSON.stringify(res.body)).toBeDefined();
};

async function wishesOf(who: Person) {
  const res = await api.call("GET", "/api/wishes?mine=true", { as: who });
  return res.body.items.length as number;
}

describe("a resident's photos on a wish", () => {
  it("are uploaded straight to the bucket, attached when posting, and shown to who may see the wish", async () => {
    const resident = c.residents[0];
    const first = await upload(resident, { body: jpeg(3000) });
    const second = await upload(resident, { contentType: "image/png", body: jpeg(1000) });
    expect([first.status, second.status]).toEqual([204, 204]);
    expect(first.key).toMatch(new RegExp(`^photos/${resident.id}/wish/[0-9A-Z]{26}\\.jpg$`));
    expect(second.key).toMatch(/\.png$/);

    const posted = await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { photos: [first.key, second.key] }) });
    expect(posted.status).toBe(201);
    const id = posted.body.id;

    const seen = await api.call("GET", `/api/wishes/${id}`, { as: resident });
    expect(seen.body.photos.map((p: { key: string }) => p.key)).toEqual([first.key, second.key]);
    expect(seen.body.completionPhotos).toEqual([]);
    const url = new URL(seen.body.photos[0].url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    const photo = await fetch(url);
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect((await photo.arrayBuffer()).byteLength).toBe(3000);

    // Attached photos are tagged so, and the bucket's rule for unattached uploads leaves them alone.
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: api.s3.bucket, Key: first.key }));
    expect(tags.TagSet).toEqual([{ Key: "attached", Value: "yes" }]);

    // Staff see them; a member not before approval (the wish is not theirs to see yet), then after; another resident never.
    expect((await api.call("GET", `/api/wishes/${id}`, { as: c.staff })).body.photos).toHaveLength(2);
    expect((await api.call("GET", `/api/wishes/${id}`, { as: c.members[0] })).status).toBe(404);
    await api.call("POST", `/api/wishes/${id}/approve`, { as: c.staff, body: { slots: 1, estimatedMinutes: 60 } });
    const asMember = await api.call("GET", `/api/wishes/${id}`, { as: c.members[0] });
    expect(asMember.body.photos).toHaveLength(2);
    expect((await fetch(asMember.body.photos[1].url)).status).toBe(200);
    const stranger = await api.call("GET", `/api/wishes/${id}`, { as: c.residents[2] });
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.body)).not.toContain("photos/");
  });

  it("the upload grant limits the type and the size, and is for the signed-in only", async () => {
    const ask = (body: Record<string, unknown>, as: Person | null = c.residents[0]) =>
      api.call("POST", "/api/uploads", { as: as ?? undefined, body: { purpose: "wish", contentType: "image/jpeg", size: 1000, ...body } });
    expectProblem(await ask({ contentType: "image/gif" }), 422, "request.invalid_body", "contentType");
    expectProblem(await ask({ contentType: "text/html" }), 422, "request.invalid_body", "contentType");
    expectProblem(await ask({ size: 2 * 1024 * 1024 + 1 }), 422, "request.invalid_body", "size");
    expectProblem(await ask({ size: 0 }), 422, "request.invalid_body", "size");
    expectProblem(await ask({ purpose: "avatar" }), 422, "request.invalid_body", "purpose");
    expect((await ask({}, null)).status).toBe(401);

    const grant = await ask({ contentType: "image/webp", size: 5000 });
    expect(grant.status).toBe(201);
    expect(grant.body.key).toMatch(/\.webp$/);
    expect(grant.body.maxBytes).toBe(2 * 1024 * 1024);
    expect(Date.parse(grant.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    // The policy S3 checks at upload: this key, this type, 1 byte to 2 MB, five minutes.
    const policy = JSON.parse(Buffer.from(grant.body.fields.Policy, "base64").toString("utf8"));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ["content-length-range", 1, 2 * 1024 * 1024],
        ["eq", "$Content-Type", "image/webp"],
        { key: grant.body.key },
        { bucket: api.s3.bucket },
      ]),
    );
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  it("a photo over 2 MB is refused when attached, and nothing is written", async () => {
    const resident = c.residents[1];
    const big = await upload(resident, { body: jpeg(2 * 1024 * 1024 + 1) });
    const before = await wishesOf(resident);
    const res = await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { photos: [big.key] }) });
    expectProblem(res, 413, "photo.too_large", "photos.0");
    expect(await wishesOf(resident)).toBe(before);
    const head = await client.send(new HeadObjectCommand({ Bucket: api.s3.bucket, Key: big.key }));
    expect(head.ContentLength).toBe(2 * 1024 * 1024 + 1);
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: api.s3.bucket, Key: big.key }));
    expect(tags.TagSet).toEqual([]);
  });

  it("a file sent as another type than the grant's is refused when attached", async () => {
    const resident = c.residents[1];
    const gif = await upload(resident, { contentType: "image/jpeg", sendAs: "image/gif" });
    const before = await wishesOf(resident);
    const res = await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { photos: [gif.key] }) });
    expectProblem(res, 415, "photo.wrong_type", "photos.0");
    expect(res.body.detail).toMatch(/image\/gif/);
    expect(await wishesOf(resident)).toBe(before);
  });

  it("someone else's photo, one for another purpose, one never uploaded or a made-up key: refused, nothing written", async () => {
    const [mine, theirs] = [c.residents[1], c.residents[0]];
    const theirPhoto = await upload(theirs);
    const completionPhoto = await upload(mine, { purpose: "completion" });
    const grant = await api.call("POST", "/api/uploads", { as: mine, body: { purpose: "wish", contentType: "image/jpeg", size: 10 } });
    const before = await wishesOf(mine);
    const post = (photos: string[]) => api.call("POST", "/api/wishes", { as: mine, body: newWish(c.id, { photos }) });

    expectProblem(await post([theirPhoto.key]), 403, "photo.not_yours", "photos.0");
    expectProblem(await post([completionPhoto.key]), 422, "photo.invalid", "photos.0");
    expectProblem(await post([grant.body.key]), 422, "photo.not_uploaded", "photos.0");
    expectProblem(await post([`photos/${mine.id}/wish/../../etc/passwd.jpg`]), 422, "photo.invalid", "photos.0");
    const ok = await upload(mine);
    expectProblem(await post([ok.key, ok.key]), 422, "photo.invalid", "photos");
    // A good photo first and someone else's second: the whole request is refused, the good one stays unattached.
    expectProblem(await post([ok.key, theirPhoto.key]), 403, "photo.not_yours", "photos.1");
    expect(await wishesOf(mine)).toBe(before);
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: api.s3.bucket, Key: ok.key }));
    expect(tags.TagSet).toEqual([]);
  });

  it("nine photos are fine, a tenth is refused", async () => {
    const resident = c.residents[2];
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) keys.push((await upload(resident, { body: jpeg(100) })).key);
    const before = await wishesOf(resident);
    expectProblem(
      await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { photos: keys }) }),
      422,
      "request.invalid_body",
      "photos",
    );
    expect(await wishesOf(resident)).toBe(before);
    const nine = await api.call("POST", "/api/wishes", { as: resident, body: newWish(c.id, { photos: keys.slice(0, 9) }) });
    expect(nine.status).toBe(201);
    expect((await api.call("GET", `/api/wishes/${nine.body.id}`, { as: resident })).body.photos).toHaveLength(9);
  });
});

describe("a volunteer's photos of the work done", () => {
  it("are attached when completing, shown to the resident and the community, and count nine at most across completions", async () => {
    const [volunteer, other] = [c.members[1], c.members[2]];
    const id = await wishIn(api, c, "in_progress", { members: [volunteer] });
    const done = [await upload(volunteer, { purpose: "completion" }), await upload(volunteer, { purpose: "completion" })];
    const completed = await api.call("POST", `/api/wishes/${id}/complete`, {
      as: volunteer,
      body: { note: "修好了", photos: done.map((d) => d.key) },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect(completed.body.completionPhotos.map((p: { key: string }) => p.key)).toEqual(done.map((d) => d.key));
    expect(completed.body.timeline.at(-1).data).toEqual({ photos: done.map((d) => d.key) });

    const asResident = await api.call("GET", `/api/wishes/${id}`, { as: c.residents[0] });
    expect(asResident.body.completionPhotos).toHaveLength(2);
    expect((await fetch(asResident.body.completionPhotos[0].url)).status).toBe(200);
    expect((await api.call("GET", `/api/wishes/${id}`, { as: other })).body.completionPhotos).toHaveLength(2);
    expect((await api.call("GET", `/api/wishes/${id}`, { as: c.residents[1] })).status).toBe(404);

    // Not done after all: the second completion adds to the first, up to nine in all.
    await api.call("POST", `/api/wishes/${id}/dispute`, { as: c.residents[0], body: { reason: "还在漏" } });
    const more: string[] = [];
    for (let i = 0; i < 8; i++) more.push((await upload(volunteer, { purpose: "completion", body: jpeg(100) })).key);
    const before = await snapshot(api.store, [`W#${id}`]);
    const tooMany = await api.call("POST", `/api/wishes/${id}/complete`, { as: volunteer, body: { note: "再修", photos: more } });
    expectProblem(tooMany, 422, "photo.too_many", "photos");
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);
    // A wish photo, or another volunteer's, is not a completion photo.
    const wishPhoto = await upload(volunteer, { purpose: "wish" });
    expectProblem(
      await api.call("POST", `/api/wishes/${id}/complete`, { as: volunteer, body: { note: "再修", photos: [wishPhoto.key] } }),
      422,
      "photo.invalid",
      "photos.0",
    );
    const othersPhoto = await upload(other, { purpose: "completion" });
    expectProblem(
      await api.call("POST", `/api/wishes/${id}/complete`, { as: volunteer, body: { note: "再修", photos: [othersPhoto.key] } }),
      403,
      "photo.not_yours",
      "photos.0",
    );
    expect(await snapshot(api.store, [`W#${id}`])).toBe(before);

    const again = await api.call("POST", `/api/wishes/${id}/complete`, { as: volunteer, body: { note: "再修", photos: more.slice(0, 7) } });
    expect(again.status).toBe(200);
    expect(again.body.completionPhotos).toHaveLength(9);
  });
});

describe("staff's photos on an activity", () => {
  const inADay = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  const activity = (photos: string[]) => ({
    title: "周六环境清扫",
    description: "清扫小区公共区域。",
    address: "幸福里小区中心广场",
    location: { lat: 33.0676, lng: 107.0238 },
    window: { from: inADay(24), to: inADay(26) },
    photos,
  });
  const activitiesOf = async () =>
    (await api.call("GET", `/api/communities/${c.id}/activities`, { as: c.staff })).body.items.length as number;

  it("are attached when posting and shown to the community's members, through short-lived URLs", async () => {
    const photo = await upload(c.staff, { purpose: "activity", body: jpeg(2500) });
    expect(photo.status).toBe(204);
    const posted = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity([photo.key]) });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body.photos.map((p: { key: string }) => p.key)).toEqual([photo.key]);

    const seen = await api.call("GET", `/api/activities/${posted.body.id}`, { as: c.members[0] });
    expect(seen.status).toBe(200);
    expect(seen.body.photos).toHaveLength(1);
    const url = new URL(seen.body.photos[0].url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    const read = await fetch(url);
    expect(read.status).toBe(200);
    expect((await read.arrayBuffer()).byteLength).toBe(2500);
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: api.s3.bucket, Key: photo.key }));
    expect(tags.TagSet).toEqual([{ Key: "attached", Value: "yes" }]);

    // A resident is no member: the activity, photos and all, does not exist for them.
    const resident = await api.call("GET", `/api/activities/${posted.body.id}`, { as: c.residents[0] });
    expect(resident.status).toBe(404);
    expect(JSON.stringify(resident.body)).not.toContain("photos/");
  });

  it("an activity without photos answers an empty list", async () => {
    const posted = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity([]) });
    expect(posted.status).toBe(201);
    expect(posted.body.photos).toEqual([]);
  });

  it("a member's photo, one uploaded for a wish or a tenth: refused by rule, and no activity is written", async () => {
    const before = await activitiesOf();
    const post = (photos: string[]) => api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity(photos) });
    const theirs = await upload(c.members[1], { purpose: "activity" });
    const forAWish = await upload(c.staff, { purpose: "wish" });
    expectProblem(await post([theirs.key]), 403, "photo.not_yours", "photos.0");
    expectProblem(await post([forAWish.key]), 422, "photo.invalid", "photos.0");
    const ten = await Promise.all(Array.from({ length: 10 }, () => upload(c.staff, { purpose: "activity", body: jpeg(100) })));
    const tooMany = await post(ten.map((u) => u.key));
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(tooMany.body)).toContain("photos");
    expect(await activitiesOf()).toBe(before);
  });

  it("staff add photos after the activity (its 图文 record), nine at most in all; others may not, and nothing is written", async () => {
    const first = await upload(c.staff, { purpose: "activity" });
    const posted = await api.call("POST", `/api/communities/${c.id}/activities`, { as: c.staff, body: activity([first.key]) });
    const id = posted.body.id;
    const add = (who: Person, photos: string[]) => api.call("POST", `/api/activities/${id}/photos`, { as: who, body: { photos } });
    const later = await Promise.all(Array.from({ length: 8 }, () => upload(c.staff, { purpose: "activity", body: jpeg(200) })));

    const added = await add(
      c.staff,
      later.slice(0, 2).map((u) => u.key),
    );
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.photos.map((p: { key: string }) => p.key)).toEqual([first.key, later[0].key, later[1].key]);
    const seen = await api.call("GET", `/api/activities/${id}`, { as: c.members[2] });
    expect(seen.body.photos).toHaveLength(3);
    expect((await fetch(seen.body.photos[2].url)).status).toBe(200);

    const partition = () => snapshot(api.store, [`A#${id}`]);
    const before = await partition();
    const theirs = await upload(c.members[0], { purpose: "activity" });
    expectProblem(await add(c.members[0], [theirs.key]), 403, "activity.forbidden");
    expectProblem(await add(c.staff, [theirs.key]), 403, "photo.not_yours", "photos.0");
    expectProblem(await add(c.staff, [later[0].key]), 422, "photo.invalid", "photos");
    expectProblem(await add(c.staff, []), 422, "request.invalid_body", "photos");
    // Three on it and seven more: one too many.
    const extra = await upload(c.staff, { purpose: "activity", body: jpeg(100) });
    expectProblem(await add(c.staff, [...later.slice(2).map((u) => u.key), extra.key]), 422, "photo.too_many", "photos");
    expect(await partition()).toEqual(before);
    expect(
      (
        await add(
          c.staff,
          later.slice(2).map((u) => u.key),
        )
      ).body.photos,
    ).toHaveLength(9);
  });
});
