// The report queue's SQL, shared by both backends (their schemas use the same names): a job's reports are due when
// none was delivered yet, or only `started` was and the job has since ended.

/** The due condition, over `jobs` (no alias). `:now` is the backend's placeholder for the current time. */
export function dueReportCondition(now: string): string {
  return `report_sent <> 'finished'
     AND (report_sent = 'none' OR state NOT IN ('queued', 'running'))
     AND report_not_before <= ${now}
     AND (report_lease_until IS NULL OR report_lease_until < ${now})`;
}

/** The columns of a {@link ReportRow}. */
export const REPORT_COLUMNS = "id, environment, report_progress";

/** The report columns of a claimed job. */
export interface ReportRow {
  id: string;
  environment: unknown;
  report_progress: unknown;
}
