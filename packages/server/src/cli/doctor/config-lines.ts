import type { CheckResult } from "./check-result.js";
import type { DoctorSettings } from "./read-doctor-settings.js";

const NAME = "configuration";

/** The configuration lines of doctor: one per missing or invalid variable, or one saying where it was read from. */
export function configLines(read: DoctorSettings): CheckResult[] {
  if (read.problems.length === 0) {
    const from = read.secretsFile === undefined ? "the environment" : `the environment and ${read.secretsFile}`;
    const env = read.settings === undefined ? "" : `; DEPLOY_ENV ${read.settings.deployEnv}`;
    return [{ name: NAME, status: "ok", message: `valid, read from ${from}${env}` }];
  }
  const where =
    read.secretsFile === undefined ? "the environment (or the secrets file)" : `the environment or ${read.secretsFile}`;
  return read.problems.map((problem) => ({
    name: NAME,
    status: "fail",
    message: problem.message,
    fix:
      problem.variable === "IAC_SECRETS_FILE"
        ? "fix the path in IAC_SECRETS_FILE, or make the file readable by the runner's user"
        : `${problem.message.includes(" is required") ? "set" : "correct"} ${problem.variable} in ${where}; see the README's Configuration table`,
  }));
}
