import type { ServiceCheck } from "../engine/check-service.js";
import type { ServiceDrift } from "../types.js";

/** The drift state of a service compared with Dokploy (see `DriftState`). */
export function driftOf(check: ServiceCheck, commit: string): ServiceDrift {
  const { inputs, state, decision } = check;
  const base = { service: decision.service, commit, expectedHash: inputs.hash };
  if (!state.exists) {
    return { ...base, state: "missing", actualHash: null, detail: `no ${state.missing} in Dokploy` };
  }
  const actualHash = state.storedHash;
  if (decision.action !== "skip") {
    return { ...base, state: "drifted", actualHash, detail: decision.reason.message };
  }
  // The hash is recorded only after a deploy succeeds, so a later deploy started from Dokploy itself may have
  // failed (or still run) behind a matching hash.
  if (state.newestStatus !== "done") {
    const detail =
      state.newestStatus === null ? "no deployment in Dokploy" : `the newest deployment is ${state.newestStatus}`;
    return { ...base, state: "not_done", actualHash, detail };
  }
  return { ...base, state: "in_sync", actualHash, detail: decision.reason.message };
}
