import type { SyncJob } from "../types.js";

/**
 * A job as shown to a caller. Callers without the API token (anyone who knows the id) see error codes but not the
 * error text, which may quote Dokploy or Vault; callers with it, and signed CI requests, see everything.
 */
export function jobView(job: SyncJob, detailed: boolean): SyncJob {
  if (detailed) {
    return job;
  }
  return {
    ...job,
    services: job.services.map((entry) => {
      const { result } = entry;
      if (result === null) {
        return entry;
      }
      const { error, cancelActions, ...rest } = result;
      return {
        ...entry,
        result: {
          ...rest,
          ...(error === undefined ? {} : { error: { code: error.code, message: error.code } }),
          ...(cancelActions === undefined
            ? {}
            : { cancelActions: cancelActions.map(({ action, ok }) => ({ action, ok })) }),
        },
      };
    }),
  };
}
