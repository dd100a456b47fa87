import { describe, expect, it } from "vitest";
import { defineSettings, loadSettings } from "../src/settings.js";
import { SettingsError } from "../src/settings-error.js";
import type { SettingsInput } from "../src/types.js";

const BASE = {
  WEBHOOK_SECRET: "s3cret",
  GIT_REPO_URL: "https://github.com/acme/infra.git",
  DOKPLOY_URL: "https://dokploy.example.com/",
  DOKPLOY_API_KEY: "key",
};

describe("loadSettings", () => {
  it("fills every default from a minimal environment", () => {
    expect(loadSettings(BASE)).toEqual({
      webhookSecret: "s3cret",
      webhookSecretPrevious: undefined,
      gitRepoUrl: "https://github.com/acme/infra.git",
      gitBranch: "main",
      dokploy: { baseUrl: "https://dokploy.example.com", apiKey: "key" },
      vault: undefined,
      internalDomain: undefined,
      deployEnv: "staging",
      dataDir: "./.iac-runner",
      secretsFile: undefined,
      host: "0.0.0.0",
      port: 8080,
      logLevel: "info",
      requireTimestamp: false,
      deployTimeoutMs: 900_000,
      hashKey: "s3cret",
      webhookMaxBodyBytes: 25 * 1024 * 1024,
      maxBodyBytes: 64 * 1024,
      databaseUrl: undefined,
      pollIntervalMs: undefined,
      reconcileIntervalMs: undefined,
      retryLimit: 3,
      historyDays: 90,
      apiToken: undefined,
      waitMs: 300_000,
      leaseMs: 30_000,
      concurrency: 4,
      bodyBudgetBytes: 64 * 1024 * 1024,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 512,
      github: undefined,
      publicUrl: undefined,
    });
  });

  it("reads the job store, catch-up, retry, history, API and wait variables", () => {
    const settings = loadSettings({
      ...BASE,
      IAC_DATABASE_URL: "postgresql://runner:pw@db.internal:5432/iac",
      IAC_POLL_INTERVAL: "5m",
      IAC_RECONCILE_INTERVAL: "10m",
      IAC_RETRY_LIMIT: "0",
      IAC_HISTORY_DAYS: "7",
      IAC_API_TOKEN: "a-token-of-sixteen+",
      IAC_WAIT_SECONDS: "30",
      IAC_LEASE_SECONDS: "60",
      IAC_CONCURRENCY: "1",
    });
    expect(settings).toMatchObject({
      databaseUrl: "postgresql://runner:pw@db.internal:5432/iac",
      pollIntervalMs: 300_000,
      reconcileIntervalMs: 600_000,
      retryLimit: 0,
      historyDays: 7,
      apiToken: "a-token-of-sixteen+",
      waitMs: 30_000,
      leaseMs: 60_000,
      concurrency: 1,
    });
  });

  it("reads the front door's budget, timeouts and connection cap", () => {
    const settings = loadSettings({
      ...BASE,
      IAC_BODY_BUDGET_BYTES: "1048576",
      IAC_HEADERS_TIMEOUT_SECONDS: "3",
      IAC_REQUEST_TIMEOUT_SECONDS: "20",
      IAC_KEEP_ALIVE_TIMEOUT_SECONDS: "2",
      IAC_MAX_CONNECTIONS: "100",
    });
    expect(settings).toMatchObject({
      bodyBudgetBytes: 1_048_576,
      headersTimeoutMs: 3_000,
      requestTimeoutMs: 20_000,
      keepAliveTimeoutMs: 2_000,
      maxConnections: 100,
    });
    expect(() => loadSettings({ ...BASE, IAC_MAX_CONNECTIONS: "0" })).toThrow(/IAC_MAX_CONNECTIONS/);
    expect(() => loadSettings({ ...BASE, IAC_KEEP_ALIVE_TIMEOUT_SECONDS: "0" })).toThrow(/IAC_KEEP_ALIVE/);
  });

  it.each([
    ["90", 90_000],
    ["30s", 30_000],
    ["30S", 30_000],
    ["10s", 10_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["24h", 86_400_000],
    ["off", undefined],
    ["0", undefined],
  ])("reads IAC_POLL_INTERVAL=%s", (value, expected) => {
    expect(loadSettings({ ...BASE, IAC_POLL_INTERVAL: value }).pollIntervalMs).toBe(expected);
  });

  it.each([
    ["IAC_POLL_INTERVAL", "9s", /from 10s to 24h/],
    ["IAC_POLL_INTERVAL", "25h", /from 10s to 24h/],
    ["IAC_POLL_INTERVAL", "5 minutes", /received "5 minutes"/],
    ["IAC_POLL_INTERVAL", "1.5m", /such as 90, 30s, 5m or 1h/],
    ["IAC_RECONCILE_INTERVAL", "9s", /IAC_RECONCILE_INTERVAL must be an interval from 10s to 24h/],
    ["IAC_DATABASE_URL", "mysql://db/iac", /postgres:\/\/ or postgresql:\/\//],
    ["IAC_API_TOKEN", "short", /at least 16 characters, received 5/],
    ["IAC_RETRY_LIMIT", "21", /from 0 to 20/],
    ["IAC_HISTORY_DAYS", "0", /from 1 to 36500/],
    ["IAC_WAIT_SECONDS", "3601", /from 1 to 3600/],
    ["IAC_LEASE_SECONDS", "1", /from 2 to 60/],
    ["IAC_CONCURRENCY", "0", /from 1 to 64/],
    ["IAC_CONCURRENCY", "65", /from 1 to 64/],
  ])("refuses %s=%s", (name, value, message) => {
    expect(() => loadSettings({ ...BASE, [name]: value })).toThrow(SettingsError);
    expect(() => loadSettings({ ...BASE, [name]: value })).toThrow(message);
  });

  it.each([
    ["a URL of another scheme", "mysql://user:hunter2@db/iac", "received a mysql:// URL"],
    ["a keyword connection string", "host=db user=runner password=hunter2", "received a value without a scheme"],
    ["a URL without its scheme", "runner:hunter2@db:5432/iac", "received a value without a scheme"],
  ])("never shows a refused IAC_DATABASE_URL (%s), only its scheme", (_name, value, received) => {
    expect(() => loadSettings({ ...BASE, IAC_DATABASE_URL: value })).toThrow(
      `IAC_DATABASE_URL must be a postgres:// or postgresql:// URL, ${received}`,
    );
    expect(() => loadSettings({ ...BASE, IAC_DATABASE_URL: value })).not.toThrow(/hunter2/);
  });

  it.each([
    ["https://dokploy.example.com/api", "https://vault.example.com:8200/v1"],
    ["https://dokploy.example.com/api/", "https://vault.example.com:8200/v1/"],
    ["https://dokploy.example.com", "https://vault.example.com:8200"],
  ])("keeps the server root of DOKPLOY_URL %s and VAULT_ADDR %s", (dokployUrl, vaultAddr) => {
    const settings = loadSettings({ ...BASE, DOKPLOY_URL: dokployUrl, VAULT_ADDR: vaultAddr, VAULT_TOKEN: "t" });
    expect(settings.dokploy.baseUrl).toBe("https://dokploy.example.com");
    expect(settings.vault?.address).toBe("https://vault.example.com:8200");
  });

  it("reads every optional variable", () => {
    const settings = loadSettings({
      ...BASE,
      WEBHOOK_SECRET_PREVIOUS: "old",
      GIT_BRANCH: "release/v2",
      INTERNAL_DOMAIN: "internal.example.com",
      DEPLOY_ENV: "production",
      IAC_DATA_DIR: "/var/lib/iac",
      IAC_SECRETS_FILE: "/run/secrets/.env",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "DEBUG",
      IAC_REQUIRE_TIMESTAMP: "true",
      IAC_DEPLOY_TIMEOUT_SECONDS: "60",
      IAC_HASH_KEY: "hash-key",
      IAC_WEBHOOK_MAX_BODY_BYTES: "1000",
      IAC_MAX_BODY_BYTES: "100",
    });
    expect(settings).toMatchObject({
      webhookSecretPrevious: "old",
      gitBranch: "release/v2",
      internalDomain: "internal.example.com",
      deployEnv: "production",
      dataDir: "/var/lib/iac",
      secretsFile: "/run/secrets/.env",
      host: "127.0.0.1",
      port: 0,
      logLevel: "debug",
      requireTimestamp: true,
      deployTimeoutMs: 60_000,
      hashKey: "hash-key",
      webhookMaxBodyBytes: 1000,
      maxBodyBytes: 100,
    });
  });

  it.each([
    ["https", "https://github.com/acme/infra.git"],
    ["https with a token", "https://x-access-token:tok@github.com/acme/infra.git"],
    ["ssh", "ssh://git@github.com/acme/infra.git"],
    ["scp-like", "git@github.com:acme/infra.git"],
    ["file", "file:///srv/git/infra.git"],
  ])("accepts a %s repository URL", (_name, url) => {
    expect(loadSettings({ ...BASE, GIT_REPO_URL: url }).gitRepoUrl).toBe(url);
  });

  it.each([
    ["no WEBHOOK_SECRET", { WEBHOOK_SECRET: undefined }, "WEBHOOK_SECRET"],
    ["an empty WEBHOOK_SECRET", { WEBHOOK_SECRET: "" }, "WEBHOOK_SECRET"],
    ["a whitespace WEBHOOK_SECRET", { WEBHOOK_SECRET: "  \t" }, "WEBHOOK_SECRET"],
    ["no GIT_REPO_URL", { GIT_REPO_URL: undefined }, "GIT_REPO_URL"],
    ["an http GIT_REPO_URL", { GIT_REPO_URL: "http://github.com/a/b.git" }, "GIT_REPO_URL"],
    ["an option-like GIT_REPO_URL", { GIT_REPO_URL: "--upload-pack=touch /tmp/x" }, "GIT_REPO_URL"],
    ["a GIT_REPO_URL with a line break", { GIT_REPO_URL: "https://a/b\nc" }, "GIT_REPO_URL"],
    ["an option-like GIT_BRANCH", { GIT_BRANCH: "-main" }, "GIT_BRANCH"],
    ["a GIT_BRANCH range", { GIT_BRANCH: "main..dev" }, "GIT_BRANCH"],
    ["no DOKPLOY_URL", { DOKPLOY_URL: undefined }, "DOKPLOY_URL"],
    ["a DOKPLOY_URL without scheme", { DOKPLOY_URL: "dokploy.example.com" }, "DOKPLOY_URL"],
    ["no DOKPLOY_API_KEY", { DOKPLOY_API_KEY: undefined }, "DOKPLOY_API_KEY"],
    ["a DEPLOY_ENV with a slash", { DEPLOY_ENV: "prod/eu" }, "DEPLOY_ENV"],
    ["a non-numeric PORT", { PORT: "http" }, "PORT"],
    ["a PORT out of range", { PORT: "70000" }, "PORT"],
    ["an unknown LOG_LEVEL", { LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    ["a non-boolean IAC_REQUIRE_TIMESTAMP", { IAC_REQUIRE_TIMESTAMP: "maybe" }, "IAC_REQUIRE_TIMESTAMP"],
    ["a zero IAC_DEPLOY_TIMEOUT_SECONDS", { IAC_DEPLOY_TIMEOUT_SECONDS: "0" }, "IAC_DEPLOY_TIMEOUT_SECONDS"],
    ["Vault credentials without VAULT_ADDR", { VAULT_TOKEN: "t" }, "VAULT_ADDR"],
    ["VAULT_ADDR without credentials", { VAULT_ADDR: "https://vault.example.com" }, "VAULT_TOKEN"],
    ["half an AppRole", { VAULT_ADDR: "https://vault.example.com", VAULT_ROLE_ID: "r" }, "VAULT_SECRET_ID"],
  ])("refuses %s with one line naming the variable", (_name, overrides, variable) => {
    const env = { ...BASE, ...overrides };
    let caught: unknown;
    try {
      loadSettings(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const error = caught as SettingsError;
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(/^\[@iac\/server\] /);
    expect(error.message).not.toContain("\n");
  });

  it("never puts a credential of GIT_REPO_URL into the error", () => {
    expect(() => loadSettings({ ...BASE, GIT_REPO_URL: "http://user:hunter2@example.com/x.git" })).toThrow(
      /^(?!.*hunter2).*GIT_REPO_URL/,
    );
  });

  it.each([
    ["VAULT_TOKEN", { VAULT_TOKEN: "t1" }, { token: "t1" }],
    ["the VAULT_APP_TOKEN alias", { VAULT_APP_TOKEN: "t2" }, { token: "t2" }],
    ["an AppRole", { VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" }, { appRole: { roleId: "r", secretId: "s" } }],
  ])("reads Vault credentials from %s", (_name, credentials, expected) => {
    const settings = loadSettings({ ...BASE, VAULT_ADDR: "https://vault.example.com/", ...credentials });
    expect(settings.vault).toEqual({ address: "https://vault.example.com", ...expected });
  });

  it("lets the secrets file override the environment", () => {
    const text = 'WEBHOOK_SECRET="from-file"\nexport GIT_REPO_URL=git@github.com:acme/infra.git\n# comment\n';
    const settings = loadSettings({ ...BASE, WEBHOOK_SECRET: "from-env" }, text);
    expect(settings.webhookSecret).toBe("from-file");
    expect(settings.gitRepoUrl).toBe("git@github.com:acme/infra.git");
  });

  it("starts without a webhook secret in the environment when the secrets file has one", () => {
    expect(loadSettings({ ...BASE, WEBHOOK_SECRET: undefined }, "WEBHOOK_SECRET=abc\n").webhookSecret).toBe("abc");
  });

  it("refuses an empty WEBHOOK_SECRET in the secrets file even when the environment has one", () => {
    expect(() => loadSettings(BASE, "WEBHOOK_SECRET=\n")).toThrow(SettingsError);
  });
});

describe("loadSettings of GitHub reporting", () => {
  const TOKEN = "ghp_0123456789abcdef";

  it("reports nothing without GITHUB_TOKEN, whatever else is set", () => {
    const settings = loadSettings({ ...BASE, GITHUB_REPOSITORY: "acme/other", GITHUB_API_URL: "https://ghe.corp" });
    expect(settings.github).toBeUndefined();
  });

  it.each([
    ["https", "https://github.com/acme/infra.git"],
    ["https with credentials", "https://x-access-token:tok@github.com/acme/infra"],
    ["ssh", "ssh://git@github.com/acme/infra.git"],
    ["scp-like", "git@github.com:acme/infra.git"],
  ])("takes the repository from a %s GIT_REPO_URL, to the public API", (_name, url) => {
    expect(loadSettings({ ...BASE, GIT_REPO_URL: url, GITHUB_TOKEN: TOKEN }).github).toEqual({
      token: TOKEN,
      apiUrl: "https://api.github.com",
      repository: "acme/infra",
    });
  });

  it("prefers GITHUB_REPOSITORY and GITHUB_API_URL, without the trailing slash", () => {
    const settings = loadSettings({
      ...BASE,
      GIT_REPO_URL: "file:///srv/git/infra.git",
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: " platform/infra ",
      GITHUB_API_URL: "https://ghe.corp/api/v3/",
    });
    expect(settings.github).toEqual({ token: TOKEN, apiUrl: "https://ghe.corp/api/v3", repository: "platform/infra" });
  });

  it("reads IAC_PUBLIC_URL without the trailing slash", () => {
    expect(loadSettings({ ...BASE, IAC_PUBLIC_URL: "https://iac.example.com/iac/" }).publicUrl).toBe(
      "https://iac.example.com/iac",
    );
  });

  it.each([
    [
      "a token when GIT_REPO_URL names no owner/name",
      { GIT_REPO_URL: "https://git.example.com/groups/platform/infra.git", GITHUB_TOKEN: TOKEN },
      "GITHUB_REPOSITORY is required with GITHUB_TOKEN (GIT_REPO_URL does not name one as owner/name), received nothing",
    ],
    [
      "a GITHUB_REPOSITORY that is not owner/name",
      { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "infra" },
      'GITHUB_REPOSITORY must be a repository as owner/name, received "infra"',
    ],
    [
      "a GITHUB_REPOSITORY URL, even without a token",
      { GITHUB_REPOSITORY: "https://github.com/acme/infra" },
      'GITHUB_REPOSITORY must be a repository as owner/name, received "https://github.com/acme/infra"',
    ],
    [
      "a GITHUB_API_URL without scheme",
      { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: "ghe.corp/api/v3" },
      'GITHUB_API_URL must be an http:// or https:// URL, received "ghe.corp/api/v3"',
    ],
    [
      "an IAC_PUBLIC_URL without scheme",
      { IAC_PUBLIC_URL: "iac.example.com" },
      'IAC_PUBLIC_URL must be an http:// or https:// URL, received "iac.example.com"',
    ],
  ])("refuses %s, never showing the token", (_name, overrides, message) => {
    const error = problemsOf(() => loadSettings({ ...BASE, ...overrides }));
    expect(error.message).toBe(`[@iac/server] invalid configuration: ${message}`);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("loadSettings with several problems", () => {
  it("reports every missing or invalid variable at once, in the order of the configuration table", () => {
    let caught: unknown;
    try {
      loadSettings({ WEBHOOK_SECRET: " ", DOKPLOY_URL: "dokploy.example.com", PORT: "http", VAULT_TOKEN: "t" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const error = caught as SettingsError;
    expect(error.problems.map(({ field, variable }) => [field, variable])).toEqual([
      ["webhookSecret", "WEBHOOK_SECRET"],
      ["git.url", "GIT_REPO_URL"],
      ["dokploy.url", "DOKPLOY_URL"],
      ["dokploy.apiKey", "DOKPLOY_API_KEY"],
      ["vault.address", "VAULT_ADDR"],
      ["port", "PORT"],
    ]);
    expect(error.variable).toBe("WEBHOOK_SECRET");
    expect(error.message.split("\n")).toEqual([
      "[@iac/server] invalid configuration, 6 problems:",
      "  WEBHOOK_SECRET is required: expected a non-empty secret (e.g. openssl rand -hex 32), received an empty value",
      "  GIT_REPO_URL is required: expected the infrastructure repository URL, received nothing",
      '  DOKPLOY_URL must be an http:// or https:// URL, received "dokploy.example.com"',
      "  DOKPLOY_API_KEY is required: expected a Dokploy API key, received nothing",
      "  VAULT_ADDR is required when Vault credentials are set, received nothing",
      '  PORT must be an integer from 0 to 65535, received "http"',
    ]);
  });

  it("finds a half AppRole even when VAULT_ADDR is missing too", () => {
    expect(() => loadSettings({ ...BASE, VAULT_ROLE_ID: "r" })).toThrow(
      /VAULT_ADDR is required when Vault credentials are set.*\n.*VAULT_SECRET_ID is required with the other AppRole/,
    );
  });
});

/** The same configuration written as a {@link SettingsInput} and as environment variables. */
const SAME: ReadonlyArray<[string, SettingsInput, Record<string, string>]> = [
  [
    "the required fields only",
    {
      webhookSecret: "s3cret",
      git: { url: "https://github.com/acme/infra.git" },
      dokploy: { url: "https://dokploy.example.com/api/", apiKey: "key" },
    },
    BASE,
  ],
  [
    "every field",
    {
      webhookSecret: " s3cret ",
      webhookSecretPrevious: "old",
      git: { url: "git@github.com:acme/infra.git", branch: "release/v2" },
      dokploy: { url: "https://dokploy.example.com", apiKey: "key" },
      vault: { address: "https://vault.example.com:8200/v1", token: "t" },
      internalDomain: "internal.example.com",
      deployEnv: "production",
      dataDir: "/var/lib/iac",
      databaseUrl: "postgres://runner@db/iac",
      secretsFile: "/run/secrets/.env",
      host: "127.0.0.1",
      port: 0,
      logLevel: "debug",
      requireTimestamp: true,
      deployTimeoutSeconds: 60,
      hashKey: "hash-key",
      webhookMaxBodyBytes: 1000,
      maxBodyBytes: 100,
      pollInterval: 90,
      reconcileInterval: "15m",
      retryLimit: 0,
      historyDays: 7,
      apiToken: "a-token-of-sixteen+",
      waitSeconds: 30,
      leaseSeconds: 60,
      github: { token: "ghp_token", apiUrl: "https://ghe.example.com/api/v3/", repository: "platform/infra" },
      publicUrl: "https://iac.example.com/",
    },
    {
      WEBHOOK_SECRET: " s3cret ",
      WEBHOOK_SECRET_PREVIOUS: "old",
      GIT_REPO_URL: "git@github.com:acme/infra.git",
      GIT_BRANCH: "release/v2",
      DOKPLOY_URL: "https://dokploy.example.com",
      DOKPLOY_API_KEY: "key",
      VAULT_ADDR: "https://vault.example.com:8200/v1",
      VAULT_TOKEN: "t",
      INTERNAL_DOMAIN: "internal.example.com",
      DEPLOY_ENV: "production",
      IAC_DATA_DIR: "/var/lib/iac",
      IAC_DATABASE_URL: "postgres://runner@db/iac",
      IAC_SECRETS_FILE: "/run/secrets/.env",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "DEBUG",
      IAC_REQUIRE_TIMESTAMP: "yes",
      IAC_DEPLOY_TIMEOUT_SECONDS: "60",
      IAC_HASH_KEY: "hash-key",
      IAC_WEBHOOK_MAX_BODY_BYTES: "1000",
      IAC_MAX_BODY_BYTES: "100",
      IAC_POLL_INTERVAL: "90",
      IAC_RECONCILE_INTERVAL: "15m",
      IAC_RETRY_LIMIT: "0",
      IAC_HISTORY_DAYS: "7",
      IAC_API_TOKEN: "a-token-of-sixteen+",
      IAC_WAIT_SECONDS: "30",
      IAC_LEASE_SECONDS: "60",
      GITHUB_TOKEN: "ghp_token",
      GITHUB_API_URL: "https://ghe.example.com/api/v3/",
      GITHUB_REPOSITORY: "platform/infra",
      IAC_PUBLIC_URL: "https://iac.example.com/",
    },
  ],
  [
    "an AppRole and a poll interval in minutes",
    {
      webhookSecret: "s3cret",
      git: { url: "https://github.com/acme/infra.git" },
      dokploy: { url: "https://dokploy.example.com/api/", apiKey: "key" },
      vault: { address: "https://vault.example.com", appRole: { roleId: "r", secretId: "s" } },
      pollInterval: "5m",
    },
    {
      ...BASE,
      VAULT_ADDR: "https://vault.example.com",
      VAULT_ROLE_ID: "r",
      VAULT_SECRET_ID: "s",
      IAC_POLL_INTERVAL: "5m",
    },
  ],
  [
    "no poll interval",
    {
      webhookSecret: "s3cret",
      git: { url: "https://github.com/acme/infra.git" },
      dokploy: { url: "https://dokploy.example.com/api/", apiKey: "key" },
      pollInterval: false,
    },
    { ...BASE, IAC_POLL_INTERVAL: "off" },
  ],
];

/** The same mistakes written both ways: the fields at fault must be the same. */
const SAME_MISTAKES: ReadonlyArray<[string, Record<string, unknown>, Record<string, string>]> = [
  ["nothing at all", {}, {}],
  [
    "empty and malformed values",
    {
      webhookSecret: "",
      git: { url: "http://github.com/a/b.git", branch: "main..dev" },
      dokploy: { url: "dokploy.example.com", apiKey: " " },
      vault: { address: "https://vault.example.com" },
      deployEnv: "prod/eu",
      port: 70_000,
      logLevel: "loud",
      deployTimeoutSeconds: 0,
      databaseUrl: "mysql://db/iac",
      pollInterval: "9s",
      apiToken: "short",
      leaseSeconds: 1,
    },
    {
      WEBHOOK_SECRET: "",
      GIT_REPO_URL: "http://github.com/a/b.git",
      GIT_BRANCH: "main..dev",
      DOKPLOY_URL: "dokploy.example.com",
      DOKPLOY_API_KEY: " ",
      VAULT_ADDR: "https://vault.example.com",
      DEPLOY_ENV: "prod/eu",
      PORT: "70000",
      LOG_LEVEL: "loud",
      IAC_DEPLOY_TIMEOUT_SECONDS: "0",
      IAC_DATABASE_URL: "mysql://db/iac",
      IAC_POLL_INTERVAL: "9s",
      IAC_API_TOKEN: "short",
      IAC_LEASE_SECONDS: "1",
    },
  ],
  [
    "Vault credentials without an address",
    {
      webhookSecret: "s",
      git: { url: "https://github.com/acme/infra.git" },
      dokploy: { url: "https://dokploy.example.com", apiKey: "k" },
      vault: { appRole: { roleId: "r" } },
    },
    { ...BASE, VAULT_ROLE_ID: "r" },
  ],
];

function problemsOf(read: () => unknown): SettingsError {
  try {
    read();
  } catch (error) {
    if (error instanceof SettingsError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("defineSettings", () => {
  it.each(SAME)("makes the settings loadSettings reads for %s", (_name, input, env) => {
    expect(defineSettings(input)).toEqual(loadSettings(env));
  });

  it.each(SAME_MISTAKES)("refuses %s with the fields loadSettings refuses, named by field", (_name, input, env) => {
    const fromEnv = problemsOf(() => loadSettings(env));
    const fromCode = problemsOf(() => defineSettings(input as unknown as SettingsInput));
    expect(fromCode.problems.map((problem) => problem.field)).toEqual(fromEnv.problems.map((problem) => problem.field));
    for (const problem of fromCode.problems) {
      expect(problem.variable).toBeUndefined();
      expect(problem.message.startsWith(`${problem.field} `)).toBe(true);
    }
  });

  it("names the field in its message and never the environment variable", () => {
    expect(() =>
      defineSettings({
        webhookSecret: "s",
        git: { url: "https://github.com/acme/infra.git" },
        dokploy: { url: "https://dokploy.example.com", apiKey: "" },
        port: 70_000,
      }),
    ).toThrow(
      [
        "[@iac/server] invalid configuration, 2 problems:",
        "  dokploy.apiKey is required: expected a Dokploy API key, received an empty value",
        "  port must be an integer from 0 to 65535, received 70000",
      ].join("\n"),
    );
  });

  it("refuses values of the wrong type from JavaScript callers", () => {
    const input = { webhookSecret: 42, git: { url: "https://a/b.git" }, dokploy: { url: "https://d", apiKey: "k" } };
    expect(() => defineSettings(input as unknown as SettingsInput)).toThrow(
      "[@iac/server] invalid configuration: webhookSecret must be a string, received 42",
    );
    expect(() => defineSettings({ ...(input as unknown as SettingsInput), webhookSecret: "s", port: 1.5 })).toThrow(
      "port must be an integer from 0 to 65535, received 1.5",
    );
  });

  it("requires the webhook secret, the repository and Dokploy in its type", () => {
    // @ts-expect-error dokploy is required
    expect(() => defineSettings({ webhookSecret: "s", git: { url: "https://a/b.git" } })).toThrow(
      /dokploy\.url is required.*\n.*dokploy\.apiKey is required/,
    );
  });
});

describe("SettingsError", () => {
  it("names the variable of a single problem on one line", () => {
    const error = new SettingsError("IAC_SECRETS_FILE", "names a file that cannot be read (ENOENT): /x");
    expect(error.message).toBe(
      "[@iac/server] invalid configuration: IAC_SECRETS_FILE names a file that cannot be read (ENOENT): /x",
    );
    expect(error.variable).toBe("IAC_SECRETS_FILE");
    expect(error.problems).toEqual([
      {
        field: undefined,
        variable: "IAC_SECRETS_FILE",
        message: "IAC_SECRETS_FILE names a file that cannot be read (ENOENT): /x",
      },
    ]);
  });

  it("names the field of a problem without a variable", () => {
    const error = new SettingsError([{ field: "git.url", variable: undefined, message: "git.url is required" }]);
    expect([error.variable, error.message]).toEqual([
      "git.url",
      "[@iac/server] invalid configuration: git.url is required",
    ]);
  });

  it("refuses to be made without a problem", () => {
    expect(() => new SettingsError([])).toThrow(TypeError);
  });
});
