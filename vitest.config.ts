import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/src/**/*.test.tsx"],
    testTimeout: 30_000,
    // A fresh database is migrated and seeded per file: on a busy 2-core machine that takes a while.
    hookTimeout: 120_000,
    // Each test file gets its own fresh database; two forks match the 2-core machines.
    pool: "forks",
    maxWorkers: 2,
  },
});
