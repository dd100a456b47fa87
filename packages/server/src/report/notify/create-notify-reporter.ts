import type { NotifyTarget } from "@iac/sync";
import { noopLogger } from "../../logging/noop-logger.js";
import { isTerminalState } from "../../store/is-terminal-state.js";
import type { JobReporter, Logger, NotifyReporterOptions, ReportMemo, SyncJob } from "../../types.js";
import { ReportPartial, ReportRefused } from "../report-refused.js";
import { deliverToTarget } from "./deliver-to-target.js";
import { jobNotification } from "./job-notification.js";
import { type NotifyMemo, readNotifyMemo } from "./notify-memo.js";
import type { PostOutcome } from "./post-notification.js";
import { targetKey } from "./target-key.js";

const DEFAULT_TIMEOUT_MS = 10_000;

interface DueTarget {
  target: NotifyTarget;
  key: string;
  /** `notify[<index>] (<type>)`: how logs and errors name the target, since its URL may be a credential. */
  label: string;
}

/** The targets of `job` still to be told: those whose `on` matches and that neither got it nor refused it before. */
function dueTargets(job: SyncJob, targets: readonly NotifyTarget[], memo: NotifyMemo): DueTarget[] {
  const seen = new Set([...memo.sent, ...memo.refused]);
  const due: DueTarget[] = [];
  for (const [index, target] of targets.entries()) {
    const key = targetKey(target);
    // The same target listed twice gets one message.
    if ((target.on === "all" || job.state === "failed") && !seen.has(key)) {
      seen.add(key);
      due.push({ target, key, label: `notify[${index}] (${target.type})` });
    }
  }
  return due;
}

type Settled = DueTarget & PostOutcome;

function logOutcome(logger: Logger, outcome: PostOutcome): void {
  if (outcome.kind === "sent") {
    logger.info({}, "notification sent");
  } else if (outcome.kind === "retry") {
    logger.warn({ reason: outcome.reason }, "notification not delivered; it will be retried");
  } else {
    logger.error({ reason: outcome.reason }, "notification refused; this target is given up");
  }
}

/**
 * The memo after an attempt, or its rejection: retried while a target may still take the message (keeping, in a
 * `ReportPartial`, the targets settled meanwhile so a retry neither sends to them twice nor logs them again), refused
 * when no target took it.
 */
function settle(job: SyncJob, done: NotifyMemo, outcomes: readonly Settled[]): ReportMemo {
  const keysOf = (kind: PostOutcome["kind"]) => outcomes.flatMap((o) => (o.kind === kind ? [o.key] : []));
  const reasons = (kind: "retry" | "refused") =>
    outcomes.flatMap((o) => (o.kind === kind ? [`${o.label}: ${o.reason}`] : [])).join("; ");
  const next: NotifyMemo = {
    sent: [...done.sent, ...keysOf("sent")],
    refused: [...done.refused, ...keysOf("refused")],
  };
  const pending = keysOf("retry").length;
  if (pending > 0) {
    const message = `[@iac/server] notification of job ${job.id} not delivered to ${reasons("retry")}`;
    throw pending < outcomes.length ? new ReportPartial(message, next) : new Error(message);
  }
  if (next.sent.length === 0) {
    throw new ReportRefused(`[@iac/server] every notification target of job ${job.id} refused: ${reasons("refused")}`);
  }
  return next;
}

/**
 * The `notify` reporter: when a job finishes, one message per target of the job's environment (`on: failure` only
 * for failed jobs), never one per service. Delivery is at least once per target and never twice to a target that took
 * it: the memo records which targets got it, so a retry after a partial delivery sends only to the rest. A target that
 * refuses (a 4xx other than 408/429, or a `$NAME` that is not set) is given up and logged, the others still sent;
 * when every target refuses, the report is refused.
 *
 * @example
 * ```ts
 * const notify = createNotifyReporter({ lookup: (name) => process.env[name], publicUrl: "https://iac.example.com" });
 * ```
 */
export function createNotifyReporter(options: NotifyReporterOptions): JobReporter {
  const { lookup } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`[@iac/server] timeoutMs must be a positive integer of milliseconds, received ${timeoutMs}`);
  }
  const fetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const logger = (options.logger ?? noopLogger).child({ reporter: "notify" });

  return {
    name: "notify",
    async deliver({ job, environment }, memo): Promise<ReportMemo> {
      // Only an ended job is told of (`finished` is the only phase of one).
      if (!isTerminalState(job.state)) {
        return memo;
      }
      const done = readNotifyMemo(memo);
      const due = dueTargets(job, environment.notify, done);
      if (due.length === 0) {
        return memo;
      }
      const notification = jobNotification(job, options.publicUrl);
      const jobLogger = logger.child({ job: job.id, env: job.env });
      const outcomes = await Promise.all(
        due.map(async (entry): Promise<Settled> => {
          const delivery = `${job.id}.${entry.key}`;
          const outcome = await deliverToTarget({ ...entry, delivery, notification, lookup, fetch, timeoutMs });
          logOutcome(jobLogger.child({ target: entry.label, delivery }), outcome);
          return { ...entry, ...outcome };
        }),
      );
      return settle(job, done, outcomes);
    },
  };
}
