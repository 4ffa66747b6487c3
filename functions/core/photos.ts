/**
 * Photos on records: wishes (the resident's), completions (the volunteer's) and activities
 * (staff's). A phone uploads straight to the bucket with a presigned POST that limits the type
 * and the size; records store only keys, each checked at attachment to be an upload of the
 * caller's for that purpose; readers get short-lived URLs.
 */
import { ulid } from "ulid";
import { fail } from "./errors.js";
import type { Actor } from "./identity.js";

export const purposes = ["wish", "completion", "activity"] as const;
export type Purpose = (typeof purposes)[number];

export const photoTypes = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;
export type PhotoType = keyof typeof photoTypes;
export const photoContentTypes = Object.keys(photoTypes) as PhotoType[];

/** After the phone has shrunk it; a 1600 px JPEG at quality 0.8 is usually 200 to 500 KB. */
export const maxPhotoBytes = 2 * 1024 * 1024;
export const maxPhotosPerRecord = 9;
/** How long a presigned upload may start; the phone asks just before sending. */
export const uploadSeconds = 5 * 60;
/** How long a read URL works: a page left open a while still shows its photos. */
export const readSeconds = 15 * 60;

/** The bucket as the domain needs it (functions/aws/s3.ts on AWS and against the local server). */
export interface PhotoBucket {
  presignPost(opts: {
    key: string;
    conditions: unknown[];
    fields: Record<string, string>;
    expiresInSeconds: number;
  }): Promise<{ url: string; fields: Record<string, string> }>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
  head(key: string): Promise<{ size: number; contentType: string } | undefined>;
  tag(key: string, tags: Record<string, string>): Promise<void>;
}

/**
 * Uploads are tagged `attached=no`; the bucket's lifecycle rule deletes those a day later, so
 * photos picked and never posted do not pile up. Attaching retags them `attached=yes` before
 * the record is written: a record never names a photo the rule could delete.
 */
export const pendingTagging = "<Tagging><TagSet><Tag><Key>attached</Key><Value>no</Value></Tag></TagSet></Tagging>";

const keyPattern = /^photos\/([A-Za-z0-9_-]{1,64})\/(wish|completion|activity)\/[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp)$/;

export interface Photo {
  key: string;
  url: string;
}

const need = (bucket: PhotoBucket | undefined): PhotoBucket =>
  bucket ?? fail("photo.unavailable", "Photos are not set up on this server (no bucket is configured).");

/** A presigned POST for one photo: the form's URL and fields, good for five minutes, for this type and at most 2 MB. */
export async function newUpload(bucket: PhotoBucket | undefined, actor: Actor, input: { purpose: Purpose; contentType: PhotoType }) {
  const photos = need(bucket);
  const key = `photos/${actor.id}/${input.purpose}/${ulid()}.${photoTypes[input.contentType]}`;
  const { url, fields } = await photos.presignPost({
    key,
    conditions: [
      ["content-length-range", 1, maxPhotoBytes],
      ["eq", "$Content-Type", input.contentType],
    ],
    fields: { "Content-Type": input.contentType, tagging: pendingTagging },
    expiresInSeconds: uploadSeconds,
  });
  const expiresAt = new Date(Date.now() + uploadSeconds * 1000).toISOString();
  return { key, url, method: "POST" as const, fields, maxBytes: maxPhotoBytes, expiresAt };
}

/**
 * Checks photos about to be attached to a record that already has `existing`, and marks them
 * attached: each key one of the caller's own uploads for this purpose, there in the bucket, of
 * the type its name says and within the size, at most nine on the record. Returns the record's
 * keys after attaching. Refuses with the first rule broken, naming the photo, before anything is written.
 */
export async function attach(
  bucket: PhotoBucket | undefined,
  actor: Actor,
  purpose: Purpose,
  keys: readonly string[] | undefined,
  existing: readonly string[] = [],
): Promise<string[]> {
  if (!keys?.length) return [...existing];
  const photos = need(bucket);
  const all = [...existing, ...keys];
  if (all.length > maxPhotosPerRecord) {
    fail("photo.too_many", `At most ${maxPhotosPerRecord} photos on one record: it has ${existing.length}, and you sent ${keys.length}.`, {
      field: "photos",
      max: maxPhotosPerRecord,
    });
  }
  if (new Set(all).size !== all.length) fail("photo.invalid", "The same photo is attached twice.", { field: "photos" });
  for (const [i, key] of keys.entries()) {
    const field = `photos.${i}`;
    const m = keyPattern.exec(key);
    if (!m) fail("photo.invalid", `Not a photo key: ${key.slice(0, 120)}. Upload through POST /api/uploads first.`, { field });
    if (m![1] !== actor.id) fail("photo.not_yours", "This photo was uploaded by someone else: attach only your own.", { field });
    if (m![2] !== purpose) {
      fail("photo.invalid", `This photo was uploaded for a ${m![2]}, not for a ${purpose}: upload it again for this.`, { field });
    }
  }
  const found = await Promise.all(keys.map((key) => photos.head(key)));
  for (const [i, key] of keys.entries()) {
    const field = `photos.${i}`;
    const object = found[i];
    if (!object) fail("photo.not_uploaded", "Nothing was uploaded under this key (or the upload failed): upload it again.", { field });
    const ext = key.slice(key.lastIndexOf(".") + 1);
    const type = object!.contentType.split(";")[0].trim().toLowerCase();
    if (photoTypes[type as PhotoType] !== ext) {
      fail("photo.wrong_type", `The upload is ${type || "of no type"}, not a JPEG, PNG or WebP photo as its key says.`, { field });
    }
    if (object!.size > maxPhotoBytes) {
      fail("photo.too_large", `The photo is ${object!.size} bytes; at most ${maxPhotoBytes} (2 MB): shrink it first.`, {
        field,
        maxBytes: maxPhotoBytes,
      });
    }
  }
  await Promise.all(keys.map((key) => photos.tag(key, { attached: "yes" })));
  return all;
}

/** Read URLs for a record's photos, for someone already found to be allowed to see it. */
export async function readable(bucket: PhotoBucket | undefined, keys: readonly string[] | undefined): Promise<Photo[]> {
  if (!bucket || !keys?.length) return [];
  return Promise.all(keys.map(async (key) => ({ key, url: await bucket.presignGet(key, readSeconds) })));
}
