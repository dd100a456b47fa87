import type { NewJob } from "../types.js";

const describe = (value: unknown): string => {
  if (typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    return String(value);
  }
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
};

/**
 * Checks a job before it is stored and returns its creation time in epoch milliseconds, which is the `now` of
 * `createJob` (request keys expire relative to it, and jobs it supersedes finish at it).
 *
 * @throws {TypeError} for a job without services, a service named twice, or an unreadable `createdAt` or key TTL.
 */
export function checkNewJob(job: NewJob): number {
  if (typeof job?.id !== "string" || job.id === "") {
    throw new TypeError(`[@iac/server] invalid job id: expected a non-empty string, received ${describe(job?.id)}`);
  }
  if (!Array.isArray(job.services) || job.services.length === 0) {
    throw new TypeError(
      `[@iac/server] invalid job ${job.id}: expected at least one service, received ${Array.isArray(job.services) ? "none" : describe(job.services)}`,
    );
  }
  const names = new Set<string>();
  for (const { service } of job.services) {
    if (typeof service?.name !== "string" || service.name === "" || names.has(service.name)) {
      throw new TypeError(
        `[@iac/server] invalid job ${job.id}: expected distinct non-empty service names, received ${describe(service?.name)}`,
      );
    }
    names.add(service.name);
  }
  const createdAt = typeof job.createdAt === "string" ? Date.parse(job.createdAt) : Number.NaN;
  if (Number.isNaN(createdAt)) {
    throw new TypeError(
      `[@iac/server] invalid createdAt of job ${job.id}: expected an ISO time, received ${describe(job.createdAt)}`,
    );
  }
  if (job.requestKey !== undefined && !(Number.isFinite(job.requestKey.ttlMs) && job.requestKey.ttlMs > 0)) {
    throw new TypeError(
      `[@iac/server] invalid requestKey.ttlMs of job ${job.id}: expected a positive number, received ${describe(job.requestKey.ttlMs)}`,
    );
  }
  for (const [service, expected] of Object.entries(job.expectedNewest ?? {})) {
    if (!names.has(service) || !(expected === null || typeof expected === "string")) {
      throw new TypeError(
        `[@iac/server] invalid expectedNewest of job ${job.id}: expected a job id or null for one of its services, received ${describe(expected)} for ${describe(service)}`,
      );
    }
  }
  return createdAt;
}
