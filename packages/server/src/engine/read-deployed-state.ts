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
      /** Status of the newest deployment whatever its end (`done`, `error`, still `running`...), null when none. */
      newestStatus: string | null;
    };

const MISSING = {
  missing_project: "project",
  missing_environment: "environment",
  missing_compose: "compose",
} as const;

/**
 * Reads what Dokploy holds for a service without changing anything (`project.all`, `compose.one`,
 * `deployment.allByCompose`): whether its compose exists, the config hash stored in its env, the newest
 * deployment that ended `done`, with the commit the runner deployed there when the runner requested it, and how the
 * newest deployment of all ended (a failed or unfinished one leaves the stored hash behind the running containers).
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
  const sorted = rows.toSorted((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const newest = sorted.find((row) => row.status === "done");
  return {
    exists: true,
    composeId,
    storedHash: readStoredHash(compose.env ?? null),
    newestStatus: sorted[0]?.status ?? null,
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
