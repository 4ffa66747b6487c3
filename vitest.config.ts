import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One DynamoDB Local for the whole run; each test file makes its own table in it.
    globalSetup: ["test/setup/global.ts"],
    // Forks, not threads: the launcher's tests spawn and kill JVMs and change PATH.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
