/** The messages of an error and of its causes, outermost first; never a stack. */
export function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (current instanceof AggregateError && current.message === "") {
      lines.push(...current.errors.flatMap(causeChain));
      break;
    }
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      lines.push(`${current.name}${typeof code === "string" ? ` ${code}` : ""}: ${current.message}`);
      current = current.cause;
    } else {
      lines.push(String(current));
      break;
    }
  }
  return lines;
}
