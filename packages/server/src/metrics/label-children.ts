import type { Counter } from "prom-client";

/**
 * The children of a counter with two labels, each made on first use and kept: counting is then two map lookups,
 * without prom-client hashing a label object on every request.
 */
export function labelChildren<L extends string>(
  counter: Counter<L>,
  first: L,
  second: L,
): (a: string, b: string) => Counter.Internal {
  const children = new Map<string, Map<string, Counter.Internal>>();
  return (a, b) => {
    let row = children.get(a);
    if (row === undefined) {
      row = new Map();
      children.set(a, row);
    }
    let child = row.get(b);
    if (child === undefined) {
      child = counter.labels({ [first]: a, [second]: b } as Partial<Record<L, string>>);
      row.set(b, child);
    }
    return child;
  };
}
