import { StaticSite, use, type StackContext } from "sst/constructs";
import { Api } from "./Api.js";

export function Web({ stack }: StackContext) {
  const { api } = use(Api);

  const site = new StaticSite(stack, "Site", {
    path: "web",
    buildCommand: "npx vite build",
    buildOutput: "dist",
    environment: { VITE_API_URL: api.url },
    // The web app declares its own env types; keep SST's generated declaration file
    // out of its source tree.
    vite: { types: "../.sst/types/web-env.d.ts" },
  });

  stack.addOutputs({ SiteUrl: site.url });

  return { site };
}
