/** A unit of work on one lane (one (env, service) pair). `run` must settle; errors are its own business. */
export interface ScheduledTask {
  lane: string;
  /** Id of the job the task belongs to; handed to the task it supersedes. */
  owner: string;
  run(): Promise<void>;
  /** Called instead of `run` when a newer task for the same lane arrives while this one still waits. */
  supersede(byOwner: string): void;
  /** Called instead of `run` when the scheduler is drained (shutdown). */
  cancel(): void;
}

/** Runs tasks with a global concurrency bound and at most one running task per lane; the newest queued task wins. */
export interface JobScheduler {
  /** Queues a task. A task of the same lane that is still waiting is superseded by it. */
  submit(task: ScheduledTask): void;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  /** Cancels every waiting task and resolves once the running ones have settled. */
  drain(): Promise<void>;
}

/**
 * Creates the scheduler behind the sync engine. Each lane holds at most one running and one waiting task, so the
 * amount of pending work is bounded by the number of lanes whatever the request rate.
 */
export function createJobScheduler(concurrency: number): JobScheduler {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`[@iac/server] invalid concurrency: expected an integer >= 1, received ${String(concurrency)}`);
  }
  const waiting: ScheduledTask[] = [];
  const busyLanes = new Set<string>();
  let idleWaiters: Array<() => void> = [];

  const settleIdle = (): void => {
    if (busyLanes.size === 0 && waiting.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) {
        resolve();
      }
    }
  };

  const pump = (): void => {
    while (busyLanes.size < concurrency) {
      const index = waiting.findIndex((task) => !busyLanes.has(task.lane));
      const task = waiting[index];
      if (task === undefined) {
        break;
      }
      waiting.splice(index, 1);
      busyLanes.add(task.lane);
      void task
        .run()
        .catch(() => undefined)
        .finally(() => {
          busyLanes.delete(task.lane);
          pump();
          settleIdle();
        });
    }
  };

  const idle = (): Promise<void> =>
    new Promise((resolve) => {
      idleWaiters.push(resolve);
      settleIdle();
    });

  return {
    idle,
    submit(task: ScheduledTask): void {
      const index = waiting.findIndex((queued) => queued.lane === task.lane);
      const older = waiting[index];
      if (older !== undefined) {
        waiting.splice(index, 1);
        older.supersede(task.owner);
      }
      waiting.push(task);
      // Started on the next microtask, so `submit` never runs task code synchronously inside its caller.
      queueMicrotask(pump);
    },
    drain(): Promise<void> {
      for (const task of waiting.splice(0)) {
        task.cancel();
      }
      return idle();
    },
  };
}
