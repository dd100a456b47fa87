import type { JobStore } from "../types.js";

/** Options of {@link startLeasedRounds}. */
export interface LeasedRoundsOptions {
  store: Pick<JobStore, "acquireLease">;
  /** The lease's name in the store: one holder at a time runs the rounds. */
  lease: string;
  /** Who asks for the lease (the runner id). */
  holder: string;
  now: () => number;
  /** Time between rounds; undefined runs the first round only. */
  intervalMs: number | undefined;
  /** One round, run while this holder has the lease. */
  round(): Promise<void>;
  /** Told instead of running a round while another holder has the lease. */
  onBusy(): void;
  /** Told when taking the lease or the round rejects; the next round runs as planned. */
  onError(error: unknown): void;
}

/** A running loop of rounds. */
export interface LeasedRounds {
  /** The first round, which runs at once, for callers that want to wait for it. */
  readonly first: Promise<void>;
  /** Schedules no more rounds and resolves once the round in flight (if any) has ended. */
  stop(): Promise<void>;
}

/** A lease outlives a round so that one runner keeps the rounds; a dead one is replaced after this long at most. */
const MIN_LEASE_MS = 60_000;

/**
 * Runs `round` at once, then every `intervalMs` after the previous round ended, by one holder at a time among the
 * runners sharing a store: a holder renews its lease each round, another takes over once a lease has expired.
 */
export function startLeasedRounds(options: LeasedRoundsOptions): LeasedRounds {
  const { store, lease, holder, intervalMs } = options;
  const leaseMs = Math.max(MIN_LEASE_MS, (intervalMs ?? 0) * 2);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const run = async (): Promise<void> => {
    try {
      if (!(await store.acquireLease(lease, holder, options.now(), leaseMs))) {
        options.onBusy();
        return;
      }
      await options.round();
    } catch (error) {
      options.onError(error);
    }
  };

  const schedule = (): void => {
    if (stopped || intervalMs === undefined) {
      return;
    }
    timer = setTimeout(() => {
      current = run().finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  const first = run().finally(schedule);
  current = first;
  return {
    first,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A round may hold the store and the engine; whoever closes them must wait for it.
      await current;
    },
  };
}
