import type { CatalogService } from "@iac/sync";
import { toNewJob } from "../plan/to-new-job.js";
import { serviceSetKey } from "../store/service-set-key.js";
import type {
  DriftCorrection,
  DriftState,
  JobStore,
  JobTrigger,
  NewJobService,
  ServiceDrift,
  SyncEngine,
  SyncJob,
} from "../types.js";
import type { CheckedTarget } from "./check-target.js";
import { pendingServices } from "./pending-services.js";

/** Jobs that deploy chosen content, not the branch's: a correction against the branch leaves their services alone. */
const EXPLICIT: ReadonlySet<JobTrigger> = new Set(["deploy", "rollback"]);

/** States a redeploy at the compared commit fixes; `unknown` and `pending` are never acted on. */
const CORRECTABLE: ReadonlySet<DriftState> = new Set(["drifted", "missing", "not_done"]);

/** What {@link correctDrift} needs. */
export interface CorrectionDeps {
  engine: Pick<SyncEngine, "list" | "submit">;
  store: Pick<JobStore, "cursor">;
  now: () => number;
  /** `IAC_RECONCILE_INTERVAL`: one correction per services and commit per interval at most. */
  intervalMs: number;
}

/**
 * Submits one job (trigger `reconcile`) that redeploys the drifted, missing and not-done services of a checked target
 * at its commit, when its environment says `reconcile: correct` and the target may be corrected now; null otherwise.
 *
 * Services with a job in flight were left out of the comparison (`pending`), and those whose lane took a job since
 * (queued or running now, or, for a target of stored definitions, any job newer than the one the definition came
 * from) are left out of the job, as are, against the branch, those last deployed by a release or a rollback: a
 * correction must never supersede a queued deploy, undo one that ended while the round compared or a release, nor
 * revert a release that failed (that is left to `rollback: auto`, or to people). The lanes are
 * read first, and once more by the store as it creates the job, so a job that arrives at any point of this wins.
 * The request key names the interval the round belongs to as well: two runners that both ran a round in it (a lease
 * handed over) submit one job, and a correction that failed is tried again one interval later, not in a loop.
 */
export async function correctDrift(deps: CorrectionDeps, checked: CheckedTarget): Promise<DriftCorrection | null> {
  const { target, environment } = checked;
  if (environment.reconcile !== "correct" || !target.correctable) {
    return null;
  }
  const wanted = checked.drifts.filter((drift) => CORRECTABLE.has(drift.state));
  if (wanted.length === 0) {
    return null;
  }
  // The lanes first: the store creates the job only if no job entered them after this read (`expectedNewest`), and
  // one that entered before it is seen by the reads below.
  const lanes: Array<{ drift: ServiceDrift; service: CatalogService; newest: SyncJob | undefined }> = [];
  for (const drift of wanted) {
    const service = checked.services.get(drift.service);
    if (service !== undefined) {
      lanes.push({ drift, service, newest: await newestJob(deps, target.env, service.name) });
    }
  }
  // Read again now: the round compared for a while, and a push may have moved the branch meanwhile.
  if (target.stored === undefined && !(await branchStillAt(deps, target.env, target.commit))) {
    return null;
  }
  const busy = await pendingServices(deps.engine, target.env);
  const services: NewJobService[] = [];
  const expectedNewest: Record<string, string | null> = {};
  for (const { drift, service, newest } of lanes) {
    if (!busy.has(service.name) && mayCorrect(checked, service.name, newest)) {
      services.push({ service, reason: { code: "requested", message: `drift detection: ${drift.detail}` } });
      expectedNewest[service.name] = newest?.id ?? null;
    }
  }
  if (services.length === 0) {
    return null;
  }
  const now = deps.now();
  const names = services.map(({ service }) => service.name);
  const slot = Math.floor(now / deps.intervalMs);
  const plan = { trigger: "reconcile" as const, env: target.env, commit: target.commit, environment, services };
  const outcome = await deps.engine.submit(
    toNewJob(plan, now, {
      requestKey: {
        key: `reconcile:${target.env}:${target.commit}:${serviceSetKey(names)}:${slot}`,
        ttlMs: deps.intervalMs,
      },
      expectedNewest,
    }),
  );
  // A job entered a lane since it was read: the next round compares again. (Jobs without a cursor never move one.)
  if (!("job" in outcome)) {
    return null;
  }
  return { deployment: outcome.job.id, status: outcome.status, commit: target.commit, services: names };
}

/** The newest job of the (env, service) lane, if it has any. */
async function newestJob(deps: CorrectionDeps, env: string, service: string): Promise<SyncJob | undefined> {
  const { jobs } = await deps.engine.list({ env, service, limit: 1 });
  return jobs[0];
}

/**
 * Whether the lane's newest job leaves the service to the correction. A stored definition came from a job that must
 * still be the newest; against the branch, the newest job must not be a release or rollback (`/deploy` of a tag or
 * ref, or a rollback), whose content differs from the branch on purpose: the branch deploys the service again with
 * its next change.
 */
function mayCorrect({ target }: CheckedTarget, service: string, newest: SyncJob | undefined): boolean {
  if (target.stored !== undefined) {
    return newest !== undefined && newest.id === target.stored.jobs.get(service);
  }
  return newest === undefined || !EXPLICIT.has(newest.trigger);
}

/** Whether the branch's planned and synced commits are both still `commit` (no newer job planned since). */
async function branchStillAt(deps: CorrectionDeps, env: string, commit: string): Promise<boolean> {
  const { planned, synced } = await deps.store.cursor(env);
  return planned === commit && synced === commit;
}
