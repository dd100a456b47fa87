// The benchmark suites of @iac/server, run one after the other: `npm run bench -w @iac/server`.
import * as frontDoor from "./front-door.js";

const SUITES: readonly { run(): Promise<void> }[] = [frontDoor];

for (const suite of SUITES) {
  await suite.run();
}
