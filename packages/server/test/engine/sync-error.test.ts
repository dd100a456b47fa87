import { describe, expect, it } from "vitest";
import { safeErrorMessage } from "../../src/engine/safe-error-message.js";
import { isTransient, SyncError, toSyncError } from "../../src/engine/sync-error.js";
import type { SyncErrorCode } from "../../src/types.js";

describe("isTransient", () => {
  it.each<[SyncErrorCode, boolean]>([
    ["dokploy_unreachable", true],
    ["deploy_unconfirmed", true],
    ["vault_unreachable", true],
    ["git_fetch_failed", true],
    ["store_unavailable", true],
    ["dokploy_auth_failed", false],
    ["dokploy_error", false],
    ["vault_permission_denied", false],
    ["vault_secret_missing", false],
    ["config_invalid", false],
    ["deploy_failed", false],
    ["deploy_timeout", false],
    ["probe_failed", false],
    ["cancelled", false],
  ])("isTransient(%s) is %s", (code, transient) => {
    expect(isTransient(code)).toBe(transient);
  });
});

describe("toSyncError", () => {
  it("hides the message of an unexpected error", () => {
    const error = toSyncError(new Error("token=abc leaked"));
    expect(error).toMatchObject({ code: "dokploy_error", message: "[@iac/server] unexpected error during sync" });
  });
});

describe("safeErrorMessage", () => {
  const secret = "s3cr3t-value-XYZ";

  it("masks secrets in the whole detail before shortening it to 200 characters", () => {
    const detail = `${"x".repeat(195)}${secret} tail`;
    const message = safeErrorMessage(new SyncError("deploy_failed", "[@iac/server] deploy failed", { detail }), [
      secret,
    ]);
    expect(message).toBe(`[@iac/server] deploy failed: "${"x".repeat(195)}[reda…"`);
    expect(message).not.toContain("s3cr");
  });

  it("masks secrets in the message itself and leaves a message without detail alone", () => {
    expect(safeErrorMessage(new SyncError("dokploy_error", `bad ${secret}`), [secret])).toBe("bad [redacted]");
  });

  it("shows a short detail whole, on one line", () => {
    const error = new SyncError("dokploy_error", "[@iac/server] x", { detail: "line one\n  line two" });
    expect(safeErrorMessage(error, [])).toBe('[@iac/server] x: "line one line two"');
  });
});
