import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followSecretsFile, webhookSecretsFrom } from "../src/follow-secrets-file.js";
import { noopLogger } from "../src/logging/noop-logger.js";
import { loadSettings } from "../src/settings.js";
import { SettingsError } from "../src/settings-error.js";
import { createSettingsSource } from "../src/settings-source.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";

const ENV = {
  GIT_REPO_URL: "https://github.com/acme/infra.git",
  DOKPLOY_URL: "https://dokploy.example.com",
  DOKPLOY_API_KEY: "key",
};

describe("createSettingsSource", () => {
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

  it("refuses to start without a webhook secret anywhere", async () => {
    await expect(createSettingsSource(ENV, { defaultSecretsFile: file })).rejects.toThrow(/WEBHOOK_SECRET/);
  });

  it("uses the default secrets file when it exists and picks up a rotated secret without a restart", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 0 });
    expect(source.secretsFile).toBe(file);
    expect((await source.load()).webhookSecret).toBe("first");
    rewrite("WEBHOOK_SECRET=second\nWEBHOOK_SECRET_PREVIOUS=first\n", 2_000);
    const rotated = await source.load();
    expect([rotated.webhookSecret, rotated.webhookSecretPrevious]).toEqual(["second", "first"]);
  });

  it("looks at the file at most once per check interval", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 3_600_000 });
    rewrite("WEBHOOK_SECRET=second\n", 2_000);
    expect((await source.load()).webhookSecret).toBe("first");
  });

  it("peeks at the settings without waiting only while the file was looked at within the interval", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const fresh = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 3_600_000 });
    expect(fresh.peek()).toBe(await fresh.load());
    expect(fresh.peek()?.webhookSecret).toBe("first");
    // Due at every call: never a peek, always a look at the file.
    const due = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 0 });
    expect(due.peek()).toBeUndefined();
    rewrite("WEBHOOK_SECRET=second\n", 2_000);
    const looking = due.load();
    expect(due.peek()).toBeUndefined();
    expect((await looking).webhookSecret).toBe("second");
  });

  it("keeps the last valid settings when the file is rewritten with an invalid content", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(ENV, { defaultSecretsFile: file, checkIntervalMs: 0 });
    rewrite("WEBHOOK_SECRET=\n", 2_000);
    expect((await source.load()).webhookSecret).toBe("first");
  });

  it("reads the environment alone when there is no secrets file", async () => {
    const source = await createSettingsSource(
      { ...ENV, WEBHOOK_SECRET: "env" },
      { defaultSecretsFile: file, checkIntervalMs: 0 },
    );
    expect(existsSync(file)).toBe(false);
    expect(source.secretsFile).toBeUndefined();
    expect((await source.load()).webhookSecret).toBe("env");
  });

  it("picks up the default secrets file when a sidecar renders it after start-up", async () => {
    const source = await createSettingsSource(
      { ...ENV, WEBHOOK_SECRET: "env" },
      { defaultSecretsFile: file, checkIntervalMs: 0 },
    );
    expect(source.secretsFile).toBeUndefined();
    rewrite("WEBHOOK_SECRET=from-file\n", 1_000);
    expect((await source.load()).webhookSecret).toBe("from-file");
    expect(source.secretsFile).toBe(file);
  });

  it("keeps the last settings when the secrets file disappears", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const source = await createSettingsSource(
      { ...ENV, WEBHOOK_SECRET: "env" },
      { defaultSecretsFile: file, checkIntervalMs: 0 },
    );
    cleanupTemp(dir);
    expect((await source.load()).webhookSecret).toBe("first");
  });

  it("refuses an IAC_SECRETS_FILE that does not exist", async () => {
    const missing = join(dir, "missing.env");
    const attempt = createSettingsSource({ ...ENV, WEBHOOK_SECRET: "env", IAC_SECRETS_FILE: missing });
    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow(/IAC_SECRETS_FILE/);
  });

  describe("webhook secrets (followSecretsFile, webhookSecretsFrom)", () => {
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
});
