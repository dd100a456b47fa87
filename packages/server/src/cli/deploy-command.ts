import { parseArgs } from "node:util";
import type { SyncJob } from "../types.js";
import { CliError } from "./cli-error.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { followJob } from "./follow-job.js";
import { describeTarget } from "./format-job.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseRunnerUrl } from "./parse-runner-url.js";
import { parseSeconds } from "./parse-seconds.js";
import { createProgressPrinter } from "./progress-printer.js";
import { runGuarded } from "./run-guarded.js";
import { createRunnerApi, type DeployAnswer, type DeployRequest } from "./runner-api.js";
import { DEPLOY_USAGE } from "./usage.js";

/** How long `--wait` follows a job without `--timeout`: longer than a few deploys of the default 15 minutes. */
const DEFAULT_WAIT_SECONDS = 3_600;

function parseServices(value: string | undefined): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const names = value.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new UsageError(
      `--services must be service names separated by commas, e.g. postgres,redis, received ${JSON.stringify(value)}`,
      DEPLOY_USAGE,
    );
  }
  return names;
}

function readRequest(values: Record<string, string | boolean | undefined>): DeployRequest {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === "") {
      throw new UsageError(`--${name} needs a value`, DEPLOY_USAGE);
    }
    return typeof value === "string" ? value : undefined;
  };
  const env = text("env");
  if (env === undefined) {
    throw new UsageError("missing --env <env>, e.g. --env staging", DEPLOY_USAGE);
  }
  const tag = text("tag");
  const ref = text("ref");
  if ((tag === undefined) === (ref === undefined)) {
    throw new UsageError("expected exactly one of --tag <tag> or --ref <sha>", DEPLOY_USAGE);
  }
  if (ref !== undefined && !/^[0-9a-f]{40}$/i.test(ref)) {
    throw new UsageError(`--ref must be a full 40-character commit SHA, received ${JSON.stringify(ref)}`, DEPLOY_USAGE);
  }
  const triggeredBy = text("triggered-by");
  const services = parseServices(text("services"));
  return {
    env,
    ...(tag === undefined ? { ref } : { tag }),
    ...(triggeredBy === undefined ? {} : { triggered_by: triggeredBy }),
    ...(services === undefined ? {} : { services }),
  };
}

function describeAnswer(answer: DeployAnswer, id: string): string {
  const target = describeTarget({
    tag: typeof answer.tag === "string" ? answer.tag : null,
    ref: typeof answer.ref === "string" ? answer.ref : null,
    commit: answer.commit ?? "",
  });
  const how = answer.status === "duplicate" ? "already requested" : answer.status;
  return `deployment ${id} ${how}: ${answer.env ?? "?"}, ${target}\nservices: ${answer.services.join(", ")}\n`;
}

/** Why a job that ended did not succeed, in one line: the services that did not succeed and their error codes. */
function describeFailure(job: SyncJob): string {
  const bad = job.services
    .filter((entry) => entry.state !== "succeeded")
    .map((entry) => `${entry.service} ${entry.state}${entry.result?.error ? ` (${entry.result.error.code})` : ""}`);
  return `deployment ${job.id} ${job.state}: ${bad.join(", ")}`;
}

/** `iac-runner deploy`: asks a running runner to deploy a tag or commit, and with `--wait` follows the job. */
export async function deployCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      url: { type: "string" },
      env: { type: "string" },
      tag: { type: "string" },
      ref: { type: "string" },
      services: { type: "string" },
      "triggered-by": { type: "string" },
      wait: { type: "boolean", default: false },
      timeout: { type: "string" },
      ...OUTPUT_FLAGS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(DEPLOY_USAGE);
    return 0;
  }
  const baseUrl = parseRunnerUrl(values.url, DEPLOY_USAGE);
  const request = readRequest(values);
  if (values.timeout !== undefined && !values.wait) {
    throw new UsageError("--timeout only applies with --wait", DEPLOY_USAGE);
  }
  const timeoutMs =
    values.timeout === undefined
      ? DEFAULT_WAIT_SECONDS * 1000
      : parseSeconds("--timeout", values.timeout, 86_400, DEPLOY_USAGE);
  return runGuarded(io, values, async () => {
    const { WEBHOOK_SECRET, IAC_API_TOKEN } = io.env;
    const secret = WEBHOOK_SECRET?.trim();
    if (secret === undefined || secret === "") {
      throw new CliError("WEBHOOK_SECRET is not set; export the runner's webhook secret (it is never a flag)");
    }
    const api = createRunnerApi({
      baseUrl,
      webhookSecret: secret,
      apiToken: IAC_API_TOKEN?.trim() || undefined,
      signal: io.signal,
    });
    const answer = await api.deploy(request);
    const [id] = answer.deployments;
    if (id === undefined) {
      io.stdout(
        values.json
          ? `${JSON.stringify(answer)}\n`
          : `nothing to deploy: no service of ${request.env} selected at ${answer.commit ?? "that commit"}\n`,
      );
      return 0;
    }
    if (!values.wait) {
      io.stdout(values.json ? `${JSON.stringify(answer)}\n` : describeAnswer(answer, id));
      return 0;
    }
    if (!values.json) {
      io.stdout(describeAnswer(answer, id));
    }
    const printProgress = createProgressPrinter((line) => io.stdout(line));
    const followed = await followJob({
      api,
      id,
      timeoutMs,
      signal: io.signal,
      onUpdate: values.json ? () => undefined : printProgress,
    });
    const result = followed.end === "ended" ? (followed.job?.state ?? "failed") : followed.end;
    if (values.json) {
      io.stdout(`${JSON.stringify({ ...answer, result, job: followed.job ?? null })}\n`);
    } else if (followed.end === "ended") {
      io.stdout(`deployment ${id} ${result}\n`);
    }
    if (result === "succeeded") {
      return 0;
    }
    const where = `iac-runner status ${id} --url ${baseUrl}`;
    if (followed.end === "timeout") {
      io.stderr(
        `iac-runner: deployment ${id} still running after ${timeoutMs / 1000} s; it continues on the runner (${where})\n`,
      );
    } else if (followed.end === "interrupted") {
      io.stderr(`iac-runner: stopped following deployment ${id}; it continues on the runner (${where})\n`);
    } else if (followed.job !== undefined) {
      io.stderr(`iac-runner: ${describeFailure(followed.job)}\n`);
    }
    return 1;
  });
}
