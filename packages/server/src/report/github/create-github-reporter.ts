import type { GithubReporterOptions, JobReporter, ReportMemo, SyncJob } from "../../types.js";
import { deploymentLink } from "../deployment-link.js";
import { ReportPartial, ReportRefused } from "../report-refused.js";
import { createGithubApi } from "./create-github-api.js";
import { describeDeployment, describeFinish, describeStart, type FinishedState, OUTCOMES } from "./describe-job.js";

/** The id of the job's GitHub deployment, as the memo keeps it (`{ deployment: 42 }`); undefined before there is one. */
function deploymentOf(memo: ReportMemo): number | undefined {
  if (typeof memo !== "object" || memo === null || Array.isArray(memo)) {
    return undefined;
  }
  const { deployment } = memo;
  return typeof deployment === "number" ? deployment : undefined;
}

function isFinished(state: SyncJob["state"]): state is FinishedState {
  return state in OUTCOMES;
}

/**
 * Reports jobs on GitHub: a commit status `iac-runner/<env>` on the job's commit (pending, then success, failure or
 * error) and a GitHub Deployment of that commit to the environment, with an in-progress status and then the outcome.
 * Redelivery is harmless: a status is set again to the same value, and the deployment is found again by its payload
 * (the job id) before one is created, so a crash between creating it and keeping the memo makes no second one.
 *
 * @example
 * const github = createGithubReporter({ token: process.env.GITHUB_TOKEN ?? "", repository: "acme/infra" });
 */
export function createGithubReporter(options: GithubReporterOptions): JobReporter {
  const api = createGithubApi(options);
  const linkOf = (job: SyncJob): string | undefined => deploymentLink(options.publicUrl, job.id);

  const deploymentFor = async (job: SyncJob, memo: ReportMemo): Promise<number> =>
    deploymentOf(memo) ?? (await api.findDeployment(job)) ?? (await api.createDeployment(job, describeDeployment(job)));

  /** Runs what follows the deployment; a retried failure keeps its id, so the next attempt neither looks nor makes. */
  const afterDeployment = async (deployment: number, work: () => Promise<void>): Promise<ReportMemo> => {
    try {
      await work();
    } catch (error) {
      if (error instanceof ReportRefused) {
        throw error;
      }
      throw new ReportPartial((error as Error).message, { deployment });
    }
    return { deployment };
  };

  return {
    name: "github",
    async deliver({ phase, job }, memo) {
      const link = linkOf(job);
      if (phase === "started") {
        const description = describeStart(job);
        await api.setCommitStatus(job, { state: "pending", description, link });
        const deployment = await deploymentFor(job, memo);
        return afterDeployment(deployment, () =>
          api.setDeploymentStatus(deployment, { state: "in_progress", description, link }),
        );
      }
      if (!isFinished(job.state)) {
        throw new ReportRefused(`[@iac/server] job ${job.id} was reported finished while it is ${job.state}`);
      }
      const outcome = OUTCOMES[job.state];
      const description = describeFinish(job, job.state);
      await api.setCommitStatus(job, { state: outcome.commit, description, link });
      const deployment = await deploymentFor(job, memo);
      return afterDeployment(deployment, () =>
        api.setDeploymentStatus(deployment, { state: outcome.deployment, description, link }),
      );
    },
  };
}
