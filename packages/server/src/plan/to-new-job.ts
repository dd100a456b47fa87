import { randomUUID } from "node:crypto";
import type { JobPlan } from "@iac/sync";
import type { JobTrigger, NewJob } from "../types.js";

/** What a job carries besides its plan. */
export type JobExtras = {
  [K in "delivery" | "triggeredBy" | "tag" | "ref" | "promotedFrom" | "rollbackOf"]?: NewJob[K] | undefined;
} & Pick<NewJob, "cursor" | "deliveryKey" | "requestKey" | "expectedNewest">;

/** What a job is made of: a resolved plan, or one the runner makes itself (a drift correction, a rollback). */
export type JobOrigin = Pick<JobPlan, "env" | "commit" | "environment" | "services"> & { trigger: JobTrigger };

/** The job to store for a resolved plan: a fresh id, the plan's services with their reasons, and `extras`. */
export function toNewJob(plan: JobOrigin, now: number, extras: JobExtras): NewJob {
  return {
    id: randomUUID(),
    env: plan.env,
    commit: plan.commit,
    trigger: plan.trigger,
    environment: plan.environment,
    services: plan.services.map(({ service, reason }) => ({ service, reason })),
    delivery: extras.delivery ?? null,
    triggeredBy: extras.triggeredBy ?? null,
    tag: extras.tag ?? null,
    ref: extras.ref ?? null,
    promotedFrom: extras.promotedFrom ?? null,
    rollbackOf: extras.rollbackOf ?? null,
    createdAt: new Date(now).toISOString(),
    cursor: extras.cursor,
    deliveryKey: extras.deliveryKey,
    requestKey: extras.requestKey,
    expectedNewest: extras.expectedNewest,
  };
}
