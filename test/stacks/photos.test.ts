/**
 * The Photos stack as synthesized from sst.config.ts: a private, encrypted bucket whose name the
 * Api stack computes alike, CORS for one origin (the site's; the dev server's here, Web inactive), a rule deleting uploads never
 * attached, and the API's grant on the photos/ prefix. A file of its own: SST's project is process-wide.
 */
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Api, photoBucketName } from "../../stacks/Api.js";
import { Photos } from "../../stacks/Photos.js";
import { account, list, region, synth, type Statement } from "./synth.js";

type Json = Record<string, any>;

let photos: Template;
let api: Template;

beforeAll(async () => {
  await synth("test", ["Photos", "Api"]);
  const { getStack } = await import("sst/constructs");
  photos = Template.fromStack(getStack(Photos));
  api = Template.fromStack(getStack(Api));
}, 180_000);

const bucket = () => {
  const found = Object.values(photos.findResources("AWS::S3::Bucket")) as Json[];
  expect(found).toHaveLength(1);
  return found[0].Properties;
};

describe("Photos stack", () => {
  it("a private bucket: every public access blocked, objects owned by the bucket, encrypted, TLS only", () => {
    const b = bucket();
    expect(b.BucketName).toBe(photoBucketName({ stage: "test", account, region }));
    expect(b.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(b.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });
    expect(b.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }]);
    const [policy] = Object.values(photos.findResources("AWS::S3::BucketPolicy")) as Json[];
    const denyPlainHttp = (policy.Properties.PolicyDocument.Statement as Statement[]).find(
      (s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }),
    );
    expect(denyPlainHttp).toBeDefined();
  });

  it("deletes uploads still tagged unattached after a day, and keeps attached photos", () => {
    const rules = bucket().LifecycleConfiguration.Rules as Json[];
    const unattached = rules.find((r) => r.Id === "unattached-uploads")!;
    expect(unattached).toMatchObject({
      Status: "Enabled",
      ExpirationInDays: 1,
      Prefix: "photos/",
      TagFilters: [{ Key: "attached", Value: "no" }],
    });
    for (const r of rules)
      expect(r.TagFilters ?? [], "no rule expires attached photos").not.toContainEqual({ Key: "attached", Value: "yes" });
    expect(rules.filter((r) => r.ExpirationInDays !== undefined)).toHaveLength(1);
  });

  it("CORS lets only the web app's origin send the form and read photos", () => {
    const [rule] = bucket().CorsConfiguration.CorsRules as Json[];
    expect(rule.AllowedMethods.sort()).toEqual(["GET", "HEAD", "POST"]);
    expect(rule.AllowedOrigins).toHaveLength(1);
    expect(JSON.stringify(rule.AllowedOrigins)).not.toContain("*");
    // Synthesized with the Web stack inactive, the site has no URL yet and the dev server's stands in, as for the site-origin parameter.
    expect(rule.AllowedOrigins).toEqual(["http://localhost:5173"]);
  });

  it("the API's function knows the bucket by name and may only put, tag and read under photos/, and list the bucket", () => {
    const [fn] = (Object.values(api.findResources("AWS::Lambda::Function")) as Json[]).filter(
      (f) => f.Properties.Environment?.Variables?.TABLE_NAME,
    );
    const name = photoBucketName({ stage: "test", account, region });
    expect(fn.Properties.Environment.Variables.PHOTO_BUCKET).toBe(name);
    const statements = (Object.values(api.findResources("AWS::IAM::Policy")) as Json[]).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    const s3 = statements.filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
    expect(s3.map((s) => [list(s.Action).sort(), JSON.stringify(s.Resource)])).toEqual([
      [
        ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"],
        JSON.stringify({ "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:s3:::${name}/photos/*`]] }),
      ],
      [["s3:ListBucket"], JSON.stringify({ "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:s3:::${name}`]] })],
    ]);
  });
});
