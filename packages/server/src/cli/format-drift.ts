import type { DriftReport, DriftState, EnvironmentDrift, ServiceDrift } from "../types.js";
import { shortCommit, shortHash } from "./format-job.js";

/** States worth a closer look come first in the counts line. */
const ORDER: readonly DriftState[] = ["drifted", "missing", "not_done", "unknown", "pending", "in_sync"];

/** One service's line; `withCommit` when the environment's services were compared at several commits. */
function describeDrift(drift: ServiceDrift, width: number, withCommit: boolean): string {
  const at = withCommit ? `  at ${shortCommit(drift.commit)}` : "";
  const hashes =
    drift.state === "drifted" && drift.expectedHash !== null
      ? `  expected ${shortHash(drift.expectedHash)}, Dokploy ${drift.actualHash === null ? "none" : shortHash(drift.actualHash)}`
      : "";
  const detail = drift.state === "in_sync" ? "" : `  ${drift.detail}`;
  return `${drift.service.padEnd(width)}  ${drift.state.padEnd(8)}${at}${hashes}${detail}`.trimEnd();
}

/** An environment's summary line (`checked` follows its commit), one line per service, then its corrections. */
function describeEnvironment(drift: EnvironmentDrift, checked: string): string[] {
  const at = drift.commit === null ? "" : ` at commit ${shortCommit(drift.commit)}`;
  const counts = ORDER.map((state) => [state, drift.services.filter((each) => each.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  const summary = drift.outcome === "ok" ? counts.join(", ") || "no services" : `${drift.outcome}: ${drift.detail}`;
  const width = Math.max(0, ...drift.services.map((each) => each.service.length));
  const withCommit = drift.commit === null;
  return [
    `${drift.env}${at}${checked}: ${summary}`,
    ...drift.services.map((each) => describeDrift(each, width, withCommit)),
    ...drift.corrections.map(
      (fix) =>
        `correction: deployment ${fix.deployment} (${fix.status}) redeploys ${fix.services.join(", ")} at ${shortCommit(fix.commit)}`,
    ),
  ];
}

/**
 * `iac-runner drift` without `--json`: for `DEPLOY_ENV`, then each other environment, a summary line, one line per
 * service, then any correction submitted.
 */
export function formatDrift(report: DriftReport): string {
  if (report.checkedAt === null || report.outcome === null) {
    return `no drift report for ${report.env}: ${report.detail ?? "no round ran"}\n`;
  }
  const lines = [
    ...describeEnvironment({ ...report, outcome: report.outcome }, `, checked ${report.checkedAt}`),
    ...report.environments.flatMap((drift) => describeEnvironment(drift, "")),
  ];
  return `${lines.join("\n")}\n`;
}
