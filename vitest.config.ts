import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole workspace. Workspace packages resolve to their
 * TypeScript source through their `exports`, so no build is needed to test.
 * Files run in forks (PGlite and servers hold native resources) two at a time
 * on this 2-core machine class. The global setup rebuilds a CLI bundle older
 * than the sources, so CLI processes run the code under test.
 */
export default defineConfig({
  test: {
    include: ["apps/*/src/**/*.test.ts", "libs/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    globalSetup: ["test/support/build-cli-if-stale.ts"],
  },
});
