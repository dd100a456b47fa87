import type { CatalogService } from "@iac/sync";
import { loadSettings } from "../../src/settings.js";
import { openStore } from "../../src/store/open-store.js";

const SERVICE: CatalogService = {
  name: "api",
  folder: "apps/01.api",
  layer: "apps",
  mode: "auto",
  compose: "apps/01.api/compose.yaml",
  files: ["apps/01.api/compose.yaml"],
  include: [],
  dokploy: { project: "apps", environment: null, compose: "api" },
  vault: [],
  env: {},
};

/** Stores a finished job for GitHub delivery `delivery`, so that delivering it again is answered as a duplicate. */
export async function seedDelivery(env: Record<string, string>, delivery: string): Promise<void> {
  const store = await openStore(loadSettings(env));
  const now = Date.now();
  const commit = "b".repeat(40);
  const created = await store.createJob({
    id: `bench-${delivery}`,
    env: "staging",
    commit,
    trigger: "webhook",
    environment: {
      env: "staging",
      domainSuffix: "-staging",
      dokployEnvironment: "staging",
      dataPath: "/data",
      rollback: "off",
      reconcile: "report",
      notify: [],
    },
    services: [{ service: SERVICE, reason: { code: "requested", message: "seeded by the benchmark" } }],
    delivery,
    promotedFrom: null,
    triggeredBy: null,
    tag: null,
    ref: "refs/heads/main",
    createdAt: new Date(now).toISOString(),
    deliveryKey: `delivery:${delivery}`,
  });
  const task = await store.claimTask("bench", now, 60_000);
  if (created.status !== "created" || task === undefined) {
    throw new Error("could not seed the duplicate delivery");
  }
  const result = {
    service: "api",
    env: "staging",
    commit,
    status: "skipped" as const,
    hashBefore: null,
    hashAfter: null,
    durationMs: 0,
  };
  await store.completeTask(task.jobId, "api", "bench", "succeeded", result, now);
  await store.close();
}
