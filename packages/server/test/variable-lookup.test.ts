import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SettingsError } from "../src/settings-error.js";
import { createVariableLookup } from "../src/variable-lookup.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";

describe("createVariableLookup", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = makeTemp();
    file = join(dir, ".env");
  });

  afterEach(() => {
    cleanupTemp(dir);
  });

  it("reads the secrets file over the environment, as it stands at each call", async () => {
    writeFileSync(file, "SLACK_URL=https://hooks.example.com/from-file\n");
    const lookup = createVariableLookup(
      { SLACK_URL: "https://hooks.example.com/env", KEY: "k" },
      {
        defaultSecretsFile: file,
      },
    );

    expect(await lookup("SLACK_URL")).toBe("https://hooks.example.com/from-file");
    expect(await lookup("KEY")).toBe("k");
    expect(await lookup("UNSET")).toBeUndefined();
    writeFileSync(file, "SLACK_URL=https://hooks.example.com/rotated\n");
    expect(await lookup("SLACK_URL")).toBe("https://hooks.example.com/rotated");
  });

  it("reads the environment alone when the default secrets file does not exist", async () => {
    const lookup = createVariableLookup({ KEY: "k" }, { defaultSecretsFile: file });

    expect(await lookup("KEY")).toBe("k");
  });

  it("rejects when the named secrets file cannot be read", async () => {
    const lookup = createVariableLookup({ IAC_SECRETS_FILE: join(dir, "missing.env") });

    await expect(lookup("KEY")).rejects.toThrow(SettingsError);
  });
});
