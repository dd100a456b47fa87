import type { DriftReport } from "../types.js";

/** The drift report of an environment this process has not checked, saying why. */
export function uncheckedReport(env: string, detail: string): DriftReport {
  return { checkedAt: null, env, commit: null, outcome: null, detail, services: [], corrections: [], environments: [] };
}
