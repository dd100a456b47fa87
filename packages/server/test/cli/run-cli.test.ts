import { verify, verifyRequest } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { version } from "../../src/version.js";
import { captureIo } from "../helpers/capture-io.js";

describe("runCli", () => {
  it.each([
    [["--help"], /Usage: iac-runner <command>/],
    [["-h"], /Commands:/],
    [["serve", "--help"], /Usage: iac-runner serve/],
    [["sign", "--help"], /Usage: iac-runner sign/],
  ])("prints help for %j and exits 0", async (argv, pattern) => {
    const cli = captureIo();
    expect(await runCli(argv, cli)).toBe(0);
    expect(cli.out).toMatch(pattern);
  });

  it("prints the version", async () => {
    const cli = captureIo();
    expect(await runCli(["--version"], cli)).toBe(0);
    expect(cli.out).toBe(`${version}\n`);
  });

  it.each([
    [[], /missing command/, /Usage: iac-runner <command>/],
    [["frobnicate"], /unknown command "frobnicate"/, /Usage: iac-runner <command>/],
    [["--verbose"], /--verbose/, /Usage: iac-runner <command>/],
    [["serve", "--verbose"], /--verbose/, /Usage: iac-runner serve/],
    [["serve", "extra"], /extra/, /Usage: iac-runner serve/],
    [["serve", "--port", "http"], /--port/, /Usage: iac-runner serve/],
    [["sign", "--body", "a", "--file", "b"], /either --body or --file/, /Usage: iac-runner sign/],
  ])("exits 2 with the usage for %j", async (argv, message, usage) => {
    const cli = captureIo();
    expect(await runCli(argv, cli)).toBe(2);
    expect(cli.err).toMatch(message);
    expect(cli.err).toMatch(usage);
  });

  it("refuses to serve without WEBHOOK_SECRET: exit 1 and one line naming the variable", async () => {
    const cli = captureIo({
      GIT_REPO_URL: "https://github.com/acme/infra.git",
      DOKPLOY_URL: "https://dokploy.example.com",
      DOKPLOY_API_KEY: "k",
      IAC_SECRETS_FILE: undefined,
    });
    expect(await runCli(["serve"], cli)).toBe(1);
    expect(cli.err).toMatch(/^iac-runner: invalid configuration: WEBHOOK_SECRET is required: .*received nothing\n$/);
  });

  it("refuses to serve with every missing or invalid variable listed, one per line", async () => {
    const cli = captureIo({ GIT_REPO_URL: "https://github.com/acme/infra.git", DOKPLOY_URL: "", PORT: "http" });
    expect(await runCli(["serve"], cli)).toBe(1);
    expect(cli.err.split("\n")).toEqual([
      "iac-runner: invalid configuration, 4 problems:",
      expect.stringMatching(/^ {2}WEBHOOK_SECRET is required: .*received nothing$/),
      expect.stringMatching(/^ {2}DOKPLOY_URL is required: .*received an empty value$/),
      expect.stringMatching(/^ {2}DOKPLOY_API_KEY is required: .*received nothing$/),
      '  PORT must be an integer from 0 to 65535, received "http"',
      "",
    ]);
    expect(cli.out).toBe("");
  });

  it("prints an X-Hub-Signature-256 header for a body that verifies", async () => {
    const cli = captureIo({ WEBHOOK_SECRET: "It's a Secret to Everybody" });
    expect(await runCli(["sign", "--body", "Hello, World!"], cli)).toBe(0);
    expect(cli.out).toBe(
      "x-hub-signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17\n",
    );
  });

  it("signs stdin with timestamped headers that verifyRequest accepts", async () => {
    const body = '{"env":"staging","tag":"v1.2.4"}';
    const cli = captureIo({ CI_SECRET: "ci-secret" }, body);
    expect(await runCli(["sign", "--timestamped", "--secret-env", "CI_SECRET"], cli)).toBe(0);
    const headers = Object.fromEntries(
      cli.out
        .trim()
        .split("\n")
        .map((line) => line.split(": ") as [string, string]),
    );
    expect(Object.keys(headers).sort()).toEqual(["x-hub-signature-256", "x-iac-nonce", "x-iac-timestamp"]);
    expect(await verifyRequest({ secrets: ["ci-secret"], body, headers })).toMatchObject({ ok: true });
    expect(await verify("ci-secret", body, headers["x-hub-signature-256"])).toBe(false);
  });

  it("refuses to sign without the secret in the environment", async () => {
    const cli = captureIo({});
    expect(await runCli(["sign", "--body", "x"], cli)).toBe(1);
    expect(cli.err).toMatch(/WEBHOOK_SECRET is not set/);
  });
});
