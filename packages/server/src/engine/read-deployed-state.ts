import type { DokployClient } from "@iac/sdk";
import { readStoredHash } from "@iac/sync";
import { deployedCommitPrefix } from "./deploy-title.js";
import { dokployCall } from "./dokploy-call.js";
import { type ComposeNames, findCompose } from "./find-compose.js";

/** The last deployment of a compose that ended `done`. */
export interface LastDeployment {
  deploymentId: string;
  title: string;
  createdAt: string;
  /** The 12-hex commit prefix when the runner requested it (title `iac-runner <commit12>`), else null. */
  commitPrefix: string | null;
}

/** What Dokploy holds for one service in one environment. */
export type DeployedState =
  | { exists: false; missing: "project" | "environment" | "compose" }
  | {
      exists: true;
      composeId: string;
      /** `IAC_CONFIG_HASH` of the compose's env, null when none is stored. */
      storedHash: string | null;
      /** The newest deployment that ended `done`, null when none did. */
      lastDeployment: LastDeployment | null;
    };

const MISSING = {
  missing_project: "project",
  missing_environment: "environment",
  missing_compose: "compose",
} as const;

/**
 * Reads what Dokploy holds for a service without changing anything (`project.all`, `compose.one`,
 * `deployment.allByCompose`): whether its compose exists, the config hash stored in its env, and the newest
 * deployment that ended `done`, with the commit the runner deployed there when the runner requested it.
 *
 * @throws {SyncError} classified like every Dokploy call of a sync (see `dokployCall`); `dokploy_error` when a name is
 * ambiguous.
 */
export async function readDeployedState(dokploy: DokployClient, names: ComposeNames): Promise<DeployedState> {
  const found = await findCompose(dokploy, names);
  if (found.status !== "found") {
    return { exists: false, missing: MISSING[found.status] };
  }
  const { composeId } = found;
  const compose = await dokployCall("compose.one", () =>
    dokploy.GET("/compose.one", { params: { query: { composeId } } }),
  );
  const rows = await dokployCall("deployment.allByCompose", () =>
    dokploy.GET("/deployment.allByCompose", { params: { query: { composeId } } }),
  );
  // Newest first by creation time; rows created at the same instant keep Dokploy's own (newest-first) order.
  const newest = rows
    .filter((row) => row.status === "done")
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  return {
    exists: true,
    composeId,
    storedHash: readStoredHash(compose.env ?? null),
    lastDeployment:
      newest === undefined
        ? null
        : {
            deploymentId: newest.deploymentId,
            title: newest.title,
            createdAt: newest.createdAt,
            commitPrefix: deployedCommitPrefix(newest.title),
          },
  };
}
