// Build settings every package shares, decided once.
import { rmSync } from "node:fs";
import type { Options } from "tsup";

/**
 * Empties `dist` once, before any build of the package starts. No config sets tsup's own `clean`: it runs inside each
 * config of an array, concurrently, and would delete what a sibling config has just written.
 */
export function emptyDist(): void {
  rmSync("dist", { recursive: true, force: true });
}

/**
 * No source maps: with their embedded sources they were half of every tarball, and the output is readable unminified
 * ESM and CommonJS that stack traces point into directly.
 */
export const shared: Options = {
  sourcemap: false,
  target: "node22",
};
