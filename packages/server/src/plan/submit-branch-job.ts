import { type JobPlan, PlanError, resolvePlan } from "@iac/sync";
import type { GitMirror, JobStore, Logger, StoredJobResult, SyncEngine } from "../types.js";
import { expectStored } from "./expect-stored.js";
import { fetchRepository } from "./fetch-repository.js";
import { loadPlanCatalog } from "./load-plan-catalog.js";
import { type JobExtras, toNewJob } from "./to-new-job.js";

/** What following the branch needs; `RunnerContext` has all of it. */
export interface BranchDeps {
  git: GitMirror;
  store: JobStore;
  engine: SyncEngine;
  /** `GIT_BRANCH`. */
  branch: string;
  now: () => number;
  /** Told of every outcome (the catch-up lag of `GET /metrics`). */
  metrics?: BranchObserver | undefined;
}

/** Watches the plans of the branch. */
export interface BranchObserver {
  /** `followsBranch` is false for a `/sync` of named services. */
  sawBranch(env: string, outcome: BranchJobOutcome, followsBranch: boolean): void;
}

/** A request to bring an environment to the tip of the branch. */
export interface BranchJobRequest {
  trigger: "webhook" | "catchup" | "sync";
  env: string;
  /** A push: its old and new head. The new head must be on the branch and newer than what is synced. */
  push?: { before: string; after: string } | undefined;
  /** With `sync`: the services to sync; absent means every service (and then the branch position moves). */
  services?: readonly string[] | undefined;
  extras?: Omit<JobExtras, "cursor" | "expectedNewest"> | undefined;
}

/** What {@link submitBranchJob} did. */
export type BranchJobOutcome =
  | { status: "ignored"; reason: "unreachable" | "already_synced" | "up_to_date"; detail: string; tip: string }
  /** A first catch-up on an empty store: the tip becomes the starting point and nothing is deployed. */
  | { status: "initialized"; tip: string }
  | { status: "no_changes"; plan: JobPlan }
  | { status: "submitted"; plan: JobPlan; outcome: StoredJobResult };

/** What a `/sync` request comes to: without a push nothing ignores it, and only a catch-up records a starting point. */
export type SyncJobOutcome = Extract<BranchJobOutcome, { status: "no_changes" | "submitted" }>;

/** What a push comes to: only a catch-up records a starting point. */
export type PushJobOutcome = Exclude<BranchJobOutcome, { status: "initialized" }>;

const ZERO_SHA = /^0+$/;
/** Other runners may move the branch position between our read and our write; each move means the tip advanced. */
const MAX_REPLANS = 5;

/**
 * Brings `env` to the tip of the followed branch. Pushes only move forward: git is the truth and the push a hint.
 *
 * - The services are those changed between the environment's last synced commit and the tip (with nothing synced
 *   yet: between the push's `before` and the tip); `/sync` names them or takes them all.
 * - A pushed commit that is not on the branch any more (force-pushed away), or that is not newer than what is
 *   synced, changes nothing: a captured push resent later can never bring old content back.
 * - Jobs that follow the branch are created by compare-and-set on the environment's planned commit, so two runners
 *   (or two deliveries) racing cannot plan an older tip after a newer one.
 *
 * @throws {PlanError} from fetching, reading the catalog and resolving the plan.
 */
export function submitBranchJob(
  deps: BranchDeps,
  request: BranchJobRequest & { trigger: "sync"; push?: undefined },
  logger: Logger,
): Promise<SyncJobOutcome>;
export function submitBranchJob(
  deps: BranchDeps,
  request: BranchJobRequest & { trigger: "webhook" },
  logger: Logger,
): Promise<PushJobOutcome>;
export function submitBranchJob(deps: BranchDeps, request: BranchJobRequest, logger: Logger): Promise<BranchJobOutcome>;
export async function submitBranchJob(
  deps: BranchDeps,
  request: BranchJobRequest,
  logger: Logger,
): Promise<BranchJobOutcome> {
  const outcome = await planBranchJob(deps, request, logger);
  deps.metrics?.sawBranch(request.env, outcome, request.services === undefined);
  return outcome;
}

async function planBranchJob(deps: BranchDeps, request: BranchJobRequest, logger: Logger): Promise<BranchJobOutcome> {
  const { git, store } = deps;
  const { env, push } = request;
  await fetchRepository(git, logger);
  const tip = await git.resolveCommit(`refs/heads/${deps.branch}`);
  if (tip === null) {
    throw new PlanError("branch_not_found", `branch ${deps.branch} does not exist in the repository`);
  }
  if (push !== undefined && !(await git.isAncestor(push.after, tip))) {
    return {
      status: "ignored",
      reason: "unreachable",
      detail: `commit ${push.after} is not on ${deps.branch} (force-pushed away?); the tip is ${tip}`,
      tip,
    };
  }
  const followsBranch = request.services === undefined;
  for (let attempt = 0; attempt < MAX_REPLANS; attempt += 1) {
    const cursor = await store.cursor(env);
    if (request.trigger === "catchup") {
      if (cursor.planned === null && cursor.synced === null) {
        // A fresh store knows nothing of what is deployed: start from here instead of redeploying the repository.
        if (await store.initCursor(env, tip)) {
          return { status: "initialized", tip };
        }
        continue;
      }
      if (cursor.planned === tip) {
        return { status: "ignored", reason: "up_to_date", detail: `${tip} is already planned`, tip };
      }
    }
    const head = push?.after ?? tip;
    if (request.trigger !== "sync" && cursor.synced !== null && (await git.isAncestor(head, cursor.synced))) {
      return {
        status: "ignored",
        reason: "already_synced",
        detail: `commit ${head} is not newer than ${cursor.synced}, which ${env} already runs`,
        tip,
      };
    }
    const { catalog } = await loadPlanCatalog(git, tip);
    const plan = resolvePlan({
      request:
        request.trigger === "sync"
          ? { trigger: "sync", env, services: request.services }
          : {
              trigger: request.trigger,
              env,
              changedPaths: await changedSince(git, cursor.synced, push?.before, tip),
            },
      commit: tip,
      catalog,
    });
    if (plan.services.length === 0) {
      return { status: "no_changes", plan };
    }
    const outcome = await deps.engine.submit(
      toNewJob(plan, deps.now(), {
        ...request.extras,
        cursor: followsBranch ? { expected: cursor.planned } : undefined,
      }),
    );
    if (outcome.status !== "cursor_moved") {
      return { status: "submitted", plan, outcome: expectStored(outcome) };
    }
    logger.info({ planned: outcome.planned }, "another job moved the branch position; planning again");
  }
  throw new PlanError("git_fetch_failed", "the branch kept moving while the request was planned; try again");
}

/** Paths changed from `synced` (or the push's `before`) to `tip`; every file when neither is known to the mirror. */
async function changedSince(
  git: GitMirror,
  synced: string | null,
  before: string | undefined,
  tip: string,
): Promise<string[]> {
  const candidate = synced ?? (before === undefined || ZERO_SHA.test(before) ? null : before);
  if (candidate === tip) {
    return [];
  }
  // The base may have been force-pushed away and never fetched: then every file counts as changed, and the config
  // hashes keep unchanged services from redeploying.
  const base = candidate === null ? null : await git.resolveCommit(candidate);
  return git.diffPaths(base, tip);
}
