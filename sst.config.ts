import { Aspects, RemovalPolicy } from "aws-cdk-lib/core";
import type { SSTConfig } from "sst";
import { Api } from "./stacks/Api.js";
import { Data } from "./stacks/Data.js";
import { Jobs } from "./stacks/Jobs.js";
import { FunctionLogs } from "./stacks/logs.js";
import { Notify } from "./stacks/Notify.js";
import { Ops, watchFunctions } from "./stacks/Ops.js";
import { Photos } from "./stacks/Photos.js";
import { Web } from "./stacks/Web.js";

export default {
  config() {
    return { name: "microwish", region: "ap-southeast-1" };
  },
  stacks(app) {
    // App-wide default removal applies to every resource and would override the
    // table's own RETAIN, so production keeps CDK's per-resource policies.
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      // SST v2's esbuild leaves output unminified unless asked.
      nodejs: { format: "esm", minify: true },
    });
    Aspects.of(app).add(new FunctionLogs(app.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY));
    app.stack(Data).stack(Ops).stack(Notify).stack(Api).stack(Jobs).stack(Web).stack(Photos);
    watchFunctions(app);
  },
} satisfies SSTConfig;
