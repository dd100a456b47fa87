import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOperatorSettings, loadSettings } from "../src/settings.js";
import { SettingsError } from "../src/settings-error.js";
import { readSecretsFile } from "../src/settings-source.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";

const temps: string[] = [];
afterEach(() => cleanupTemp(...temps.splice(0)));

const RUNNER = {
  WEBHOOK_SECRET: "webhook-secret",
  GIT_REPO_URL: "https://github.com/acme/infra.git",
  DOKPLOY_URL: "https://dokploy.example.com/api/",
  DOKPLOY_API_KEY: "key",
  VAULT_ADDR: "https://vault.example.com/v1/",
  VAULT_TOKEN: "token",
  INTERNAL_DOMAIN: "internal.example",
  DEPLOY_ENV: "production",
};

describe("loadOperatorSettings", () => {
  it("decides everything a hash depends on exactly as loadSettings does", () => {
    const runner = loadSettings(RUNNER);
    expect(loadOperatorSettings(RUNNER, undefined, { dokploy: true })).toEqual({
      deployEnv: runner.deployEnv,
      dokploy: runner.dokploy,
      vault: runner.vault,
      internalDomain: runner.internalDomain,
      hashKey: runner.hashKey,
    });
    expect(loadOperatorSettings({ ...RUNNER, IAC_HASH_KEY: "hash-key" }).hashKey).toBe(
      loadSettings({ ...RUNNER, IAC_HASH_KEY: "hash-key" }).hashKey,
    );
  });

  it("needs neither the webhook secret, the repository nor Dokploy unless asked", () => {
    expect(loadOperatorSettings({})).toEqual({
      deployEnv: "staging",
      dokploy: undefined,
      vault: undefined,
      internalDomain: undefined,
      hashKey: undefined,
    });
    expect(() => loadOperatorSettings({}, undefined, { dokploy: true })).toThrow(
      [
        "[@iac/server] invalid configuration, 2 problems:",
        "  DOKPLOY_URL is required: expected the Dokploy base URL, received nothing",
        "  DOKPLOY_API_KEY is required: expected a Dokploy API key, received nothing",
      ].join("\n"),
    );
  });

  it.each([
    [{ VAULT_ADDR: "https://vault" }, "VAULT_TOKEN"],
    [{ VAULT_TOKEN: "t" }, "VAULT_ADDR"],
    [{ VAULT_ADDR: "https://vault", VAULT_ROLE_ID: "r" }, "VAULT_SECRET_ID"],
    [{ DEPLOY_ENV: "not an env" }, "DEPLOY_ENV"],
  ])("refuses %j naming %s, like loadSettings", (env, variable) => {
    expect(() => loadOperatorSettings(env)).toThrow(SettingsError);
    expect(() => loadOperatorSettings(env)).toThrow(variable);
  });

  it("lets the secrets file override the environment", () => {
    expect(loadOperatorSettings({ IAC_HASH_KEY: "env" }, "IAC_HASH_KEY=file\n").hashKey).toBe("file");
  });
});

describe("readSecretsFile", () => {
  it("reads the named file, and the default one only when it exists", async () => {
    const dir = makeTemp();
    temps.push(dir);
    const file = join(dir, "secrets.env");
    writeFileSync(file, "IAC_HASH_KEY=k\n");
    expect(await readSecretsFile({ IAC_SECRETS_FILE: file })).toEqual({
      env: { IAC_SECRETS_FILE: file },
      text: "IAC_HASH_KEY=k\n",
    });
    expect(await readSecretsFile({}, { defaultSecretsFile: file })).toEqual({
      env: { IAC_SECRETS_FILE: file },
      text: "IAC_HASH_KEY=k\n",
    });
    expect(await readSecretsFile({}, { defaultSecretsFile: join(dir, "absent") })).toEqual({
      env: {},
      text: undefined,
    });
    await expect(readSecretsFile({ IAC_SECRETS_FILE: join(dir, "absent") })).rejects.toThrow(
      "IAC_SECRETS_FILE names a file that cannot be read (ENOENT)",
    );
  });
});
