/** A table cell: its text and, on a colour terminal, how it is shown. */
export interface Cell {
  text: string;
  style?: "green" | "yellow" | "red" | "dim" | "bold" | undefined;
}

const CODES: Readonly<Record<NonNullable<Cell["style"]>, string>> = {
  green: "32",
  yellow: "33",
  red: "31",
  dim: "2",
  bold: "1",
};

function paint(cell: Cell, colors: boolean): string {
  return colors && cell.style !== undefined ? `\u001b[${CODES[cell.style]}m${cell.text}\u001b[0m` : cell.text;
}

/**
 * Lays out `rows` under `header` in columns two spaces apart, each as wide as its widest cell (measured on the text,
 * so colour codes never break the alignment); the last column is not padded. Styles apply only with `colors`.
 *
 * @example
 * formatTable(["SERVICE", "ACTION"], [[{ text: "postgres" }, { text: "update", style: "yellow" }]], false);
 * // "SERVICE   ACTION\npostgres  update\n"
 */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[], colors: boolean): string {
  const all: (readonly Cell[])[] = [header.map((text): Cell => ({ text, style: "bold" })), ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...(row[column]?.text ?? "")].length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => {
          const padding = column === row.length - 1 ? 0 : (widths[column] ?? 0) - [...cell.text].length;
          return `${paint(cell, colors)}${" ".repeat(Math.max(0, padding))}`;
        })
        .join("  "),
    )
    .map((line) => `${line.trimEnd()}\n`)
    .join("");
}
