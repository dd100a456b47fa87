import type { BranchJobOutcome } from "../plan/submit-branch-job.js";
import type { GitMirror, JobStore } from "../types.js";

/** What {@link createBranchLag} reads at scrape time. */
export interface BranchLagDeps {
  store: Pick<JobStore, "cursor">;
  git: Pick<GitMirror, "isAncestor">;
  /** `DEPLOY_ENV`: the environment that follows the branch. */
  env: string;
  now: () => number;
}

/** How far the environment that follows the branch runs behind the newest tip the runner saw. */
export interface BranchLag {
  /** Told of every plan of the branch (pushes, catch-up rounds, `/sync`). */
  saw(env: string, outcome: BranchJobOutcome, followsBranch: boolean): void;
  /** Seconds since the newest tip was first seen, or 0 when the environment runs it (or something newer). */
  seconds(): Promise<number>;
}

interface SeenTip {
  commit: string;
  since: number;
  /** Nothing is left to deploy for this tip. */
  settled: boolean;
  /** A synced commit already found not to descend from the tip: scrapes ask git again only when it changes. */
  behind?: string | undefined;
}

/**
 * Tracks the catch-up lag. The tip counts as synced when the environment's synced commit is the tip or a descendant
 * of it (another runner may have synced further), when planning found no service to deploy at it, or when it is the
 * starting point of a fresh store. Until then the lag grows from the moment the tip was first seen: a failed or slow
 * sync, or a missed push waiting for the next catch-up round, shows here.
 */
export function createBranchLag(deps: BranchLagDeps): BranchLag {
  let tip: SeenTip | undefined;
  return {
    saw(env, outcome, followsBranch) {
      if (env !== deps.env) {
        return;
      }
      const commit =
        outcome.status === "no_changes" || outcome.status === "submitted" ? outcome.plan.commit : outcome.tip;
      // A /sync of named services plans the tip too, but deploying nothing for them says nothing about the others.
      const settled = outcome.status === "initialized" || (outcome.status === "no_changes" && followsBranch);
      if (tip?.commit !== commit) {
        tip = { commit, since: deps.now(), settled };
      } else if (settled) {
        tip.settled = true;
      }
    },
    async seconds() {
      const seen = tip;
      if (seen === undefined || seen.settled) {
        return 0;
      }
      const { synced } = await deps.store.cursor(deps.env);
      if (synced !== null && synced !== seen.behind) {
        if (synced === seen.commit || (await deps.git.isAncestor(seen.commit, synced))) {
          seen.settled = true;
          return 0;
        }
        seen.behind = synced;
      }
      return Math.max(0, (deps.now() - seen.since) / 1000);
    },
  };
}
