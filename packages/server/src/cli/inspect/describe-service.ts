import { type CatalogService, CONFIG_FILE, formatKeyPath } from "@iac/sync";
import { planComposeMounts } from "../../engine/compose-mounts.js";
import { decodeMountText } from "../../engine/decode-mount-text.js";
import { readServiceFiles } from "../../engine/read-service-files.js";
import { isSyncError } from "../../engine/sync-error.js";
import { parseVaultPath } from "../../engine/vault-path.js";
import type { GitReader } from "../../git/git-reader.js";
import { plainMessage } from "../../plain-message.js";
import { type Finding, fileFinding } from "./findings.js";

/** One service as `iac-runner validate` lists it. */
export interface ServiceReport {
  name: string;
  layer: string;
  folder: string;
  mode: "auto" | "manual";
  /** Whether the runner syncs it (an `auto` service outside the bootstrap layer). */
  syncable: boolean;
  compose: string;
  /** Every other file of the service, by repository path. */
  files: string[];
  /** The files the compose references, which become Dokploy file mounts. */
  mounts: string[];
  /** The static env from `iac.config.yaml`. */
  env: Record<string, string>;
  /** Vault path templates; the only paths read for the service. */
  vault: string[];
  dokploy: { project: string; environment: string | null; compose: string };
}

/** What {@link describeService} found. */
export interface ServiceDescription {
  report: ServiceReport;
  problems: Finding[];
  warnings: Finding[];
}

/**
 * Describes one service at `commit` and checks what a sync would refuse, with the engine's own code: the compose must
 * be YAML without a local build context (`planComposeMounts`), the files it mounts must be UTF-8 text
 * (`decodeMountText`), and each Vault path must be valid in every environment (`parseVaultPath`). References to
 * paths that are no files of the service are warnings, as the runner only logs them.
 *
 * @throws {SyncError} `git_fetch_failed` when a file cannot be read.
 */
export async function describeService(
  git: GitReader,
  commit: string,
  service: CatalogService,
  options: { syncable: boolean; environments: readonly string[] },
): Promise<ServiceDescription> {
  const problems: Finding[] = [];
  const warnings: Finding[] = [];
  const content = await readServiceFiles(git, commit, service);
  let mounts: string[] = [];
  try {
    const plan = planComposeMounts(content.compose, service.compose, [...content.files.keys()]);
    mounts = plan.mounts;
    for (const reference of plan.unresolved) {
      warnings.push(
        fileFinding(
          service.compose,
          "unresolved_reference",
          `${JSON.stringify(reference)} is no file of the service: left as it is, so it resolves on the Dokploy host`,
        ),
      );
    }
  } catch (error) {
    if (!isSyncError(error)) {
      throw error;
    }
    problems.push(fileFinding(service.compose, error.code, plainMessage(error)));
  }
  for (const path of mounts) {
    try {
      decodeMountText(path, content.files.get(path));
    } catch (error) {
      problems.push(fileFinding(path, "config_invalid", plainMessage(error)));
    }
  }
  service.vault.forEach((template, index) => {
    for (const env of options.environments) {
      try {
        parseVaultPath(template, { env, service: service.name });
      } catch (error) {
        problems.push({
          file: CONFIG_FILE,
          keyPath: formatKeyPath(["services", service.name, "vault", index]),
          line: null,
          column: null,
          code: "config_invalid",
          message: `in environment ${env}: ${plainMessage(error)}`,
        });
        return;
      }
    }
  });
  return {
    report: {
      name: service.name,
      layer: service.layer,
      folder: service.folder,
      mode: service.mode,
      syncable: options.syncable,
      compose: service.compose,
      files: [...content.files.keys()],
      mounts,
      env: { ...service.env },
      vault: [...service.vault],
      dokploy: { ...service.dokploy },
    },
    problems,
    warnings,
  };
}
