// Runs every benchmark of @iac/server in sequence; each prints its table and sets a non-zero exit code when it
// misses a target.
import { run as runPipeline } from "./pipeline.js";

await runPipeline();
