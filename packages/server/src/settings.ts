import { parseDotenv } from "@iac/sync";
import { DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_RETRY_LIMIT } from "./engine/engine-defaults.js";
import { hasControlOrSpace, refNameProblem } from "./git/ref-name.js";
import {
  DEFAULT_BODY_BUDGET_BYTES,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "./http/front-door-defaults.js";
import { githubRepositoryOfUrl, parseGithubRepository } from "./report/github/github-repository.js";
import { createSettingsChecker, type SettingsChecker, type SettingsValues } from "./settings-checker.js";
import type { GithubSettings, LogLevel, RunnerSettings, SettingsInput, SyncVaultOptions } from "./types.js";

/** Where a vault-agent sidecar renders the runner's secrets; used when `IAC_SECRETS_FILE` is not set and it exists. */
export const DEFAULT_SECRETS_FILE = "/secrets/.env";

/** The dotted paths of the values of `T`: `webhookSecret`, `git.url`, `vault.appRole.roleId`, ... */
type Paths<T> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends object ? `${K}.${Paths<NonNullable<T[K]>>}` : K;
}[keyof T & string];

/**
 * The environment variable of every field of {@link SettingsInput} (the compiler checks that none is missing): one
 * table for `loadSettings`, which reads the variables, and `defineSettings`, which reads the fields; both then go
 * through the same rules.
 */
const VARIABLES = {
  webhookSecret: "WEBHOOK_SECRET",
  webhookSecretPrevious: "WEBHOOK_SECRET_PREVIOUS",
  "git.url": "GIT_REPO_URL",
  "git.branch": "GIT_BRANCH",
  "dokploy.url": "DOKPLOY_URL",
  "dokploy.apiKey": "DOKPLOY_API_KEY",
  "vault.address": "VAULT_ADDR",
  "vault.token": "VAULT_TOKEN",
  "vault.appRole.roleId": "VAULT_ROLE_ID",
  "vault.appRole.secretId": "VAULT_SECRET_ID",
  internalDomain: "INTERNAL_DOMAIN",
  deployEnv: "DEPLOY_ENV",
  dataDir: "IAC_DATA_DIR",
  databaseUrl: "IAC_DATABASE_URL",
  secretsFile: "IAC_SECRETS_FILE",
  host: "HOST",
  port: "PORT",
  logLevel: "LOG_LEVEL",
  requireTimestamp: "IAC_REQUIRE_TIMESTAMP",
  deployTimeoutSeconds: "IAC_DEPLOY_TIMEOUT_SECONDS",
  hashKey: "IAC_HASH_KEY",
  webhookMaxBodyBytes: "IAC_WEBHOOK_MAX_BODY_BYTES",
  maxBodyBytes: "IAC_MAX_BODY_BYTES",
  pollInterval: "IAC_POLL_INTERVAL",
  reconcileInterval: "IAC_RECONCILE_INTERVAL",
  retryLimit: "IAC_RETRY_LIMIT",
  historyDays: "IAC_HISTORY_DAYS",
  apiToken: "IAC_API_TOKEN",
  waitSeconds: "IAC_WAIT_SECONDS",
  leaseSeconds: "IAC_LEASE_SECONDS",
  concurrency: "IAC_CONCURRENCY",
  bodyBudgetBytes: "IAC_BODY_BUDGET_BYTES",
  headersTimeoutSeconds: "IAC_HEADERS_TIMEOUT_SECONDS",
  requestTimeoutSeconds: "IAC_REQUEST_TIMEOUT_SECONDS",
  keepAliveTimeoutSeconds: "IAC_KEEP_ALIVE_TIMEOUT_SECONDS",
  maxConnections: "IAC_MAX_CONNECTIONS",
  "github.token": "GITHUB_TOKEN",
  "github.apiUrl": "GITHUB_API_URL",
  "github.repository": "GITHUB_REPOSITORY",
  publicUrl: "IAC_PUBLIC_URL",
} as const satisfies Record<Paths<SettingsInput>, string>;

/** A field of {@link SettingsInput}, as a dotted path. */
type Field = keyof typeof VARIABLES;

/** Older names still read when the variable itself is unset or blank. */
const ALIASES: Partial<Record<Field, string>> = { "vault.token": "VAULT_APP_TOKEN" };

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

type Env = Readonly<Record<string, string | undefined>>;
type Checker = SettingsChecker<Field>;

/** The values of the environment: the variable of a field (else its alias); `""` when set but blank. */
function fromEnvironment(env: Env): SettingsValues<Field> {
  return {
    value(field) {
      const names = [VARIABLES[field], ALIASES[field]].filter((name) => name !== undefined);
      const given = names.map((name) => env[name]).filter((value) => value !== undefined);
      return given.find((value) => value.trim() !== "") ?? given[0];
    },
    variable: (field) => VARIABLES[field],
  };
}

/** The values of a {@link SettingsInput}, found by the dotted path of each field. */
function fromInput(input: SettingsInput): SettingsValues<Field> {
  return {
    value(field) {
      let value: unknown = input;
      for (const key of field.split(".")) {
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
      return value;
    },
    variable: () => undefined,
  };
}

/** `https://`, `ssh://`, `file://` or scp-like `user@host:path`; never anything git could read as an option. */
function repoUrlProblem(url: string): string | undefined {
  if (hasControlOrSpace(url)) {
    return "contains whitespace or control characters";
  }
  if (/^(https|ssh|file):\/\/[^/]*\/?./i.test(url) || /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^-].*$/.test(url)) {
    return url.startsWith("-") ? "starts with -" : undefined;
  }
  return "must be an https://, ssh://, file:// or git@host:path URL";
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@");
}

/** An http(s) URL without trailing slashes. */
function httpUrl(check: Checker, field: Field, value: string): string {
  if (check.failed(field)) {
    return value;
  }
  if (!/^https?:\/\/[^\s/]+/i.test(value)) {
    check.fail(field, `must be an http:// or https:// URL, received ${JSON.stringify(redactUrl(value))}`);
    return value;
  }
  return value.replace(/\/+$/, "");
}

/** An http(s) URL without trailing slashes or the API path users often write too (`…/api`, `…:8200/v1`). */
function serverRoot(check: Checker, field: Field, value: string, apiPath: string): string {
  return httpUrl(check, field, value).replace(new RegExp(`${apiPath}$`, "i"), "");
}

function readRepoUrl(check: Checker): string {
  const url = check.required("git.url", "the infrastructure repository URL");
  const problem = check.failed("git.url") ? undefined : repoUrlProblem(url);
  if (problem !== undefined) {
    check.fail("git.url", `${problem}, received ${JSON.stringify(redactUrl(url))}`);
  }
  return url;
}

function readBranch(check: Checker): string {
  const branch = check.text("git.branch") ?? "main";
  const problem = check.failed("git.branch") ? undefined : refNameProblem(branch);
  if (problem !== undefined) {
    check.fail("git.branch", `must be a branch name, received ${JSON.stringify(branch)} (it ${problem})`);
  }
  return branch;
}

function readDokploy(check: Checker): RunnerSettings["dokploy"] {
  const url = check.required("dokploy.url", "the Dokploy base URL");
  return {
    baseUrl: serverRoot(check, "dokploy.url", url, "/api"),
    apiKey: check.required("dokploy.apiKey", "a Dokploy API key"),
  };
}

/** Every problem of the Vault variables at once: an address without credentials, credentials without an address. */
function readVault(check: Checker): SyncVaultOptions | undefined {
  const address = check.text("vault.address");
  const token = check.text("vault.token");
  const roleId = check.text("vault.appRole.roleId");
  const secretId = check.text("vault.appRole.secretId");
  if (address === undefined && (token !== undefined || roleId !== undefined || secretId !== undefined)) {
    check.fail("vault.address", "is required when Vault credentials are set, received nothing");
  }
  if ((roleId === undefined) !== (secretId === undefined)) {
    const missing = roleId === undefined ? "vault.appRole.roleId" : "vault.appRole.secretId";
    check.fail(missing, "is required with the other AppRole credential, received nothing");
  }
  if (address === undefined) {
    return undefined;
  }
  const root = serverRoot(check, "vault.address", address, "/v1");
  if (roleId !== undefined && secretId !== undefined) {
    return { address: root, appRole: { roleId, secretId } };
  }
  if (token === undefined && roleId === undefined && secretId === undefined) {
    const appRole = `${check.name("vault.appRole.roleId")} + ${check.name("vault.appRole.secretId")}`;
    check.fail("vault.token", `is required with ${check.name("vault.address")} (or ${appRole}), received nothing`);
  }
  return { address: root, token };
}

function readDeployEnv(check: Checker): string {
  const deployEnv = check.text("deployEnv") ?? "staging";
  if (!check.failed("deployEnv") && !ENV_NAME.test(deployEnv)) {
    check.fail("deployEnv", `must be an environment name like "staging", received ${JSON.stringify(deployEnv)}`);
  }
  return deployEnv;
}

/** Its value is never shown: a connection string that is not a URL (`host=db password=…`) has nothing to redact by. */
function readDatabaseUrl(check: Checker): string | undefined {
  const url = check.text("databaseUrl");
  if (url !== undefined && !/^postgres(ql)?:\/\/\S+$/i.test(url)) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
    const received = scheme === undefined ? "a value without a scheme" : `a ${scheme} URL`;
    check.fail("databaseUrl", `must be a postgres:// or postgresql:// URL, received ${received}`);
  }
  return url;
}

/** `IAC_HASH_KEY`, else `WEBHOOK_SECRET`: rotating the webhook secret must not change every hash when a key is set. */
function readHashKey<Secret extends string | undefined>(check: Checker, webhookSecret: Secret): string | Secret {
  return check.text("hashKey") ?? webhookSecret;
}

function optionalHttpUrl(check: Checker, field: Field): string | undefined {
  const url = check.text(field);
  return url === undefined ? undefined : httpUrl(check, field, url);
}

function readApiToken(check: Checker): string | undefined {
  const token = check.text("apiToken");
  if (token !== undefined && token.length < 16) {
    check.fail("apiToken", `must be at least 16 characters, received ${token.length}`);
  }
  return token;
}

/**
 * GitHub reporting, on when a token is set. The repository defaults to the `owner/name` path of `GIT_REPO_URL`, so
 * a token without a repository to report to is refused at start rather than failing every report later.
 */
function readGithub(check: Checker, gitRepoUrl: string): GithubSettings | undefined {
  const token = check.text("github.token");
  const apiUrl = httpUrl(check, "github.apiUrl", check.text("github.apiUrl") ?? "https://api.github.com");
  const given = check.text("github.repository");
  const repository = given === undefined ? githubRepositoryOfUrl(gitRepoUrl) : parseGithubRepository(given);
  if (given !== undefined && repository === undefined) {
    check.fail("github.repository", `must be a repository as owner/name, received ${JSON.stringify(given)}`);
  }
  if (token === undefined) {
    return undefined;
  }
  if (repository === undefined) {
    if (given === undefined) {
      const source = `${check.name("git.url")} does not name one as owner/name`;
      check.fail("github.repository", `is required with ${check.name("github.token")} (${source}), received nothing`);
    }
    return undefined;
  }
  return { token, apiUrl, repository };
}

/** The runner's settings by the one set of rules, from either source; see {@link loadSettings}. */
function readSettings(values: SettingsValues<Field>): RunnerSettings {
  const check = createSettingsChecker(values);
  const webhookSecret = check.required("webhookSecret", "a non-empty secret (e.g. openssl rand -hex 32)");
  const gitRepoUrl = readRepoUrl(check);
  const settings: RunnerSettings = {
    webhookSecret,
    webhookSecretPrevious: check.text("webhookSecretPrevious"),
    gitRepoUrl,
    gitBranch: readBranch(check),
    dokploy: readDokploy(check),
    vault: readVault(check),
    internalDomain: check.text("internalDomain"),
    deployEnv: readDeployEnv(check),
    dataDir: check.text("dataDir") ?? "./.iac-runner",
    secretsFile: check.text("secretsFile"),
    host: check.text("host") ?? "0.0.0.0",
    port: check.integer("port", 8080, 0, 65_535),
    logLevel: check.oneOf("logLevel", LOG_LEVELS, "info"),
    requireTimestamp: check.boolean("requireTimestamp", false),
    deployTimeoutMs: check.integer("deployTimeoutSeconds", 900, 1, 86_400) * 1000,
    hashKey: readHashKey(check, webhookSecret),
    webhookMaxBodyBytes: check.integer("webhookMaxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1, 1024 ** 3),
    maxBodyBytes: check.integer("maxBodyBytes", 64 * 1024, 1, 1024 ** 3),
    databaseUrl: readDatabaseUrl(check),
    pollIntervalMs: check.interval("pollInterval"),
    reconcileIntervalMs: check.interval("reconcileInterval"),
    retryLimit: check.integer("retryLimit", DEFAULT_RETRY_LIMIT, 0, 20),
    historyDays: check.integer("historyDays", 90, 1, 36_500),
    apiToken: readApiToken(check),
    waitMs: check.integer("waitSeconds", 300, 1, 3_600) * 1000,
    leaseMs: check.integer("leaseSeconds", DEFAULT_LEASE_MS / 1000, 2, 60) * 1000,
    concurrency: check.integer("concurrency", DEFAULT_CONCURRENCY, 1, 64),
    bodyBudgetBytes: check.integer("bodyBudgetBytes", DEFAULT_BODY_BUDGET_BYTES, 1, 1024 ** 3),
    headersTimeoutMs: check.integer("headersTimeoutSeconds", DEFAULT_HEADERS_TIMEOUT_MS / 1000, 1, 300) * 1000,
    requestTimeoutMs: check.integer("requestTimeoutSeconds", DEFAULT_REQUEST_TIMEOUT_MS / 1000, 1, 3_600) * 1000,
    keepAliveTimeoutMs: check.integer("keepAliveTimeoutSeconds", DEFAULT_KEEP_ALIVE_TIMEOUT_MS / 1000, 1, 300) * 1000,
    maxConnections: check.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 65_535),
    github: readGithub(check, gitRepoUrl),
    publicUrl: optionalHttpUrl(check, "publicUrl"),
  };
  check.throwProblems();
  return settings;
}

/** The environment with the values of a dotenv secrets file on top, as the runner reads them. */
export function withSecretsFile(env: Env, secretsFileText: string | undefined): Env {
  const merged: Record<string, string | undefined> = { ...env };
  for (const { key, value } of secretsFileText === undefined ? [] : parseDotenv(secretsFileText)) {
    merged[key] = value;
  }
  return merged;
}

/** What the operator commands (`iac-runner hash`, `plan`) need of the runner's configuration. */
export interface OperatorSettings {
  /** `DEPLOY_ENV`, default `staging`. */
  deployEnv: string;
  /** Present only when asked for with `dokploy: true` (and then required). */
  dokploy: RunnerSettings["dokploy"] | undefined;
  vault: SyncVaultOptions | undefined;
  internalDomain: string | undefined;
  /** The key of the HMAC over secret values; undefined when neither `IAC_HASH_KEY` nor `WEBHOOK_SECRET` is set. */
  hashKey: string | undefined;
}

/**
 * Reads the part of the runner's configuration that decides a config hash (Vault, `INTERNAL_DOMAIN`, the hash key,
 * `DEPLOY_ENV`) and, with `dokploy: true`, the Dokploy API, with exactly the rules of {@link loadSettings}, so a
 * command run with the runner's environment computes the hashes the runner records. Nothing else is required: the
 * hash key only matters for services with Vault secrets, and the caller says so when it is missing.
 *
 * @throws {SettingsError} naming every missing or invalid variable of that part.
 */
export function loadOperatorSettings(
  env: Env,
  secretsFileText?: string | undefined,
  options: { dokploy?: boolean | undefined } = {},
): OperatorSettings {
  const check = createSettingsChecker(fromEnvironment(withSecretsFile(env, secretsFileText)));
  const settings: OperatorSettings = {
    deployEnv: readDeployEnv(check),
    dokploy: options.dokploy === true ? readDokploy(check) : undefined,
    vault: readVault(check),
    internalDomain: check.text("internalDomain"),
    hashKey: readHashKey(check, check.text("webhookSecret")),
  };
  check.throwProblems();
  return settings;
}

/** The webhook secrets in the order they are tried: the current one, then the previous one during a rotation. */
export function webhookSecretsOf(settings: RunnerSettings): string[] {
  const { webhookSecret, webhookSecretPrevious } = settings;
  return webhookSecretPrevious === undefined ? [webhookSecret] : [webhookSecret, webhookSecretPrevious];
}

/**
 * Reads the runner's settings from environment variables, with the values of a dotenv secrets file (rendered by a
 * vault-agent sidecar) taking precedence. Refuses to produce settings without a webhook secret: the runner never
 * accepts unsigned requests.
 *
 * @throws {SettingsError} with every missing or invalid variable at once, each named.
 * @example
 * const settings = loadSettings(process.env, await readFile("/secrets/.env", "utf8"));
 */
export function loadSettings(env: Env, secretsFileText?: string | undefined): RunnerSettings {
  return readSettings(fromEnvironment(withSecretsFile(env, secretsFileText)));
}

/**
 * Makes the runner's settings from code, with the defaults and rules of {@link loadSettings} (each field of
 * {@link SettingsInput} names its environment variable). Nothing is read from the environment.
 *
 * @throws {SettingsError} with every missing or invalid field at once, each named by its path (`dokploy.apiKey`).
 * @example
 * const settings = defineSettings({
 *   webhookSecret: process.env.WEBHOOK_SECRET ?? "",
 *   git: { url: "https://github.com/acme/infra.git" },
 *   dokploy: { url: "https://dokploy.example.com", apiKey: process.env.DOKPLOY_API_KEY ?? "" },
 * });
 */
export function defineSettings(input: SettingsInput): RunnerSettings {
  return readSettings(fromInput(input));
}
