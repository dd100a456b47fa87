import { describe, expect, it } from "vitest";
import { describeChanges, formatPlan, shortHash } from "../../../src/cli/inspect/format-plan.js";
import type { ServicePreview } from "../../../src/cli/inspect/preview-service.js";

const HASH = `v2:${"a".repeat(64)}`;
const NEXT = `v2:${"b".repeat(64)}`;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function preview(overrides: Partial<ServicePreview>): ServicePreview {
  return {
    service: "postgres",
    folder: "platform/01.postgres",
    reason: { code: "all", message: "every service" },
    action: "update",
    decision: { code: "hash_changed", message: "changed" },
    storedHash: HASH,
    hash: NEXT,
    deployed: { deploymentId: "d1", title: "iac-runner 0123456789ab", createdAt: "", commit: COMMIT },
    changes: { compose: false, files: [], env: [], outsideGit: false },
    note: null,
    error: null,
    ...overrides,
  };
}

describe("describeChanges", () => {
  it.each([
    [
      "files and env keys that changed",
      preview({
        changes: {
          compose: true,
          files: [{ name: "a.sql", change: "modified" }],
          env: [{ name: "PORT", change: "removed" }],
          outsideGit: false,
        },
      }),
      "since 0123456789ab: compose modified, a.sql modified, env PORT removed",
    ],
    [
      "a change outside git",
      preview({ changes: { compose: false, files: [], env: [], outsideGit: true } }),
      "no file or env key changed since 0123456789ab: Vault secrets (or something else not in git) changed",
    ],
    [
      "why nothing was compared",
      preview({ changes: null, note: "no compose in Dokploy yet" }),
      "no compose in Dokploy yet",
    ],
    ["nothing for a skip", preview({ action: "skip" }), undefined],
    ["nothing for an error", preview({ action: null, error: { code: "x", message: "y" } }), undefined],
  ])("says %s", (_name, given, want) => {
    expect(describeChanges(given)).toBe(want);
  });
});

describe("shortHash", () => {
  it.each([
    [HASH, "v2:aaaaaaaaaaaa"],
    ["0123456789ab", "0123456789ab"],
    [null, "-"],
  ])("shortens %s", (hash, want) => {
    expect(shortHash(hash)).toBe(want);
  });
});

describe("formatPlan", () => {
  it("lays out one row per service, then what changed", () => {
    const text = formatPlan(
      [
        preview({
          changes: { compose: false, files: [{ name: "a.sql", change: "added" }], env: [], outsideGit: false },
        }),
        preview({ service: "redis", action: "skip", decision: { code: "up_to_date", message: "" }, hash: HASH }),
        preview({
          service: "minio",
          action: null,
          hash: null,
          storedHash: null,
          error: { code: "vault_secret_missing", message: "gone" },
        }),
      ],
      false,
    );
    expect(text).toBe(
      [
        "SERVICE   ACTION  STORED           NEW              REASON",
        "postgres  update  v2:aaaaaaaaaaaa  v2:bbbbbbbbbbbb  config changed",
        "redis     skip    v2:aaaaaaaaaaaa  v2:aaaaaaaaaaaa  up to date",
        "minio     error   -                -                vault_secret_missing: gone",
        "",
        "  postgres: since 0123456789ab: a.sql added",
        "",
      ].join("\n"),
    );
  });

  it("colours the actions on a terminal", () => {
    const text = formatPlan([preview({}), preview({ service: "minio", action: "create", storedHash: null })], true);
    expect(text).toContain("\u001b[33mupdate\u001b[0m");
    expect(text).toContain("\u001b[32mcreate\u001b[0m");
  });
});
