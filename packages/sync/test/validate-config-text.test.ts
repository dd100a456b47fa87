import { describe, expect, expectTypeOf, it } from "vitest";
import { IacConfigError } from "../src/iac-config-error.js";
import { parseConfig } from "../src/parse-config.js";
import type { ConfigProblem, ConfigValidation } from "../src/types.js";
import { validateConfigText } from "../src/validate-config-text.js";

function problemsOf(text: string): ConfigProblem[] {
  const result = validateConfigText(text);
  expect(result.ok).toBe(false);
  return [...result.problems];
}

describe("validateConfigText", () => {
  it("returns the config parseConfig returns for a valid text, with no problems", () => {
    const text = "layers: { infra: auto }\nservices:\n  pg: { env: { A: b } }\n";
    expect(validateConfigText(text)).toEqual({ ok: true, config: parseConfig(text), problems: [] });
    expect(Object.isFrozen(validateConfigText(text).config)).toBe(true);
  });

  it.each([
    ["no text", undefined],
    ["an empty text", ""],
    ["only comments", "# later\n"],
  ])("returns the defaults for %s", (_name, text) => {
    expect(validateConfigText(text)).toEqual({ ok: true, config: parseConfig(), problems: [] });
  });

  it("reports every problem at once, each with its key path, line and column", () => {
    const text = [
      "layer: {}", // 1
      "layers:", // 2
      "  platform: yes", // 3
      "  ../x: auto", // 4
      "shared:", // 5
      "  - paths: []", // 6
      "    services: all", // 7
      "environments:", // 8
      "  staging: { dataPath: '/d/{stage}', domainSuffix: 1 }", // 9
      "services:", // 10
      "  postgres:", // 11
      "    vault: [3, 'ok/{env}', '{x}']", // 12
      "    env: { PORT: 5432, 1X: a, OK: b }", // 13
      "    compse: a.yaml", // 14
      "  redis:", // 15
      "    dokploy: { projet: x, project: '' }", // 16
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      {
        keyPath: "layer",
        line: 1,
        column: 1,
        message: 'unknown key "layer", expected one of layers, shared, environments, services',
      },
      {
        keyPath: "layers.platform",
        line: 3,
        column: 3,
        message: 'expected "auto" | "manual" | "ignore", received "yes"',
      },
      {
        keyPath: 'layers["../x"]',
        line: 4,
        column: 3,
        message: 'expected a folder path relative to the repository root as the key, received "../x"',
      },
      { keyPath: "shared[0].paths", line: 6, column: 5, message: "expected at least one glob, received a list" },
      {
        keyPath: "shared[0].services",
        line: 7,
        column: 5,
        message: 'expected "*" or a non-empty list of service names, received "all"',
      },
      { keyPath: "environments.staging.domainSuffix", line: 9, column: 38, message: "expected a string, received 1" },
      {
        keyPath: "environments.staging.dataPath",
        line: 9,
        column: 14,
        message: 'expected only the placeholders {env}, {service}, {layer} and {suffix}, received "{stage}"',
      },
      {
        keyPath: "services.postgres.compse",
        line: 14,
        column: 5,
        message: 'unknown key "compse", expected one of compose, files, dokploy, vault, env, probe',
      },
      {
        keyPath: "services.postgres.vault[0]",
        line: 12,
        column: 13,
        message: "expected a non-empty string, received 3",
      },
      {
        keyPath: "services.postgres.vault[2]",
        line: 12,
        column: 28,
        message: 'expected only the placeholders {env} and {service}, received "{x}"',
      },
      { keyPath: "services.postgres.env.PORT", line: 13, column: 12, message: "expected a string, received 5432" },
      {
        keyPath: 'services.postgres.env["1X"]',
        line: 13,
        column: 24,
        message: 'expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*) as the key, received "1X"',
      },
      {
        keyPath: "services.redis.dokploy.projet",
        line: 16,
        column: 16,
        message: 'unknown key "projet", expected one of project, environment, compose',
      },
      {
        keyPath: "services.redis.dokploy.project",
        line: 16,
        column: 27,
        message: 'expected a non-empty string, received ""',
      },
    ]);
  });

  it("points a missing required key at its enclosing entry", () => {
    expect(problemsOf("shared:\n  - services: '*'\n")).toEqual([
      { keyPath: "shared[0].paths", line: 2, column: 5, message: "expected a list, received undefined" },
    ]);
  });

  it("reports invalid YAML alone, every parse error with its position", () => {
    const problems = problemsOf("layers: {}\nlayers: {}\nservices: [\n");
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems[0]).toEqual({
      keyPath: "",
      line: 2,
      column: 1,
      message: "expected valid YAML, Map keys must be unique",
    });
    expect(
      problems.every((problem) => problem.keyPath === "" && problem.message.startsWith("expected valid YAML")),
    ).toBe(true);
  });

  it("reports an alias bomb as invalid YAML instead of expanding it", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 9 }, (_, i) => {
        const name = String.fromCharCode(98 + i);
        const previous = String.fromCharCode(97 + i);
        return `${name}: &${name} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`;
      }),
    ].join("\n");
    const [problem] = problemsOf(bomb);
    expect(problem).toMatchObject({ keyPath: "", line: null, column: null });
    expect(problem?.message).toMatch(/^expected valid YAML, /);
  });

  it("refuses glob syntax of other dialects, naming the pattern and the key, instead of matching it as text", () => {
    const text = [
      "shared:", // 1
      '  - paths: ["libs/**", "platform/[ab]/**"]', // 2
      '    services: "*"', // 3
      '  - paths: ["!docs/**"]', // 4
      "    services: [postgres]", // 5
      "services:", // 6
      "  postgres:", // 7
      '    files: ["conf/@(a|b).conf", "../sql/**.sql"]', // 8
    ].join("\n");
    const foreign = '(character classes, extglobs and "|" alternatives) is not supported; use {a,b} for alternatives';
    expect(problemsOf(text)).toEqual([
      {
        keyPath: "shared[0].paths[1]",
        line: 2,
        column: 24,
        message: `invalid glob "platform/[ab]/**": "[" ${foreign}, or write "\\[" for a literal "["`,
      },
      {
        keyPath: "shared[1].paths[0]",
        line: 4,
        column: 13,
        message:
          'invalid glob "!docs/**": a leading "!" (negation) is not supported; list only the paths to include, or write "\\!" for a literal "!"',
      },
      {
        keyPath: "services.postgres.files[0]",
        line: 8,
        column: 13,
        message: `invalid glob "conf/@(a|b).conf": "(" ${foreign}, or write "\\(" for a literal "("`,
      },
      {
        keyPath: "services.postgres.files[1]",
        line: 8,
        column: 33,
        message:
          'invalid glob "../sql/**.sql": "**" inside a segment is not supported; write ** as a whole segment (a/**/b, a/**) for any depth, or * for one segment',
      },
    ]);
    expect(() => parseConfig(text)).toThrow(
      `[@iac/sync] invalid iac.config.yaml at shared[0].paths[1]: invalid glob "platform/[ab]/**": "[" ${foreign}`,
    );
  });

  it("gives parseConfig its first problem", () => {
    const text = "services:\n  pg:\n    vault: [3]\n    env: { A: 1 }\n";
    expect(() => parseConfig(text)).toThrow(IacConfigError);
    expect(() => parseConfig(text)).toThrow(
      "[@iac/sync] invalid iac.config.yaml at services.pg.vault[0]: expected a non-empty string, received 3",
    );
    expect(problemsOf(text).map((problem) => problem.keyPath)).toEqual(["services.pg.vault[0]", "services.pg.env.A"]);
  });

  it("is typed as a result that holds either the config or the problems", () => {
    expectTypeOf(validateConfigText).returns.toEqualTypeOf<ConfigValidation>();
    const result = validateConfigText("");
    if (result.ok) {
      expectTypeOf(result.config.layers).toEqualTypeOf<Readonly<Record<string, "auto" | "manual" | "ignore">>>();
    } else {
      expectTypeOf(result.config).toEqualTypeOf<null>();
    }
  });
});
