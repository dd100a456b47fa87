import { defineConfig } from "tsup";
import { emptyDist, shared } from "../../tsup.shared.js";

emptyDist();

export default defineConfig([
  {
    ...shared,
    // One ESM build for the library and the CLI: code splitting puts what both use into shared chunks, so the
    // executable is not a second copy of the server. The shebang comes from src/cli.ts.
    entry: { index: "src/index.ts", cli: "src/cli.ts" },
    format: ["esm"],
    splitting: true,
    dts: { entry: { index: "src/index.ts" } },
  },
  {
    ...shared,
    entry: { index: "src/index.ts" },
    format: ["cjs"],
    dts: true,
    // Octokit and its own dependencies are ESM-only: `require()` of them fails wherever require(esm) is refused
    // (Jest, older Node), so the CommonJS build carries its own copy. The ESM build imports them.
    noExternal: [/^@octokit\//, "before-after-hook", "universal-user-agent", "json-with-bigint", "content-type"],
  },
]);
