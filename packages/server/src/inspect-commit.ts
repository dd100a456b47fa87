import {
  CONFIG_FILE,
  type ConfigProblem,
  type ServiceCatalog,
  type ServiceProblem,
  validateConfigText,
  validateServices,
} from "@iac/sync";
import type { GitMirror } from "./types.js";

/** `iac.config.yaml` and the services of one commit, or every problem that keeps them from being used. */
export interface CommitInspection {
  commit: string;
  /** Whether the commit has an `iac.config.yaml` (without one the defaults apply). */
  hasConfig: boolean;
  /** Problems of `iac.config.yaml` (its text and values); services are not discovered while there are any. */
  configProblems: readonly ConfigProblem[];
  /** Problems that make the services ambiguous (duplicate names, `files` outside the repository). */
  serviceProblems: readonly ServiceProblem[];
  /** The catalog the runner would use, or null when there is any problem. */
  catalog: ServiceCatalog | null;
}

/**
 * Reads `iac.config.yaml` and the file list of `commit` from the git object store and runs the runner's own rules on
 * them (`validateConfigText`, `validateServices`: the rules behind `parseConfig` and `discoverServices`), collecting
 * every problem instead of stopping at the first.
 */
export async function inspectCommit(
  git: Pick<GitMirror, "readFile" | "listFiles">,
  commit: string,
): Promise<CommitInspection> {
  const [bytes, files] = await Promise.all([git.readFile(commit, CONFIG_FILE), git.listFiles(commit)]);
  const base = { commit, hasConfig: bytes !== null };
  const config = validateConfigText(bytes === null ? undefined : new TextDecoder().decode(bytes));
  if (!config.ok) {
    return { ...base, configProblems: config.problems, serviceProblems: [], catalog: null };
  }
  const services = validateServices(files, config.config);
  return { ...base, configProblems: [], serviceProblems: services.problems, catalog: services.catalog };
}

/** Every problem of an inspection, one line each: `<key path or file>: <message>`. */
export function describeProblems(inspection: CommitInspection): string[] {
  return [
    ...inspection.configProblems.map((problem) => `${problem.keyPath || "iac.config.yaml"}: ${problem.message}`),
    ...inspection.serviceProblems.map((problem) => `${problem.path}: ${problem.message}`),
  ];
}
