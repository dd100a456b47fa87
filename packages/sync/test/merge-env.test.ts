import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeEnv, parseDotenv, serializeDotenv } from "../src/index.js";

const H = "IAC_CONFIG_HASH";

const cases: Array<[string, { remote: string; managed: Record<string, string>; owned?: string[]; want: string }]> = [
  [
    "replaces a managed key in place and keeps everything else",
    {
      remote: "# set by ops\nAPI_TOKEN='abc'  # keep\n\nIAC_CONFIG_HASH=0123456789ab\nZ=1\n",
      managed: { [H]: "v2:ff" },
      want: "# set by ops\nAPI_TOKEN='abc'  # keep\n\nIAC_CONFIG_HASH=v2:ff\nZ=1\n",
    },
  ],
  [
    "appends a missing key without adding a final line break",
    { remote: "A=1", managed: { [H]: "x" }, want: "A=1\nIAC_CONFIG_HASH=x" },
  ],
  [
    "appends a missing key keeping the final line break",
    { remote: "A=1\n", managed: { [H]: "x" }, want: "A=1\nIAC_CONFIG_HASH=x\n" },
  ],
  ["writes into an empty text", { remote: "", managed: { B: "2", A: "1" }, want: "B=2\nA=1" }],
  ["returns an empty text when there is nothing to write", { remote: "", managed: {}, want: "" }],
  [
    "keeps a text that needs no change as is",
    { remote: "A=1\r\n\r\n# x\r\n", managed: {}, want: "A=1\r\n\r\n# x\r\n" },
  ],
  [
    "removes every assignment of an owned key that is no longer managed",
    { remote: "OLD=1\nA=1\nexport OLD=2\n", managed: {}, owned: ["OLD"], want: "A=1\n" },
  ],
  [
    "drops the line break left over when the last line is removed",
    { remote: "A=1\nOLD=2", managed: {}, owned: ["OLD"], want: "A=1" },
  ],
  [
    "adds a line break before a key appended after a line that lacked one",
    { remote: "A=1\nOLD=2\n", managed: { [H]: "x" }, owned: ["OLD"], want: "A=1\nIAC_CONFIG_HASH=x\n" },
  ],
  [
    "replaces the first of duplicate managed assignments and removes the others",
    { remote: "H2=a\nX=1\nH2=b\nH2=c\n", managed: { H2: "new" }, want: "H2=new\nX=1\n" },
  ],
  ["keeps duplicates of a foreign key", { remote: "X=1\nX=2", managed: { A: "1" }, want: "X=1\nX=2\nA=1" }],
  [
    "keeps CRLF line breaks and uses them for new lines",
    {
      remote: "A=1\r\nIAC_CONFIG_HASH=old\r\n",
      managed: { [H]: "new", B: "2" },
      want: "A=1\r\nIAC_CONFIG_HASH=new\r\nB=2\r\n",
    },
  ],
  [
    "keeps a managed line byte-for-byte when its value is already right",
    {
      remote: 'export IAC_CONFIG_HASH = "x"  # hash\n',
      managed: { [H]: "x" },
      want: 'export IAC_CONFIG_HASH = "x"  # hash\n',
    },
  ],
  ["rewrites an export line with a new value", { remote: "export A=old", managed: { A: "new" }, want: "A=new" }],
  ["quotes a managed value when needed", { remote: "", managed: { A: "has #hash" }, want: "A='has #hash'" }],
  [
    "leaves a managed key inside a comment or a foreign multi-line value alone",
    {
      remote: '# IAC_CONFIG_HASH=old\nCERT="-----\nIAC_CONFIG_HASH=fake\n-----"\n',
      managed: { [H]: "x" },
      want: '# IAC_CONFIG_HASH=old\nCERT="-----\nIAC_CONFIG_HASH=fake\n-----"\nIAC_CONFIG_HASH=x\n',
    },
  ],
  [
    "replaces a managed multi-line value as a whole",
    { remote: "A='l1\nl2'\nB=1", managed: { A: "one" }, want: "A=one\nB=1" },
  ],
  [
    "keeps lines that do not parse",
    { remote: "A=1\nnot an assignment\n=x", managed: { A: "2" }, want: "A=2\nnot an assignment\n=x" },
  ],
];

describe("mergeEnv", () => {
  it.each(cases)("%s", (_name, { remote, managed, owned = [], want }) => {
    expect(mergeEnv(remote, managed, { managedKeys: owned })).toBe(want);
  });

  it("accepts the owned keys as any iterable", () => {
    expect(mergeEnv("OLD=1\nA=1", {}, { managedKeys: new Set(["OLD"]) })).toBe("A=1");
  });

  it("throws a TypeError for a managed key that cannot be written", () => {
    expect(() => mergeEnv("", { "BAD KEY": "x" }, { managedKeys: [] })).toThrow(
      /^\[@iac\/sync\] invalid env key "BAD KEY"/,
    );
  });

  it("returns any text unchanged when no key it holds is managed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (remote) => {
        expect(mergeEnv(remote, {}, { managedKeys: ["NOT_THERE"] })).toBe(remote);
      }),
    );
  });

  const pool = [H, "MANAGED_A", "MANAGED_B"];
  const noBreak = (text: string) => !/[\r\n]/.test(text);
  const foreignLine = fc.oneof(
    fc
      .record({ key: fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), value: fc.string({ unit: "binary", maxLength: 10 }) })
      .map((entry) => serializeDotenv([entry])),
    fc
      .string({ maxLength: 10 })
      .filter(noBreak)
      .map((text) => `# ${text}`),
    fc.constant(""),
    fc.string({ maxLength: 10 }).filter((text) => noBreak(text) && !text.includes("=")),
  );
  const managedLine = fc
    .record({
      key: fc.constantFrom(...pool),
      value: fc.string({ maxLength: 6 }),
      prefix: fc.constantFrom("", "export "),
    })
    .map(({ key, value, prefix }) => prefix + serializeDotenv([{ key, value }]));

  it("keeps every foreign line byte-for-byte and in order, and sets exactly the managed keys", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            foreignLine.map((line) => ({ line, foreign: true })),
            managedLine.map((line) => ({ line, foreign: false })),
          ),
        ),
        fc.dictionary(fc.constantFrom(...pool), fc.string({ unit: "binary", maxLength: 8 })),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        (lines, managed, eol, trailing) => {
          // Without a final break, an empty last line cannot be told from no line once the lines after it are gone.
          fc.pre(trailing || lines.filter(({ foreign }) => foreign).at(-1)?.line !== "");
          const remote = lines.map(({ line }) => line).join(eol) + (trailing && lines.length > 0 ? eol : "");
          const merged = mergeEnv(remote, managed, { managedKeys: pool });

          // An empty text has no lines: "" and [""] cannot be told apart once joined.
          const style = remote.includes(eol) ? eol : "\n";
          const outLines = merged === "" ? [] : merged.split(style);
          if (remote.endsWith(eol) && merged !== "") {
            expect(outLines.pop()).toBe("");
          }
          const isManaged = (line: string) => pool.includes(parseDotenv(line)[0]?.key ?? "");
          const foreign = remote === "" ? [] : lines.filter((line) => line.foreign).map(({ line }) => line);
          expect(outLines.filter((line) => !isManaged(line))).toEqual(foreign);
          const written = parseDotenv(merged).filter((entry) => pool.includes(entry.key));
          expect(Object.fromEntries(written.map(({ key, value }) => [key, value]))).toEqual({ ...managed });
          expect(written).toHaveLength(Object.keys(managed).length);
          expect(merged.replaceAll("\r\n", "").includes("\n")).toBe(style === "\n" && merged.includes("\n"));
        },
      ),
      { numRuns: 500 },
    );
  });
});
