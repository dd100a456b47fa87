import { parseArgs } from "node:util";
import { configHashDigests, findService, isSyncable } from "@iac/sync";
import { readServiceInputs } from "../engine/read-service-inputs.js";
import { isSyncError } from "../engine/sync-error.js";
import { noopLogger } from "../logging/noop-logger.js";
import { CliError } from "./cli-error.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { createInputSource, secretsProblem } from "./inspect/create-input-source.js";
import { formatEnvEntry } from "./inspect/format-catalog.js";
import { type Cell, formatTable } from "./inspect/format-table.js";
import { loadCommitCatalog } from "./inspect/load-commit-catalog.js";
import { openRepository } from "./inspect/open-repository.js";
import { readOperatorSettings } from "./inspect/read-operator-settings.js";
import { resolveRef } from "./inspect/resolve-ref.js";
import { selectEnvironment } from "./inspect/select-environment.js";
import { syncFailure } from "./inspect/sync-failure.js";
import { useColor } from "./inspect/use-color.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { runGuarded } from "./run-guarded.js";
import { HASH_USAGE } from "./usage.js";

/**
 * `iac-runner hash <service>`: the config hash of one service at a commit, as the runner would record it, and the
 * digest of every input that went into it (Vault values are never printed). Exit 0, 1 on a failure, 2 on a usage
 * error.
 */
export async function hashCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      env: { type: "string" },
      ref: { type: "string", default: "HEAD" },
      repo: { type: "string", default: "." },
      ...OUTPUT_FLAGS,
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(HASH_USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) {
    throw new UsageError(`expected one service, received ${positionals.length} arguments`, HASH_USAGE);
  }
  return runGuarded(io, values, async () => {
    const settings = await readOperatorSettings(io.env, { dokploy: false });
    const repository = await openRepository(values.repo, { allowRemote: false });
    await repository.close();
    const commit = await resolveRef(repository, values.ref, "--ref");
    const catalog = await loadCommitCatalog(repository.git, commit);
    const service = findService(catalog, name);
    if (service === undefined) {
      const known = catalog.services.map((each) => each.name);
      throw new CliError(
        `unknown service ${JSON.stringify(name)} at ${commit.slice(0, 12)}: expected one of ${known.join(", ") || "(none)"}`,
      );
    }
    const { env, environment } = selectEnvironment(catalog, values.env ?? settings.deployEnv);
    const problem = secretsProblem(service, settings);
    if (problem !== undefined) {
      throw problem;
    }
    const source = createInputSource(repository.git, settings);
    const inputs = await readServiceInputs(source, { commit, env, environment, service }, noopLogger).catch(
      (error: unknown) => {
        throw isSyncError(error) ? syncFailure(error, [], `${service.name}: `) : error;
      },
    );
    const digests = configHashDigests(inputs.hashInput);
    const document = {
      service: service.name,
      folder: service.folder,
      syncable: isSyncable(service),
      env,
      ref: values.ref,
      commit,
      hash: digests.hash,
      inputs: {
        compose: { path: service.compose, digest: digests.compose },
        files: Object.entries(digests.files).map(([path, digest]) => ({ path, digest })),
        env: Object.entries(inputs.env).map(([key, value]) => ({ key, value, digest: digests.env[key] ?? "" })),
        secrets: Object.entries(digests.secrets).map(([key, digest]) => ({ key, digest })),
      },
    };
    if (values.json) {
      io.stdout(`${JSON.stringify(document, null, 2)}\n`);
      return 0;
    }
    const rows: Cell[][] = [
      [{ text: "compose" }, { text: service.compose }, { text: digests.compose, style: "dim" }],
      ...document.inputs.files.map((file): Cell[] => [
        { text: "file" },
        { text: file.path },
        { text: file.digest, style: "dim" },
      ]),
      ...document.inputs.env.map((entry): Cell[] => [
        { text: "env" },
        { text: formatEnvEntry(entry.key, entry.value) },
        { text: entry.digest, style: "dim" },
      ]),
      ...document.inputs.secrets.map((secret): Cell[] => [
        { text: "vault" },
        { text: secret.key },
        { text: secret.digest, style: "dim" },
      ]),
    ];
    io.stdout(
      `${service.name} (${service.folder}) in ${env} at ${commit.slice(0, 12)} (${values.ref}): ${digests.hash}\n\n${formatTable(["INPUT", "NAME", "DIGEST"], rows, useColor(io))}`,
    );
    return 0;
  });
}
