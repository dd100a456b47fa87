// The benchmark suites of @iac/server, run one after the other: `npm run bench -w @iac/server`. Each prints its
// table and sets a non-zero exit code when it misses a target.
import * as frontDoor from "./front-door.js";
import * as pipeline from "./pipeline.js";

const SUITES: readonly { run(): Promise<void> }[] = [frontDoor, pipeline];

for (const suite of SUITES) {
  await suite.run();
}
