import type { DeployWorker } from "./deploy-worker.js";
import type { DokployStore } from "./state.js";

/** What procedure factories get: the fake's store and deploy worker. */
export interface DokployContext {
  store: DokployStore;
  worker: DeployWorker;
}
