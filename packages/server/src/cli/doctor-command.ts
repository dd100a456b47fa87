import { parseArgs } from "node:util";
import type { RunnerSettings } from "../types.js";
import type { CliIo } from "./cli-io.js";
import { checkCatalog } from "./doctor/check-catalog.js";
import { checkDokploy } from "./doctor/check-dokploy.js";
import { checkGit } from "./doctor/check-git.js";
import type { CheckResult, DoctorCheck } from "./doctor/check-result.js";
import { checkStore } from "./doctor/check-store.js";
import { checkVaultPaths } from "./doctor/check-vault-paths.js";
import { checkVaultToken } from "./doctor/check-vault-token.js";
import { configLines } from "./doctor/config-lines.js";
import { formatCheckLine } from "./doctor/format-check-line.js";
import { loadRepository } from "./doctor/load-repository.js";
import { openVault, type VaultAccess } from "./doctor/open-vault.js";
import { readDoctorSettings } from "./doctor/read-doctor-settings.js";
import { runChecks } from "./doctor/run-checks.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseSeconds } from "./parse-seconds.js";
import { runGuarded } from "./run-guarded.js";
import { DOCTOR_USAGE } from "./usage.js";

const DEFAULT_TIMEOUT_SECONDS = 60;

/** Runs `load` once, on first use: checks that are skipped never clone or log in. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load();
    return promise;
  };
}

function dependencyChecks(settings: RunnerSettings, timeoutMs: number): DoctorCheck[] {
  const repository = once(() => loadRepository(settings, timeoutMs));
  const { vault: vaultOptions } = settings;
  const vault = once(
    (): Promise<VaultAccess> =>
      vaultOptions === undefined
        ? Promise.resolve({ ok: false, message: "not configured", fix: "set VAULT_ADDR" })
        : openVault(vaultOptions, timeoutMs),
  );
  return [
    checkGit(settings, repository),
    checkCatalog(settings, repository, timeoutMs),
    checkDokploy(settings, timeoutMs),
    checkVaultToken(settings, vault),
    checkVaultPaths(settings, { repository, vault, timeoutMs }),
    checkStore(settings, timeoutMs),
  ];
}

/**
 * `iac-runner doctor`: reads the configuration like `serve` and checks every dependency with it, one line each;
 * exits 1 when anything fails. Warnings (a token that expires soon) do not fail.
 */
export async function doctorCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { timeout: { type: "string" }, ...OUTPUT_FLAGS },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(DOCTOR_USAGE);
    return 0;
  }
  const timeoutMs =
    values.timeout === undefined
      ? DEFAULT_TIMEOUT_SECONDS * 1000
      : parseSeconds("--timeout", values.timeout, 3_600, DOCTOR_USAGE);
  return runGuarded(io, values, async () => {
    const print = (lines: readonly CheckResult[]): void => {
      if (!values.json) {
        io.stdout(lines.map((line) => formatCheckLine(line, io.isTTY === true)).join(""));
      }
    };
    const read = await readDoctorSettings(io.env);
    const results = configLines(read);
    print(results);
    if (read.settings === undefined) {
      const skipped: CheckResult = {
        name: "dependencies",
        status: "skip",
        message: "not checked: fix the configuration first",
      };
      print([skipped]);
      results.push(skipped);
    } else {
      const invalid = new Set(read.problems.flatMap((problem) => problem.variable ?? []));
      results.push(
        ...(await runChecks(dependencyChecks(read.settings, timeoutMs), { timeoutMs, invalid, onResult: print })),
      );
    }
    const failed = results.filter((result) => result.status === "fail");
    if (values.json) {
      io.stdout(`${JSON.stringify({ ok: failed.length === 0, checks: results })}\n`);
    }
    if (failed.length > 0) {
      const names = [...new Set(failed.map((result) => result.name))];
      io.stderr(
        `iac-runner: doctor found ${failed.length} problem${failed.length === 1 ? "" : "s"} (${names.join(", ")})\n`,
      );
      return 1;
    }
    if (!values.json) {
      const warnings = results.filter((result) => result.status === "warn").length;
      io.stdout(
        warnings === 0 ? "all checks passed\n" : `all checks passed, ${warnings} warning${warnings === 1 ? "" : "s"}\n`,
      );
    }
    return 0;
  });
}
