import { createFakeClock } from "../shared/fake-clock.js";
import { createFaultInjector } from "../shared/fault-injector.js";
import type { FakeDokploy, FakeDokployOptions } from "../types.js";
import { composeProcedures } from "./compose-handlers.js";
import type { DokployContext } from "./context.js";
import { createDeployWorker } from "./deploy-worker.js";
import { deploymentProcedures } from "./deployment-handlers.js";
import { dokployFaultBody } from "./dokploy-error.js";
import { domainProcedures } from "./domain-handlers.js";
import { environmentProcedures } from "./environment-handlers.js";
import { mountProcedures } from "./mount-handlers.js";
import { serveProcedures } from "./procedure.js";
import { projectProcedures } from "./project-handlers.js";
import { dokployRequestValidator } from "./request-validator.js";
import { createDokployStore } from "./state.js";

const DEFAULT_API_KEY = "test-dokploy-key";

/**
 * Creates a fake Dokploy (v0.30 REST API): MSW handlers for the project, environment, compose, deployment, mounts and
 * domain procedures, over an in-memory state that tests seed and inspect.
 *
 * @example
 * const dokploy = createFakeDokploy({ deploy: { mode: "auto" } });
 * const server = setupServer(...dokploy.handlers);
 * const { project, environment } = dokploy.seed.project({ name: "infra" });
 */
export function createFakeDokploy(options: FakeDokployOptions = {}): FakeDokploy {
  const baseUrl = (options.baseUrl ?? "http://dokploy.test").replace(/\/+$/, "");
  const apiKeys = typeof options.apiKey === "string" ? [options.apiKey] : [...(options.apiKey ?? [DEFAULT_API_KEY])];
  const apiKey = apiKeys[0];
  if (apiKey === undefined) {
    throw new TypeError("[@iac/sdk] createFakeDokploy: expected at least one API key, received an empty list");
  }
  const clock = options.clock ?? createFakeClock();
  const store = createDokployStore(clock, apiKeys);
  const worker = createDeployWorker(store.state, store.stamp, options.deploy ?? {});
  const faults = createFaultInjector(dokployFaultBody);
  const context: DokployContext = { store, worker };

  const handlers = serveProcedures(
    {
      baseUrl,
      state: store.state,
      faults,
      validator: options.validateRequests === false ? undefined : dokployRequestValidator(),
      onPoll: worker.poll,
    },
    [
      ...projectProcedures(context),
      ...environmentProcedures(context),
      ...composeProcedures(context),
      ...deploymentProcedures(context),
      ...mountProcedures(context),
      ...domainProcedures(context),
    ],
  );

  return {
    handlers,
    state: store.state,
    seed: store.seed,
    clock,
    baseUrl,
    apiKey,
    advance(steps = 1): void {
      for (let i = 0; i < steps; i++) {
        worker.step();
      }
    },
    runDeployments: worker.runAll,
    configureDeploys: worker.configure,
    restart: worker.restart,
    inject: faults.inject,
    clearFaults: faults.clear,
  };
}
