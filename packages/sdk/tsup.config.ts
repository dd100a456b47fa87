import { defineConfig } from "tsup";
import { emptyDist, shared } from "../../tsup.shared.js";

emptyDist();

export default defineConfig({
  ...shared,
  entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
});
