// Public types of @iac/sdk.
// Row and body types are derived from the generated OpenAPI components so they cannot drift from the specs.
import type { Client } from "openapi-fetch";
import type { components as DokployComponents, paths as DokployPaths } from "./generated/dokploy.js";
import type { components as VaultComponents, paths as VaultPaths } from "./generated/vault.js";

// --- clients: shared options ---

/**
 * Automatic retries with jittered exponential backoff. They apply only to requests that are safe to repeat
 * (reads and idempotent writes), and only after a network error, a timeout or a 502/503/504 answer.
 */
export interface RetryOptions {
  /** Total attempts including the first one. Default 3. */
  attempts?: number | undefined;
  /** Backoff before the second attempt; doubles after each attempt, with full jitter. Default 250. */
  baseDelayMs?: number | undefined;
  /** Upper bound of a single backoff. Default 5000. */
  maxDelayMs?: number | undefined;
  /**
   * Retry budget in milliseconds, counted from the start of the first attempt. A retry is sent only when its backoff
   * ends inside the budget, and its timeout is cut to what is left of it, so no retry runs past the budget. The first
   * attempt always gets the full `timeoutMs`, even a longer one. Default 60000.
   */
  maxElapsedMs?: number | undefined;
}

/** The `fetch` the clients call: it receives the final `Request` (with auth headers) and must not throw on HTTP status. */
export type FetchLike = (request: Request) => Promise<Response>;

// --- clients: Dokploy ---

/** Options of {@link createDokployClient}. */
export interface DokployClientOptions {
  /** Instance URL, with or without the trailing `/api` (`https://dokploy.example.com` or `https://dokploy.example.com/api`). */
  baseUrl: string;
  /** API key created under Settings → Profile → API/CLI; sent as `x-api-key`. */
  apiKey: string;
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: FetchLike | undefined;
  /** Per-attempt timeout. Default 30000. */
  timeoutMs?: number | undefined;
  /** Retry policy, or `false` to never retry. */
  retry?: RetryOptions | false | undefined;
  /** Extra headers sent with every request (e.g. for an access proxy); they cannot override `x-api-key`. */
  headers?: Record<string, string> | undefined;
}

/** A typed openapi-fetch client for the Dokploy REST API (`/api/<router>.<procedure>`). */
export type DokployClient = Client<DokployPaths>;

type DokploySchemas = DokployComponents["schemas"];

/** A compose row as returned by `compose.create`, `compose.update`, `compose.delete`, `compose.move`. */
export type DokployCompose = DokploySchemas["Compose"];
/** `compose.one`: the compose row with its environment, deployments, mounts and domains. */
export type DokployComposeDetail = DokploySchemas["ComposeDetail"];
/** `composeStatus` of a compose. */
export type DokployComposeStatus = DokploySchemas["ComposeStatus"];
/** A compose as listed in `project.all` (`composeId`, `name`, `composeStatus`) and other lists. */
export type DokployComposeSummary = DokploySchemas["ComposeSummary"];
/** A deployment row; `deployment.allByCompose` lists them newest first. */
export type DokployDeployment = DokploySchemas["Deployment"];
/** `status` of a deployment row. */
export type DokployDeploymentStatus = DokploySchemas["DeploymentStatus"];
/** `compose.deploy` / `compose.redeploy`: the queued job, or `true` on Dokploy Cloud with a remote server. */
export type DokployDeployResult = DokploySchemas["DeployResult"];
/** A project row. */
export type DokployProject = DokploySchemas["Project"];
/** One entry of `project.all`. */
export type DokployProjectListItem = DokploySchemas["ProjectListItem"];
/** `project.one`. */
export type DokployProjectDetail = DokploySchemas["ProjectDetail"];
/** `project.create`: the project and its automatically created environment. */
export type DokployProjectCreated = DokploySchemas["ProjectCreated"];
/** An environment row. */
export type DokployEnvironment = DokploySchemas["Environment"];
/** `environment.one` / `environment.byProjectId` entries: the environment with its services. */
export type DokployEnvironmentDetail = DokploySchemas["EnvironmentDetail"];
/** A mount row (`mounts.*`). */
export type DokployMount = DokploySchemas["Mount"];
/** A domain row (`domain.*`). */
export type DokployDomain = DokploySchemas["Domain"];
/** An application row (the columns the project reads). */
export type DokployApplication = DokploySchemas["Application"];
/**
 * An error body. tRPC errors carry `code`; the route guard's 401 is only `{ message: "Unauthorized" }`.
 */
export type DokployErrorBody =
  | DokploySchemas["error.BAD_REQUEST"]
  | DokploySchemas["error.UNAUTHORIZED"]
  | DokploySchemas["error.FORBIDDEN"]
  | DokploySchemas["error.NOT_FOUND"]
  | DokploySchemas["error.UNSUPPORTED_MEDIA_TYPE"]
  | DokploySchemas["error.INTERNAL_SERVER_ERROR"];

// --- clients: Vault ---

/** Options of {@link createVaultClient}. */
export interface VaultClientOptions {
  /** Server address, with or without the trailing `/v1` (`https://vault.example.com:8200`). */
  address: string;
  /** Sent as `X-Vault-Token`; can be replaced later with `setToken`. */
  token?: string | undefined;
  /** Sent as `X-Vault-Namespace` (Vault Enterprise / HCP). */
  namespace?: string | undefined;
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: FetchLike | undefined;
  /** Per-attempt timeout. Default 30000. */
  timeoutMs?: number | undefined;
  /** Retry policy for reads, or `false` to never retry. */
  retry?: RetryOptions | false | undefined;
}

type VaultSchemas = VaultComponents["schemas"];

/** The envelope around every JSON response of a Vault logical path, with `data` of type `T`. */
export type VaultEnvelope<T> = Omit<VaultSchemas["VaultResponse"], "data"> & { data: T };
/** The `auth` block of logins and token renewals. */
export type VaultAuth = VaultSchemas["VaultAuth"];
/** Error body of every Vault status >= 400; `errors` can be empty. */
export type VaultErrorBody = VaultSchemas["VaultErrorResponse"];
/** Metadata of one version of a KV v2 secret. */
export type KvVersionMetadata = VaultSchemas["KvV2VersionMetadata"];
/** `data` of `GET /auth/token/lookup-self`. */
export type VaultTokenInfo = VaultSchemas["TokenLookupSelfData"];

/**
 * Outcome of {@link VaultClient.readKv}:
 * - `ok`: the secret's key/value pairs and the version's metadata;
 * - `missing`: 404 without envelope (never written, or hidden by policy);
 * - `deleted`: 404 with an envelope whose `data.data` is null (soft-deleted or destroyed version);
 * - `forbidden`: 403 (missing policy, or a bad, expired or revoked token);
 * - `error`: any other status.
 */
export type KvReadResult =
  | { kind: "ok"; data: Record<string, unknown>; metadata: KvVersionMetadata }
  | { kind: "missing" }
  | { kind: "deleted"; metadata: KvVersionMetadata }
  | { kind: "forbidden"; errors: string[] }
  | { kind: "error"; status: number; errors: string[] };

/** Arguments of {@link VaultClient.readKv}. */
export interface ReadKvOptions {
  /** KV v2 mount, e.g. `"secret"`. */
  mount: string;
  /** Secret path below the mount, e.g. `"platform/staging/postgres"`; each segment is URL-encoded separately. */
  path: string;
  /** Version to read; the latest when omitted. */
  version?: number | undefined;
}

/** Arguments of {@link VaultClient.renewSelf}. */
export interface RenewSelfOptions {
  /** Requested extension, as a duration string (`"1h"`) or seconds. */
  increment?: string | number | undefined;
}

/** Arguments of {@link VaultClient.loginAppRole}. */
export interface LoginAppRoleOptions {
  /** Auth mount of the AppRole method. Default `"approle"`. */
  mount?: string | undefined;
  roleId: string;
  /** Required unless the role was created with `bind_secret_id=false`. */
  secretId?: string | undefined;
}

/** `{ data, error, response }` of a Vault helper; it never throws on HTTP status. */
export type VaultResult<T> =
  | { data: T; error?: undefined; response: Response }
  | { data?: undefined; error: VaultErrorBody; response: Response };

/** A typed openapi-fetch client for Vault (`<address>/v1`), with helpers for the calls the project makes. */
export interface VaultClient extends Client<VaultPaths> {
  /** Replaces the token sent as `X-Vault-Token` (e.g. after a login); `undefined` stops sending it. */
  setToken(token: string | undefined): void;
  /** Reads a KV v2 secret and reports the outcome as a {@link KvReadResult}. Throws only on network failure. */
  readKv(options: ReadKvOptions): Promise<KvReadResult>;
  /** `GET /auth/token/lookup-self`: properties of the current token. */
  lookupSelf(): Promise<VaultResult<VaultEnvelope<VaultTokenInfo>>>;
  /** `POST /auth/token/renew-self`: extends the current token's lease. */
  renewSelf(options?: RenewSelfOptions): Promise<VaultResult<VaultEnvelope<null> & { auth: VaultAuth }>>;
  /** `POST /auth/<mount>/login`: logs in with AppRole credentials and, on success, uses the new token. */
  loginAppRole(options: LoginAppRoleOptions): Promise<VaultResult<VaultEnvelope<null> & { auth: VaultAuth }>>;
}

// --- clients: errors ---

/** Normalised error category, derived from the HTTP status. */
export type SdkErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "server_error"
  | "unexpected";

/** A normalised API error. */
export interface SdkErrorInfo {
  code: SdkErrorCode;
  status: number;
  /** Human-readable message from the body, or `HTTP <status>` when the body has none. */
  message: string;
  /** Whether repeating the same request later may succeed (rate limits and temporary unavailability). */
  retryable: boolean;
}

/**
 * A normalised Dokploy error. A 401 means a missing, invalid or expired key **or** no access to the project:
 * Dokploy does not use 403 for the latter.
 */
export interface DokployErrorInfo extends SdkErrorInfo {
  /** tRPC code (`"NOT_FOUND"`, …) when the body has one; the route guard's 401 has none. */
  trpcCode: string | undefined;
  /** Validation issues of a 400 `"Input validation failed"`. */
  issues: string[];
}

/** A normalised Vault error. A 403 covers both a missing policy and a bad or expired token. */
export interface VaultErrorInfo extends SdkErrorInfo {
  errors: string[];
}

export type { DokployPaths, VaultPaths };
