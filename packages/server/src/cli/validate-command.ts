import { parseArgs } from "node:util";
import { isSyncable } from "@iac/sync";
import { inspectCommit } from "../inspect-commit.js";
import type { CliIo } from "./cli-io.js";
import { describeService, type ServiceReport } from "./inspect/describe-service.js";
import { configFinding, type Finding, formatFinding, issueFinding, serviceFinding } from "./inspect/findings.js";
import { formatCatalog } from "./inspect/format-catalog.js";
import { openRepository } from "./inspect/open-repository.js";
import { resolveRef } from "./inspect/resolve-ref.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { runGuarded } from "./run-guarded.js";
import { VALIDATE_USAGE } from "./usage.js";

function printFindings(io: CliIo, findings: readonly Finding[], prefix: string): void {
  io.stderr(findings.map((finding) => `iac-runner: ${prefix}${formatFinding(finding)}\n`).join(""));
}

/**
 * `iac-runner validate`: offline, reads `iac.config.yaml` and the tree of a commit from a local clone's object store,
 * applies the runner's rules and prints the service catalog, or every problem with its location. Exit 0 valid, 1 when
 * there is any problem (or the repository cannot be read), 2 on a usage error.
 */
export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { repo: { type: "string", default: "." }, ref: { type: "string", default: "HEAD" }, ...OUTPUT_FLAGS },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  return runGuarded(io, values, async () => {
    const repository = await openRepository(values.repo, { allowRemote: false });
    // A local clone: closing removes nothing, but keeps the contract of openRepository.
    await repository.close();
    const commit = await resolveRef(repository, values.ref, "--ref");
    const inspection = await inspectCommit(repository.git, commit);
    // Problems come in the order the rules run; people read a file top to bottom.
    const byPosition = [...inspection.configProblems].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    );
    const problems: Finding[] = [...byPosition.map(configFinding), ...inspection.serviceProblems.map(serviceFinding)];
    const warnings: Finding[] = [];
    const services: ServiceReport[] = [];
    const { catalog } = inspection;
    if (catalog !== null) {
      warnings.push(...catalog.issues.map(issueFinding));
      const environments = Object.keys(catalog.config.environments);
      for (const service of catalog.services) {
        const described = await describeService(repository.git, commit, service, {
          syncable: isSyncable(service),
          environments,
        });
        services.push(described.report);
        problems.push(...described.problems);
        warnings.push(...described.warnings);
      }
    }
    const valid = problems.length === 0;
    if (values.json) {
      const document = {
        valid,
        ref: values.ref,
        commit,
        hasConfig: inspection.hasConfig,
        environments: catalog === null ? null : catalog.config.environments,
        services: catalog === null ? null : services,
        problems,
        warnings,
      };
      io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    } else if (valid && catalog !== null) {
      const synced = services.filter((service) => service.syncable).length;
      const file = inspection.hasConfig ? "iac.config.yaml" : "no iac.config.yaml (the defaults apply)";
      io.stdout(
        `${file} at ${commit.slice(0, 12)} (${values.ref}): valid, ${services.length} ${services.length === 1 ? "service" : "services"} (${synced} synced on push), environments ${Object.keys(catalog.config.environments).join(", ")}\n\n${formatCatalog(services)}`,
      );
    }
    printFindings(io, problems, "");
    printFindings(io, warnings, "warning: ");
    if (!valid && !values.json) {
      io.stderr(
        `iac-runner: ${problems.length} ${problems.length === 1 ? "problem" : "problems"} at ${commit.slice(0, 12)} (${values.ref})\n`,
      );
    }
    return valid ? 0 : 1;
  });
}
