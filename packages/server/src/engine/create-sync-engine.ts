import { randomUUID } from "node:crypto";
import { isTerminalState } from "../store/is-terminal-state.js";
import type { ClaimedTask, Logger, SyncEngine, SyncEngineOptions, SyncResult } from "../types.js";
import { createSignal } from "./create-signal.js";
import { createSlots } from "./create-slots.js";
import { DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_RETRY_LIMIT } from "./engine-defaults.js";
import { failedResult } from "./failed-result.js";
import { createStoreLock } from "./key-lock.js";
import { createSyncContext } from "./sync-context.js";
import { isTransient, SyncError } from "./sync-error.js";
import { syncService } from "./sync-service.js";

const DEFAULT_RETRY_BASE_MS = 5_000;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
/** How long `close()` waits for running syncs before leaving them to the next runner (they resume from the store). */
const CLOSE_GRACE_MS = 10_000;
/**
 * Syncs waiting for their deploy hold no work slot, but each polls Dokploy and holds a lease: at most this many per
 * slot are claimed by one process, so a long queue of slow deploys cannot make it claim the whole backlog.
 */
const HELD_PER_SLOT = 8;

interface Running {
  controller: AbortController;
  task: ClaimedTask;
  done: Promise<void>;
}

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Creates the sync engine over a {@link JobStore}. Jobs are stored first and then claimed service by service from the
 * store, so a job outlives the process that accepted it: another runner (or this one after a restart) finishes it.
 *
 * - At most `concurrency` syncs of this process talk to Dokploy at the same time; a sync waiting for its deploy to
 *   end gives its slot to the next one and holds only its lane: the store guarantees one running sync per
 *   (env, service) across every runner, and a newer job supersedes queued services of older ones ("latest wins").
 * - Each claimed service holds a lease renewed by a heartbeat; a runner that dies loses it and another takes over,
 *   settling the deploy the dead one may have started (the deploy marker) before deploying anything.
 * - Transient failures (Dokploy or Vault unreachable, a lost deploy answer) go back to the queue with exponential
 *   backoff, `retryLimit` times; permanent ones end the service as `failed`.
 *
 * Leases and retry times use the wall clock, never the injected `clock` (which tests move by hand): a lease is about
 * whether a process is alive.
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const context = createSyncContext(options);
  const { store } = options;
  const runnerId = options.runnerId ?? randomUUID();
  const concurrency = positiveInteger("concurrency", options.concurrency ?? DEFAULT_CONCURRENCY);
  const slots = createSlots(concurrency);
  // Aborted by close(): a sync waiting for another runner's project lock stops waiting (and is retried).
  const closing = new AbortController();
  const lock = createStoreLock(store, runnerId, { closing: closing.signal });
  const leaseMs = positiveInteger("leaseMs", options.leaseMs ?? DEFAULT_LEASE_MS);
  const claimIntervalMs = positiveInteger("claimIntervalMs", options.claimIntervalMs ?? 1_000);
  const retryLimit = options.retryLimit ?? DEFAULT_RETRY_LIMIT;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const logger = options.logger.child({ runner: runnerId });
  const running = new Map<string, Running>();
  const changed = createSignal();
  let closed = false;
  let pumping = false;
  let pumpAgain = false;

  const pump = (): void => {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    void (async () => {
      do {
        pumpAgain = false;
        while (!closed && running.size < concurrency * HELD_PER_SLOT && slots.tryTake()) {
          const task = await store.claimTask(runnerId, Date.now(), leaseMs).catch((error: unknown) => {
            slots.give();
            throw error;
          });
          if (task === undefined) {
            slots.give();
            break;
          }
          start(task);
        }
      } while (pumpAgain && !closed);
    })()
      .catch((error: unknown) => logger.error({ err: error }, "claiming work from the store failed"))
      .finally(() => {
        pumping = false;
      });
  };

  const heartbeat = async (): Promise<void> => {
    for (const entry of running.values()) {
      const { jobId, service } = entry.task;
      const state = await store
        .renewLease(jobId, service.name, runnerId, Date.now(), leaseMs)
        .catch((error: unknown) => {
          logger.warn({ err: error, job: jobId, service: service.name }, "lease renewal failed");
          return "held" as const;
        });
      if ((state === "cancel" || state === "force") && !entry.controller.signal.aborted) {
        entry.controller.abort({ force: state === "force" });
      } else if (state === "lost") {
        // Another runner took the service over (this one stalled past its lease); whatever this attempt still
        // writes to the store is refused, and it must not cancel the new owner's work in Dokploy.
        logger.error({ job: jobId, service: service.name }, "lease lost: another runner owns this sync now");
      }
    }
  };

  /** How long until the next attempt of a transient failure, or undefined when the result is final. */
  const retryDelay = (task: ClaimedTask, result: SyncResult): number | undefined => {
    const transient = result.status === "failed" && result.error !== undefined && isTransient(result.error.code);
    return transient && task.attempt <= retryLimit
      ? Math.min(MAX_RETRY_DELAY_MS, retryBaseMs * 2 ** (task.attempt - 1))
      : undefined;
  };

  const observe = (task: ClaimedTask, result: SyncResult, retrying: boolean, taskLogger: Logger): void => {
    if (options.onResult === undefined) {
      return;
    }
    const report = (error: unknown) => taskLogger.warn({ err: error }, "the onResult observer failed");
    try {
      const returned: unknown = options.onResult(result, {
        jobId: task.jobId,
        trigger: task.trigger,
        attempt: task.attempt,
        retrying,
      });
      // An async observer's rejection must not become an unhandled one.
      if (returned instanceof Promise) {
        returned.catch(report);
      }
    } catch (error) {
      report(error);
    }
  };

  /**
   * Claims work once the wall clock reaches `at` (a retry's not-before time, which the store compares with
   * `Date.now()`). A timer counts on another clock: it may fire a little before `at` by the wall clock, or long
   * before it when the wall clock was set back; the claim would then find nothing and the retry would wait for the
   * next claim round. So the timer checks and, if early, sets itself again for the rest.
   */
  const wakeAt = (at: number): void => {
    const remaining = at - Date.now();
    if (remaining > 0) {
      // Node runs a longer delay after 1 ms; a retry is at most minutes away unless the clock jumped back that far.
      setTimeout(() => wakeAt(at), Math.min(remaining, MAX_TIMER_MS)).unref();
    } else {
      pump();
    }
  };

  const settle = async (task: ClaimedTask, result: SyncResult, taskLogger: Logger): Promise<void> => {
    const { jobId, service } = task;
    const now = Date.now();
    let stored: boolean;
    const delay = retryDelay(task, result);
    observe(task, result, delay !== undefined, taskLogger);
    if (delay !== undefined) {
      taskLogger.warn(
        { code: result.error?.code, attempt: task.attempt, retryInMs: delay },
        "transient failure, retrying later",
      );
      stored = await store.retryTask(jobId, service.name, runnerId, now + delay, result, now);
      if (stored) {
        wakeAt(now + delay);
      }
      return logLost(stored, taskLogger);
    }
    const state = result.status === "cancelled" ? "cancelled" : result.status === "failed" ? "failed" : "succeeded";
    stored = await store.completeTask(jobId, service.name, runnerId, state, result, now);
    logLost(stored, taskLogger);
  };

  const execute = async (task: ClaimedTask, controller: AbortController): Promise<void> => {
    const { jobId, service, env, commit } = task;
    const taskLogger = logger.child({
      job: jobId,
      delivery: task.delivery,
      env,
      commit,
      trigger: task.trigger,
      service: service.name,
      attempt: task.attempt,
    });
    const startedAt = context.clock.now();
    let result: SyncResult;
    try {
      result = await syncService(context, {
        commit,
        env,
        environment: task.environment,
        service,
        logger: taskLogger,
        marker: task.marker,
        // A drift correction names only services that need a deploy, matching hash or not.
        redeploy: task.trigger === "reconcile",
        signal: controller.signal,
        lock,
        whileWaiting: async (wait) => {
          slots.give();
          pump();
          try {
            return await wait();
          } finally {
            if (!slots.tryTake()) {
              taskLogger.debug({}, "wait over; queued for a work slot");
              await slots.take();
            }
          }
        },
        onDeploy: async (marker) => {
          if (!(await store.saveMarker(jobId, service.name, runnerId, marker))) {
            throw new SyncError("store_unavailable", "[@iac/server] this runner no longer holds the sync");
          }
        },
      });
    } catch (error) {
      // syncService classifies its own failures; anything that escapes it is a bug, reported without its text.
      taskLogger.error({ err: error }, "sync crashed");
      result = failedResult({
        service: service.name,
        env,
        commit,
        startedAt,
        now: context.clock.now(),
        error: { code: "dokploy_error", message: "[@iac/server] unexpected error during sync" },
      });
    }
    await settle(task, result, taskLogger).catch((error: unknown) =>
      taskLogger.error({ err: error, status: result.status }, "could not record the sync result; it will be retried"),
    );
  };

  const start = (task: ClaimedTask): void => {
    const key = `${task.jobId}\u0000${task.service.name}`;
    const controller = new AbortController();
    if (task.cancel !== null) {
      controller.abort({ force: task.cancel === "force" });
    }
    const done = execute(task, controller).finally(() => {
      slots.give();
      running.delete(key);
      changed.notify();
      pump();
    });
    running.set(key, { controller, task, done });
  };

  const claimTimer = setInterval(pump, claimIntervalMs);
  claimTimer.unref();
  const heartbeatTimer = setInterval(() => void heartbeat(), Math.max(1, Math.floor(leaseMs / 3)));
  heartbeatTimer.unref();
  pump();

  const get = (id: string) => store.getJob(id);

  return {
    async submit(job) {
      if (closed) {
        throw new SyncError("cancelled", "[@iac/server] the sync engine is shutting down");
      }
      const outcome = await store.createJob(job);
      if (outcome.status === "created") {
        logger.info(
          {
            job: job.id,
            delivery: job.delivery,
            env: job.env,
            commit: job.commit,
            trigger: job.trigger,
            services: job.services.map(({ service }) => service.name),
          },
          "job queued",
        );
        pump();
      }
      return outcome;
    },
    get,
    list: (query) => store.listJobs(query),
    async cancel(id, force) {
      const outcome = await store.cancelJob(id, force, Date.now());
      if (outcome !== undefined) {
        logger.info({ job: id, force, dequeued: outcome.dequeued, stopping: outcome.stopping }, "job cancelled");
        // Syncs of this process stop at once; other runners notice at their next heartbeat.
        for (const entry of running.values()) {
          if (entry.task.jobId === id && !entry.controller.signal.aborted) {
            entry.controller.abort({ force });
          }
        }
        changed.notify();
      }
      return outcome;
    },
    async wait(id, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Taken before the read: a sync of this process that ends while the read is awaited still wakes the wait.
        const since = changed.seen();
        const job = await get(id);
        const remaining = deadline - Date.now();
        if (job === undefined || isTerminalState(job.state) || remaining <= 0) {
          return job;
        }
        // Woken early by this process's own syncs; another runner's progress is seen by polling.
        await changed.wait(Math.min(remaining, claimIntervalMs), since);
      }
    },
    async idle() {
      for (;;) {
        if (running.size === 0 && !(await store.hasPendingWork())) {
          return;
        }
        pump();
        // A notify missed during the read above costs no wait: with nothing running the loop polls every 20 ms,
        // and a sync still running announces its own end.
        await changed.wait(running.size === 0 ? 20 : claimIntervalMs);
      }
    },
    async close() {
      closed = true;
      closing.abort();
      clearInterval(claimTimer);
      clearInterval(heartbeatTimer);
      const pending = [...running.values()].map((entry) => entry.done);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
        timer.unref();
      });
      await Promise.race([Promise.all(pending), grace]).finally(() => clearTimeout(timer));
    },
  };

  function logLost(stored: boolean, taskLogger: Logger): void {
    if (!stored) {
      taskLogger.warn({}, "result not recorded: the sync was taken over by another runner");
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`[@iac/server] invalid ${name}: expected an integer >= 1, received ${String(value)}`);
  }
  return value;
}
