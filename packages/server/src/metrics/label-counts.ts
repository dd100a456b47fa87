import type { Counter } from "prom-client";

/** Counts of a counter with two labels, kept apart from prom-client until the counter is read. */
export interface LabelCounts {
  /** Counts one for the pair of label values `a`, `b`. */
  inc(a: string, b: string): void;
  /** Adds to the counter what was counted since the last flush; call it before the registry is read. */
  flush(): void;
}

interface Cell {
  labels: Record<string, string>;
  pending: number;
}

/**
 * Counts for `counter` by its two labels as plain numbers, added to the counter in one call per series when it is
 * read. prom-client's own `inc` builds and checks a label key on every call, which showed in the profile of a flood of
 * refused webhooks; here counting is two map lookups and an addition. The series and values exposed are the same.
 */
export function labelCounts<L extends string>(counter: Counter<L>, first: L, second: L): LabelCounts {
  const rows = new Map<string, Map<string, Cell>>();
  return {
    inc(a, b) {
      let row = rows.get(a);
      if (row === undefined) {
        row = new Map();
        rows.set(a, row);
      }
      const cell = row.get(b);
      if (cell === undefined) {
        row.set(b, { labels: { [first]: a, [second]: b }, pending: 1 });
      } else {
        cell.pending += 1;
      }
    },
    flush() {
      for (const row of rows.values()) {
        for (const cell of row.values()) {
          if (cell.pending > 0) {
            counter.inc(cell.labels as Partial<Record<L, string>>, cell.pending);
            cell.pending = 0;
          }
        }
      }
    },
  };
}
