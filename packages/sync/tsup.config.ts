import { defineConfig } from "tsup";
import { emptyDist, shared } from "../../tsup.shared.js";

emptyDist();

const entry = ["src/index.ts"];

export default defineConfig([
  { ...shared, entry, format: ["esm"], dts: true },
  {
    ...shared,
    entry,
    format: ["cjs"],
    dts: true,
    // @noble/hashes 2 is ESM-only: `require()` of it fails wherever require(esm) is refused (Jest, older Node), so
    // the CommonJS build carries its own copy of the few functions used. The ESM build imports the dependency.
    noExternal: [/^@noble\/hashes(\/|$)/],
  },
]);
