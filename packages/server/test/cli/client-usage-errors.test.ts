import { describe, expect, it } from "vitest";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";

const URL = "http://127.0.0.1:9";
const SHA = "a".repeat(40);

describe("usage errors of the client commands (built CLI)", () => {
  it.each([
    ["deploy", []],
    ["status", []],
    ["history", []],
    ["doctor", []],
    ["healthcheck", []],
  ])("%s --help prints the usage with its exit codes and exits 0", async (command) => {
    const run = await runBuiltCli([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: iac-runner ${command} `));
    expect(run.stdout).toMatch(/\nExit codes:\n {2}0 {2}.+\n {2}1 {2}.+\n(?: {5}.+\n)? {2}2 {2}usage error\n$/);
    expect(run.stderr).toBe("");
  });

  it("lists the client commands in the main usage", async () => {
    const run = await runBuiltCli(["--help"]);
    for (const command of ["deploy", "status", "history", "doctor", "healthcheck"]) {
      expect(run.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, "m"));
    }
  });

  it.each([
    // deploy
    [["deploy"], "missing --url <runner>, e.g. --url https://iac.example.com"],
    [["deploy", "--url", "ftp://runner"], '--url must be an http:// or https:// URL, received "ftp://runner"'],
    [["deploy", "--url", "runner:8080"], '--url must be an http:// or https:// URL, received "runner:8080"'],
    [
      ["deploy", "--url", "https://user:pw@runner/?x=1"],
      '--url must be the runner\'s base URL without credentials, query or fragment, received "https://runner/"',
    ],
    [["deploy", "--url", URL], "missing --env <env>, e.g. --env staging"],
    [["deploy", "--url", URL, "--env", ""], "--env needs a value"],
    [["deploy", "--url", URL, "--env", "staging"], "expected exactly one of --tag <tag> or --ref <sha>"],
    [
      ["deploy", "--url", URL, "--env", "staging", "--tag", "v1.0.0", "--ref", SHA],
      "expected exactly one of --tag <tag> or --ref <sha>",
    ],
    [
      ["deploy", "--url", URL, "--env", "staging", "--ref", "abc123"],
      '--ref must be a full 40-character commit SHA, received "abc123"',
    ],
    [["deploy", "--url", URL, "--env", "staging", "--tag", ""], "--tag needs a value"],
    [
      ["deploy", "--url", URL, "--env", "staging", "--tag", "v1", "--services", "postgres,,redis"],
      '--services must be service names separated by commas, e.g. postgres,redis, received "postgres,,redis"',
    ],
    [["deploy", "--url", URL, "--env", "staging", "--tag", "v1", "--triggered-by", ""], "--triggered-by needs a value"],
    [
      ["deploy", "--url", URL, "--env", "staging", "--tag", "v1", "--timeout", "60"],
      "--timeout only applies with --wait",
    ],
    [
      ["deploy", "--url", URL, "--env", "staging", "--tag", "v1", "--wait", "--timeout", "0"],
      '--timeout must be a whole number of seconds from 1 to 86400, received "0"',
    ],
    [
      ["deploy", "--url", URL, "--env", "staging", "--tag", "v1", "--wait", "--timeout", "1m"],
      '--timeout must be a whole number of seconds from 1 to 86400, received "1m"',
    ],
    [["deploy", "--url", URL, "--secret", "s"], /^Unknown option '--secret'/],
    [["deploy", "--url", URL, "staging"], /^Unexpected argument 'staging'/],
    [["deploy", "--url"], /^Option '--url <value>' argument missing/],
    // status
    [["status", "--url", URL], "expected one deployment id, received 0 arguments"],
    [["status", "a", "b", "--url", URL], "expected one deployment id, received 2 arguments"],
    [["status", "abc"], "missing --url <runner>, e.g. --url https://iac.example.com"],
    [["status", "abc", "--url", "file:///x"], '--url must be an http:// or https:// URL, received "file:///x"'],
    [["status", "abc", "--url", URL, "--wait"], /^Unknown option '--wait'/],
    // history
    [["history"], "missing --url <runner>, e.g. --url https://iac.example.com"],
    [
      ["history", "--url", URL, "--state", "done"],
      '--state must be one of queued, running, succeeded, failed, superseded, cancelled, received "done"',
    ],
    [["history", "--url", URL, "--limit", "0"], '--limit must be a whole number from 1 to 100, received "0"'],
    [["history", "--url", URL, "--limit", "101"], '--limit must be a whole number from 1 to 100, received "101"'],
    [["history", "--url", URL, "--limit", "ten"], '--limit must be a whole number from 1 to 100, received "ten"'],
    [["history", "--url", URL, "--service", ""], "--service needs a value"],
    [["history", "--url", URL, "abc"], /^Unexpected argument 'abc'/],
    // doctor
    [["doctor", "--timeout", "0"], '--timeout must be a whole number of seconds from 1 to 3600, received "0"'],
    [["doctor", "--timeout", "3601"], '--timeout must be a whole number of seconds from 1 to 3600, received "3601"'],
    [["doctor", "--url", URL], /^Unknown option '--url'/],
    [["doctor", "now"], /^Unexpected argument 'now'/],
    // healthcheck
    [["healthcheck", "--url", "ftp://x"], '--url must be an http:// or https:// URL, received "ftp://x"'],
    [["healthcheck", "--timeout", "3"], /^Unknown option '--timeout'/],
    [["healthcheck", "extra"], /^Unexpected argument 'extra'/],
  ] as Array<[string[], string | RegExp]>)(
    "%j prints one error line and the usage, and exits 2",
    async (args, message) => {
      const run = await runBuiltCli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      const [first, blank, usage] = run.stderr.split("\n");
      expect(first?.startsWith("iac-runner: ")).toBe(true);
      const text = first?.slice("iac-runner: ".length) ?? "";
      if (typeof message === "string") {
        expect(text).toBe(message);
      } else {
        expect(text).toMatch(message);
      }
      expect(blank).toBe("");
      expect(usage).toMatch(new RegExp(`^Usage: iac-runner ${args[0]} `));
      expect(linesOf(run.stderr).some((line) => line.includes("    at "))).toBe(false);
    },
  );
});
