import type { Logger } from "../types.js";
import { type BranchDeps, submitBranchJob } from "./submit-branch-job.js";

/** Options of {@link startCatchUp}. */
export interface CatchUpOptions {
  deps: BranchDeps;
  /** The environment that follows the branch (`DEPLOY_ENV`). */
  env: string;
  /** Who holds the polling lease (the runner id). */
  holder: string;
  /** `IAC_POLL_INTERVAL`; undefined runs only the catch-up at start. */
  intervalMs: number | undefined;
  logger: Logger;
}

/** The running catch-up loop. */
export interface CatchUp {
  /** The catch-up at start, for callers that want to wait for it. */
  readonly first: Promise<void>;
  /** Schedules no more rounds and resolves once the round in flight (if any) has ended. */
  stop(): Promise<void>;
}

/** A lease outlives a round so that one runner keeps polling; a dead one is replaced after this long at most. */
const MIN_LEASE_MS = 60_000;

/**
 * Catches up with pushes no webhook announced (a missed delivery, a runner that was down): once at start, then every
 * `intervalMs`. Only one runner of a shared store polls at a time (a named lease in the store). On an empty store the
 * first round records the tip as the starting point and deploys nothing.
 */
export function startCatchUp(options: CatchUpOptions): CatchUp {
  const { deps, env, holder, logger } = options;
  const leaseMs = Math.max(MIN_LEASE_MS, (options.intervalMs ?? 0) * 2);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    try {
      if (!(await deps.store.acquireLease(`catchup:${env}`, holder, deps.now(), leaseMs))) {
        logger.debug({}, "another runner is catching up");
        return;
      }
      const outcome = await submitBranchJob(deps, { trigger: "catchup", env }, logger);
      if (outcome.status === "submitted") {
        logger.info(
          { commit: outcome.plan.commit, deployment: outcome.outcome.job.id, status: outcome.outcome.status },
          "caught up with the branch",
        );
      } else if (outcome.status === "initialized") {
        logger.info({ commit: outcome.tip }, "empty store: the branch tip is the starting point, nothing deployed");
      } else {
        logger.debug({ status: outcome.status }, "catch-up found nothing to do");
      }
    } catch (error) {
      logger.warn({ err: error }, "catch-up failed; trying again next round");
    }
  };

  const schedule = (): void => {
    if (stopped || options.intervalMs === undefined) {
      return;
    }
    timer = setTimeout(() => {
      current = round().finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };

  const first = round().finally(schedule);
  current = first;
  return {
    first,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A round may hold the store and the engine; whoever closes them must wait for it.
      await current;
    },
  };
}
