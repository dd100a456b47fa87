import { posix } from "node:path";
import { parseDotenv } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadSettings } from "../../src/settings.js";
import { cliInvocationProblems, interpolate, readRepoFile, repoHas } from "./repo-files.js";

// deploy/compose.yaml: the runner and its vault-agent sidecar, read as Docker Compose would after interpolating the
// variables of deploy/.env.example.

/** Variables by name; the ones the tests read by name are declared, so they read as properties. */
type Vars = Record<string, string> &
  Partial<
    Record<
      "BOOTSTRAP_ENV" | "DOKPLOY_URL" | "IAC_DATA_DIR" | "IAC_HOST" | "IAC_SECRETS_FILE" | "PORT" | "VAULT_ADDR",
      string
    >
  >;

interface ComposeService {
  image?: string;
  command?: string[];
  user?: string;
  environment?: Record<string, string> | string[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  labels?: Record<string, string> | string[];
  networks?: Record<string, unknown> | string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, { driver?: string; driver_opts?: { type?: string; device?: string; o?: string } } | null>;
  networks?: Record<string, { external?: boolean } | null>;
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  named: boolean;
}

const EXAMPLE_VARS: Vars = Object.fromEntries(
  parseDotenv(readRepoFile("deploy/.env.example")).map(({ key, value }) => [key, value]),
);

function interpolateDeep(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === "string") {
    return interpolate(value, vars);
  }
  if (Array.isArray(value)) {
    return value.map((item) => interpolateDeep(item, vars));
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, vars)]));
  }
  return value;
}

const rawCompose = parse(readRepoFile("deploy/compose.yaml")) as ComposeFile;
const compose = interpolateDeep(rawCompose, EXAMPLE_VARS) as ComposeFile;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) {
    throw new Error(`deploy/compose.yaml has no service ${name}`);
  }
  return found;
}

function keyValues(value: Record<string, string> | string[] | undefined): Vars {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((entry) => [entry.split("=")[0], entry.slice(entry.indexOf("=") + 1)]));
  }
  return Object.fromEntries(Object.entries(value ?? {}).map(([key, item]) => [key, String(item ?? "")]));
}

function mounts(of: ComposeService): Mount[] {
  return (of.volumes ?? []).map((volume) => {
    if (typeof volume !== "string") {
      const source = volume.source ?? "";
      return { source, target: volume.target, readOnly: volume.read_only === true, named: volume.type === "volume" };
    }
    const [source = "", target = "", mode = ""] = volume.split(":");
    return { source, target, readOnly: mode.split(",").includes("ro"), named: !/^[./~]/.test(source) };
  });
}

function mountAt(of: ComposeService, target: string): Mount {
  const found = mounts(of).find((mount) => mount.target === target);
  if (found === undefined) {
    throw new Error(`no volume mounted at ${target}`);
  }
  return found;
}

/** The repository path behind a container path of the agent, through its bind mounts of deploy/. */
function agentFile(containerPath: string): string {
  const bind = mounts(service("vault-agent")).find(
    (mount) => !mount.named && mount.source.startsWith(".") && containerPath.startsWith(`${mount.target}/`),
  );
  if (bind === undefined) {
    throw new Error(`${containerPath} is not in a bind mount of deploy/`);
  }
  return posix.normalize(posix.join("deploy", bind.source, containerPath.slice(bind.target.length + 1)));
}

const agentConfigPath = agentFile(
  (service("vault-agent").command ?? []).find((arg) => arg.startsWith("-config="))?.slice("-config=".length) ?? "",
);
const agentConfig = readRepoFile(agentConfigPath);
const hcl = (key: string): string | undefined =>
  new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\n]*)"?`, "m").exec(agentConfig)?.[1];
const templatePath = agentFile(hcl("source") ?? "");
const template = readRepoFile(templatePath);

/** The `replaceAll "from" "to"` steps the template applies to every value, in order (Go string literals). */
const escapes: [string, string][] = [...template.matchAll(/replaceAll ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")/g)].map(
  (match) => [JSON.parse(match[1] as string) as string, JSON.parse(match[2] as string) as string],
);
const keyPattern = new RegExp(JSON.parse(/regexMatch ("(?:[^"\\]|\\.)*") \$key/.exec(template)?.[1] ?? '""') as string);

/** What vault-agent writes for a secret: the template's header, then one escaped line per key, sorted like Go does. */
function renderSecretsFile(secret: Readonly<Record<string, string>>): string {
  const lines = Object.keys(secret)
    .sort()
    .filter((key) => keyPattern.test(key))
    .map(
      (key) => `${key}="${escapes.reduce((value, [from, to]) => value.replaceAll(from, to), secret[key] as string)}"`,
    );
  return `# Rendered by vault-agent. Do not edit.\n${lines.join("\n")}\n`;
}

const RUNNER_REQUIRES = ["WEBHOOK_SECRET", "GIT_REPO_URL", "DOKPLOY_URL", "DOKPLOY_API_KEY"];

describe("deploy/compose.yaml", () => {
  const runner = service("iac-runner");
  const agent = service("vault-agent");
  const runnerEnv = keyValues(runner.environment);
  const agentEnv = keyValues(agent.environment);
  const templateKeys = new Set([...template.matchAll(/\.Data\.data\.([A-Za-z_]\w*)/g)].map((match) => match[1]));

  it("interpolates with the variables of deploy/.env.example, which sets every one the compose requires", () => {
    const required = [...readRepoFile("deploy/compose.yaml").matchAll(/^[^#\n]*\$\{([A-Za-z_]\w*):?\?/gm)].map(
      (match) => match[1] ?? "",
    );
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) {
      expect(EXAMPLE_VARS[name], name).toMatch(/\S/);
    }
    expect(() => interpolateDeep(rawCompose, {})).toThrow(/required variable/);
  });

  it("wires every variable the runner requires: in its environment or in the secret the template renders", () => {
    for (const name of RUNNER_REQUIRES) {
      const wired = (name in runnerEnv ? 1 : 0) + (templateKeys.has(name) ? 1 : 0);
      expect(wired, `${name}: in the environment or required by the template, not both`).toBe(1);
    }
    expect(runnerEnv.VAULT_ADDR).toMatch(/^https?:\/\//);
    expect(agentEnv.VAULT_ADDR).toBe(runnerEnv.VAULT_ADDR);
    // The runner's Vault login: a static token from the environment, or VAULT_ROLE_ID/VAULT_SECRET_ID, which the
    // template renders with every other key of the secret.
    expect(runnerEnv).toHaveProperty("VAULT_APP_TOKEN");
    expect(template).toMatch(/range \$key, \$value := \.Data\.data/);
    expect(runnerEnv.IAC_SECRETS_FILE).toBe(hcl("destination"));
  });

  it("starts the runner with these settings once the agent has rendered the secret", () => {
    const settings = loadSettings(
      runnerEnv,
      renderSecretsFile({
        WEBHOOK_SECRET: "0123456789abcdef",
        GIT_REPO_URL: "https://x-access-token:t0ken@github.com/acme/infra.git",
        DOKPLOY_API_KEY: "dokploy-key",
        VAULT_ROLE_ID: "role-id",
        VAULT_SECRET_ID: "secret-id",
        IAC_HASH_KEY: "hash-key",
      }),
    );
    expect(settings).toMatchObject({
      webhookSecret: "0123456789abcdef",
      gitRepoUrl: "https://x-access-token:t0ken@github.com/acme/infra.git",
      dokploy: { baseUrl: EXAMPLE_VARS.DOKPLOY_URL, apiKey: "dokploy-key" },
      vault: { address: EXAMPLE_VARS.VAULT_ADDR, appRole: { roleId: "role-id", secretId: "secret-id" } },
      dataDir: "/data",
      port: 8080,
      secretsFile: "/secrets/.env",
      deployEnv: "staging",
      hashKey: "hash-key",
    });
  });

  it.each([
    ["a plain value", "0123456789abcdef"],
    ["quotes of every kind", `it's "quoted" and \`ticked\``],
    ["backslashes", "C:\\dir\\n is not a newline \\"],
    ["a hash, a dollar and spaces", `  pa ss#word $HOME \${X}  `],
    ["line breaks", "line 1\nline 2\r\nline 3"],
    ["an empty value", ""],
  ])("renders %s so the runner's dotenv reader reads it back exactly", (_name, value) => {
    expect(parseDotenv(renderSecretsFile({ VALUE: value }))).toEqual([{ key: "VALUE", value }]);
  });

  it("writes each key as one quoted line of the escaped value, and leaves out keys that are not variable names", () => {
    expect(template).toMatch(/\{\{ \$key \}\}="\{\{ printf "%v" \$value \| replaceAll [^\n]*\}\}"\n/);
    expect(escapes.map(([from]) => from)).toEqual(["\\", '"', "\n", "\r"]);
    expect(parseDotenv(renderSecretsFile({ "not a name": "x", A: "1" }))).toEqual([{ key: "A", value: "1" }]);
  });

  it("mounts /secrets read-only in the runner and read-write in the agent, from one in-memory volume", () => {
    const inRunner = mountAt(runner, "/secrets");
    const inAgent = mountAt(agent, "/secrets");
    expect(inRunner).toMatchObject({ named: true, readOnly: true });
    expect(inAgent).toMatchObject({ named: true, readOnly: false, source: inRunner.source });
    expect(compose.volumes?.[inRunner.source]?.driver_opts).toMatchObject({ type: "tmpfs", device: "tmpfs" });
    // The volume belongs to the uid both containers run as: the agent writes, the runner reads.
    expect(compose.volumes?.[inRunner.source]?.driver_opts?.o).toMatch(/(^|,)uid=1000(,|$)/);
    expect(agent.user).toBe("1000:1000");
    expect(hcl("destination")?.startsWith(`${inAgent.target}/`)).toBe(true);
  });

  it("keeps IAC_DATA_DIR on a named volume", () => {
    expect(runnerEnv.IAC_DATA_DIR).toBe("/data");
    const data = mountAt(runner, runnerEnv.IAC_DATA_DIR as string);
    expect(data).toMatchObject({ named: true, readOnly: false });
    expect(compose.volumes).toHaveProperty(data.source);
  });

  it("checks the runner's health with `iac-runner healthcheck`, a command of the CLI", async () => {
    const test = runner.healthcheck?.test;
    expect(Array.isArray(test) ? test.slice(0, 3) : test).toEqual(["CMD", "iac-runner", "healthcheck"]);
    expect(await cliInvocationProblems((test as string[]).slice(2))).toEqual([]);
  });

  it("starts the runner after the agent's first render, which the agent's health check waits for", () => {
    expect(runner.depends_on).toEqual({ "vault-agent": { condition: "service_healthy" } });
    expect(JSON.stringify(agent.healthcheck?.test)).toContain(hcl("destination"));
  });

  it("routes the runner's host through Dokploy's Traefik to port 8080, on the external dokploy-network", () => {
    const labels = keyValues(runner.labels);
    expect(labels["traefik.enable"]).toBe("true");
    expect(labels["traefik.docker.network"]).toBe("dokploy-network");
    const routers = Object.keys(labels)
      .map((key) => /^traefik\.http\.routers\.([^.]+)\.rule$/.exec(key)?.[1])
      .filter((name) => name !== undefined);
    expect(routers.length).toBeGreaterThan(0);
    for (const router of routers) {
      expect(labels[`traefik.http.routers.${router}.rule`]).toBe(`Host(\`${EXAMPLE_VARS.IAC_HOST}\`)`);
      const target = labels[`traefik.http.routers.${router}.service`];
      expect(labels[`traefik.http.services.${target}.loadbalancer.server.port`], router).toBe("8080");
    }
    expect(runnerEnv.PORT).toBe("8080");
    expect(labels).toMatchObject({
      "traefik.http.routers.iac-runner.entrypoints": "websecure",
      "traefik.http.routers.iac-runner.tls.certresolver": "letsencrypt",
    });
    expect(compose.networks?.["dokploy-network"]).toEqual({ external: true });
    expect(runner.networks).toContain("dokploy-network");
  });

  it("runs vault-agent with the config and template of deploy/vault-agent", () => {
    expect(agentConfigPath).toBe("deploy/vault-agent/agent.hcl");
    expect(templatePath).toBe("deploy/vault-agent/iac-runner.env.ctmpl");
    expect(repoHas(agentConfigPath) && repoHas(templatePath)).toBe(true);
    // AppRole from files on a read-only mount, kept after reading (the agent deletes them by default).
    const approle = mountAt(agent, posix.dirname(hcl("role_id_file_path") ?? ""));
    expect(approle).toMatchObject({ named: false, readOnly: true });
    expect(posix.dirname(hcl("secret_id_file_path") ?? "")).toBe(approle.target);
    expect(hcl("remove_secret_id_file_after_reading")).toBe("false");
    expect(hcl("error_on_missing_key")).toBe("true");
    expect(agentEnv).toMatchObject({ SKIP_CHOWN: "true", SKIP_SETCAP: "true" });
  });

  it("renders secret/data/bootstrap/<env>/iac_runner, the environment coming from the agent's BOOTSTRAP_ENV", () => {
    expect(template).toContain('printf "secret/data/bootstrap/%s/iac_runner" (or (env "BOOTSTRAP_ENV") "production")');
    expect(template).toMatch(/with secret \$path/);
    expect(agentEnv.BOOTSTRAP_ENV).toBe("production");
    expect([...templateKeys].sort()).toEqual(["DOKPLOY_API_KEY", "GIT_REPO_URL", "WEBHOOK_SECRET"]);
  });
});
