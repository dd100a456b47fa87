import type { EnvironmentConfig } from "@iac/sync";
import { toNewJob } from "../../plan/to-new-job.js";
import type {
  JobReport,
  JobReporter,
  JobStore,
  Logger,
  NewJobService,
  ReportMemo,
  SyncEngine,
  SyncJob,
} from "../../types.js";
import { ReportRefused } from "../report-refused.js";
import { rollsBack } from "./rolls-back.js";

/** A rollback's request key outlives any redelivery of its report; the job's own pruning removes it sooner. */
const REQUEST_KEY_TTL_MS = 30 * 24 * 60 * 60_000;

/** Options of {@link createRollbackReporter}. */
export interface RollbackReporterOptions {
  store: Pick<JobStore, "lastSuccessfulSync" | "listJobs">;
  /** Stores a job and starts it: the engine's `submit`. */
  submit: SyncEngine["submit"];
  logger: Logger;
  /** Epoch milliseconds: the rollback jobs' creation time. */
  now: () => number;
}

/** The services of one rollback job: every one whose last good content is at the same commit. */
interface RollbackGroup {
  environment: EnvironmentConfig;
  services: NewJobService[];
  /** Per service, the newest job of its lane as read (the failed job or a rollback of it). */
  expectedNewest: Record<string, string>;
}

/**
 * The `rollback` reporter: when a release deploy fails in an environment with `rollback: auto`, it submits jobs that
 * redeploy each failed service's last successful content. It acts on the `finished` report of a job that
 *
 * - failed, deployed a tag (branch-following jobs are not rolled back: the next push is the fix), and is no rollback
 *   itself (a rollback that fails is reported, never rolled back again);
 * - has services whose failure may leave broken content in Dokploy (see `rollsBack`): for each, the newest
 *   successful sync of its lane at another commit, unless a newer job has taken the lane over since.
 *
 * One job per distinct commit (trigger `rollback`, `rollbackOf` the failed job), with the definitions and environment
 * stored with that success. Each carries the request key `rollback:<job>:<commit>`, so a redelivered report answers
 * the job already made instead of making another. Rejects (and is retried) when the store or the engine does.
 *
 * @example
 * const rollback = createRollbackReporter({ store, submit: (job) => engine.submit(job), logger, now: Date.now });
 */
export function createRollbackReporter(options: RollbackReporterOptions): JobReporter {
  const { store, submit, now } = options;
  return {
    name: "rollback",
    async deliver(report, memo) {
      if (!wantsRollback(report)) {
        return memo;
      }
      const { job } = report;
      const logger = options.logger.child({ job: job.id, env: job.env, commit: job.commit, tag: job.tag });
      const groups = new Map<string, RollbackGroup>();
      for (const entry of job.services) {
        // The code decides: a service that did not fail carries none, and a cancelled one carries `cancelled`.
        const code = entry.result?.error?.code;
        if (code === undefined || !rollsBack(code)) {
          continue;
        }
        const last = await store.lastSuccessfulSync(job.env, entry.service);
        if (last === undefined) {
          logger.warn({ service: entry.service, code }, "no successful sync of the service to roll back to");
          continue;
        }
        if (last.commit === job.commit) {
          // Redeploying the commit that just failed would repeat the failure, not undo it.
          logger.warn(
            { service: entry.service, code },
            "the last successful sync is at the failed commit: not rolled back",
          );
          continue;
        }
        const newest = await newestOwnJob(store, job, entry.service);
        if (newest === undefined) {
          logger.warn({ service: entry.service, code }, "a newer job has taken the service over: not rolled back");
          continue;
        }
        const group = groups.get(last.commit) ?? { environment: last.environment, services: [], expectedNewest: {} };
        group.expectedNewest[entry.service] = newest;
        group.services.push({
          service: last.service,
          reason: {
            code: "rollback",
            message: `rolls back job ${job.id} (${entry.service} failed with ${code}) to job ${last.jobId}`,
          },
        });
        groups.set(last.commit, group);
      }

      const rollbacks: ReportMemo[] = [];
      for (const [commit, { environment, services: toRollBack, expectedNewest }] of groups) {
        const outcome = await submit(
          toNewJob({ trigger: "rollback", env: job.env, commit, environment, services: toRollBack }, now(), {
            rollbackOf: job.id,
            expectedNewest,
            requestKey: { key: `rollback:${job.id}:${commit}`, ttlMs: REQUEST_KEY_TTL_MS },
          }),
        );
        if (outcome.status === "lane_moved") {
          // A job came for the service after the lane was read: thrown so the report is delivered again later,
          // when that job is seen and the service left alone.
          throw new Error(
            `[@iac/server] rollback of job ${job.id}: a newer job took ${outcome.service} over meanwhile; deciding again`,
          );
        }
        if (outcome.status === "cursor_moved") {
          // A job without a cursor never moves one: should a store answer so, asking again cannot help.
          throw new ReportRefused(`[@iac/server] rollback of job ${job.id}: expected a job, received cursor_moved`);
        }
        const services = toRollBack.map(({ service }) => service.name);
        logger.warn(
          { rollback: outcome.job.id, to: commit, services, duplicate: outcome.status === "duplicate" },
          outcome.status === "created" ? "failed release rolled back" : "rollback already submitted",
        );
        rollbacks.push({ job: outcome.job.id, commit, services });
      }
      return { rollbacks };
    },
  };
}

/** Whether a report is the end of a failed release deploy in an environment that rolls back. */
function wantsRollback({ phase, job, environment }: JobReport): boolean {
  return (
    phase === "finished" &&
    job.state === "failed" &&
    environment.rollback === "auto" &&
    job.tag !== null &&
    job.trigger !== "rollback"
  );
}

/**
 * The id of the newest job of the service's lane when it is the failed job (or a rollback of it, after a
 * redelivery), else undefined: a report delivered late must not undo, or supersede in the queue, a deploy that came
 * after the failure. The id goes to the store as `expectedNewest`, which checks it again as it creates the rollback.
 */
async function newestOwnJob(
  store: RollbackReporterOptions["store"],
  job: SyncJob,
  service: string,
): Promise<string | undefined> {
  const { jobs } = await store.listJobs({ env: job.env, service, limit: 1 });
  const newest = jobs[0];
  return newest !== undefined && (newest.id === job.id || newest.rollbackOf === job.id) ? newest.id : undefined;
}
