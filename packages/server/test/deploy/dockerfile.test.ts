import { globToRegExp } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { cliInvocationProblems, listFiles, readRepoFile, repoHas } from "./repo-files.js";

// The Dockerfile, read the way the builder reads it: no Docker engine runs here, so these tests check what can be
// checked without one (the build context, the sources of COPY, the CLI commands it runs, the runtime stage).

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions; continuation lines are joined and comments dropped. */
function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && pending === undefined)) {
      return;
    }
    const text = pending === undefined ? line : `${pending.text} ${line}`;
    const start = pending?.line ?? index + 1;
    if (text.endsWith("\\")) {
      pending = { text: text.slice(0, -1).trimEnd(), line: start };
      return;
    }
    pending = undefined;
    const [keyword = "", ...rest] = text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(" "), line: start });
  });
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [base = "", as, name] = instruction.args.split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      globalArgs.push(instruction);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The JSON array of an exec-form instruction (`["a", "b"]`). */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
    throw new Error(`expected the exec form ["..."], received ${args}`);
  }
  return parsed;
}

/** The packages an `apt-get install` of a RUN installs (words after `install` that are not flags, up to `&&`). */
function aptPackages(run: string): string[] {
  return [...run.matchAll(/apt-get install((?:\s+(?!&&)\S+)+)/g)].flatMap((match) =>
    (match[1] as string)
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith("-")),
  );
}

/** .dockerignore as Docker applies it: the last matching pattern wins, and a matched folder excludes its content. */
function createIgnore(text: string): { ignored(path: string): boolean; negates: boolean } {
  const patterns = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const glob = (negated ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
      return { negated, regexp: globToRegExp(glob) };
    });
  return {
    negates: patterns.some((pattern) => pattern.negated),
    ignored(path) {
      const segments = path.split("/");
      const prefixes = segments.map((_, index) => segments.slice(0, index + 1).join("/"));
      let ignored = false;
      for (const { negated, regexp } of patterns) {
        if (prefixes.some((prefix) => regexp.test(prefix))) {
          ignored = !negated;
        }
      }
      return ignored;
    },
  };
}

const dockerfile = parseDockerfile(readRepoFile("Dockerfile"));
const runtime = dockerfile.stages[dockerfile.stages.length - 1] as Stage;
const ignore = createIgnore(readRepoFile(".dockerignore"));
const context = listFiles("", (path) => path === ".git" || (!ignore.negates && ignore.ignored(path))).filter(
  (path) => !ignore.ignored(path),
);

const of = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);
const last = (stage: Stage, keyword: string): Instruction | undefined => of(stage, keyword).at(-1);

/** Sources of a COPY (all but the destination), without its flags; `from` is the --from stage, if any. */
function copySources(instruction: Instruction): { from: string | undefined; sources: string[] } {
  const words = instruction.args.split(/\s+/);
  const from = words.find((word) => word.startsWith("--from="))?.slice("--from=".length);
  const paths = words.filter((word) => !word.startsWith("--"));
  return { from, sources: paths.slice(0, -1).map((path) => path.replace(/^\.\//, "").replace(/\/+$/, "")) };
}

describe("Dockerfile", () => {
  it("copies only paths of the repository that the build context holds", () => {
    const copies = dockerfile.stages.flatMap((stage) => of(stage, "COPY").concat(of(stage, "ADD")));
    const local = copies.map(copySources).filter((copy) => copy.from === undefined);
    expect(local.length).toBeGreaterThan(0);
    for (const { sources } of local) {
      for (const source of sources) {
        expect(repoHas(source), `${source} exists`).toBe(true);
        expect(
          context.some((path) => path === source || path.startsWith(`${source}/`)),
          `${source} is in the build context (.dockerignore)`,
        ).toBe(true);
      }
    }
  });

  it("takes every file the build needs into its context, and nothing installed or built on the host", () => {
    for (const name of ["sdk", "sync", "server"]) {
      for (const file of ["package.json", "tsconfig.json", "tsup.config.ts", "src/index.ts"]) {
        expect(context, `packages/${name}/${file}`).toContain(`packages/${name}/${file}`);
      }
    }
    expect(context).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "tsconfig.base.json", "tsup.shared.ts"]),
    );
    expect(context).toContain("packages/server/src/cli.ts");
    expect(context.filter((path) => /(^|\/)(node_modules|dist|\.turbo)\//.test(path))).toEqual([]);
  });

  it("copies from earlier stages only", () => {
    dockerfile.stages.forEach((stage, index) => {
      const earlier = dockerfile.stages.slice(0, index).map((other) => other.name);
      for (const { from } of of(stage, "COPY").map(copySources)) {
        if (from !== undefined) {
          expect(earlier, `COPY --from=${from} in stage ${stage.name}`).toContain(from);
        }
      }
    });
  });

  it("starts from the Node.js LTS slim image, a version every package supports", () => {
    const nodeVersion = dockerfile.globalArgs.find(
      (arg) => arg.keyword === "ARG" && arg.args.startsWith("NODE_VERSION="),
    );
    const major = Number(nodeVersion?.args.split("=")[1]);
    expect(major).toBeGreaterThanOrEqual(24);
    expect(major % 2, "an even (LTS) major").toBe(0);
    for (const name of ["sdk", "sync", "server"]) {
      const engines = (JSON.parse(readRepoFile(`packages/${name}/package.json`)) as { engines: { node: string } })
        .engines.node;
      expect(engines).toBe(">=22.12");
    }
    for (const stage of dockerfile.stages) {
      expect(stage.base).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim$|^[a-z]+$/);
    }
    expect(runtime.base).toBe(`node:\${NODE_VERSION}-bookworm-slim`);
  });

  it("installs git and openssh-client in the runtime stage, and no compiler, no downloader, no npm install", () => {
    const runs = of(runtime, "RUN").map((run) => run.args);
    const packages = runs.flatMap(aptPackages);
    expect(packages).toEqual(expect.arrayContaining(["git", "openssh-client"]));
    for (const forbidden of ["gcc", "g++", "make", "python3", "build-essential", "curl", "wget", "unzip"]) {
      expect(packages).not.toContain(forbidden);
    }
    expect(runs.join("\n")).not.toMatch(/\bnpm (ci|install)\b/);
  });

  it("compiles better-sqlite3 in the stage that installs the production dependencies, with the compilers", () => {
    const production = dockerfile.stages.find((stage) =>
      of(stage, "RUN").some((run) => /npm ci .*--omit=dev .*--workspace=@iac\/server/.test(run.args)),
    );
    expect(production?.name).toBeDefined();
    expect(of(production as Stage, "RUN").flatMap((run) => aptPackages(run.args))).toEqual(
      expect.arrayContaining(["python3", "make", "g++"]),
    );
    expect(of(runtime, "COPY").map(copySources)).toContainEqual({ from: production?.name, sources: ["/app"] });
  });

  it("runs as an unprivileged user", () => {
    const user = last(runtime, "USER")?.args.split(":")[0];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
  });

  it("checks its health and starts with commands of the CLI", async () => {
    const healthcheck = last(runtime, "HEALTHCHECK")?.args ?? "";
    const probe = execForm(healthcheck.slice(healthcheck.indexOf("CMD") + "CMD".length).trim());
    expect(probe).toEqual(["iac-runner", "healthcheck"]);
    expect(await cliInvocationProblems(probe.slice(1))).toEqual([]);

    const entrypoint = execForm(last(runtime, "ENTRYPOINT")?.args ?? "");
    expect(entrypoint.at(-1)).toBe("iac-runner");
    const command = execForm(last(runtime, "CMD")?.args ?? "");
    expect(command).toEqual(["serve"]);
    expect(await cliInvocationProblems(command)).toEqual([]);
  });

  it("puts iac-runner on the PATH as the CLI the server package declares", () => {
    const { bin } = JSON.parse(readRepoFile("packages/server/package.json")) as { bin: Record<string, string> };
    const cli = `/app/packages/server/${(bin["iac-runner"] as string).replace(/^\.\//, "")}`;
    expect(of(runtime, "RUN").map((run) => run.args)).toContainEqual(
      expect.stringContaining(`ln -s ${cli} /usr/local/bin/iac-runner`),
    );
    // The tree copied to /app is the production stage's, which checks that this file runs.
    expect(dockerfile.stages.flatMap((stage) => of(stage, "RUN")).map((run) => run.args)).toContainEqual(
      expect.stringContaining(`node ${cli.replace("/app/", "")} --version`),
    );
  });

  it("keeps IAC_DATA_DIR on a volume the unprivileged user owns, and exposes the port the server listens on", () => {
    const env = of(runtime, "ENV")
      .map((instruction) => instruction.args)
      .join(" ");
    expect(env).toMatch(/\bIAC_DATA_DIR=\/data\b/);
    expect(env).toMatch(/\bPORT=8080\b/);
    expect(execForm(last(runtime, "VOLUME")?.args ?? "")).toEqual(["/data"]);
    const volumeAt = runtime.instructions.findIndex((instruction) => instruction.keyword === "VOLUME");
    const chownAt = runtime.instructions.findIndex((instruction) => /chown node:node \/data/.test(instruction.args));
    expect(chownAt).toBeGreaterThan(-1);
    expect(chownAt, "the chown comes before VOLUME, which would discard it").toBeLessThan(volumeAt);
    expect(last(runtime, "USER")?.args).toBe("node");
    expect(last(runtime, "EXPOSE")?.args).toBe("8080");
  });

  it("labels the image with the OCI annotations", () => {
    const labels = of(runtime, "LABEL")
      .map((instruction) => instruction.args)
      .join(" ");
    for (const key of ["title", "description", "source", "licenses", "version", "revision", "created"]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    const { license } = JSON.parse(readRepoFile("package.json")) as { license: string };
    expect(labels).toContain(`org.opencontainers.image.licenses="${license}"`);
  });
});
