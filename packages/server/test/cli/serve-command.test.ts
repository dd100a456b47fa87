import { describe, expect, it } from "vitest";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";

describe("iac-runner serve (built CLI)", () => {
  it("lists every missing variable of an empty environment at once and exits 1 without a stack trace", async () => {
    const run = await runBuiltCli(["serve"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(linesOf(run.stderr)).toEqual([
      "iac-runner: invalid configuration, 4 problems:",
      "  WEBHOOK_SECRET is required: expected a non-empty secret (e.g. openssl rand -hex 32), received nothing",
      "  GIT_REPO_URL is required: expected the infrastructure repository URL, received nothing",
      "  DOKPLOY_URL is required: expected the Dokploy base URL, received nothing",
      "  DOKPLOY_API_KEY is required: expected a Dokploy API key, received nothing",
    ]);
  });

  it("names invalid values beside missing ones, each once", async () => {
    const run = await runBuiltCli(["serve"], {
      WEBHOOK_SECRET: "s3cret",
      GIT_REPO_URL: "http://user:hunter2@example.com/infra.git",
      DOKPLOY_URL: "dokploy.example.com",
      DOKPLOY_API_KEY: "key",
      VAULT_ROLE_ID: "role",
      LOG_LEVEL: "loud",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("hunter2");
    expect(linesOf(run.stderr).map((line) => line.trim().split(" ")[0])).toEqual([
      "iac-runner:",
      "GIT_REPO_URL",
      "DOKPLOY_URL",
      "VAULT_ADDR",
      "VAULT_SECRET_ID",
      "LOG_LEVEL",
    ]);
  });
});
