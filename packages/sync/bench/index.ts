// Runs every benchmark of @iac/sync in sequence. Each reports ratios against a baseline measured in the same run,
// because absolute times on shared machines are noise.
import { run as runConfigHash } from "./config-hash.js";
import { run as runMapChanges } from "./map-changes.js";
import { run as runVerify } from "./verify.js";

await runVerify();
await runMapChanges();
await runConfigHash();
