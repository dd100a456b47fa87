import type { DriftTarget, JobStore } from "../types.js";

/** Gives the targets of one drift detection round; other sources (tags) plug in beside the branch. */
export type DriftTargets = () => Promise<DriftTarget[]>;

/**
 * The targets of an environment that follows the branch: every automatic service at the synced commit, none before
 * the first sync. Correcting waits while a newer commit is planned: that job will deploy the services anyway, and a
 * correction at the older commit would only race it.
 */
export function branchTargets(store: Pick<JobStore, "cursor">, env: string): DriftTargets {
  return async () => {
    const { planned, synced } = await store.cursor(env);
    return synced === null ? [] : [{ env, commit: synced, correctable: planned === synced }];
  };
}
