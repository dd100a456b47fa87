import { describe, expect, it } from "vitest";
import { configFinding, formatFinding, issueFinding, serviceFinding } from "../../../src/cli/inspect/findings.js";
import { plainMessage } from "../../../src/plain-message.js";

describe("formatFinding", () => {
  it.each([
    [
      "a problem in iac.config.yaml with its position",
      configFinding({ keyPath: "services.pg.vault[0]", message: "expected a string", line: 4, column: 13 }),
      "iac.config.yaml:4:13: services.pg.vault[0]: expected a string",
    ],
    [
      "invalid YAML",
      configFinding({ keyPath: "", message: "expected valid YAML, x", line: 2, column: null }),
      "iac.config.yaml:2: expected valid YAML, x",
    ],
    [
      "a duplicate service at its folder",
      serviceFinding({ code: "duplicate_service", path: "platform/02.pg", message: 'duplicate service "pg"' }),
      'platform/02.pg: duplicate service "pg"',
    ],
    [
      "a glob outside the repository at its key path",
      serviceFinding({ code: "files_outside_repository", path: "services.pg.files[0]", message: "expected x" }),
      "iac.config.yaml: services.pg.files[0]: expected x",
    ],
    [
      "a folder without compose, whose message names it already",
      issueFinding({ code: "missing_compose", path: "platform/03.wip", message: "platform/03.wip is not a service" }),
      "platform/03.wip is not a service",
    ],
    [
      "an unused override, whose message names its key already",
      issueFinding({ code: "unused_override", path: "services.pgx", message: "services.pgx matches no folder" }),
      "iac.config.yaml: services.pgx matches no folder",
    ],
  ])("writes %s on one line", (_name, finding, want) => {
    expect(formatFinding(finding)).toBe(want);
  });
});

describe("plainMessage", () => {
  it.each([
    [new Error("[@iac/server] git fetch failed: exit 128"), "git fetch failed: exit 128"],
    [new Error("[@iac/sync] invalid x"), "invalid x"],
    [new Error("no prefix [@iac/server] inside"), "no prefix [@iac/server] inside"],
    ["a string", "a string"],
  ])("drops the package prefix of %s", (error, want) => {
    expect(plainMessage(error)).toBe(want);
  });
});
