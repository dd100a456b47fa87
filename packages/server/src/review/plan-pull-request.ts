import type { DokployClient } from "@iac/sdk";
import { type JobPlan, PlanError, resolvePlan, type SyncReasonCode } from "@iac/sync";
import { checkService } from "../engine/check-service.js";
import type { InputTarget } from "../engine/read-plain-inputs.js";
import type { ServiceInputSource } from "../engine/read-service-inputs.js";
import { isSyncError } from "../engine/sync-error.js";
import { describeProblems, inspectCommit } from "../inspect-commit.js";
import { plainMessage } from "../plain-message.js";
import type { LocalGitMirror, Logger, PullPlan, PullRequestRef, PullServicePlan } from "../types.js";

/** What planning a pull request reads: the mirror, the service inputs (git, Vault, hash key) and Dokploy. */
export interface PullPlanDeps {
  git: Pick<
    LocalGitMirror,
    "fetch" | "fetchPullHead" | "resolveCommit" | "mergeBase" | "diffPaths" | "readFile" | "listFiles"
  >;
  source: ServiceInputSource;
  dokploy: DokployClient;
  /** `DEPLOY_ENV`. */
  env: string;
  /** `GIT_BRANCH`, the pull request's base. */
  branch: string;
  logger: Logger;
}

/** A pull request whose head commit is not in the repository any more (force-pushed over): a newer event follows. */
export class PullHeadGone extends Error {
  override readonly name = "PullHeadGone";
}

/** Failures every later service would meet too: Dokploy is not asked again for the same plan. */
const FATAL = new Set(["dokploy_auth_failed", "dokploy_unreachable"]);

const DEPLOY_DETAIL: Record<SyncReasonCode, string> = {
  missing: "not in Dokploy yet",
  no_hash: "Dokploy holds no config hash",
  hash_changed: "config hash differs from Dokploy's",
  up_to_date: "same config hash as Dokploy",
  legacy_match: "same config hash as Dokploy",
};

/** The head commit in the mirror: branches of the repository come with the fetch, a fork's head with its pull ref. */
async function fetchHead(git: PullPlanDeps["git"], pull: PullRequestRef): Promise<string> {
  await git.fetch();
  const fetched = await git.resolveCommit(pull.head);
  if (fetched !== null) {
    return fetched;
  }
  await git.fetchPullHead(pull.number);
  const head = await git.resolveCommit(pull.head);
  if (head === null) {
    throw new PullHeadGone(`head ${pull.head} of pull request #${pull.number} is not in the repository`);
  }
  return head;
}

/**
 * What merging `pull` would redeploy to `DEPLOY_ENV`: the services its changes select (the diff from the merge base of
 * the branch and the head to the head, mapped at the head like a push), each compared with Dokploy by `checkService`,
 * the sync's own comparison. A service that cannot be compared (Dokploy or Vault unreachable) says why and the others
 * are still planned; a configuration that cannot be used at the head is the plan's `problems`.
 *
 * @throws {PullHeadGone} when the head commit cannot be fetched; git errors propagate.
 */
export async function planPullRequest(deps: PullPlanDeps, pull: PullRequestRef): Promise<PullPlan> {
  const { git, env } = deps;
  const head = await fetchHead(git, pull);
  const tip = await git.resolveCommit(`refs/heads/${deps.branch}`);
  const mergeBase = tip === null ? null : await git.mergeBase(tip, head);
  const changedPaths = await git.diffPaths(mergeBase, head);
  const result: PullPlan = { env, number: pull.number, head, problems: [], services: [] };
  const inspection = await inspectCommit(git, head);
  if (inspection.catalog === null) {
    return { ...result, problems: describeProblems(inspection) };
  }
  let plan: JobPlan;
  try {
    plan = resolvePlan({
      request: { trigger: "webhook", env, changedPaths },
      commit: head,
      catalog: inspection.catalog,
    });
  } catch (error) {
    if (error instanceof PlanError) {
      return { ...result, problems: [`iac.config.yaml: ${error.message}`] };
    }
    throw error;
  }
  let fatal: string | undefined;
  for (const { service, reason } of plan.services) {
    const planned = { service: service.name, paths: reason.paths ?? [] };
    if (fatal !== undefined) {
      result.services.push({ ...planned, action: "unknown", detail: fatal });
      continue;
    }
    const target = { commit: head, env, environment: plan.environment, service };
    const compared = await compareService(deps, target);
    fatal = compared.fatal ? compared.detail : undefined;
    result.services.push({ ...planned, action: compared.action, detail: compared.detail });
  }
  return result;
}

/** One service at the head compared with Dokploy; `fatal` when every later service would fail the same way. */
async function compareService(
  deps: PullPlanDeps,
  target: InputTarget,
): Promise<Pick<PullServicePlan, "action" | "detail"> & { fatal: boolean }> {
  try {
    const { decision } = await checkService(deps.source, deps.dokploy, target, deps.logger);
    const action = decision.action === "skip" ? "unchanged" : "deploy";
    return { action, detail: DEPLOY_DETAIL[decision.reason.code], fatal: false };
  } catch (error) {
    if (!isSyncError(error)) {
      deps.logger.error({ err: error, service: target.service.name }, "pull request plan: a service was not compared");
      return { action: "unknown", detail: "unexpected error (see the runner logs)", fatal: false };
    }
    // The message never carries upstream text (see dokployCall), so it holds no secret values.
    return { action: "unknown", detail: `${error.code}: ${plainMessage(error)}`, fatal: FATAL.has(error.code) };
  }
}
