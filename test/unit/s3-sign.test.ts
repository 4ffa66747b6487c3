/**
 * The photo bucket's signed requests (functions/aws/s3.ts) against AWS's own SDK as the oracle:
 * the same presigned POST as @aws-sdk/s3-presigned-post and the same presigned GET as the
 * presigner of @aws-sdk/s3-request-presigner, for the same credentials at the same instant, on AWS's address
 * and on a local endpoint.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { afterEach, describe, expect, it, vi } from "vitest";
import { s3 } from "../../functions/aws/s3.js";
import { Sha256 } from "../../functions/aws/signed.js";
import { pendingTagging } from "../../functions/core/photos.js";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token/=+" };
const now = new Date("2026-12-31T15:59:30.000Z");
const key = "photos/01JUSER/wish/01KB3Z7Q5S0000000000000000.jpg";

afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ["AWS", undefined],
  ["a local endpoint", "http://127.0.0.1:4568"],
])("signed like the SDK, on %s", (_, endpoint) => {
  const ours = s3({ bucket: "microwish-photos", region: "ap-southeast-1", endpoint, credentials: () => credentials });
  const client = new S3Client({
    region: "ap-southeast-1",
    credentials,
    responseChecksumValidation: "WHEN_REQUIRED",
    requestChecksumCalculation: "WHEN_REQUIRED",
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });

  it("a presigned POST: the same URL, fields, policy and signature", async () => {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const conditions = [
      ["content-length-range", 1, 2 * 1024 * 1024],
      ["eq", "$Content-Type", "image/jpeg"],
    ];
    const fields = { "Content-Type": "image/jpeg", tagging: pendingTagging };
    const theirs = await createPresignedPost(client, {
      Bucket: "microwish-photos",
      Key: key,
      Conditions: conditions as never,
      Fields: fields,
      Expires: 300,
    });
    const mine = await ours.presignPost({ key, conditions, fields, expiresInSeconds: 300, now });
    expect(mine.url.replace(/\/$/, "")).toBe(theirs.url.replace(/\/$/, ""));
    expect(mine.fields).toEqual(theirs.fields);
    expect(Object.keys(mine.fields)).toEqual(Object.keys(theirs.fields));
  });

  it("a presigned GET: the same URL as the SDK's presigner gives for the object", async () => {
    const presigner = new S3RequestPresigner({ credentials, region: "ap-southeast-1", sha256: Sha256 });
    const url = new URL(
      endpoint ? `${endpoint}/microwish-photos/${key}` : `https://microwish-photos.s3.ap-southeast-1.amazonaws.com/${key}`,
    );
    const request = {
      method: "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: {},
      headers: { host: url.host },
    };
    const theirs = await presigner.presign(request, { expiresIn: 900, signingDate: now });
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const mine = new URL(await ours.presignGet(key, 900));
    expect(mine.origin + mine.pathname).toBe(url.origin + theirs.path);
    expect(Object.fromEntries(mine.searchParams)).toEqual(theirs.query);
    expect(mine.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });
});
