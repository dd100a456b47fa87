import type { SyncJob } from "../types.js";
import { describeService } from "./format-job.js";

/**
 * Returns a function that, given each job read while following it, prints one line per service whose state or
 * result changed since the previous read (the first read prints every service).
 */
export function createProgressPrinter(write: (text: string) => void): (job: SyncJob) => void {
  const seen = new Map<string, string>();
  return (job) => {
    const width = Math.max(0, ...job.services.map((entry) => entry.service.length));
    for (const entry of job.services) {
      const line = describeService(entry);
      if (seen.get(entry.service) !== line) {
        seen.set(entry.service, line);
        write(`  ${`${entry.service}:`.padEnd(width + 1)} ${line}\n`);
      }
    }
  };
}
