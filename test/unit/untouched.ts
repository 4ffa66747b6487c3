import type { DocClient } from "../../functions/aws/dynamodb.js";
import type { Deps } from "../../functions/app/index.js";

/**
 * The app's dependencies with a table that must not be reached: every call to it is recorded in
 * `calls` and fails, as do texts and topic messages. A test that expects `calls` to stay empty
 * shows that the API answered without reading or writing anything.
 */
export function untouchedDeps(opts: { secret: string; siteOrigins?: string[] }) {
  const calls: string[] = [];
  const refuse = (what: string) => {
    calls.push(what);
    throw new Error(`${what}: this test expects the API to answer without it`);
  };
  const doc = { send: async (command: object) => refuse(`table ${command.constructor.name}`) } as unknown as DocClient;
  const deps: Deps = {
    store: { doc, table: "untouched" },
    notifier: { send: async () => refuse("SMS"), publish: async () => refuse("topic message") },
    secret: async () => opts.secret,
    siteOrigins: () => opts.siteOrigins ?? [],
    publicUrl: () => "http://127.0.0.1",
  };
  return { deps, calls };
}
