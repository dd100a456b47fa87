import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followSecretsFile, webhookSecretsFrom } from "../src/follow-secrets-file.js";
import { noopLogger } from "../src/logging/noop-logger.js";
import { loadSettings } from "../src/settings.js";
import { createSettingsSource } from "../src/settings-source.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";

const ENV = {
  GIT_REPO_URL: "https://github.com/acme/infra.git",
  DOKPLOY_URL: "https://dokploy.example.com",
  DOKPLOY_API_KEY: "key",
};

describe("webhook secrets", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = makeTemp();
    file = join(dir, ".env");
  });

  afterEach(() => {
    cleanupTemp(dir);
  });

  const rewrite = (text: string, mtimeSeconds: number): void => {
    writeFileSync(file, text);
    utimesSync(file, mtimeSeconds, mtimeSeconds);
  };

  it("are given at once, current first, without a secrets file", async () => {
    const secrets = await followSecretsFile(
      loadSettings({ ...ENV, WEBHOOK_SECRET: "current", WEBHOOK_SECRET_PREVIOUS: "previous" }),
      noopLogger,
    );
    expect(secrets()).toEqual(["current", "previous"]);
    expect(secrets()).toBe(secrets());
  });

  it("are given at once while the file need not be looked at, the same list each time", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 3_600_000 });
    const secrets = webhookSecretsFrom(source);
    const first = secrets();
    expect(first).toEqual(["first"]);
    expect(secrets()).toBe(first);
  });

  it("wait for a look at the file when it is due, and follow a rotation", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 0 });
    const secrets = webhookSecretsFrom(source);
    const before = secrets();
    expect(before).toBeInstanceOf(Promise);
    expect(await before).toEqual(["first"]);
    rewrite("WEBHOOK_SECRET=second\nWEBHOOK_SECRET_PREVIOUS=first\n", 2_000);
    expect(await secrets()).toEqual(["second", "first"]);
  });
});
