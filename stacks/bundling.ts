import { readFileSync } from "node:fs";

/**
 * The part of esbuild's plugin interface used here: SST's esbuild and the project's are two
 * versions whose own types do not fit each other, and this fits both.
 */
interface PluginBuild {
  onLoad(options: { filter: RegExp }, load: (args: { path: string }) => { contents: string; loader: "ts" }): void;
}

/** The answers' schemas (functions/app/responses.ts): read by the OpenAPI document and the contract test, never by a handler. */
const responses = /[\\/]functions[\\/]app[\\/]responses\.ts$/;

/**
 * Bundles a function that serves routes but not the OpenAPI document (the document is built at
 * deploy time for its own function) without the answers' schemas: each export of responses.ts
 * becomes `undefined`, so the route declarations still name them but nothing builds them. They
 * are some 480 zod objects built at every cold start and 11 KB of the bundle for a document this
 * function never serves. The source stays the one description of the answers: the document, the
 * contract test and the web app's types still read it.
 */
export const withoutAnswerSchemas = {
  name: "without-answer-schemas",
  setup(build: PluginBuild) {
    build.onLoad({ filter: responses }, (args) => {
      const names = [...readFileSync(args.path, "utf8").matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
      return { contents: names.map((name) => `export const ${name} = undefined;`).join("\n"), loader: "ts" };
    });
  },
};

/** What the API's function adds to SST's esbuild options (stacks/Api.ts; the bench builds it the same way). */
export const apiEsbuild = { plugins: [withoutAnswerSchemas] };
