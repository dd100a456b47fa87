import { CliError } from "../cli-error.js";
import type { OpenedRepository } from "./open-repository.js";

/**
 * The commit `ref` (any git revision: `HEAD`, a branch, a tag, a SHA or its prefix, `HEAD~1`) names in `repository`.
 *
 * @throws {CliError} when it names no commit there.
 */
export async function resolveRef(repository: OpenedRepository, ref: string, flag: string): Promise<string> {
  const commit = ref.startsWith("-") ? null : await repository.git.resolveRevision(ref);
  if (commit === null) {
    throw new CliError(`${flag} ${JSON.stringify(ref)} names no commit in ${repository.label}`);
  }
  return commit;
}
