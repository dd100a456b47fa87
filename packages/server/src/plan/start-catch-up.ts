import { type LeasedRounds, startLeasedRounds } from "../loop/start-leased-rounds.js";
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

/** The running catch-up loop; `first` is the catch-up at start. */
export type CatchUp = LeasedRounds;

/**
 * Catches up with pushes no webhook announced (a missed delivery, a runner that was down): once at start, then every
 * `intervalMs`. Only one runner of a shared store polls at a time (a named lease in the store). On an empty store the
 * first round records the tip as the starting point and deploys nothing.
 */
export function startCatchUp(options: CatchUpOptions): CatchUp {
  const { deps, env, logger } = options;
  return startLeasedRounds({
    store: deps.store,
    lease: `catchup:${env}`,
    holder: options.holder,
    now: deps.now,
    intervalMs: options.intervalMs,
    async round() {
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
    },
    onBusy: () => logger.debug({}, "another runner is catching up"),
    onError: (error) => logger.warn({ err: error }, "catch-up failed; trying again next round"),
  });
}
