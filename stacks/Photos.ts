import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { use, type StackContext } from "sst/constructs";
import { parseOrigins } from "../functions/app/security.js";
import { photoBucketName, photoPrefix } from "./Api.js";
import { Web } from "./Web.js";

export function Photos({ stack }: StackContext) {
  const { site } = use(Web);
  const prod = stack.stage === "prod";

  const bucket = new Bucket(stack, "Photos", {
    bucketName: photoBucketName(stack),
    // Private: phones upload with presigned POSTs and read with presigned GETs the API signs.
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    // Browsers send the form and read the photos from the web app's origin(s) only.
    cors: [
      {
        allowedOrigins: [site.customDomainUrl ?? site.url ?? "http://localhost:5173", ...parseOrigins(process.env.SITE_ORIGIN)],
        allowedMethods: [HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD],
        allowedHeaders: ["*"],
        maxAge: 3000,
      },
    ],
    lifecycleRules: [
      {
        // Uploads come tagged attached=no and are retagged when a record takes them: those never
        // attached (a form abandoned, a photo removed before posting) go after a day.
        id: "unattached-uploads",
        prefix: photoPrefix,
        tagFilters: { attached: "no" },
        expiration: Duration.days(1),
      },
      { id: "incomplete-multipart", abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    // Attached photos are part of the records (图文 in the branches' scores) and stay while they do.
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    autoDeleteObjects: !prod,
  });

  stack.addOutputs({ PhotoBucket: bucket.bucketName });
  return { bucket };
}
