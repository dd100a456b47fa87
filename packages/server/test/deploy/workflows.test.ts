import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliInvocationProblems, readRepoFile } from "./repo-files.js";

// examples/workflows: the release workflows of an infrastructure repository, the single source the READMEs point to.

interface Step {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  run?: string;
}

interface Job {
  permissions?: { contents?: string };
  environment?: string;
  steps: Step[];
}

interface Workflow {
  name: string;
  on: {
    push?: unknown;
    workflow_dispatch?: { inputs: { staging_tag?: { required: boolean }; confirm?: { required: boolean } } };
  };
  concurrency?: { group?: string; "cancel-in-progress"?: boolean } | string;
  permissions?: { contents?: string };
  jobs: Record<string, Job>;
}

const WORKFLOWS = ["platform-staging", "platform-production"] as const;

/** A GitHub Actions expression as a workflow writes it: `${{ <body> }}`. */
const expression = (body: string): string => `\${{ ${body} }}`;

function load(name: (typeof WORKFLOWS)[number]): Workflow {
  return parse(readRepoFile(`examples/workflows/${name}.yml`)) as Workflow;
}

const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);
const scripts = (workflow: Workflow): string[] => steps(workflow).flatMap((step) => step.run ?? []);

/** The arguments of every `iac-runner` call in a script, shell words unquoted, line continuations joined. */
function cliCalls(script: string): string[][] {
  return script
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .flatMap((line) => {
      const at = line.search(/\biac-runner\s/);
      if (at === -1) {
        return [];
      }
      const rest = (line.slice(at + "iac-runner".length).split(/\)|\||;|&&|>/)[0] ?? "").trim();
      return [[...rest.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? "")];
    });
}

const calls = (workflow: Workflow): string[][] => scripts(workflow).flatMap(cliCalls);
const deployCall = (workflow: Workflow): string[] | undefined => calls(workflow).find((args) => args[0] === "deploy");
const option = (args: readonly string[], name: string): string | undefined => args[args.indexOf(name) + 1];

describe.each(WORKFLOWS)("examples/workflows/%s.yml", (name) => {
  const workflow = load(name);

  it("parses as a workflow named after its file", () => {
    expect(workflow.name).toBe(name);
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
  });

  it("never interpolates an expression into a script: values reach the shell through env", () => {
    for (const script of scripts(workflow)) {
      expect(script).not.toContain("${{");
    }
    // What the event carries (inputs, branch names, commit messages) is never put anywhere near a script.
    const text = readRepoFile(`examples/workflows/${name}.yml`);
    for (const match of text.matchAll(/\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref)[^}]*\}\}/g)) {
      const line = text.slice(text.lastIndexOf("\n", match.index) + 1, text.indexOf("\n", match.index));
      expect(line, "an expression on an env line").toMatch(/^\s+[A-Z_]+: \$\{\{/);
    }
  });

  it("runs one release at a time and never cancels a deploy in progress", () => {
    expect(typeof workflow.concurrency).toBe("object");
    const concurrency = workflow.concurrency as { group?: string; "cancel-in-progress"?: boolean };
    expect(concurrency.group).toBe(name);
    expect(concurrency["cancel-in-progress"] ?? false).toBe(false);
  });

  it("may write contents only in the job that pushes tags", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(workflow.jobs)) {
      const pushes = job.steps.some((step) => /\bgit push\b/.test(step.run ?? ""));
      expect(job.permissions?.contents === "write").toBe(pushes);
    }
  });

  it("checks out every tag and sets up Node.js before it computes a tag", () => {
    const all = steps(workflow);
    const checkout = all.findIndex((step) => step.uses?.startsWith("actions/checkout@"));
    const setupNode = all.findIndex((step) => step.uses?.startsWith("actions/setup-node@"));
    const tagging = all.findIndex((step) => / iac-runner tag /.test(` ${step.run ?? ""}`));
    expect(checkout).toBeGreaterThan(-1);
    expect(all[checkout]?.with?.["fetch-depth"]).toBe(0);
    expect(setupNode).toBeGreaterThan(checkout);
    expect(tagging).toBeGreaterThan(setupNode);
  });

  it("calls only commands and options the CLI has", async () => {
    const found = calls(workflow);
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const args of found) {
      expect(await cliInvocationProblems(args), args.join(" ")).toEqual([]);
    }
  });

  it("pushes the tag, then deploys it and waits for the result, which fails the job when the deploy fails", () => {
    const deploy = deployCall(workflow) as string[];
    expect(deploy).toBeDefined();
    expect(deploy).toContain("--wait");
    expect(option(deploy, "--url")).toBe("$IAC_URL");
    expect(option(deploy, "--tag")).toBe("$TAG");
    const all = steps(workflow);
    const pushAt = all.findIndex((step) => /git push origin "refs\/tags\/\$TAG"/.test(step.run ?? ""));
    const deployStep = all.find((step) => step.run?.includes("iac-runner deploy"));
    expect(pushAt).toBeGreaterThan(-1);
    expect(all.indexOf(deployStep as Step)).toBeGreaterThan(pushAt);
    // The secret the CLI signs with, and the runner's URL, come from the repository's settings.
    expect(deployStep?.env).toMatchObject({
      WEBHOOK_SECRET: expression("secrets.IAC_WEBHOOK_SECRET"),
      IAC_URL: expression("vars.IAC_URL"),
      TAG: expression("steps.tag.outputs.tag"),
    });
  });
});

describe("examples/workflows/platform-staging.yml", () => {
  const workflow = load("platform-staging");

  it("tags every push to main with the next patch and deploys it to staging", () => {
    expect(workflow.on).toEqual({ push: { branches: ["main"] } });
    expect(calls(workflow)).toContainEqual(["tag", "next"]);
    expect(option(deployCall(workflow) ?? [], "--env")).toBe("staging");
  });
});

describe("examples/workflows/platform-production.yml", () => {
  const workflow = load("platform-production");

  it("runs by hand with a staging tag and a confirmation", () => {
    expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch"]);
    expect(workflow.on.workflow_dispatch?.inputs.staging_tag?.required).toBe(true);
    expect(workflow.on.workflow_dispatch?.inputs.confirm?.required).toBe(true);
  });

  it("checks the inputs before anything else, through env", () => {
    const [first] = steps(workflow);
    expect(first?.env).toEqual({
      STAGING_TAG: expression("inputs.staging_tag"),
      CONFIRM: expression("inputs.confirm"),
    });
    expect(first?.run).toMatch(/if \[ "\$CONFIRM" != "deploy" \]; then/);
    expect(first?.run).toMatch(/\$STAGING_TAG" =~ \$semver/);
  });

  it("promotes the staging tag and deploys the production tag to production", () => {
    expect(calls(workflow)).toContainEqual(["tag", "promote", "$STAGING_TAG"]);
    expect(option(deployCall(workflow) ?? [], "--env")).toBe("production");
    expect(scripts(workflow).join("\n")).toContain('git tag "$TAG" "refs/tags/$STAGING_TAG^{commit}"');
  });
});

describe("packages/server/README.md", () => {
  it("points to the example workflows instead of repeating them", () => {
    const readme = readRepoFile("packages/server/README.md");
    const section = readme.slice(readme.indexOf("## Release workflows"), readme.indexOf("## Embedding"));
    for (const name of WORKFLOWS) {
      expect(section).toContain(`(../../examples/workflows/${name}.yml)`);
    }
    expect(readme).not.toMatch(/^name: platform-/m);
  });
});
