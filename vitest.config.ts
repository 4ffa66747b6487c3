import { defineConfig } from "vitest/config";

/**
 * Tests that need neither DynamoDB Local nor a browser: new ones go under test/unit/; the
 * others listed here stay beside the data tests of their area.
 */
const unit = ["test/unit/**/*.test.ts", "test/notify/templates.test.ts", "test/notify/sns.test.ts"];
/** Real Chromium against the app `startLocal` serves, with its own DynamoDB Local. */
const browser = ["test/e2e/**/*.test.ts", "test/robust/security-headers.test.ts"];
/** The SST app synthesized offline into CloudFormation. */
const stacks = ["test/stacks/**/*.test.ts"];

const shared = {
  // Forks, not threads: the launcher's tests spawn and kill JVMs and change PATH.
  pool: "forks",
  testTimeout: 30_000,
  hookTimeout: 60_000,
} as const;

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "unit", include: unit } },
      {
        test: {
          ...shared,
          name: "data",
          include: ["test/**/*.test.ts"],
          exclude: [...unit, ...browser, ...stacks],
          // One DynamoDB Local for the project's run; each test file makes its own table in it.
          globalSetup: ["test/setup/global.ts"],
        },
      },
      { test: { ...shared, name: "browser", include: browser } },
      { test: { ...shared, name: "stacks", include: stacks } },
    ],
  },
});
