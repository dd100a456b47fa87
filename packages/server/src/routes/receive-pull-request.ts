import { isCommitSha } from "../git/ref-name.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RunnerContext } from "../runner-context.js";
import type { Logger, PullRequestRef } from "../types.js";

/** The actions that bring a new head to plan. https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request */
const PLANNED_ACTIONS: ReadonlySet<string> = new Set(["opened", "synchronize", "reopened"]);

/** The fields of a `pull_request` delivery the runner reads. */
interface PullRequestEvent {
  action: string;
  number: number;
  base: string;
  head: string;
}

function invalid(detail: string): HttpError {
  return new HttpError(400, "invalid_payload", `invalid pull_request payload: ${detail}`);
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** @throws {HttpError} 400 when a field the runner reads is missing or malformed. */
function readPullRequest(payload: unknown): PullRequestEvent {
  const action = field(payload, "action");
  const number = field(payload, "number");
  const pull = field(payload, "pull_request");
  const base = field(field(pull, "base"), "ref");
  const head = field(field(pull, "head"), "sha");
  if (typeof action !== "string") {
    throw invalid(`expected a string action, received ${JSON.stringify(action) ?? "nothing"}`);
  }
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) {
    throw invalid(`expected a positive integer number, received ${JSON.stringify(number) ?? "nothing"}`);
  }
  if (typeof base !== "string" || base === "") {
    throw invalid("expected pull_request.base.ref to be a branch name");
  }
  if (typeof head !== "string" || !isCommitSha(head)) {
    throw invalid("expected pull_request.head.sha to be a 40-character commit SHA");
  }
  return { action, number, base, head: head.toLowerCase() };
}

function ignored(context: RunnerContext, delivery: string, reason: string): Response {
  context.metrics.webhookAnswered("pull_request", "ignored");
  return jsonResponse(202, { status: "ignored", event: "pull_request", delivery, reason });
}

/**
 * A `pull_request` delivery: a new head of a pull request to the followed branch is handed to the pull request
 * planner, which plans it and comments in the background; the answer never waits for it.
 *
 * @throws {HttpError} 400 for a payload without the fields read.
 */
export function receivePullRequest(
  payload: () => unknown,
  delivery: string,
  context: RunnerContext,
  logger: Logger,
): Response {
  const planner = context.pullPlanner;
  if (planner === undefined) {
    const why =
      context.settings.github === undefined
        ? "GITHUB_TOKEN is not set"
        : "the runner was given a git reader that cannot fetch pull request heads";
    return ignored(context, delivery, `pull request plans are off: ${why}`);
  }
  const event = readPullRequest(payload());
  if (!PLANNED_ACTIONS.has(event.action)) {
    return ignored(context, delivery, `action ${event.action} brings no new head to plan`);
  }
  const branch = context.settings.gitBranch;
  if (event.base !== branch) {
    return ignored(context, delivery, `pull request to ${event.base}; the runner follows ${branch}`);
  }
  const pull: PullRequestRef = { number: event.number, head: event.head, delivery };
  const outcome = planner.submit(pull);
  context.metrics.webhookAnswered("pull_request", outcome === "queued" ? "accepted" : "duplicate");
  logger.info({ pullRequest: pull.number, head: pull.head, outcome }, "pull request plan requested");
  const answer = { event: "pull_request", delivery, pullRequest: pull.number, commit: pull.head };
  return outcome === "queued"
    ? jsonResponse(202, { status: "accepted", ...answer })
    : jsonResponse(200, { status: "duplicate", ...answer });
}
