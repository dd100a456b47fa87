import type { DokployClient } from "@iac/sdk";
import {
  type CatalogService,
  type ConfigDigestDiff,
  configHashDigests,
  diffConfigDigests,
  type EnvironmentConfig,
  type PlanReason,
  type ServiceCatalog,
  type SyncAction,
  type SyncReasonCode,
} from "@iac/sync";
import { checkService, type ServiceCheck } from "../../engine/check-service.js";
import { readPlainInputs } from "../../engine/read-plain-inputs.js";
import type { ServiceInputSource } from "../../engine/read-service-inputs.js";
import { isSyncError } from "../../engine/sync-error.js";
import type { GitReader } from "../../git/git-reader.js";
import { noopLogger } from "../../logging/noop-logger.js";
import { plainMessage } from "../../plain-message.js";
import type { OperatorSettings } from "../../settings.js";
import { secretsProblem } from "./create-input-source.js";

/** What `iac-runner plan` reads for every service of one plan. */
export interface PreviewContext {
  git: GitReader;
  /** A read-only client. */
  dokploy: DokployClient;
  source: ServiceInputSource;
  settings: OperatorSettings;
  commit: string;
  env: string;
  environment: EnvironmentConfig;
  /** The catalog at another commit (cached per commit), or null when it is invalid there. */
  catalogAt(commit: string): Promise<ServiceCatalog | null>;
}

/** Which inputs changed since the commit Dokploy last deployed; `outsideGit` when the hash moved without any. */
export interface InputChanges extends ConfigDigestDiff {
  outsideGit: boolean;
}

/** The dry run of one service: what a sync would do, and why. */
export interface ServicePreview {
  service: string;
  folder: string;
  /** Why the service is in the plan (every automatic service, or the changed paths that selected it). */
  reason: PlanReason;
  /** What a sync would do; null on an error. */
  action: SyncAction | null;
  decision: { code: SyncReasonCode; message: string } | null;
  /** `IAC_CONFIG_HASH` stored in Dokploy; null when none (or no compose). */
  storedHash: string | null;
  /** The hash of the content at the planned commit; null on an error. */
  hash: string | null;
  /** The newest finished deployment in Dokploy and the commit it ran, when the runner made it. */
  deployed: { deploymentId: string; title: string; createdAt: string; commit: string | null } | null;
  /** Inputs changed since `deployed.commit`; null when not compared (see `note`). */
  changes: InputChanges | null;
  /** Why `changes` is null for a service that would deploy. */
  note: string | null;
  error: { code: string; message: string } | null;
}

const FATAL = new Set(["dokploy_auth_failed", "dokploy_unreachable"]);

/**
 * Plans one service without changing anything: compares its hash at the planned commit with what Dokploy holds
 * (`checkService`, the engine's own code, deciding with `planSync` like a sync), and,
 * for a service that would deploy, compares its plain inputs with those at the commit Dokploy last deployed (from the
 * runner's deploy title). Vault values are compared by nothing older: a hash that moved with no file or env key
 * changed is reported as a change outside git.
 *
 * @throws {SyncError} when Dokploy refuses the API key or does not answer: every other service would fail the same.
 */
export async function previewService(
  context: PreviewContext,
  service: CatalogService,
  reason: PlanReason,
): Promise<ServicePreview> {
  const preview: ServicePreview = {
    service: service.name,
    folder: service.folder,
    reason,
    action: null,
    decision: null,
    storedHash: null,
    hash: null,
    deployed: null,
    changes: null,
    note: null,
    error: null,
  };
  const problem = secretsProblem(service, context.settings);
  if (problem !== undefined) {
    const { code } = problem.json;
    return {
      ...preview,
      error: { code: typeof code === "string" ? code : "config_invalid", message: problem.message },
    };
  }
  const { commit, env, environment } = context;
  let check: ServiceCheck;
  try {
    check = await checkService(context.source, context.dokploy, { commit, env, environment, service }, noopLogger);
  } catch (error) {
    if (!isSyncError(error) || FATAL.has(error.code)) {
      throw error;
    }
    return { ...preview, error: { code: error.code, message: plainMessage(error) } };
  }
  const { inputs, state, decision } = check;
  const storedHash = state.exists ? state.storedHash : null;
  const last = state.exists ? state.lastDeployment : null;
  const result: ServicePreview = {
    ...preview,
    action: decision.action,
    decision: decision.reason,
    storedHash,
    hash: inputs.hash,
    deployed:
      last === null
        ? null
        : {
            deploymentId: last.deploymentId,
            title: last.title,
            createdAt: last.createdAt,
            commit: last.commitPrefix === null ? null : await context.git.resolveRevision(last.commitPrefix),
          },
  };
  if (result.action === "skip") {
    return result;
  }
  if (!state.exists) {
    return { ...result, note: `no ${state.missing} in Dokploy yet` };
  }
  if (last === null || result.deployed === null) {
    return { ...result, note: "no finished deployment in Dokploy to compare with" };
  }
  if (last.commitPrefix === null) {
    return { ...result, note: `the last deployment (${JSON.stringify(last.title)}) was not made by iac-runner` };
  }
  const deployedCommit = result.deployed.commit;
  if (deployedCommit === null) {
    return { ...result, note: `the deployed commit ${last.commitPrefix} is not in the repository` };
  }
  const catalog = await context.catalogAt(deployedCommit);
  const before = catalog?.services.find((candidate) => candidate.name === service.name);
  if (catalog === null || before === undefined) {
    const why = catalog === null ? "its iac.config.yaml is invalid" : `${service.name} is no service there`;
    return { ...result, note: `cannot compare with the deployed commit ${last.commitPrefix}: ${why}` };
  }
  const { environments } = catalog.config;
  const previous = await readPlainInputs(context.source, {
    commit: deployedCommit,
    env,
    environment: Object.hasOwn(environments, env) ? (environments[env] as EnvironmentConfig) : environment,
    service: before,
  }).catch((error: unknown) => {
    if (isSyncError(error)) {
      return undefined;
    }
    throw error;
  });
  if (previous === undefined) {
    return { ...result, note: `cannot read ${service.name} at the deployed commit ${last.commitPrefix}` };
  }
  const diff = diffConfigDigests(
    configHashDigests({ compose: previous.compose, files: Object.fromEntries(previous.files), env: previous.env }),
    configHashDigests(inputs.hashInput),
  );
  // Only a hash that moved away from a stored one says something changed; "no hash stored" is its own reason.
  const unchanged = !diff.compose && diff.files.length === 0 && diff.env.length === 0;
  return { ...result, changes: { ...diff, outsideGit: unchanged && decision.reason.code === "hash_changed" } };
}
