import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGithubReporter } from "../../../src/report/github/create-github-reporter.js";
import type { GithubReporterOptions, JobReporter, ReportMemo, SyncJob } from "../../../src/types.js";
import { type FakeGithub, serveFakeGithub } from "../../helpers/fake-github.js";
import { COMMIT_A } from "../../store/store-fixtures.js";
import { reportJob, reportOf, type ServiceOutcome } from "../report-fixtures.js";

const PUBLIC_URL = "https://iac.example.com/iac";
const JOB_ID = "7f2c0e4a-1111-4222-8333-944455556666";
const STATUSES = `/repos/acme/infra/statuses/${COMMIT_A}`;

let github: FakeGithub;

beforeEach(async () => {
  github = await serveFakeGithub();
});

afterEach(() => github.close());

function reporter(options: Partial<GithubReporterOptions> = {}): JobReporter {
  return createGithubReporter({
    token: github.token,
    repository: "acme/infra",
    apiUrl: github.apiUrl,
    // Trailing slashes are dropped from the links.
    publicUrl: `${PUBLIC_URL}//`,
    ...options,
  });
}

/** Delivers `started` for the running `job`, then `finished` for `finished`, as the reporter loop does. */
async function deliverBoth(github: JobReporter, started: SyncJob, finished: SyncJob): Promise<ReportMemo> {
  const memo = await github.deliver(reportOf("started", started), null);
  return github.deliver(reportOf("finished", finished), memo);
}

const route = (call: { method: string; path: string }): string => `${call.method} ${call.path}`;

describe("createGithubReporter", () => {
  it("is named github", () => {
    expect(reporter().name).toBe("github");
  });

  it("marks the commit pending and opens an in-progress deployment when a job starts", async () => {
    const memo = await reporter().deliver(reportOf("started", reportJob()), null);

    expect(memo).toEqual({ deployment: 1000 });
    expect(github.calls.map(route)).toEqual([
      `POST ${STATUSES}`,
      "GET /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments/1000/statuses",
    ]);
    expect(github.calls[0]?.body).toEqual({
      state: "pending",
      context: "iac-runner/staging",
      description: `deploying api, web (job ${JOB_ID})`,
      target_url: `${PUBLIC_URL}/deployments/${JOB_ID}`,
    });
    expect(github.calls[1]?.query).toEqual({ sha: COMMIT_A, environment: "staging", per_page: "100" });
    expect(github.calls[2]?.body).toEqual({
      ref: COMMIT_A,
      environment: "staging",
      description: `push (job ${JOB_ID})`,
      auto_merge: false,
      required_contexts: [],
      production_environment: false,
      payload: { job: JOB_ID, trigger: "webhook", services: ["api", "web"] },
    });
    expect(github.calls[3]?.body).toEqual({
      state: "in_progress",
      description: `deploying api, web (job ${JOB_ID})`,
      log_url: `${PUBLIC_URL}/deployments/${JOB_ID}`,
    });
  });

  it("sends the token as the authorization of every request, with the API version and its user agent", async () => {
    await deliverBoth(reporter(), reportJob(), reportJob({ state: "succeeded" }));
    expect(github.calls.length).toBe(6);
    for (const call of github.calls) {
      expect(call.authorization).toBe(`token ${github.token}`);
      expect(call.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(call.headers["user-agent"]).toMatch(/^iac-runner\/\d+\.\d+\.\d+ /);
    }
  });

  it("reports a succeeded job as success on the commit and the deployment", async () => {
    const memo = await deliverBoth(reporter(), reportJob(), reportJob({ state: "succeeded" }));

    expect(memo).toEqual({ deployment: 1000 });
    expect(github.calls.slice(4).map(route)).toEqual([
      `POST ${STATUSES}`,
      "POST /repos/acme/infra/deployments/1000/statuses",
    ]);
    expect(github.statuses.at(-1)).toEqual({
      sha: COMMIT_A,
      state: "success",
      context: "iac-runner/staging",
      description: `deployed api, web (job ${JOB_ID})`,
      target_url: `${PUBLIC_URL}/deployments/${JOB_ID}`,
    });
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]?.statuses).toEqual([
      { state: "in_progress", description: `deploying api, web (job ${JOB_ID})`, log_url: expect.any(String) },
      {
        state: "success",
        description: `deployed api, web (job ${JOB_ID})`,
        log_url: `${PUBLIC_URL}/deployments/${JOB_ID}`,
      },
    ]);
  });

  it("reports a failed job as failure, naming the failed services and their error codes", async () => {
    const failed = reportJob({ state: "failed" }, [
      ["api", "succeeded"],
      ["web", "failed", "deploy_failed"],
      ["worker", "failed", "vault_secret_missing"],
    ]);
    await deliverBoth(reporter(), reportJob(), failed);

    const description = `failed: web (deploy_failed), worker (vault_secret_missing) (job ${JOB_ID})`;
    expect(github.statuses.at(-1)).toMatchObject({ state: "failure", description });
    expect(github.deployments[0]?.statuses.at(-1)).toMatchObject({ state: "failure", description });
  });

  it("cuts a long description to GitHub's 140 characters, keeping the job id", async () => {
    const services = Array.from(
      { length: 12 },
      (_, index): ServiceOutcome => [`service-${index}`, "failed", "dokploy_unreachable"],
    );
    const failed = reportJob({ state: "failed" }, services);
    await deliverBoth(reporter(), reportJob({}, []), failed);

    const description = github.statuses.at(-1)?.description ?? "";
    expect(description).toHaveLength(140);
    expect(description).toMatch(/^failed: service-0 \(dokploy_unreachable\), .*… \(job 7f2c0e4a-[\w-]+\)$/);
    expect(github.deployments[0]?.statuses.at(-1)?.description).toBe(description);
  });

  it("reports a cancelled job as error, never leaving the commit pending", async () => {
    await deliverBoth(reporter(), reportJob(), reportJob({ state: "cancelled" }));

    expect(github.statuses.map((status) => status.state)).toEqual(["pending", "error"]);
    expect(github.statuses.at(-1)?.description).toBe(`cancelled: api, web (job ${JOB_ID})`);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress", "error"]);
  });

  it("reports a superseded job as error on the commit and inactive on the deployment, naming the newer job", async () => {
    const superseded = reportJob({ state: "superseded" });
    for (const service of superseded.services) {
      if (service.result !== null) {
        service.result.supersededBy = "newer-job";
      }
    }
    await deliverBoth(reporter(), reportJob(), superseded);

    expect(github.statuses.map((status) => status.state)).toEqual(["pending", "error"]);
    expect(github.statuses.at(-1)?.description).toBe(`superseded by job newer-job (job ${JOB_ID})`);
    expect(github.deployments[0]?.statuses.map((status) => status.state)).toEqual(["in_progress", "inactive"]);
  });

  it("says which job a rollback rolls back, on the commit and on the deployment", async () => {
    const rollback = { trigger: "rollback" as const, rollbackOf: "failed-job", triggeredBy: "iac-runner" };
    await deliverBoth(
      reporter(),
      reportJob(rollback, [["api", "running"]]),
      reportJob({ ...rollback, state: "succeeded" }, [["api", "succeeded"]]),
    );

    expect(github.deployments[0]).toMatchObject({
      description: `rollback of job failed-job by iac-runner (job ${JOB_ID})`,
      payload: { job: JOB_ID, trigger: "rollback", services: ["api"], rollbackOf: "failed-job" },
    });
    expect(github.statuses.map((status) => status.description)).toEqual([
      `rolling back job failed-job: deploying api (job ${JOB_ID})`,
      `rolled back job failed-job: deployed api (job ${JOB_ID})`,
    ]);
  });

  it("says which job a failed rollback was rolling back", async () => {
    const rollback = { trigger: "rollback" as const, rollbackOf: "failed-job" };
    await deliverBoth(
      reporter(),
      reportJob(rollback, [["api", "running"]]),
      reportJob({ ...rollback, state: "failed" }, [["api", "failed", "deploy_timeout"]]),
    );

    expect(github.statuses.at(-1)).toMatchObject({
      state: "failure",
      description: `rollback of job failed-job failed: api (deploy_timeout) (job ${JOB_ID})`,
    });
  });

  it("describes a deploy by its tag and the staging tag it promotes, to a production deployment", async () => {
    const deploy = {
      env: "production",
      trigger: "deploy" as const,
      tag: "v1.4.0",
      promotedFrom: "staging-2026.01.01-1",
      triggeredBy: "alice",
    };
    await reporter().deliver(reportOf("started", reportJob(deploy)), null);

    expect(github.deployments[0]).toMatchObject({
      environment: "production",
      production_environment: true,
      description: `deploy of tag v1.4.0, promoted from staging-2026.01.01-1 by alice (job ${JOB_ID})`,
    });
    expect(github.statuses[0]?.context).toBe("iac-runner/production");
  });

  it("finds its deployment again when started is delivered twice, and makes no second one", async () => {
    // Another job's deployment of the same commit and environment is not taken for this job's.
    await reporter().deliver(reportOf("started", reportJob({ id: "other-job" })), null);
    const first = await reporter().deliver(reportOf("started", reportJob()), null);
    // The memo was lost (a crash before it was kept): started is delivered again with none, by a new process.
    const again = await reporter().deliver(reportOf("started", reportJob()), null);

    expect(first).toEqual({ deployment: 1001 });
    expect(again).toEqual({ deployment: 1001 });
    expect(github.deployments.map((deployment) => deployment.id)).toEqual([1000, 1001]);
    expect(github.calls.slice(-3).map(route)).toEqual([
      `POST ${STATUSES}`,
      "GET /repos/acme/infra/deployments",
      "POST /repos/acme/infra/deployments/1001/statuses",
    ]);
  });
});
