import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../../stacks/Api.js";
import { Web } from "../../stacks/Web.js";
import { synth } from "./synth.js";

// The StaticSite runs its real build command during synth. It runs against a stub site
// in a scratch directory so that the test neither depends on the web app's state nor
// overwrites the web/dist that local runs serve.
const repo = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), "microwish-web-"));
let web: Template;
let api: Template;

beforeAll(async () => {
  symlinkSync(resolve(repo, "node_modules"), join(scratch, "node_modules"), "dir");
  cpSync(resolve(repo, "package.json"), join(scratch, "package.json"));
  mkdirSync(join(scratch, "web"));
  writeFileSync(
    join(scratch, "web/index.html"),
    `<!doctype html><script type="module">document.title = import.meta.env.VITE_API_URL;</script>`,
  );
  await synth("test", ["Web"], scratch);
  const { getStack } = await import("sst/constructs");
  web = Template.fromStack(getStack(Web));
  api = Template.fromStack(getStack(Api));
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("Web stack", () => {
  it("builds the site with a placeholder for the API URL", () => {
    const dist = join(scratch, "web/dist");
    const built = readdirSync(dist, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(js|html)$/.test(f))
      .map((f) => readFileSync(join(dist, f), "utf8"))
      .join("\n");
    expect(built).toContain("{{ VITE_API_URL }}");
  });

  it("replaces the placeholder with the API URL on upload", () => {
    const [url] = Object.values(api.findOutputs("ApiUrl"));
    const exports = Object.values(api.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>);
    const uploaders = Object.values(web.findResources("Custom::S3Uploader"));
    expect(uploaders).toHaveLength(1);
    const replaceValues = uploaders[0].Properties.replaceValues as { files: string; search: string; replace: unknown }[];
    expect(replaceValues.map((r) => r.files).sort()).toEqual(["**/*.html", "**/*.js"]);
    for (const r of replaceValues) {
      expect(r.search).toBe("{{ VITE_API_URL }}");
      const name = (r.replace as Record<string, string>)["Fn::ImportValue"];
      expect(exports.find((o) => o.Export?.Name === name)?.Value).toEqual(url.Value);
    }
  });

  it("serves from a bucket through CloudFront and outputs the site URL", () => {
    web.resourceCountIs("AWS::S3::Bucket", 1);
    web.resourceCountIs("AWS::CloudFront::Distribution", 1);
    expect(Object.keys(web.findOutputs("SiteUrl"))).toHaveLength(1);
  });
});
