import type { SyncErrorCode, SyncResult } from "../types.js";

/** Inputs of {@link failedResult}. */
export interface FailedResultInput {
  service: string;
  env: string;
  commit: string;
  startedAt: number;
  now: number;
  error: { code: SyncErrorCode; message: string };
  hashBefore?: string | null | undefined;
  hashAfter?: string | null | undefined;
  composeId?: string | undefined;
  dokployDeploymentId?: string | undefined;
}

/** A `failed` result; the message must already be free of secrets. */
export function failedResult(input: FailedResultInput): SyncResult {
  return {
    service: input.service,
    env: input.env,
    commit: input.commit,
    status: "failed",
    error: { code: input.error.code, message: input.error.message },
    hashBefore: input.hashBefore ?? null,
    hashAfter: input.hashAfter ?? null,
    composeId: input.composeId,
    dokployDeploymentId: input.dokployDeploymentId,
    durationMs: Math.max(0, input.now - input.startedAt),
  };
}
