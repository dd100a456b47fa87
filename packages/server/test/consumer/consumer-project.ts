import { type ChildProcess, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../../../../", import.meta.url));
const PACKAGES = ["sdk", "sync", "server"] as const;
const FIXTURES = fileURLToPath(new URL("./project/", import.meta.url));
// What a tester adds next to the packages, at the versions the workspace has (so the npm cache serves them).
const TESTER_DEV_DEPENDENCIES = ["msw", "ajv", "ajv-formats", "@types/node"];

/** One tarball made by `npm pack`. */
export interface PackedPackage {
  name: string;
  file: string;
  /** Compressed bytes. */
  size: number;
  /** Paths inside the tarball, relative to `package/`. */
  files: string[];
}

/** What a production install (`--omit=dev`) put on disk. */
export interface InstallFootprint {
  bytes: number;
  /** Every installed package, by name (nested copies included). */
  packages: string[];
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A process that printed a JSON line with its `url` when ready, running until `stop()`. */
export interface StartedProcess {
  ready: unknown;
  /** Every line it wrote to stdout so far (its logs among them). */
  lines(): readonly string[];
  stop(): Promise<void>;
}

/** A fresh project outside the repository with the packed packages installed, as a user of them has it. */
export interface ConsumerProject {
  dir: string;
  packed: PackedPackage[];
  production: InstallFootprint;
  /** Runs `command` in the project with `env` added to this process's environment. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Runs this Node.js binary (the one running the tests) in the project. */
  node(args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Runs the installed `iac-runner` with exactly `env`, as a service manager starts it. */
  cli(args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Starts a long-running Node.js script of the project with exactly `env` and waits for its first line. */
  start(args: string[], env?: Record<string, string>): Promise<StartedProcess>;
  remove(): void;
}

// npm tells the scripts it runs where their project is (prefix, package, lifecycle): the tools started here must not
// take the repository for their project. The rest (registry, cache, certificates) is kept.
const PROJECT_OF_CALLER = /^(npm_config_(local_)?prefix|npm_package_.*|npm_lifecycle_.*|INIT_CWD)$/i;

function inheritedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !PROJECT_OF_CALLER.test(name));
  return { ...Object.fromEntries(kept), ...extra };
}

function collect(child: ChildProcess): Promise<CommandResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function runIn(dir: string, command: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return collect(spawn(command, args, { cwd: dir, env: inheritedEnv(env), stdio: ["ignore", "pipe", "pipe"] }));
}

async function npm(dir: string, args: string[]): Promise<string> {
  const result = await runIn(dir, "npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"]);
  if (result.code !== 0) {
    throw new Error(`npm ${args.join(" ")} failed (${result.code}):\n${result.stderr}`);
  }
  return result.stdout;
}

async function pack(destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination);
  const packed: PackedPackage[] = [];
  for (const name of PACKAGES) {
    const [report] = JSON.parse(
      await npm(join(ROOT, "packages", name), ["pack", "--json", "--pack-destination", destination]),
    ) as { name: string; filename: string; size: number; files: { path: string }[] }[];
    if (report === undefined) {
      throw new Error(`npm pack of packages/${name} reported nothing`);
    }
    const files = report.files.map((file) => file.path);
    packed.push({ name: report.name, file: join(destination, report.filename), size: report.size, files });
  }
  return packed;
}

/** Sums the bytes of every file below `node_modules` and lists the packages installed there. */
export function measureInstall(nodeModules: string): InstallFootprint {
  return { bytes: bytesBelow(nodeModules), packages: packagesIn(nodeModules) };
}

function bytesBelow(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    bytes += entry.isDirectory() ? bytesBelow(path) : lstatSync(path).size;
  }
  return bytes;
}

// Packages are the folders of node_modules (`@scope/name` for scoped ones), and those of their own node_modules.
function packagesIn(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) {
    return [];
  }
  const names = readdirSync(nodeModules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(nodeModules, name)).map((child) => `${name}/${child}`) : [name],
    );
  return names.flatMap((name) => [name, ...packagesIn(join(nodeModules, name, "node_modules"))]);
}

function workspaceVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return `${name}@${manifest.version}`;
}

/**
 * Packs the three packages, installs the tarballs for production into a fresh project (install scripts off: no native
 * build of better-sqlite3; the checks use PostgreSQL), measures that install, then adds what a tester adds.
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), "iac-consumer-"));
  const dir = join(root, "app");
  try {
    const packed = await pack(join(root, "tarballs"));
    mkdirSync(dir);
    cpSync(FIXTURES, dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true, type: "module" })}\n`,
    );
    const tarballs = packed.map((item) => item.file);
    await npm(dir, ["install", "--omit=dev", "--ignore-scripts", ...tarballs]);
    const production = measureInstall(join(dir, "node_modules"));
    await npm(dir, ["install", "--save-dev", "--ignore-scripts", ...TESTER_DEV_DEPENDENCIES.map(workspaceVersion)]);

    const run = (command: string, args: string[], env?: Record<string, string>): Promise<CommandResult> =>
      runIn(dir, command, args, env);
    return {
      dir,
      packed,
      production,
      run,
      node: (args, env) => run(process.execPath, args, env),
      cli: (args, env) =>
        collect(
          spawn(process.execPath, [join(dir, "node_modules/@iac/server/dist/cli.js"), ...args], {
            cwd: dir,
            env: exactEnv(env ?? {}),
            stdio: ["ignore", "pipe", "pipe"],
          }),
        ),
      start: (args, env) => startIn(dir, args, env ?? {}),
      remove: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

// Exactly `env` (plus PATH and HOME): a runner's settings must not come from the caller's shell.
function exactEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH = "", HOME = "" } = process.env;
  return { PATH, HOME, ...env };
}

function startIn(dir: string, args: string[], env: Record<string, string>): Promise<StartedProcess> {
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: exactEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = collect(child);
  const stop = async (): Promise<void> => {
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    // Its logs share stdout: the ready line is the first one that carries a url.
    const seen: string[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      seen.push(line);
      const parsed = line.startsWith("{") ? (JSON.parse(line) as { url?: unknown }) : undefined;
      if (typeof parsed?.url === "string") {
        resolve({ ready: parsed, lines: () => [...seen], stop });
      }
    });
    exited.then(
      (result) => reject(new Error(`${args.join(" ")} exited (${result.code}) before it was ready:\n${result.stderr}`)),
      reject,
    );
  });
}
