import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanDotenv } from "../src/scan-dotenv.js";

const piece = fc.constantFrom("A", "b", "=", " ", "#", "'", '"', "`", "\\", "\n", "\r\n", "\r", "export ", "x=1");

describe("scanDotenv", () => {
  it("keeps every character: joining the segments gives the text back", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 20 }),
        (parts) => {
          const text = parts.join("");
          expect(
            scanDotenv(text)
              .map((segment) => segment.text + segment.eol)
              .join(""),
          ).toBe(text);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("puts a multi-line quoted value in one segment with its final line break", () => {
    expect(scanDotenv("# c\r\nA='1\r\n2'\r\nB=3")).toEqual([
      { text: "# c", eol: "\r\n", entry: null },
      { text: "A='1\r\n2'", eol: "\r\n", entry: { key: "A", value: "1\n2" } },
      { text: "B=3", eol: "", entry: { key: "B", value: "3" } },
    ]);
  });
});
