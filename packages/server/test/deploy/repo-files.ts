import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/run-cli.js";
import { captureIo } from "../helpers/capture-io.js";

/** The repository root, where the Dockerfile, deploy/ and examples/ live. */
export const REPO_ROOT: string = fileURLToPath(new URL("../../../../", import.meta.url));

/** Absolute path of a repository path written with `/`. */
export function repoPath(path: string): string {
  return join(REPO_ROOT, ...path.split("/"));
}

/** Whether a repository path exists. */
export function repoHas(path: string): boolean {
  return existsSync(repoPath(path));
}

/** The text of a repository file. */
export function readRepoFile(path: string): string {
  return readFileSync(repoPath(path), "utf8");
}

/**
 * Every file under a repository folder, as paths relative to it (`platform/01.postgres/compose.yaml`), sorted.
 * `skip(relativePath)` leaves a folder out without walking it.
 */
export function listFiles(folder: string, skip: (path: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(repoPath(relative === "" ? folder : `${folder}/${relative}`), {
      withFileTypes: true,
    })) {
      const path = relative === "" ? entry.name : posix.join(relative, entry.name);
      if (skip(path)) {
        continue;
      }
      if (entry.isDirectory()) {
        walk(path);
      } else {
        files.push(path);
      }
    }
  };
  walk("");
  return files.sort();
}

/**
 * Docker Compose interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}` and `$$`, with the values of `vars`. A required variable without a value throws, as compose does.
 */
export function interpolate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, colon?: string, operator?: string, operand?: string, bare?: string) => {
      if (match === "$$") {
        return "$";
      }
      const key = (name ?? bare) as string;
      const value = Object.hasOwn(vars, key) ? vars[key] : undefined;
      const missing = value === undefined || (colon === ":" && value === "");
      if (operator === "-") {
        return missing ? (operand ?? "") : (value as string);
      }
      if (operator === "?" && missing) {
        throw new Error(`required variable ${key} is missing a value: ${operand ?? ""}`);
      }
      return value ?? "";
    },
  );
}

/** Runs `iac-runner <args> --help` in-process: exit code and usage text. */
export async function cliHelp(args: readonly string[]): Promise<{ code: number; usage: string }> {
  const io = captureIo();
  const code = await runCli([...args, "--help"], io);
  return { code, usage: io.out + io.err };
}

/**
 * Checks that `iac-runner <command...>` names an existing command and that every `--flag` used appears in its
 * usage; returns the problems found (none when the invocation matches the CLI).
 */
export async function cliInvocationProblems(argv: readonly string[]): Promise<string[]> {
  const firstFlag = argv.findIndex((word) => word.startsWith("-"));
  const words = firstFlag === -1 ? argv : argv.slice(0, firstFlag);
  const flags = argv.filter((word) => word.startsWith("--")).map((flag) => flag.split("=")[0] as string);
  // `tag next`, `tag promote <staging-tag>`: a subcommand when the command has its own usage for it.
  const [command = "", sub] = words;
  const isSubcommand = sub !== undefined && /^[a-z][a-z-]*$/.test(sub) && (await cliHelp([command, sub])).code === 0;
  const path = isSubcommand ? [command, sub] : [command];
  const { code, usage } = await cliHelp(path);
  if (code !== 0 || !usage.includes(`Usage: iac-runner ${path.join(" ")}`)) {
    return [`iac-runner ${path.join(" ")} is not a command of the CLI (--help exits ${code})`];
  }
  return flags
    .filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(usage))
    .map((flag) => `iac-runner ${path.join(" ")} has no option ${flag}`);
}
