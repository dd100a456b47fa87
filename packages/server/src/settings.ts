import { parseDotenv } from "@iac/sync";
import { hasControlOrSpace, refNameProblem } from "./git/ref-name.js";
import { SettingsError } from "./settings-error.js";
import type { LogLevel, RunnerSettings, SyncVaultOptions } from "./types.js";

/** Where a vault-agent sidecar renders the runner's secrets; used when `IAC_SECRETS_FILE` is not set and it exists. */
export const DEFAULT_SECRETS_FILE = "/secrets/.env";

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

type Env = Readonly<Record<string, string | undefined>>;

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

function createReader(env: Env) {
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const required = (name: string, what: string): string => {
    const value = raw(name);
    if (value === undefined) {
      throw new SettingsError(
        name,
        `is required: expected ${what}, received ${name in env ? "an empty value" : "nothing"}`,
      );
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) {
      return fallback;
    }
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new SettingsError(name, `must be an integer from ${min} to ${max}, received ${JSON.stringify(value)}`);
    }
    return parsed;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const value = raw(name)?.toLowerCase();
    if (value === undefined) {
      return fallback;
    }
    if (TRUE.has(value) || FALSE.has(value)) {
      return TRUE.has(value);
    }
    throw new SettingsError(name, `must be true or false, received ${JSON.stringify(value)}`);
  };
  const url = (name: string, value: string): string => {
    if (!/^https?:\/\/[^\s/]+/i.test(value)) {
      throw new SettingsError(name, `must be an http:// or https:// URL, received ${JSON.stringify(redactUrl(value))}`);
    }
    return value.replace(/\/+$/, "");
  };
  // Users write the API root too ("https://dokploy.example.com/api", "https://vault:8200/v1"): keep the server root.
  const serverRoot = (name: string, value: string, apiPath: string): string =>
    url(name, value).replace(new RegExp(`${apiPath}$`, "i"), "");
  return { raw, required, integer, boolean, url, serverRoot };
}

function readVault(read: ReturnType<typeof createReader>): SyncVaultOptions | undefined {
  const address = read.raw("VAULT_ADDR");
  const token = read.raw("VAULT_TOKEN") ?? read.raw("VAULT_APP_TOKEN");
  const roleId = read.raw("VAULT_ROLE_ID");
  const secretId = read.raw("VAULT_SECRET_ID");
  if (address === undefined) {
    if (token !== undefined || roleId !== undefined || secretId !== undefined) {
      throw new SettingsError("VAULT_ADDR", "is required when Vault credentials are set, received nothing");
    }
    return undefined;
  }
  if ((roleId === undefined) !== (secretId === undefined)) {
    const missing = roleId === undefined ? "VAULT_ROLE_ID" : "VAULT_SECRET_ID";
    throw new SettingsError(missing, "is required with the other AppRole variable, received nothing");
  }
  if (roleId !== undefined && secretId !== undefined) {
    return { address: read.serverRoot("VAULT_ADDR", address, "/v1"), appRole: { roleId, secretId } };
  }
  if (token === undefined) {
    throw new SettingsError(
      "VAULT_TOKEN",
      "is required with VAULT_ADDR (or VAULT_APP_TOKEN, or VAULT_ROLE_ID + VAULT_SECRET_ID)",
    );
  }
  return { address: read.serverRoot("VAULT_ADDR", address, "/v1"), token };
}

function readDatabaseUrl(value: string | undefined): string | undefined {
  if (value !== undefined && !/^postgres(ql)?:\/\/\S+$/i.test(value)) {
    throw new SettingsError(
      "IAC_DATABASE_URL",
      `must be a postgres:// or postgresql:// URL, received ${JSON.stringify(redactUrl(value))}`,
    );
  }
  return value;
}

const INTERVAL_UNITS: Readonly<Record<string, number>> = { "": 1_000, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90` (seconds), `30s`, `5m` or `1h`; at least 10 seconds, at most a day. */
function readInterval(name: string, value: string | undefined): number | undefined {
  if (value === undefined || FALSE.has(value.toLowerCase())) {
    return undefined;
  }
  const match = /^(\d{1,6})(s|m|h)?$/i.exec(value);
  const ms = match === null ? Number.NaN : Number(match[1]) * (INTERVAL_UNITS[(match[2] ?? "").toLowerCase()] ?? 0);
  if (!(ms >= 10_000 && ms <= 86_400_000)) {
    throw new SettingsError(
      name,
      `must be an interval from 10s to 24h such as 90, 30s, 5m or 1h (or off), received ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

function readApiToken(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < 16) {
    throw new SettingsError("IAC_API_TOKEN", `must be at least 16 characters, received ${value.length}`);
  }
  return value;
}

/** The environment with the values of a dotenv secrets file on top, as the runner reads them. */
function withSecretsFile(env: Env, secretsFileText: string | undefined): Env {
  const merged: Record<string, string | undefined> = { ...env };
  for (const { key, value } of secretsFileText === undefined ? [] : parseDotenv(secretsFileText)) {
    merged[key] = value;
  }
  return merged;
}

function readDeployEnv(read: ReturnType<typeof createReader>): string {
  const deployEnv = read.raw("DEPLOY_ENV") ?? "staging";
  if (!ENV_NAME.test(deployEnv)) {
    throw new SettingsError(
      "DEPLOY_ENV",
      `must be an environment name like "staging", received ${JSON.stringify(deployEnv)}`,
    );
  }
  return deployEnv;
}

function readDokploy(read: ReturnType<typeof createReader>): RunnerSettings["dokploy"] {
  return {
    baseUrl: read.serverRoot("DOKPLOY_URL", read.required("DOKPLOY_URL", "the Dokploy base URL"), "/api"),
    apiKey: read.required("DOKPLOY_API_KEY", "a Dokploy API key"),
  };
}

/** `IAC_HASH_KEY`, else `WEBHOOK_SECRET`: rotating the webhook secret must not change every hash when a key is set. */
function readHashKey(read: ReturnType<typeof createReader>): string | undefined {
  return read.raw("IAC_HASH_KEY") ?? read.raw("WEBHOOK_SECRET");
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
 * @throws {SettingsError} naming the first missing or invalid variable, in one line.
 */
export function loadOperatorSettings(
  env: Env,
  secretsFileText?: string | undefined,
  options: { dokploy?: boolean | undefined } = {},
): OperatorSettings {
  const read = createReader(withSecretsFile(env, secretsFileText));
  return {
    deployEnv: readDeployEnv(read),
    dokploy: options.dokploy === true ? readDokploy(read) : undefined,
    vault: readVault(read),
    internalDomain: read.raw("INTERNAL_DOMAIN"),
    hashKey: readHashKey(read),
  };
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
 * @throws {SettingsError} naming the first missing or invalid variable, in one line.
 * @example
 * const settings = loadSettings(process.env, await readFile("/secrets/.env", "utf8"));
 */
export function loadSettings(env: Env, secretsFileText?: string | undefined): RunnerSettings {
  const read = createReader(withSecretsFile(env, secretsFileText));

  const webhookSecret = read.required("WEBHOOK_SECRET", "a non-empty secret (e.g. openssl rand -hex 32)");
  const gitRepoUrl = read.required("GIT_REPO_URL", "the infrastructure repository URL");
  const urlProblem = repoUrlProblem(gitRepoUrl);
  if (urlProblem !== undefined) {
    throw new SettingsError("GIT_REPO_URL", `${urlProblem}, received ${JSON.stringify(redactUrl(gitRepoUrl))}`);
  }
  const gitBranch = read.raw("GIT_BRANCH") ?? "main";
  const branchProblem = refNameProblem(gitBranch);
  if (branchProblem !== undefined) {
    throw new SettingsError(
      "GIT_BRANCH",
      `must be a branch name, received ${JSON.stringify(gitBranch)} (it ${branchProblem})`,
    );
  }
  const deployEnv = readDeployEnv(read);
  const logLevel = (read.raw("LOG_LEVEL") ?? "info").toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new SettingsError(
      "LOG_LEVEL",
      `must be one of ${LOG_LEVELS.join(", ")}, received ${JSON.stringify(logLevel)}`,
    );
  }

  return {
    webhookSecret,
    webhookSecretPrevious: read.raw("WEBHOOK_SECRET_PREVIOUS"),
    gitRepoUrl,
    gitBranch,
    dokploy: readDokploy(read),
    vault: readVault(read),
    internalDomain: read.raw("INTERNAL_DOMAIN"),
    deployEnv,
    dataDir: read.raw("IAC_DATA_DIR") ?? "./.iac-runner",
    secretsFile: read.raw("IAC_SECRETS_FILE"),
    host: read.raw("HOST") ?? "0.0.0.0",
    port: read.integer("PORT", 8080, 0, 65_535),
    logLevel: logLevel as LogLevel,
    requireTimestamp: read.boolean("IAC_REQUIRE_TIMESTAMP", false),
    deployTimeoutMs: read.integer("IAC_DEPLOY_TIMEOUT_SECONDS", 900, 1, 86_400) * 1000,
    hashKey: readHashKey(read) ?? webhookSecret,
    webhookMaxBodyBytes: read.integer("IAC_WEBHOOK_MAX_BODY_BYTES", 25 * 1024 * 1024, 1, 1024 ** 3),
    maxBodyBytes: read.integer("IAC_MAX_BODY_BYTES", 64 * 1024, 1, 1024 ** 3),
    databaseUrl: readDatabaseUrl(read.raw("IAC_DATABASE_URL")),
    pollIntervalMs: readInterval("IAC_POLL_INTERVAL", read.raw("IAC_POLL_INTERVAL")),
    retryLimit: read.integer("IAC_RETRY_LIMIT", 3, 0, 20),
    historyDays: read.integer("IAC_HISTORY_DAYS", 90, 1, 36_500),
    apiToken: readApiToken(read.raw("IAC_API_TOKEN")),
    waitMs: read.integer("IAC_WAIT_SECONDS", 300, 1, 3_600) * 1000,
    leaseMs: read.integer("IAC_LEASE_SECONDS", 30, 2, 60) * 1000,
    bodyBudgetBytes: read.integer("IAC_BODY_BUDGET_BYTES", 64 * 1024 * 1024, 1, 1024 ** 3),
    headersTimeoutMs: read.integer("IAC_HEADERS_TIMEOUT_SECONDS", 10, 1, 300) * 1000,
    requestTimeoutMs: read.integer("IAC_REQUEST_TIMEOUT_SECONDS", 30, 1, 3_600) * 1000,
    keepAliveTimeoutMs: read.integer("IAC_KEEP_ALIVE_TIMEOUT_SECONDS", 5, 1, 300) * 1000,
    maxConnections: read.integer("IAC_MAX_CONNECTIONS", 512, 1, 65_535),
  };
}
