// Builds every package for the demo and stays quiet unless the build fails, so the demo's story is what shows.
import { spawnSync } from "node:child_process";

const build = spawnSync("npm", ["run", "build", "--silent"], { encoding: "utf8", shell: process.platform === "win32" });
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? "");
  process.stderr.write(build.stderr ?? "");
  process.stderr.write(`\nThe build failed (exit ${build.status ?? build.signal}); the demo needs it.\n`);
  process.exit(build.status ?? 1);
}
