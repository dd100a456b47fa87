import { randomUUID } from "node:crypto";
import type { CatalogService, EnvironmentConfig } from "@iac/sync";
import type { DeployMarker, NewJob, SyncResult } from "../../src/types.js";

/** 2026-01-01T00:00:00Z: the "now" of most store tests. */
export const T0: number = Date.parse("2026-01-01T00:00:00.000Z");

export const COMMIT_A: string = "a".repeat(40);
export const COMMIT_B: string = "b".repeat(40);
export const COMMIT_C: string = "c".repeat(40);

/** The environment config stored with every test job. */
export function environmentConfig(env = "staging"): EnvironmentConfig {
  return {
    env,
    domainSuffix: `-${env}`,
    dokployEnvironment: env,
    dataPath: "/data/{env}/{service}",
    rollback: "off",
    reconcile: "report",
    notify: [],
  };
}

/** A catalog entry for a service named `name`, with nested data so JSON round trips are checked. */
export function catalogService(name: string): CatalogService {
  return {
    name,
    folder: `apps/01.${name}`,
    layer: "apps",
    mode: "auto",
    compose: `apps/01.${name}/compose.yaml`,
    files: [`apps/01.${name}/compose.yaml`],
    include: [],
    dokploy: { project: "apps", environment: null, compose: name },
    vault: [`kv/{env}/${name}`],
    env: { LOG_LEVEL: "info" },
  };
}

/** Options of {@link newJob}: any NewJob field, plus the service names and the creation time in epoch ms. */
export type NewJobOptions = Partial<Omit<NewJob, "services" | "createdAt">> & {
  services?: readonly string[] | undefined;
  at?: number | undefined;
};

/** A job for env `staging` at {@link COMMIT_A} with one service `api`, created at {@link T0}, unless told otherwise. */
export function newJob(options: NewJobOptions = {}): NewJob {
  const { services = ["api"], at = T0, ...rest } = options;
  const env = rest.env ?? "staging";
  return {
    id: randomUUID(),
    env,
    commit: COMMIT_A,
    trigger: "deploy",
    environment: environmentConfig(env),
    services: services.map((name) => ({
      service: catalogService(name),
      reason: { code: "requested", message: `${name} was requested` },
    })),
    delivery: null,
    triggeredBy: null,
    tag: null,
    ref: null,
    promotedFrom: null,
    createdAt: new Date(at).toISOString(),
    ...rest,
  };
}

/** A result of `status` for `service` (failed ones carry an error). */
export function syncResult(service: string, status: SyncResult["status"], commit: string = COMMIT_A): SyncResult {
  return {
    service,
    env: "staging",
    commit,
    status,
    hashBefore: "old",
    hashAfter: status === "failed" ? null : "new",
    durationMs: 1234,
    ...(status === "failed" ? { error: { code: "deploy_failed" as const, message: "the deploy failed" } } : {}),
  };
}

/** A deploy marker. */
export function deployMarker(composeId = "compose-1"): DeployMarker {
  return { composeId, hash: "hash-1", knownDeployments: ["d-1", "d-2"], created: false };
}
