// The demo: a real git repository, the runner in-process, and the test kit's Dokploy and Vault behind msw.
// It walks through what a platform team sees in its first hour: a dry-run plan, a first push, a change to one file,
// a redelivery, a push that changes nothing deployable, a secret rotation, a push to the bootstrap layer, a replayed
// old push, a tagged production deploy, and a broken release rolled back automatically, with what GitHub shows.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createFakeDokploy, createFakeVault } from "@iac/sdk/testing";
import { sign, signRequest } from "@iac/sync";
import { http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { runCli } from "../src/cli/run-cli.js";
import { createGitMirror, createRunner, createSqliteStore, createSyncEngine, loadSettings } from "../src/index.js";
import { serveFakeGithub } from "../test/helpers/fake-github.js";

const SECRET = "demo-webhook-secret";
const ZERO = "0".repeat(40);

const work = mkdtempSync(join(tmpdir(), "iac-runner-demo-"));
const repo = join(work, "infra");

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

/** Writes files into the repository, commits them and returns the new commit. */
function commit(message: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git("add", "-A");
  git("-c", "user.name=Demo", "-c", "user.email=demo@example.com", "commit", "-qm", message);
  return git("rev-parse", "HEAD");
}

mkdirSync(repo);
git("init", "-q", "-b", "main");
const first = commit("platform: postgres and redis", {
  "iac.config.yaml": [
    "environments:",
    "  staging: {}",
    "  production: { rollback: auto }",
    "services:",
    "  postgres:",
    '    vault: ["secret/data/platform/{env}/postgres"]',
    "    env: { PGPORT: '5432' }",
    "",
  ].join("\n"),
  "platform/01.postgres/compose.yaml": [
    "services:",
    "  postgres:",
    "    image: postgres:17",
    "    environment:",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, resolved by Docker from the env
    "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}",
    "    volumes:",
    "      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro",
    "",
  ].join("\n"),
  "platform/01.postgres/init.sql": "create database app;\n",
  "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n",
  "bootstrap/06.iac-runner/compose.yaml": "services:\n  runner:\n    image: iac-runner:latest\n",
  "libs/README.md": "Shared helpers.\n",
});

const dokploy = createFakeDokploy({ deploy: { mode: "auto" } });
const vault = createFakeVault();
vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "staging-pass-1" });
vault.seed.secret("platform/production/postgres", { POSTGRES_PASSWORD: "production-pass" });
// GitHub's REST API, faked on a loopback port: the runner reports every job there as a commit status and a deployment.
const github = await serveFakeGithub({ repository: "acme/infra" });
const network = setupServer(
  ...dokploy.handlers,
  ...vault.handlers,
  http.all(`${github.apiUrl}/*`, () => passthrough()),
);
network.listen({ onUnhandledRequest: "error" });

const environment = {
  WEBHOOK_SECRET: SECRET,
  GIT_REPO_URL: pathToFileURL(repo).href,
  DOKPLOY_URL: dokploy.baseUrl,
  DOKPLOY_API_KEY: dokploy.apiKey,
  VAULT_ADDR: vault.address,
  VAULT_TOKEN: vault.token,
  INTERNAL_DOMAIN: "internal.example.com",
  IAC_DATA_DIR: join(work, "state"),
  GITHUB_TOKEN: github.token,
  GITHUB_API_URL: github.apiUrl,
  GITHUB_REPOSITORY: "acme/infra",
  IAC_PUBLIC_URL: "https://iac.example.com",
};
const settings = loadSettings(environment);
const mirror = createGitMirror({ url: settings.gitRepoUrl, dataDir: settings.dataDir, branch: settings.gitBranch });
mkdirSync(settings.dataDir, { recursive: true });
const store = await createSqliteStore({ path: join(settings.dataDir, "iac-runner.db") });
// Embedding the engine lets the demo poll Dokploy every 50 ms instead of the production default of 3 s.
const engine = createSyncEngine({
  git: mirror,
  store,
  dokploy: settings.dokploy,
  vault: settings.vault,
  hashKey: settings.hashKey,
  internalDomain: settings.internalDomain,
  logger: createQuietLogger(),
  pollIntervalMs: 50,
});
// The repository is brand new, so there is nothing to catch up with: the first push is the starting point. The demo
// tells its own story, so the runner's request lines stay off.
const runner = await createRunner({ settings, git: mirror, engine, store, catchUp: false, logger: false });

function createQuietLogger(): import("../src/index.js").Logger {
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  return quiet;
}

async function call(path: string, body: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await runner.fetch(
    new Request(`http://runner.local${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
  );
  const answer = (await response.json()) as Record<string, unknown>;
  console.log(`  ${path} → ${response.status} ${JSON.stringify(summarise(answer))}`);
  return answer;
}

function summarise(answer: Record<string, unknown>): Record<string, unknown> {
  const { status, services, skipped, ignored, commit, env, tag, error, code, reason } = answer;
  return Object.fromEntries(
    Object.entries({ status, env, tag, commit: typeof commit === "string" ? commit.slice(0, 8) : undefined, services })
      .concat([
        ["skipped", skipped],
        ["ignored", Array.isArray(ignored) ? ignored.length : undefined],
        ["reason", reason],
        ["error", error],
        ["code", code],
      ])
      .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

let delivery = 0;
async function push(before: string, after: string, files: string[], id?: string): Promise<void> {
  const body = JSON.stringify({
    ref: "refs/heads/main",
    before,
    after,
    created: before === ZERO,
    deleted: false,
    forced: false,
    commits: [{ id: after, added: [], modified: files, removed: [] }],
  });
  delivery += 1;
  const answer = await call("/webhook", body, {
    "x-github-event": "push",
    "x-github-delivery": id ?? `demo-delivery-${delivery}`,
    "x-hub-signature-256": await sign(SECRET, body),
  });
  await report(answer);
}

/** Waits for the jobs an answer started and prints what each service ended as. */
async function report(answer: Record<string, unknown>): Promise<void> {
  await engine.idle();
  const { deployments } = answer;
  const ids = Array.isArray(deployments) ? (deployments as string[]) : [];
  for (const id of ids) {
    const job = await engine.get(id);
    for (const { result, reason } of job?.services ?? []) {
      if (result === null) {
        continue;
      }
      const detail =
        result.error === undefined
          ? `hash ${result.hashAfter?.slice(0, 15)}…`
          : `${result.error.code}: ${result.error.message}`;
      console.log(
        `    ${result.env}/${result.service}: ${result.status} (${detail}; planned because ${reason.message})`,
      );
    }
  }
}

/** Polls `look` until it finds something (the runner reports and rolls back in the background). */
async function waitFor<T>(look: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const found = await look();
    if (found !== undefined) {
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the demo waited 10 s for the runner in vain");
}

function composeNamed(name: string, environment: string): { env: string | null; composeFile: string } | undefined {
  const env = [...dokploy.state.environments.values()].find((row) => row.name === environment);
  return [...dokploy.state.composes.values()].find(
    (row) => row.name === name && row.environmentId === env?.environmentId,
  );
}

/** Runs an `iac-runner` command in this process (so it reaches the fakes) and prints what it printed. */
async function cli(args: string[]): Promise<number> {
  console.log(`  $ iac-runner ${args.join(" ")}`);
  const indent = (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, "    "));
  return runCli(args, {
    env: environment,
    stdout: indent,
    stderr: indent,
    readStdin: async () => "",
    signal: new AbortController().signal,
  });
}

try {
  console.log("\n0. Before anything is pushed: what would a sync of this commit deploy to staging, and why?");
  const exit = await cli(["plan", "--repo", repo, "--env", "staging"]);
  console.log(`    (exit ${exit}: 2 means something would be deployed, 0 nothing)`);

  console.log("\n1. GitHub pings the new webhook, then the first push arrives (a new branch: the runner diffs in git)");
  await call("/webhook", "{}", {
    "x-github-event": "ping",
    "x-github-delivery": "demo-ping",
    "x-hub-signature-256": await sign(SECRET, "{}"),
  });
  await push(ZERO, first, []);
  const postgres = composeNamed("postgres", "staging");
  console.log("    Dokploy now holds the compose with its mount rewritten to the pinned file:");
  console.log(
    `      ${postgres?.composeFile
      .split("\n")
      .find((line) => line.includes("init.sql"))
      ?.trim()}`,
  );

  console.log("\n2. Another tool stores a credential in the postgres env; a push changes only init.sql");
  if (postgres !== undefined) {
    postgres.env = `${postgres.env ?? ""}\nBACKUP_TOKEN=written-by-another-tool`;
  }
  const second = commit("postgres: seed table", {
    "platform/01.postgres/init.sql": "create database app;\ncreate table t();\n",
  });
  await push(first, second, ["platform/01.postgres/init.sql"], "demo-delivery-init-sql");
  const kept = composeNamed("postgres", "staging")?.env?.includes("BACKUP_TOKEN=written-by-another-tool");
  console.log(`    the foreign credential survived the env merge: ${kept}`);
  console.log("   GitHub redelivers the same delivery: the runner answers with the job it already ran:");
  await push(first, second, ["platform/01.postgres/init.sql"], "demo-delivery-init-sql");

  console.log("\n3. A push that touches libs/ reaches every service, but nothing they deploy changed");
  const third = commit("libs: docs", { "libs/README.md": "Shared helpers, documented.\n" });
  await push(second, third, ["libs/README.md"]);

  console.log("\n4. The postgres password is rotated in Vault; a legacy /sync of everything redeploys only postgres");
  vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "staging-pass-2" });
  const syncBody = JSON.stringify({ all: true });
  await report(await call("/sync", syncBody, { "x-hub-signature-256": await sign(SECRET, syncBody) }));

  console.log("\n5. A push to the bootstrap layer (the runner itself) is never synced");
  const fourth = commit("bootstrap: bump runner", {
    "bootstrap/06.iac-runner/compose.yaml": "services:\n  runner:\n    image: iac-runner:2\n",
  });
  await push(third, fourth, ["bootstrap/06.iac-runner/compose.yaml"]);

  console.log("\n6. Someone replays the captured first push with a fresh delivery id: pushes only move forward");
  await push(ZERO, first, []);

  console.log("\n7. CI tags v1.0.0 and deploys it to production with a timestamped, replay-proof signature");
  git("tag", "v1.0.0");
  const deployBody = JSON.stringify({ env: "production", tag: "v1.0.0", triggered_by: "demo" });
  const headers = { ...(await signRequest({ secret: SECRET, body: deployBody })) };
  await report(await call("/deploy", deployBody, headers));
  console.log("   The same request sent again is refused:");
  await call("/deploy", deployBody, headers);

  console.log("\n8. v1.1.0 ships a postgres image that does not start; CI deploys it to production");
  dokploy.configureDeploys({ outcome: (compose) => (compose.composeFile.includes(":broken") ? "error" : "done") });
  const broken = commit("postgres: new image", {
    "platform/01.postgres/compose.yaml": git("show", "HEAD:platform/01.postgres/compose.yaml").replace(
      "postgres:17",
      "postgres:broken",
    ),
  });
  git("tag", "v1.1.0");
  const releaseBody = JSON.stringify({ env: "production", tag: "v1.1.0", triggered_by: "demo" });
  const failed = await call("/deploy", releaseBody, { ...(await signRequest({ secret: SECRET, body: releaseBody })) });
  await report(failed);
  console.log("   production has rollback: auto, so the runner redeploys postgres's last good content (v1.0.0's):");
  const rollback = await waitFor(async () =>
    (await engine.list({ limit: 5, env: "production" })).jobs.find(
      (job) => job.trigger === "rollback" && job.state !== "queued" && job.state !== "running",
    ),
  );
  await report({ deployments: [rollback.id] });
  console.log(`    (deployment ${rollback.id}, rolling back ${rollback.rollbackOf})`);
  console.log("   What GitHub shows (context iac-runner/production, each linking its deployment record):");
  const releases = [
    ["v1.1.0", broken],
    ["v1.0.0", git("rev-parse", "v1.0.0")],
  ] as const;
  const lastStatus = (sha: string) =>
    github.statuses.filter((status) => status.sha === sha && status.context === "iac-runner/production").at(-1);
  await waitFor(async () => releases.every(([, sha]) => lastStatus(sha)?.state !== "pending") || undefined);
  for (const [name, sha] of releases) {
    const last = lastStatus(sha);
    console.log(`    ${name} ${sha.slice(0, 8)}: ${last?.state} "${last?.description}" → ${last?.target_url}`);
  }

  console.log(`\nDokploy received ${dokploy.state.deployCalls.length} deploys in all; nothing else was redeployed.`);
} finally {
  await runner.close();
  await engine.close();
  await store.close();
  network.close();
  await github.close();
  rmSync(work, { recursive: true, force: true });
}
