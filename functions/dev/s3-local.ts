/**
 * The photo bucket for `npm start` and the tests: s3rver, an S3-compatible server from npm, with
 * its files on disk. It speaks S3's REST API (POST Object for browser uploads, HEAD, GET, object
 * tagging, CORS) but checks neither SigV4 signatures nor POST policies: the type, size, key and
 * expiry a presigned POST limits are not enforced by it. `Photos.attach` checks type, size, key and
 * owner of every upload itself before a record names it, on AWS as here; expiry and the signature
 * are only enforced by S3.
 */
import { mkdirSync } from "node:fs";
import S3rver from "s3rver";
import { s3 } from "../aws/s3.js";

/** s3rver's built-in account; any other key id is refused as unknown. */
export const localCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** Browsers upload from the app's origin, another origin than the bucket's: s3rver answers any (the AWS bucket names the site's). */
const cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startLocalS3(opts: { directory: string; host?: string; port?: number; bucket?: string }) {
  const bucket = opts.bucket ?? "microwish-photos";
  mkdirSync(opts.directory, { recursive: true });
  const server = new S3rver({
    address: opts.host ?? "127.0.0.1",
    port: opts.port ?? 0,
    silent: true,
    directory: opts.directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [cors] }],
  });
  const address = await server.run();
  const host = address.address === "0.0.0.0" || address.address === "::" ? "localhost" : address.address;
  const endpoint = `http://${host}:${address.port}`;
  const photos = s3({ bucket, region: "us-east-1", endpoint, credentials: () => localCredentials });
  return { endpoint, bucket, photos, stop: () => server.close() };
}
export type LocalS3 = Awaited<ReturnType<typeof startLocalS3>>;
