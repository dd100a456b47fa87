import type { DokployClient, DokployDeployment } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";

/**
 * One `deployment.allByCompose` read: the oldest deployment row of the compose that is not in `known` (the rows that
 * existed before a deploy was requested), or undefined. Dokploy creates a row only when its worker picks the job up,
 * so a queued deploy has none yet. When several new rows exist, the oldest is the deploy that was asked for first.
 */
export async function findNewDeployment(
  dokploy: DokployClient,
  composeId: string,
  known: ReadonlySet<string>,
): Promise<DokployDeployment | undefined> {
  const rows = await dokployCall("deployment.allByCompose", () =>
    dokploy.GET("/deployment.allByCompose", { params: { query: { composeId } } }),
  );
  return rows
    .filter((row) => !known.has(row.deploymentId))
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))[0];
}
