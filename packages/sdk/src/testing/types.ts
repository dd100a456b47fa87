// Public types of @iac/sdk/testing.
import type { HttpHandler } from "msw";
import type {
  DokployCompose,
  DokployDeployment,
  DokployDomain,
  DokployEnvironment,
  DokployMount,
  DokployProject,
} from "../types.js";

/** A manual clock: time moves only when a test calls `advance` or `set`. */
export interface FakeClock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Current time as an ISO 8601 string. */
  iso(): string;
  advance(ms: number): void;
  set(at: number | string | Date): void;
}

/**
 * A fault to inject into a fake. A request matches when `route` and `method` match; the fault then applies to the
 * next `times` matching requests (forever when omitted, until removed or cleared).
 * With only `delayMs`, the request is delayed and then handled normally.
 */
export interface FaultRule {
  /** Dokploy: `"/compose.deploy"`; Vault: the path after the address, `"/v1/secret/data/app"`. Omit to match all. */
  route?: string | RegExp | undefined;
  method?: string | undefined;
  /** Status of the injected response. The body defaults to the fake's own error format for that status. */
  status?: number | undefined;
  /** A string is sent as text, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  delayMs?: number | undefined;
  /** Answer with a network error (`fetch` rejects with a TypeError). */
  drop?: boolean | undefined;
  times?: number | undefined;
}

/** Handle of one injected fault. */
export interface FaultHandle {
  /** How many requests the fault has answered so far. */
  hits(): number;
  remove(): void;
}

/** Where a compose's files come from. */
export type DokploySourceType = DokployCompose["sourceType"];

// The fake stores whole rows: every column the response schema marks optional (because some Dokploy releases omit
// it) is present, so the rows are valid response values by construction.

/** Project row (`project` table). */
export type DokployProjectRow = DokployProject;

/** Environment row (`environment` table). */
export type DokployEnvironmentRow = DokployEnvironment;

/** Compose row (`compose` table), as `compose.create` / `compose.update` return it. */
export type DokployComposeRow = Required<DokployCompose>;

/** Deployment row (`deployment` table). */
export type DokployDeploymentRow = Required<DokployDeployment>;

/** Mount row (`mount` table). A compose's mount has `serviceType: "compose"` and `composeId` set. */
export type DokployMountRow = Required<DokployMount>;

/** Domain row (`domain` table), with the columns of newer releases that the response schema leaves out. */
export type DokployDomainRow = Required<DokployDomain> & {
  customEntrypoint: string | null;
  middlewares: string[] | null;
  forwardAuthEnabled: boolean;
};

/** How a deployment ends. */
export type DokployDeployOutcome = "done" | "error";

/**
 * Deploy worker behaviour.
 * - `manual` (default): jobs move only on `fake.advance()` / `fake.runDeployments()`.
 * - `auto`: every `deployment.allByCompose`, `compose.one` and `project.all` request is one worker step, so a poll
 *   loop finishes on its own.
 * - `stuck`: jobs are picked up (status `running`) but never finish; later jobs of the same compose stay queued.
 */
export interface DokployDeployOptions {
  mode?: "manual" | "auto" | "stuck" | undefined;
  /**
   * Final status of each deployment; a function decides per job from the compose as picked up (default `"done"`).
   * Deployments real Dokploy cannot run end in `"error"` whatever this says: a git `sourceType` without its repository
   * settings (the default `sourceType` is `"github"`), an empty raw compose file, or a domain without `serviceName`.
   */
  outcome?:
    | DokployDeployOutcome
    | ((compose: DokployComposeRow, call: DokployDeployCall) => DokployDeployOutcome)
    | undefined;
  /** Worker steps a picked-up deployment stays `running` before it finishes (default 1). */
  afterPolls?: number | undefined;
  /** `errorMessage` of a failed deployment (default `"Error occurred, check the logs for details."`). */
  errorMessage?: string | undefined;
}

/** What the compose looked like when the worker picked a job up (what real Dokploy would deploy). */
export interface DokployDeploySnapshot {
  compose: DokployComposeRow;
  mounts: DokployMountRow[];
  domains: DokployDomainRow[];
}

/** One `compose.deploy` / `compose.redeploy` call, in call order, and the job it queued. */
export interface DokployDeployCall {
  kind: "deploy" | "redeploy";
  composeId: string;
  title: string;
  description: string;
  calledAt: string;
  /** `queued` until the worker picks the job up, then the status of its deployment row. */
  status: "queued" | "running" | "done" | "error" | "cancelled";
  /** Id of the deployment row, set at pick-up. */
  deploymentId: string | null;
  /** Worker steps spent running so far. */
  steps: number;
  /** Copies of the compose row, its mounts and domains, taken at pick-up. */
  snapshot: DokployDeploySnapshot | null;
}

/** In-memory data of a fake Dokploy. Maps are keyed by primary key and may be read or changed by tests. */
export interface DokployState {
  /** Accepted `x-api-key` values; delete one to simulate a revoked key. */
  apiKeys: Set<string>;
  organizationId: string;
  projects: Map<string, DokployProjectRow>;
  environments: Map<string, DokployEnvironmentRow>;
  composes: Map<string, DokployComposeRow>;
  deployments: Map<string, DokployDeploymentRow>;
  mounts: Map<string, DokployMountRow>;
  domains: Map<string, DokployDomainRow>;
  deployCalls: DokployDeployCall[];
}

/** Options of `createFakeDokploy`. */
export interface FakeDokployOptions {
  /** Origin the handlers answer on; procedures are at `<baseUrl>/api/<router>.<procedure>` (default `http://dokploy.test`). */
  baseUrl?: string | undefined;
  /** Accepted API key(s) (default `"test-dokploy-key"`). */
  apiKey?: string | readonly string[] | undefined;
  clock?: FakeClock | undefined;
  deploy?: DokployDeployOptions | undefined;
  /** Validate request bodies and queries against Dokploy's request schemas (default true). */
  validateRequests?: boolean | undefined;
}

/** Direct writes into a fake Dokploy's state, without HTTP; ids are generated when omitted. */
export interface DokploySeed {
  /** Creates a project and its default `production` environment. */
  project(input: Partial<DokployProjectRow> & { name: string }): {
    project: DokployProjectRow;
    environment: DokployEnvironmentRow;
  };
  environment(input: Partial<DokployEnvironmentRow> & { name: string; projectId: string }): DokployEnvironmentRow;
  /** `appName` is stored as given (no random suffix); defaults are real Dokploy's. */
  compose(input: Partial<DokployComposeRow> & { name: string; environmentId: string }): DokployComposeRow;
  mount(input: Partial<DokployMountRow> & Pick<DokployMountRow, "type" | "mountPath">): DokployMountRow;
  domain(input: Partial<DokployDomainRow> & { host: string }): DokployDomainRow;
  /** A past deployment row (history), e.g. to test "newer than the last known deployment" logic. */
  deployment(input: Partial<DokployDeploymentRow> & { composeId: string }): DokployDeploymentRow;
}

/** A fake Dokploy: MSW handlers over an in-memory state. */
export interface FakeDokploy {
  handlers: HttpHandler[];
  state: DokployState;
  seed: DokploySeed;
  clock: FakeClock;
  baseUrl: string;
  /** The first accepted API key. */
  apiKey: string;
  /**
   * Runs `steps` worker steps (default 1). In one step each compose with work either counts a step on its running job
   * (finishing it after `afterPolls` steps) or, when none runs, picks up its next queued job.
   */
  advance(steps?: number): void;
  /** Steps the worker until no job is queued or running and returns the calls finished meanwhile; throws when stuck. */
  runDeployments(): DokployDeployCall[];
  /** Changes the deploy worker behaviour; omitted fields keep their value. */
  configureDeploys(options: DokployDeployOptions): void;
  /**
   * Simulates a Dokploy restart: running deployments (rows and calls) become `cancelled` and queued jobs are lost
   * (calls `cancelled`, no row). `composeStatus` is left as it was.
   */
  restart(): void;
  inject(rule: FaultRule): FaultHandle;
  clearFaults(): void;
}

/** A Vault token known to a fake Vault. */
export interface VaultToken {
  token: string;
  accessor: string;
  /** Policy names reported by lookup/login. */
  policies: string[];
  /** Paths (without `/v1/`) the token may use: `"secret/data/app/*"` is a prefix, anything else an exact path. */
  allow: string[];
  /** Creation TTL in seconds; 0 means the token never expires. */
  ttl: number;
  renewable: boolean;
  /** Cap on renewals in seconds from creation; 0 means none. */
  explicitMaxTtl: number;
  issuedAt: number;
  /** Epoch ms of expiry, `null` when the token never expires. */
  expiresAt: number | null;
  meta: Record<string, string> | null;
  displayName: string;
  /** Auth path that created the token (`"auth/token/create"`, `"auth/approle/login"`). */
  path: string;
}

/**
 * Input of a token seed. Defaults: `policies: ["default"]`, `allow: ["*"]`, `ttl: 0` (never expires),
 * `renewable: ttl > 0`, `explicitMaxTtl: 0`, `meta: null`, `displayName: "token"`, `path: "auth/token/create"`.
 */
export type VaultTokenSeed = Partial<Omit<VaultToken, "issuedAt" | "expiresAt">> & { token: string };

/** An AppRole role. */
export interface VaultAppRole {
  mount: string;
  roleName: string;
  roleId: string;
  secretIds: Set<string>;
  policies: string[];
  allow: string[];
  /** TTL in seconds of the tokens it issues. */
  ttl: number;
}

/** Input of an AppRole seed. Defaults: `mount: "approle"`, `policies: ["default"]`, `allow: ["*"]`, `ttl: 3600`. */
export interface VaultAppRoleSeed {
  mount?: string | undefined;
  roleName: string;
  roleId: string;
  secretIds: readonly string[];
  policies?: string[] | undefined;
  allow?: string[] | undefined;
  ttl?: number | undefined;
}

/** One version of a KV v2 secret. */
export interface VaultSecretVersion {
  version: number;
  /** `null` once destroyed. */
  data: Record<string, unknown> | null;
  createdTime: string;
  /** `""` while live, the soft-delete time otherwise. */
  deletionTime: string;
  destroyed: boolean;
}

/** A KV v2 secret with its version history (`versions[0]` is version 1). */
export interface VaultSecret {
  namespace: string;
  mount: string;
  path: string;
  versions: VaultSecretVersion[];
  customMetadata: Record<string, string> | null;
}

/** Where a secret lives: KV v2 mount (default `"secret"`) and namespace (default root, `""`). */
export interface VaultSecretLocation {
  mount?: string | undefined;
  namespace?: string | undefined;
}

/** In-memory data of a fake Vault. */
export interface VaultState {
  /** Keyed by token; delete one to revoke it. */
  tokens: Map<string, VaultToken>;
  /** Keyed by `<mount>:<roleId>`. */
  appRoles: Map<string, VaultAppRole>;
  /** Keyed by `<namespace>|<mount>/<path>`; use `fake.secretKey()` to build keys. */
  secrets: Map<string, VaultSecret>;
  kvMounts: Set<string>;
}

/** Options of `createFakeVault`. */
export interface FakeVaultOptions {
  /** Origin the handlers answer on; the API is at `<address>/v1/...` (default `http://vault.test`). */
  address?: string | undefined;
  /** Accepted tokens (default one never-expiring token `"test-vault-token"` allowed everywhere). */
  tokens?: readonly (string | VaultTokenSeed)[] | undefined;
  /** KV v2 mounts (default `["secret"]`). */
  kvMounts?: readonly string[] | undefined;
  appRoles?: readonly VaultAppRoleSeed[] | undefined;
  clock?: FakeClock | undefined;
}

/** Direct writes into a fake Vault's state. */
export interface VaultSeed {
  /** Writes a new version of a KV v2 secret. */
  secret(path: string, data: Record<string, unknown>, location?: VaultSecretLocation): VaultSecretVersion;
  token(seed: VaultTokenSeed): VaultToken;
  appRole(seed: VaultAppRoleSeed): VaultAppRole;
}

/** A fake Vault: MSW handlers over an in-memory state. */
export interface FakeVault {
  handlers: HttpHandler[];
  state: VaultState;
  seed: VaultSeed;
  clock: FakeClock;
  address: string;
  /** The first accepted token (`""` when `tokens` was empty). */
  token: string;
  /** Key of a secret in `state.secrets`. */
  secretKey(path: string, location?: VaultSecretLocation): string;
  inject(rule: FaultRule): FaultHandle;
  clearFaults(): void;
}
