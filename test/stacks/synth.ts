import type { App } from "sst/constructs";

export const account = "123456789012";
export const region = "us-east-1";

/**
 * Synthesizes the app exactly as sst.config.ts composes it, offline. Stacks not named in
 * `active` are synthesized inactive (SST's own mechanism for `sst deploy <stack>`), which
 * skips their function bundling and site builds. `where` is the account and region deployed to.
 */
export async function synth(
  stage: string,
  active: string[],
  cwd = process.cwd(),
  where: { region: string; account: string } = { region, account },
): Promise<App> {
  process.env.SST_TELEMETRY_DISABLED = "1";
  // SST skips its AWS bootstrap lookups only when it knows it runs under tests.
  process.env.NODE_ENV = "test";
  const { initProject } = await import("sst/project.js");
  await initProject({ stage });
  const { App } = await import("sst/constructs");
  const { default: config } = await import("../../sst.config.js");
  const app = new App({
    mode: "deploy",
    stage,
    name: "microwish",
    region: where.region,
    account: where.account,
    isActiveStack: (stackName) => active.some((id) => stackName === `${stage}-microwish-${id}`),
  });
  // Paths in the stacks (the site's, the handler's) resolve against the working directory.
  const home = process.cwd();
  process.chdir(cwd);
  try {
    await config.stacks(app);
    await app.finish();
  } finally {
    process.chdir(home);
  }
  return app;
}

export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  [key: string]: unknown;
};

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
