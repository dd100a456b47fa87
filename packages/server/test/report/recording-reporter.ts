import { vi } from "vitest";
import type { JobReport, JobReporter, ReportMemo } from "../../src/types.js";

/** One call a {@link RecordingReporter} received. */
export interface ReportCall {
  phase: JobReport["phase"];
  job: string;
  state: string;
  memo: ReportMemo;
}

/** A reporter that records each call and answers with what `answer` says (default: the next memo number). */
export interface RecordingReporter extends JobReporter {
  readonly calls: ReportCall[];
}

export function recordingReporter(
  name: string,
  answer?: (report: JobReport, memo: ReportMemo, call: number) => Promise<ReportMemo> | ReportMemo,
): RecordingReporter {
  const calls: ReportCall[] = [];
  return {
    name,
    calls,
    async deliver(report, memo) {
      calls.push({ phase: report.phase, job: report.job.id, state: report.job.state, memo });
      return answer === undefined ? calls.length : answer(report, memo, calls.length);
    },
  };
}

/** Retries `check` until it passes; generous, since a loaded machine may take seconds to run a report loop's turn. */
export function eventually(check: () => void): Promise<void> {
  return vi.waitFor(check, { timeout: 10_000, interval: 20 });
}
