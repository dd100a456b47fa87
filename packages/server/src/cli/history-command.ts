import { parseArgs } from "node:util";
import type { JobState, SyncJob } from "../types.js";
import { CliError } from "./cli-error.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { describeTarget } from "./format-job.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseRunnerUrl } from "./parse-runner-url.js";
import { runGuarded } from "./run-guarded.js";
import { createRunnerApi, type HistoryQuery } from "./runner-api.js";
import { RunnerApiError } from "./runner-api-error.js";
import { HISTORY_USAGE } from "./usage.js";

const STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "superseded", "cancelled"];

function readQuery(values: Record<string, string | boolean | undefined>): HistoryQuery {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === "") {
      throw new UsageError(`--${name} needs a value`, HISTORY_USAGE);
    }
    return typeof value === "string" ? value : undefined;
  };
  const state = text("state");
  if (state !== undefined && !STATES.includes(state as JobState)) {
    throw new UsageError(
      `--state must be one of ${STATES.join(", ")}, received ${JSON.stringify(state)}`,
      HISTORY_USAGE,
    );
  }
  const limitText = text("limit");
  const limit = limitText === undefined ? undefined : /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (limit !== undefined && !(limit >= 1 && limit <= 100)) {
    throw new UsageError(
      `--limit must be a whole number from 1 to 100, received ${JSON.stringify(limitText)}`,
      HISTORY_USAGE,
    );
  }
  return {
    env: text("env"),
    service: text("service"),
    state: state as JobState | undefined,
    limit,
    cursor: text("cursor"),
  };
}

function formatLine(job: SyncJob): string {
  const services = job.services.map((entry) =>
    entry.state === job.state ? entry.service : `${entry.service} ${entry.state}`,
  );
  return `${job.id}  ${job.state.padEnd(10)}  ${job.createdAt}  ${job.env}  ${describeTarget(job)}  ${job.trigger}  ${services.join(", ")}\n`;
}

/** `iac-runner history`: lists jobs of a runner, newest first (needs IAC_API_TOKEN). */
export async function historyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      url: { type: "string" },
      env: { type: "string" },
      service: { type: "string" },
      state: { type: "string" },
      limit: { type: "string" },
      cursor: { type: "string" },
      ...OUTPUT_FLAGS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(HISTORY_USAGE);
    return 0;
  }
  const baseUrl = parseRunnerUrl(values.url, HISTORY_USAGE);
  const query = readQuery(values);
  return runGuarded(io, values, async () => {
    const { IAC_API_TOKEN } = io.env;
    const token = IAC_API_TOKEN?.trim();
    if (token === undefined || token === "") {
      throw new CliError("IAC_API_TOKEN is not set; history needs the runner's API token (export IAC_API_TOKEN)");
    }
    const api = createRunnerApi({ baseUrl, apiToken: token, signal: io.signal });
    const page = await api.deployments(query).catch((error: unknown) => {
      // Without IAC_API_TOKEN the runner hides the endpoint, which reads as a plain 404.
      if (error instanceof RunnerApiError && error.status === 404 && error.code === "not_found") {
        throw new CliError(`the runner at ${baseUrl} has no IAC_API_TOKEN configured, so its history endpoint is off`, {
          details: error.details,
          json: error.json,
        });
      }
      throw error;
    });
    if (values.json) {
      io.stdout(`${JSON.stringify(page)}\n`);
      return 0;
    }
    io.stdout(page.jobs.length === 0 ? "no deployments match\n" : page.jobs.map(formatLine).join(""));
    if (page.nextCursor !== null) {
      io.stdout(`more: add --cursor ${page.nextCursor}\n`);
    }
    return 0;
  });
}
