import type { CliIo } from "../cli-io.js";

/**
 * Whether to colour stdout: only on a terminal, and never when `NO_COLOR` is set to anything but the empty string
 * (https://no-color.org).
 */
export function useColor(io: Pick<CliIo, "env" | "isTTY">): boolean {
  const { NO_COLOR: noColor } = io.env;
  return io.isTTY === true && (noColor === undefined || noColor === "");
}
