import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Tests run against the sources of the sibling packages, so no build is needed between edits.
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: [
      { find: /^@iac\/sdk\/testing$/, replacement: source("../sdk/src/testing/index.ts") },
      { find: /^@iac\/sdk$/, replacement: source("../sdk/src/index.ts") },
      { find: /^@iac\/sync$/, replacement: source("../sync/src/index.ts") },
    ],
  },
  test: {
    name: "server",
    include: ["test/**/*.test.ts"],
    restoreMocks: true,
    testTimeout: 20_000,
    // Polls wait for background work (drift rounds, reports, syncs); on a loaded machine that takes seconds.
    expect: { poll: { timeout: 5_000 } },
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
