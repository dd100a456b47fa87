import { parseArgs } from "node:util";
import { createDokployClient } from "@iac/sdk";
import { type JobPlan, PlanError, resolvePlan, type ServiceCatalog } from "@iac/sync";
import { isSyncError } from "../engine/sync-error.js";
import { inspectCommit } from "../inspect-commit.js";
import { CliError } from "./cli-error.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { createInputSource } from "./inspect/create-input-source.js";
import { formatPlan } from "./inspect/format-plan.js";
import { loadCommitCatalog } from "./inspect/load-commit-catalog.js";
import { openRepository } from "./inspect/open-repository.js";
import { previewService, type ServicePreview } from "./inspect/preview-service.js";
import { readOnlyDokploy } from "./inspect/read-only-dokploy.js";
import { readOperatorSettings } from "./inspect/read-operator-settings.js";
import { resolveRef } from "./inspect/resolve-ref.js";
import { syncFailure } from "./inspect/sync-failure.js";
import { useColor } from "./inspect/use-color.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { runGuarded } from "./run-guarded.js";
import { PLAN_USAGE } from "./usage.js";

/** Exit code when something would deploy: scripts tell "changes" from "failed" (`terraform plan -detailed-exitcode`). */
const EXIT_CHANGES = 2;

function isUsageFailure(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
}

function summarize(previews: readonly ServicePreview[]): Record<"create" | "update" | "skip" | "error", number> {
  const count = (action: string | null) => previews.filter((preview) => preview.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    skip: count("skip"),
    error: previews.filter((preview) => preview.error !== null).length,
  };
}

function planFor(catalog: ServiceCatalog, commit: string, env: string, changedPaths: string[] | null): JobPlan {
  try {
    return resolvePlan({
      request: changedPaths === null ? { trigger: "sync", env } : { trigger: "webhook", env, changedPaths },
      commit,
      catalog,
    });
  } catch (error) {
    if (error instanceof PlanError) {
      throw new CliError(`${error.message} (--env, default DEPLOY_ENV or staging)`, {
        json: { error: error.message, code: error.code, ...error.details },
      });
    }
    throw error;
  }
}

async function runPlan(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      env: { type: "string" },
      ref: { type: "string", default: "HEAD" },
      since: { type: "string" },
      repo: { type: "string", default: "." },
      ...OUTPUT_FLAGS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(PLAN_USAGE);
    return 0;
  }
  return runGuarded(io, values, async () => {
    const settings = await readOperatorSettings(io.env, { dokploy: true });
    const dokployOptions = settings.dokploy as NonNullable<typeof settings.dokploy>;
    const repository = await openRepository(values.repo, { allowRemote: true });
    try {
      const { git } = repository;
      const commit = await resolveRef(repository, values.ref, "--ref");
      const since = values.since === undefined ? null : await resolveRef(repository, values.since, "--since");
      const catalog = await loadCommitCatalog(git, commit);
      const env = values.env ?? settings.deployEnv;
      const plan = planFor(catalog, commit, env, since === null ? null : await git.diffPaths(since, commit));
      const catalogs = new Map<string, Promise<ServiceCatalog | null>>();
      const context = {
        git,
        dokploy: readOnlyDokploy(createDokployClient(dokployOptions)),
        source: createInputSource(git, settings),
        settings,
        commit,
        env,
        environment: plan.environment,
        catalogAt(at: string): Promise<ServiceCatalog | null> {
          const cached = catalogs.get(at) ?? inspectCommit(git, at).then((inspection) => inspection.catalog);
          catalogs.set(at, cached);
          return cached;
        },
      };
      const previews: ServicePreview[] = [];
      for (const { service, reason } of plan.services) {
        previews.push(
          await previewService(context, service, reason).catch((error: unknown) => {
            throw isSyncError(error) ? syncFailure(error, []) : error;
          }),
        );
      }
      const summary = summarize(previews);
      const changes = summary.create + summary.update > 0;
      if (values.json) {
        const document = {
          env,
          ref: values.ref,
          commit,
          since: since === null ? null : { ref: values.since, commit: since },
          changes,
          summary,
          services: previews,
          skipped: plan.skipped,
        };
        io.stdout(`${JSON.stringify(document, null, 2)}\n`);
      } else {
        const scope =
          since === null ? "every automatic service" : `services changed since ${since.slice(0, 12)} (${values.since})`;
        const counts = `${summary.create + summary.update} to deploy (${summary.create} create, ${summary.update} update), ${summary.skip} up to date${summary.error > 0 ? `, ${summary.error} failed` : ""}`;
        const body = previews.length === 0 ? "no service to plan\n" : formatPlan(previews, useColor(io));
        io.stdout(`Plan for ${env} at ${commit.slice(0, 12)} (${values.ref}), ${scope}:\n\n${body}\n${counts}\n`);
      }
      for (const preview of previews) {
        if (preview.error !== null) {
          io.stderr(`iac-runner: ${preview.service}: ${preview.error.message}\n`);
        }
      }
      return summary.error > 0 ? 1 : changes ? EXIT_CHANGES : 0;
    } finally {
      await repository.close();
    }
  });
}

/**
 * `iac-runner plan`: the dry run of a sync. For each automatic service (or those changed since `--since`), whether a
 * sync would create, update or skip it, the hash stored in Dokploy and the new one, and which inputs changed since the
 * commit Dokploy last deployed; nothing in Dokploy is created or changed. Exit 0 when nothing would deploy, 2 when
 * something would, 1 on any error, usage errors included (2 must keep meaning "changes" for scripts).
 */
export async function planCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await runPlan(args, io);
  } catch (error) {
    if (isUsageFailure(error)) {
      io.stderr(`iac-runner: ${error.message}\n\n${PLAN_USAGE}`);
      return 1;
    }
    throw error;
  }
}
