import { type CatalogIssue, CONFIG_FILE, type ConfigProblem, type ServiceProblem } from "@iac/sync";

/** A problem or warning of `iac-runner validate`, located in `iac.config.yaml` or in the repository tree. */
export interface Finding {
  /** `iac.config.yaml`, a service folder, or a file of a service. */
  file: string;
  /** The key path in `iac.config.yaml` (`services.pg.vault[0]`), when the finding is in it. */
  keyPath: string | null;
  /** 1-based line and column in `file`, when known. */
  line: number | null;
  column: number | null;
  /** A machine code for findings that have one (`duplicate_service`, `missing_compose`, ...). */
  code: string | null;
  message: string;
}

/**
 * `file:line:column: keyPath: message`, the one line a finding is printed as; a message that starts with its own
 * location (discovery's "platform/03.wip is not a service: …") is not prefixed with it twice.
 */
export function formatFinding(finding: Finding): string {
  const { file, keyPath, line, column, message } = finding;
  const at = line === null ? "" : `:${line}${column === null ? "" : `:${column}`}`;
  const key = keyPath === null || keyPath === "" ? "" : `${keyPath}: `;
  if (message.startsWith(`${keyPath ?? file} `)) {
    return keyPath === null ? message : `${file}${at}: ${message}`;
  }
  return `${file}${at}: ${key}${message}`;
}

/** A problem of the text or values of `iac.config.yaml`. */
export function configFinding(problem: ConfigProblem): Finding {
  const { keyPath, line, column, message } = problem;
  return { file: CONFIG_FILE, keyPath, line, column, code: null, message };
}

/** A duplicate service (at its folder) or a `files` glob outside the repository (at its key path). */
export function serviceFinding(problem: ServiceProblem): Finding {
  const inConfig = problem.code === "files_outside_repository";
  return {
    file: inConfig ? CONFIG_FILE : problem.path,
    keyPath: inConfig ? problem.path : null,
    line: null,
    column: null,
    code: problem.code,
    message: problem.message,
  };
}

/** A non-fatal finding of service discovery: a folder without compose file, or a config entry that matches nothing. */
export function issueFinding(issue: CatalogIssue): Finding {
  const inConfig = issue.code !== "missing_compose";
  return {
    file: inConfig ? CONFIG_FILE : issue.path,
    keyPath: inConfig ? issue.path : null,
    line: null,
    column: null,
    code: issue.code,
    message: issue.message,
  };
}

/** A finding in one file of the repository (a compose file, a file it mounts). */
export function fileFinding(file: string, code: string, message: string): Finding {
  return { file, keyPath: null, line: null, column: null, code, message };
}
