import type { ServiceCatalog } from "@iac/sync";
import type { GitReader } from "../../git/git-reader.js";
import { describeProblems, inspectCommit } from "../../inspect-commit.js";
import { CliError } from "../cli-error.js";

/**
 * The catalog of `commit`, as the runner would load it.
 *
 * @throws {CliError} naming the first problem of an invalid `iac.config.yaml` or service layout (and how many more
 * there are: `iac-runner validate` lists them all).
 */
export async function loadCommitCatalog(git: GitReader, commit: string): Promise<ServiceCatalog> {
  const inspection = await inspectCommit(git, commit);
  if (inspection.catalog !== null) {
    return inspection.catalog;
  }
  const problems = describeProblems(inspection);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new CliError(
    `the repository at ${commit.slice(0, 12)} is invalid: ${problems[0] ?? "unknown problem"}${more}; iac-runner validate --ref ${commit.slice(0, 12)} lists every problem`,
    { details: problems, json: { error: "invalid configuration", commit, problems } },
  );
}
