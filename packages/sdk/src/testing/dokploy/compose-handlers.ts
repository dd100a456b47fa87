import { randomSuffix } from "../shared/random-id.js";
import type { DokployComposeRow } from "../types.js";
import type { DokployContext } from "./context.js";
import { DokployProcedureError } from "./dokploy-error.js";
import { type DokployProcedure, type ProcedureInput, pickDefined } from "./procedure.js";
import { composeDetail, findCompose, findEnvironment } from "./views.js";

// `apiCreateCompose` picks these keys; zod strips every other key of the body (e.g. `env`, `autoDeploy`).
const CREATE_FIELDS = ["description", "composeType", "serverId", "composeFile", "sourceType"] as const;
// `compose.update` accepts every column but these; `updateCompose` silently drops `appName`.
const NOT_UPDATABLE = new Set(["composeId", "appName", "serverId"]);

// Type literals rather than interfaces: they stay assignable to the procedure's generic input record.
type CreateInput = { name: string; environmentId: string; appName?: string };
type DeployInput = { composeId: string; title?: string; description?: string };

/**
 * `compose.create`, `update`, `one`, `saveEnvironment`, `deploy`, `redeploy`, `cleanQueues`, `killBuild`, `start`, `stop`,
 * `delete`.
 */
export function composeProcedures({ store, worker }: DokployContext): DokployProcedure[] {
  const { state } = store;

  const create = (input: CreateInput): DokployComposeRow => {
    findEnvironment(state, input.environmentId);
    // buildAppName: cleanAppName(appName) + "-" + generatePassword(6); without appName a generated "compose-…" name.
    const base = input.appName?.trim().replace(/ /g, "-").toLowerCase() ?? "compose";
    const appName = `${base}-${randomSuffix(6)}`;
    if ([...state.composes.values()].some((compose) => compose.appName === appName)) {
      throw new DokployProcedureError("CONFLICT", "Service with this 'AppName' already exists");
    }
    const columns = pickDefined(input, CREATE_FIELDS) as Partial<DokployComposeRow>;
    return store.seed.compose({ ...columns, name: input.name, environmentId: input.environmentId, appName });
  };

  const deploy = (kind: "deploy" | "redeploy", input: DeployInput): object => {
    const compose = findCompose(state, input.composeId);
    worker.enqueue({
      kind,
      composeId: compose.composeId,
      title: input.title || (kind === "deploy" ? "Manual deployment" : "Rebuild deployment"),
      description: input.description || "",
    });
    const message = kind === "deploy" ? "Deployment queued" : "Redeployment queued";
    return { success: true, message, composeId: compose.composeId };
  };

  const setStatus = (status: DokployComposeRow["composeStatus"]) => (input: { composeId: string }) => {
    findCompose(state, input.composeId).composeStatus = status;
    return true;
  };

  return [
    { method: "POST", name: "compose.create", run: create },
    {
      method: "POST",
      name: "compose.update",
      run: (input: ProcedureInput & { composeId: string }) => {
        const compose = findCompose(state, input.composeId);
        const keys = Object.keys(compose).filter((key) => !NOT_UPDATABLE.has(key));
        return Object.assign(compose, pickDefined(input, keys));
      },
    },
    {
      method: "GET",
      name: "compose.one",
      poll: true,
      run: (input: { composeId: string }) => composeDetail(state, findCompose(state, input.composeId)),
    },
    {
      method: "POST",
      name: "compose.saveEnvironment",
      run: (input: { composeId: string; env: string | null; createEnvFile?: boolean }) => {
        const compose = findCompose(state, input.composeId);
        compose.env = input.env;
        compose.createEnvFile = input.createEnvFile ?? compose.createEnvFile;
        return true;
      },
    },
    { method: "POST", name: "compose.deploy", run: (input: DeployInput) => deploy("deploy", input) },
    { method: "POST", name: "compose.redeploy", run: (input: DeployInput) => deploy("redeploy", input) },
    {
      method: "POST",
      name: "compose.cleanQueues",
      run: (input: { composeId: string }) => {
        worker.dropQueued(findCompose(state, input.composeId).composeId);
        return { success: true, message: "Queues cleaned successfully" };
      },
    },
    {
      method: "POST",
      name: "compose.killBuild",
      run: (input: { composeId: string }) => {
        findCompose(state, input.composeId);
        worker.killRunning();
        return undefined;
      },
    },
    // Both run docker compose synchronously; stop leaves the compose idle, start marks it done.
    { method: "POST", name: "compose.start", run: setStatus("done") },
    { method: "POST", name: "compose.stop", run: setStatus("idle") },
    {
      method: "POST",
      name: "compose.delete",
      run: (input: { composeId: string }) => {
        const compose = findCompose(state, input.composeId);
        worker.dropQueued(compose.composeId);
        state.composes.delete(compose.composeId);
        for (const table of [state.mounts, state.domains, state.deployments]) {
          for (const [id, row] of table) {
            if (row.composeId === compose.composeId) {
              table.delete(id);
            }
          }
        }
        return compose;
      },
    },
  ];
}
