import type { CheckResult, DoctorCheck } from "./check-result.js";

/** Options of {@link runChecks}. */
export interface RunChecksOptions {
  /** Upper bound of each check; a check still running then fails with "no answer within …". */
  timeoutMs: number;
  /** Variables with a configuration problem: checks that need one are skipped. */
  invalid: ReadonlySet<string>;
  /** Called with each check's lines, in the order of `checks`, as soon as they and the ones before are known. */
  onResult(results: readonly CheckResult[]): void;
}

function withTimeout(check: DoctorCheck, timeoutMs: number): Promise<CheckResult[]> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([
        {
          name: check.name,
          status: "fail",
          message: `no answer within ${timeoutMs / 1000} s`,
          fix: "check that it is reachable from here, or give it longer with --timeout",
        },
      ]);
    }, timeoutMs);
  });
  const run = check.run(controller.signal).catch((error: unknown): CheckResult[] => [
    {
      name: check.name,
      status: "fail",
      message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    },
  ]);
  return Promise.race([run, timedOut]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check at once, each bounded by the timeout, and reports their lines in a fixed order. A check whose
 * variables are invalid is not run: it reports one `skip` line naming them.
 */
export async function runChecks(checks: readonly DoctorCheck[], options: RunChecksOptions): Promise<CheckResult[]> {
  const pending = checks.map((check) => {
    const blocked = check.needs.filter((name) => options.invalid.has(name));
    if (blocked.length > 0) {
      const skipped: CheckResult = {
        name: check.name,
        status: "skip",
        message: `not checked: fix ${blocked.join(", ")} first`,
      };
      return Promise.resolve([skipped]);
    }
    return withTimeout(check, check.timeoutMs ?? options.timeoutMs);
  });
  const all: CheckResult[] = [];
  for (const results of pending) {
    const lines = await results;
    options.onResult(lines);
    all.push(...lines);
  }
  return all;
}
