import type { DriftReport, DriftState, ServiceDrift } from "../types.js";
import { shortCommit, shortHash } from "./format-job.js";

/** States worth a closer look come first in the counts line. */
const ORDER: readonly DriftState[] = ["drifted", "missing", "not_done", "unknown", "pending", "in_sync"];

function describeDrift(drift: ServiceDrift, width: number): string {
  const hashes =
    drift.state === "drifted" && drift.expectedHash !== null
      ? `  expected ${shortHash(drift.expectedHash)}, Dokploy ${drift.actualHash === null ? "none" : shortHash(drift.actualHash)}`
      : "";
  const detail = drift.state === "in_sync" ? "" : `  ${drift.detail}`;
  return `${drift.service.padEnd(width)}  ${drift.state.padEnd(8)}${hashes}${detail}`.trimEnd();
}

/** `iac-runner drift` without `--json`: a summary line, one line per service, then any correction submitted. */
export function formatDrift(report: DriftReport): string {
  if (report.checkedAt === null) {
    return `no drift report for ${report.env}: ${report.detail ?? "no round ran"}\n`;
  }
  const at = report.commit === null ? "" : ` at commit ${shortCommit(report.commit)}`;
  const counts = ORDER.map((state) => [state, report.services.filter((each) => each.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  const summary = report.outcome === "ok" ? counts.join(", ") || "no services" : `${report.outcome}: ${report.detail}`;
  const width = Math.max(0, ...report.services.map((each) => each.service.length));
  const lines = [
    `${report.env}${at}, checked ${report.checkedAt}: ${summary}`,
    ...report.services.map((drift) => describeDrift(drift, width)),
    ...report.corrections.map(
      (fix) => `correction: deployment ${fix.deployment} (${fix.status}) redeploys ${fix.services.join(", ")}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
