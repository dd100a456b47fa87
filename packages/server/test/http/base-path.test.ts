import { describe, expect, it } from "vitest";
import { parseBasePath, stripBasePath } from "../../src/http/base-path.js";
import { SettingsError } from "../../src/settings-error.js";

describe("parseBasePath", () => {
  it.each([
    [undefined, ""],
    ["", ""],
    ["/iac", "/iac"],
    ["/ops/iac-runner", "/ops/iac-runner"],
  ])("accepts %j as %j", (given, want) => {
    expect(parseBasePath(given)).toBe(want);
  });

  it.each(["iac", "/iac/", "/", "//iac", "/a//b", "/a b", "/a?b", "/a#b"])("refuses %j naming basePath", (given) => {
    expect(() => parseBasePath(given)).toThrow(SettingsError);
    expect(() => parseBasePath(given)).toThrow(/^\[@iac\/server\] invalid configuration: basePath must be a path/);
    expect(() => parseBasePath(given)).toThrow(expect.objectContaining({ variable: "basePath" }));
  });
});

describe("stripBasePath", () => {
  it.each([
    ["", "/health", "/health"],
    ["/iac", "/iac/health", "/health"],
    ["/iac", "/iac/deployments/x/cancel", "/deployments/x/cancel"],
    ["/iac", "/iac", "/"],
    ["/iac", "/iac/", "/"],
    ["/iac", "/iacx", undefined],
    ["/iac", "/iacx/health", undefined],
    ["/iac", "/health", undefined],
    ["/iac", "/IAC/health", undefined],
    ["/a/b", "/a/b/health", "/health"],
    ["/a/b", "/a/bc/health", undefined],
    ["/a/b", "/a/health", undefined],
  ])("finds below %j in %j: %j", (basePath, path, want) => {
    expect(stripBasePath(basePath, path)).toBe(want);
  });
});
