import { randomUUID } from "node:crypto";
import { IacConfigError } from "@iac/sync";
import { type LoadedCatalog, loadCatalog } from "../catalog.js";
import { isSyncable } from "../select-services.js";
import type { Logger, SyncEngine, SyncEngineOptions, SyncJob, SyncJobRequest, SyncResult } from "../types.js";
import { createJobScheduler } from "./job-scheduler.js";
import { createSyncContext } from "./sync-context.js";
import { isSyncError, SyncError, toSyncError } from "./sync-error.js";
import { failedResult, syncService } from "./sync-service.js";

interface JobRecord {
  job: SyncJob;
  /** Identity of the request for de-duplication: env, commit and the sorted service set. */
  key: string;
  remaining: number;
  logger: Logger;
  catalog?: Promise<LoadedCatalog>;
}

const IN_FLIGHT: ReadonlySet<SyncJob["state"]> = new Set(["queued", "running"]);

/**
 * Creates the sync engine: `start` queues a job and returns at once; services run in the background with a global
 * concurrency bound and at most one sync per (env, service). A service still waiting when a newer job for the same
 * (env, service) arrives is `superseded` (latest wins); a request equal to one in flight (same env, commit and
 * services) returns that job instead of a new one. Services of a `manual` layer and of the `bootstrap` layer (the
 * runner itself, whatever the configuration says) are always refused.
 *
 * @example
 * const engine = createSyncEngine({ git, dokploy: { baseUrl, apiKey }, hashKey, logger });
 * const job = engine.start({ env: "staging", commit, services: ["postgres"], trigger: "webhook", delivery });
 * await engine.idle();
 * engine.get(job.id)?.results;
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const context = createSyncContext(options);
  const scheduler = createJobScheduler(options.concurrency ?? 2);
  const historyLimit = options.historyLimit ?? 200;
  const jobs = new Map<string, JobRecord>();
  let closed = false;

  const iso = (): string => new Date(context.clock.now()).toISOString();

  const trimHistory = (): void => {
    let finished = [...jobs.values()].filter((record) => !IN_FLIGHT.has(record.job.state)).length;
    for (const [id, record] of jobs) {
      if (finished <= historyLimit) {
        break;
      }
      if (!IN_FLIGHT.has(record.job.state)) {
        jobs.delete(id);
        finished -= 1;
      }
    }
  };

  const finish = (record: JobRecord): void => {
    const { job } = record;
    const order = job.request.services;
    job.results.sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
    const statuses = job.results.map((result) => result.status);
    job.state =
      statuses.length > 0 && statuses.every((status) => status === "superseded")
        ? "superseded"
        : statuses.includes("failed")
          ? "failed"
          : "succeeded";
    job.finishedAt = iso();
    record.logger[job.state === "failed" ? "error" : "info"](
      { state: job.state, results: job.results.map(({ service, status, error }) => ({ service, status, error })) },
      "sync job finished",
    );
    trimHistory();
  };

  const record = (entry: JobRecord, result: SyncResult): void => {
    entry.job.results.push(result);
    entry.remaining -= 1;
    if (entry.remaining === 0) {
      finish(entry);
    }
  };

  const catalogOf = (entry: JobRecord): Promise<LoadedCatalog> => {
    entry.catalog ??= loadCatalog(options.git, entry.job.request.commit);
    return entry.catalog;
  };

  const runService = async (entry: JobRecord, service: string): Promise<SyncResult> => {
    const { env, commit } = entry.job.request;
    const startedAt = context.clock.now();
    const logger = entry.logger.child({ service });
    try {
      const { config, catalog } = await catalogOf(entry).catch((error: unknown) => {
        throw classifyCatalogError(error);
      });
      const environment = Object.hasOwn(config.environments, env) ? config.environments[env] : undefined;
      if (environment === undefined) {
        throw new SyncError(
          "config_invalid",
          `[@iac/server] unknown environment "${env}": expected one of ${Object.keys(config.environments).join(", ")}`,
        );
      }
      const target = catalog.services.find((candidate) => candidate.name === service);
      if (target === undefined) {
        throw new SyncError("service_not_found", `[@iac/server] service "${service}" does not exist at ${commit}`);
      }
      if (!isSyncable(target)) {
        throw new SyncError(
          "service_manual",
          `[@iac/server] service "${service}" is in the ${target.mode === "manual" ? "manual " : ""}layer "${target.layer}": it is deployed by hand, never by the runner`,
        );
      }
      return await syncService(context, { commit, env, environment, service: target, logger });
    } catch (error) {
      const failure = toSyncError(error);
      logger.error({ code: failure.code, error: failure.message }, "service sync failed");
      return failedResult({ service, env, commit, startedAt, now: context.clock.now(), error: failure });
    }
  };

  const start = (request: SyncJobRequest): SyncJob => {
    const services = [...new Set(request.services)];
    const key = [request.env, request.commit.toLowerCase(), [...services].sort().join(",")].join("\u0000");
    if (!closed) {
      for (const existing of jobs.values()) {
        if (existing.key === key && IN_FLIGHT.has(existing.job.state)) {
          existing.logger.info(
            { trigger: request.trigger, triggeredBy: request.triggeredBy },
            "duplicate request joined",
          );
          return structuredClone(existing.job);
        }
      }
    }
    const id = randomUUID();
    const entry: JobRecord = {
      job: { id, request: { ...request, services }, state: "queued", results: [], createdAt: iso() },
      key,
      remaining: services.length,
      logger: options.logger.child({
        job: id,
        delivery: request.delivery,
        env: request.env,
        commit: request.commit,
        trigger: request.trigger,
      }),
    };
    jobs.set(id, entry);
    entry.logger.info({ services, triggeredBy: request.triggeredBy }, "sync job queued");
    if (services.length === 0) {
      finish(entry);
      return structuredClone(entry.job);
    }
    const { env, commit } = entry.job.request;
    const settle = (service: string, status: "superseded" | "failed", error?: SyncError, by?: string): void => {
      const now = context.clock.now();
      if (status === "failed" && error !== undefined) {
        record(entry, failedResult({ service, env, commit, startedAt: now, now, error }));
        return;
      }
      entry.logger.info({ service, supersededBy: by }, "service superseded by a newer job");
      record(entry, {
        service,
        env,
        commit,
        status,
        hashBefore: null,
        hashAfter: null,
        supersededBy: by,
        durationMs: 0,
      });
    };
    for (const service of services) {
      if (closed) {
        settle(service, "failed", new SyncError("cancelled", "[@iac/server] the sync engine is shutting down"));
        continue;
      }
      scheduler.submit({
        lane: `${env}\u0000${service}`,
        owner: id,
        run: async () => {
          entry.job.state = "running";
          record(entry, await runService(entry, service));
        },
        supersede: (byOwner) => settle(service, "superseded", undefined, byOwner),
        cancel: () =>
          settle(
            service,
            "failed",
            new SyncError("cancelled", "[@iac/server] the sync engine shut down before the sync started"),
          ),
      });
    }
    return structuredClone(entry.job);
  };

  return {
    start,
    get: (id) => {
      const entry = jobs.get(id);
      return entry === undefined ? undefined : structuredClone(entry.job);
    },
    idle: () => scheduler.idle(),
    close: async () => {
      closed = true;
      await scheduler.drain();
    },
  };
}

function classifyCatalogError(error: unknown): SyncError {
  if (isSyncError(error)) {
    return error;
  }
  if (error instanceof IacConfigError) {
    return new SyncError("config_invalid", error.message, { cause: error });
  }
  return new SyncError("git_fetch_failed", "[@iac/server] could not read the repository at the requested commit", {
    cause: error,
  });
}
