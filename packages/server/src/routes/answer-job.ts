import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RunnerContext } from "../runner-context.js";
import { isTerminalState } from "../store/is-terminal-state.js";
import type { SyncJob } from "../types.js";

/** The ways a job can come back from the store to a route. */
export interface SubmittedJob {
  status: "created" | "duplicate";
  job: SyncJob;
}

const REFUSED: Readonly<Record<string, { status: number; code: string; text: string }>> = {
  failed: { status: 502, code: "deploy_failed", text: "a service failed" },
  cancelled: { status: 409, code: "deploy_cancelled", text: "the job was cancelled" },
  superseded: { status: 409, code: "deploy_superseded", text: "a newer job took over its services" },
};

/**
 * The answer to a request that stored (or found) a job. Without `wait`: 202 `accepted` for a new job, 200
 * `duplicate` for one that already existed. With `wait`: the answer comes when the job ends (200 when every service
 * succeeded or was skipped, 502 `deploy_failed`, 409 `deploy_cancelled` or `deploy_superseded`), or 202 with
 * `pending: true` after `IAC_WAIT_SECONDS`.
 */
export async function answerJob(
  context: RunnerContext,
  submitted: SubmittedJob,
  wait: boolean,
  fields: Readonly<Record<string, unknown>>,
): Promise<Response> {
  const { job } = submitted;
  const status = submitted.status === "created" ? "accepted" : "duplicate";
  if (!wait) {
    return jsonResponse(submitted.status === "created" ? 202 : 200, { status, ...fields, deployments: [job.id] });
  }
  const ended = (await context.engine.wait(job.id, context.settings.waitMs)) ?? job;
  if (!isTerminalState(ended.state)) {
    return jsonResponse(202, { status, ...fields, pending: true, deployments: [job.id], job: ended });
  }
  const refused = REFUSED[ended.state];
  if (refused !== undefined) {
    throw new HttpError(refused.status, refused.code, `deployment ${job.id} ended ${ended.state}: ${refused.text}`, {
      details: { deployments: [job.id], job: ended },
    });
  }
  return jsonResponse(200, { status: "succeeded", ...fields, deployments: [job.id], job: ended });
}
