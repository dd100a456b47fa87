import type { JobService, SyncJob } from "../types.js";

/** The first 12 characters of a commit, enough to find it and short enough for a terminal line. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

/** A config hash shortened for display (`v2:3f1c2a9b7e4d`); the full one is in `--json`. */
export function shortHash(hash: string): string {
  const colon = hash.indexOf(":");
  return hash.slice(0, colon + 13);
}

/** Where a job deploys from: the tag or ref it was asked for, and the commit. */
export function describeTarget(job: Pick<SyncJob, "tag" | "ref" | "commit">): string {
  const named = job.tag === null ? (job.ref === null ? "" : `ref ${shortCommit(job.ref)}, `) : `tag ${job.tag}, `;
  return `${named}commit ${shortCommit(job.commit)}`;
}

/**
 * One service's state with what its last attempt reported: the result status when it differs from the state, the
 * config hash, the error (its text only when the runner showed it, i.e. with IAC_API_TOKEN), the job that
 * superseded it and how long it took.
 */
export function describeService(entry: JobService): string {
  const { result } = entry;
  const parts: string[] = [];
  if (entry.state === "running" && entry.attempts > 1) {
    parts.push(`attempt ${entry.attempts}`);
  }
  if (result !== null) {
    if (entry.state === "queued") {
      parts.push("retrying");
    } else if (result.status !== entry.state) {
      parts.push(result.status === "skipped" ? "skipped: unchanged" : result.status);
    }
    if (result.hashAfter !== null && entry.state === "succeeded") {
      parts.push(`hash ${shortHash(result.hashAfter)}`);
    }
    if (result.error !== undefined) {
      const { code, message } = result.error;
      parts.push(message === code ? code : `${code}: ${message}`);
    }
    if (result.supersededBy !== undefined) {
      parts.push(`by deployment ${result.supersededBy}`);
    }
    if (entry.state !== "queued" && entry.state !== "running" && result.durationMs > 0) {
      parts.push(`${(result.durationMs / 1000).toFixed(1)} s`);
    }
  }
  return parts.length === 0 ? entry.state : `${entry.state} (${parts.join(", ")})`;
}

/**
 * A job for `iac-runner status`: a header, where it deploys from (and the staging tag it promotes), how it came to be
 * (and the deployment a rollback undoes), and one line per service.
 */
export function formatJob(job: SyncJob): string {
  const width = Math.max(0, ...job.services.map((entry) => entry.service.length));
  const by = job.triggeredBy === null ? "" : ` by ${job.triggeredBy}`;
  const undoes = job.rollbackOf === null ? "" : `, rolling back deployment ${job.rollbackOf}`;
  const promoted = job.promotedFrom === null ? "" : `, promoted from ${job.promotedFrom}`;
  const finished = job.finishedAt === null ? "" : `, finished ${job.finishedAt}`;
  return [
    `deployment ${job.id}: ${job.state}`,
    `  ${job.env}: ${describeTarget(job)}${promoted}`,
    `  ${job.trigger}${by}${undoes}, created ${job.createdAt}${finished}`,
    ...job.services.map((entry) => `  ${entry.service.padEnd(width)}  ${describeService(entry)}`),
  ]
    .map((line) => `${line}\n`)
    .join("");
}
