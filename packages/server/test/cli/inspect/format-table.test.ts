import { describe, expect, it } from "vitest";
import { formatTable } from "../../../src/cli/inspect/format-table.js";
import { useColor } from "../../../src/cli/inspect/use-color.js";

describe("formatTable", () => {
  const rows = [
    [{ text: "postgres" }, { text: "update", style: "yellow" as const }, { text: "config changed" }],
    [{ text: "minio" }, { text: "create", style: "green" as const }, { text: "" }],
  ];

  it("aligns columns two spaces apart on the widest cell, without trailing spaces", () => {
    expect(formatTable(["SERVICE", "ACTION", "REASON"], rows, false)).toBe(
      "SERVICE   ACTION  REASON\npostgres  update  config changed\nminio     create\n",
    );
  });

  it("colours styled cells without breaking the alignment", () => {
    const text = formatTable(["SERVICE", "ACTION", "REASON"], rows, true);
    expect(text).toContain("\u001b[33mupdate\u001b[0m  config changed");
    expect(text).toContain("\u001b[1mSERVICE\u001b[0m   ");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the colour codes is the point.
    expect(text.replace(/\u001b\[\d+m/g, "")).toBe(formatTable(["SERVICE", "ACTION", "REASON"], rows, false));
  });

  it("measures characters, not UTF-16 units", () => {
    expect(formatTable(["A", "B"], [[{ text: "😀" }, { text: "x" }]], false)).toBe("A  B\n😀  x\n");
  });
});

describe("useColor", () => {
  it.each([
    [{ isTTY: true, env: {} }, true],
    [{ isTTY: true, env: { NO_COLOR: "" } }, true],
    [{ isTTY: true, env: { NO_COLOR: "1" } }, false],
    [{ isTTY: false, env: {} }, false],
    [{ env: {} }, false],
  ])("is %j → %s", (io, want) => {
    expect(useColor(io)).toBe(want);
  });
});
