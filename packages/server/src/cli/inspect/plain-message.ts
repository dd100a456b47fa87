/** An error's message without the `[@iac/server] ` (or other package) prefix, for the CLI's one-line errors. */
export function plainMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\[@iac\/[\w-]+\] /, "");
}
