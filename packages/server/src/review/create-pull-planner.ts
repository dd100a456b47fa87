import { ReportRefused } from "../report/report-refused.js";
import type { Logger, PullPlan, PullPlanner, PullRequestRef } from "../types.js";
import type { PlanComments } from "./create-plan-comments.js";
import { formatPlanComment, planMarker } from "./format-plan-comment.js";
import { PullHeadGone } from "./plan-pull-request.js";

/** Waits before the 2nd, 3rd and 4th attempt of one plan; then it is given up (the next push to the PR plans again). */
const RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 15_000];
/** Pull requests waiting at most; past it the one waiting longest is dropped. */
const MAX_PENDING = 100;
/** Deliveries remembered to answer redeliveries as duplicates. */
const MAX_DELIVERIES = 1_000;

/** Options of {@link createPullPlanner}. */
export interface PullPlannerOptions {
  /** Plans one pull request (see `planPullRequest`). */
  plan(pull: PullRequestRef): Promise<PullPlan>;
  comments: PlanComments;
  logger: Logger;
  /** Waits before each retry; its length bounds the retries. */
  retryDelaysMs?: readonly number[] | undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Plans pull requests one at a time in the background and writes each plan into the pull request's plan comment.
 * At most one plan per pull request waits: a newer head replaces a waiting one, and a plan waiting to retry is
 * dropped for it. A plan whose GitHub call (or fetch) fails is retried with growing pauses a few times, then logged
 * and given up; a refusal (bad token, missing permission) is given up at once. Nothing here touches a deploy.
 */
export function createPullPlanner(options: PullPlannerOptions): PullPlanner {
  const { logger } = options;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const pending = new Map<number, PullRequestRef>();
  const deliveries = new Set<string>();
  const closing = new AbortController();
  let running: Promise<void> | undefined;
  /** The pull request being planned, and what ends its pause before a retry (a newer head of it, or closing). */
  let current: { number: number; wake: AbortController } | undefined;

  async function attempt(pull: PullRequestRef): Promise<void> {
    const log = logger.child({ pullRequest: pull.number, head: pull.head, delivery: pull.delivery });
    // A newer head of the same pull request waits: this plan is stale, whichever attempt it is at.
    const stale = () => closing.signal.aborted || pending.has(pull.number);
    for (let tries = 0; !stale(); tries++) {
      try {
        const plan = await options.plan(pull);
        const outcome = await options.comments.upsert(pull.number, planMarker(plan.env), formatPlanComment(plan));
        log.info({ comment: outcome, services: plan.services.length }, "pull request plan posted");
        return;
      } catch (error) {
        if (error instanceof PullHeadGone) {
          log.info({ reason: error.message }, "pull request plan skipped");
          return;
        }
        const delay = delays[tries];
        if (stale()) {
          return;
        }
        if (error instanceof ReportRefused || delay === undefined) {
          log.error({ err: error, attempts: tries + 1 }, "pull request plan given up");
          return;
        }
        log.warn({ err: error, attempt: tries + 1, retryInMs: delay }, "pull request plan failed; retrying");
        const wake = new AbortController();
        current = { number: pull.number, wake };
        await pause(delay, AbortSignal.any([closing.signal, wake.signal]));
        current = undefined;
      }
    }
  }

  async function drain(): Promise<void> {
    for (const [number, pull] of pending) {
      pending.delete(number);
      await attempt(pull);
    }
  }

  function start(): void {
    running ??= drain().finally(() => {
      running = undefined;
      // A plan submitted after the loop's last look and before this callback ran.
      if (pending.size > 0) {
        start();
      }
    });
  }

  function remember(delivery: string): void {
    deliveries.add(delivery);
    for (const oldest of deliveries) {
      if (deliveries.size <= MAX_DELIVERIES) {
        break;
      }
      deliveries.delete(oldest);
    }
  }

  return {
    submit(pull) {
      if (deliveries.has(pull.delivery)) {
        return "duplicate";
      }
      remember(pull.delivery);
      if (closing.signal.aborted) {
        return "queued";
      }
      pending.delete(pull.number);
      pending.set(pull.number, pull);
      if (current?.number === pull.number) {
        current.wake.abort();
      }
      for (const [number, dropped] of pending) {
        if (pending.size <= MAX_PENDING) {
          break;
        }
        pending.delete(number);
        logger.warn({ pullRequest: number, head: dropped.head }, "pull request plan dropped: too many waiting");
      }
      start();
      return "queued";
    },
    idle: async () => {
      while (running !== undefined) {
        await running;
      }
    },
    async close() {
      closing.abort();
      pending.clear();
      await running;
    },
  };
}
