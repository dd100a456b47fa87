import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "sync",
    include: ["test/**/*.test.ts"],
    restoreMocks: true,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
