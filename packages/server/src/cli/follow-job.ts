import { setTimeout as sleep } from "node:timers/promises";
import { isTerminalState } from "../store/is-terminal-state.js";
import type { SyncJob } from "../types.js";
import type { RunnerApi } from "./runner-api.js";
import { RunnerApiError } from "./runner-api-error.js";

/** Options of {@link followJob}. */
export interface FollowJobOptions {
  api: RunnerApi;
  id: string;
  /** How long to follow before giving up (the job continues on the runner). */
  timeoutMs: number;
  /** Time between two polls (default 2 s). */
  intervalMs?: number | undefined;
  /** Aborted on SIGINT: stop following at once. */
  signal: AbortSignal;
  /** Called with every job read, so the caller can print what changed. */
  onUpdate(job: SyncJob): void;
}

/** How following ended: the job is terminal, the time ran out, or the user interrupted; `job` is the last one read. */
export interface FollowResult {
  end: "ended" | "timeout" | "interrupted";
  job: SyncJob | undefined;
}

// A runner restarting or a proxy blip should not end a long deploy's follow; a run of failures should.
const MAX_FAILED_POLLS = 5;

/**
 * Polls `GET /deployments/<id>` until the job is terminal. Network errors and 5xx/429 answers are tolerated a few
 * times in a row (the runner may restart mid-deploy; its jobs resume); other HTTP errors end at once.
 *
 * @throws {CliError} after {@link MAX_FAILED_POLLS} failed polls in a row, or at once for a 4xx answer.
 */
export async function followJob(options: FollowJobOptions): Promise<FollowResult> {
  const { api, id, signal } = options;
  const intervalMs = options.intervalMs ?? 2_000;
  const deadline = Date.now() + options.timeoutMs;
  let job: SyncJob | undefined;
  let failures = 0;
  for (;;) {
    if (signal.aborted) {
      return { end: "interrupted", job };
    }
    try {
      job = await api.deployment(id);
      failures = 0;
      options.onUpdate(job);
      if (isTerminalState(job.state)) {
        return { end: "ended", job };
      }
    } catch (error) {
      if (signal.aborted) {
        return { end: "interrupted", job };
      }
      const permanent = error instanceof RunnerApiError && error.status < 500 && error.status !== 429;
      failures += 1;
      if (permanent || failures >= MAX_FAILED_POLLS) {
        throw error;
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      return { end: "timeout", job };
    }
    try {
      await sleep(Math.min(intervalMs, left), undefined, { signal });
    } catch {
      return { end: "interrupted", job };
    }
  }
}
