import type { CatalogService, EnvironmentConfig } from "@iac/sync";
import type { ClaimedTask, DeployMarker, JobTrigger } from "../types.js";
import type { ClaimRow, ReadJson } from "./store-rows.js";

/** The public form of a service row just claimed (its `attempts` already counts this attempt). */
export function toClaimedTask(row: ClaimRow, readJson: ReadJson): ClaimedTask {
  return {
    jobId: row.job_id,
    env: row.env,
    commit: row.commit_sha,
    environment: readJson(row.environment) as EnvironmentConfig,
    service: readJson(row.definition) as CatalogService,
    delivery: row.delivery,
    trigger: row.trigger as JobTrigger,
    attempt: Number(row.attempts),
    marker: row.marker === null ? null : (readJson(row.marker) as DeployMarker),
    cancel: row.cancel === "cancel" || row.cancel === "force" ? row.cancel : null,
  };
}
