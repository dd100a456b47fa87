/** An error's message without the `[@iac/server] ` (or other package) prefix, for one-line errors people read. */
export function plainMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\[@iac\/[\w-]+\] /, "");
}
