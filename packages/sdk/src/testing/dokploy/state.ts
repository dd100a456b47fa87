import type { DokployEnvironmentRow, DokploySeed, DokployState, FakeClock } from "../types.js";
import { composeRow, deploymentRow, domainRow, environmentRow, mountRow, projectRow } from "./rows.js";

/** State of a fake Dokploy plus the helpers that write rows into it. */
export interface DokployStore {
  state: DokployState;
  seed: DokploySeed;
  /** Timestamp for a new row; moves the clock 1 ms so `createdAt` orders rows strictly. */
  stamp(): string;
}

/** Creates an empty Dokploy state. */
export function createDokployStore(clock: FakeClock, apiKeys: readonly string[]): DokployStore {
  const state: DokployState = {
    apiKeys: new Set(apiKeys),
    organizationId: "test-organization",
    projects: new Map(),
    environments: new Map(),
    composes: new Map(),
    deployments: new Map(),
    mounts: new Map(),
    domains: new Map(),
    deployCalls: [],
  };

  const stamp = (): string => {
    const at = clock.iso();
    clock.advance(1);
    return at;
  };

  // Rows pointing at nothing would make later reads 404 far from the mistake, so seeding refuses them.
  const requireRow = (table: Map<string, unknown>, seed: string, key: string, id: string): void => {
    if (!table.has(id)) {
      throw new TypeError(
        `[@iac/sdk] seed.${seed}: expected ${key} of an existing row, received ${JSON.stringify(id)}`,
      );
    }
  };

  const environment = (input: Parameters<DokploySeed["environment"]>[0]): DokployEnvironmentRow => {
    requireRow(state.projects, "environment", "projectId", input.projectId);
    const row = environmentRow(input, stamp());
    state.environments.set(row.environmentId, row);
    return row;
  };

  const seed: DokploySeed = {
    project(input) {
      const project = projectRow({ organizationId: state.organizationId, ...input }, stamp());
      state.projects.set(project.projectId, project);
      const created = environment({ name: "production", projectId: project.projectId, isDefault: true });
      return { project, environment: created };
    },
    environment,
    compose(input) {
      requireRow(state.environments, "compose", "environmentId", input.environmentId);
      const row = composeRow(input, stamp());
      state.composes.set(row.composeId, row);
      return row;
    },
    mount(input) {
      const row = mountRow(input);
      state.mounts.set(row.mountId, row);
      return row;
    },
    domain(input) {
      const row = domainRow({ uniqueConfigKey: state.domains.size + 1, ...input }, stamp());
      state.domains.set(row.domainId, row);
      return row;
    },
    deployment(input) {
      requireRow(state.composes, "deployment", "composeId", input.composeId);
      const row = deploymentRow({ status: "done", ...input }, stamp());
      row.finishedAt ??= row.createdAt;
      state.deployments.set(row.deploymentId, row);
      return row;
    },
  };

  return { state, seed, stamp };
}
