// Public types of @iac/sync. Each section belongs to one area of the package.

// --- signatures ---

/** A request body or webhook payload: a string is signed as its UTF-8 bytes. */
export type SignablePayload = string | Uint8Array;

/** Verifies GitHub-style signatures with the secrets it was made with (see `createVerifier`). */
export interface WebhookVerifier {
  /**
   * Whether `signature` (`sha256=<64 hex>`, as sent in `X-Hub-Signature-256`) is the HMAC-SHA256 of `payload`, the
   * raw body, under one of the secrets; false, never an error, for a missing or malformed signature. The answer is
   * given at once where the runtime has a built-in crypto module (Node, Bun, Deno), else as a promise (WebCrypto).
   *
   * @throws {TypeError} when `payload` is neither a string nor a Uint8Array.
   */
  verify(payload: SignablePayload, signature: unknown): boolean | Promise<boolean>;
}

/** Headers a CI job sends with a signed request to the runner (`/deploy`, `/sync`). */
export interface SignedRequestHeaders {
  /** `sha256=<64 hex>`: HMAC-SHA256 over `"<timestamp>.<nonce>.<body>"`. */
  "x-hub-signature-256": string;
  /** Unix time in seconds, decimal. */
  "x-iac-timestamp": string;
  /** 8 to 128 characters of `[A-Za-z0-9._:-]`, unique per request. */
  "x-iac-nonce": string;
}

/** Input of `signRequest`. */
export interface SignRequestOptions {
  secret: string;
  /** The exact bytes that will be sent as the body. */
  body: SignablePayload;
  /** Unix time in seconds; defaults to now. */
  timestamp?: number | undefined;
  /** 8 to 128 characters of `[A-Za-z0-9._:-]`; defaults to 32 random hex characters. */
  nonce?: string | undefined;
}

/** Request headers as a `Headers` object or a plain object with lower-case names (Node's `IncomingHttpHeaders`). */
export type RequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Input of `verifyRequest`. */
export interface VerifyRequestOptions {
  /** Accepted secrets, current first and previous ones after (rotation). Must not be empty. */
  secrets: readonly string[];
  /** The raw body exactly as received. */
  body: SignablePayload;
  headers: RequestHeaders;
  /** Unix time in seconds; defaults to now. */
  now?: number | undefined;
  /** Largest accepted distance between `now` and the request timestamp, either direction; defaults to 300. */
  maxSkewSeconds?: number | undefined;
}

/** Why `verifyRequest` refused a request. */
export type VerifyRequestFailure = "missing-signature" | "malformed" | "bad-signature" | "stale";

/**
 * Outcome of `verifyRequest`. On success the timestamp and nonce are returned so the caller can refuse a nonce it
 * has already seen within the skew window.
 */
export type VerifyRequestResult =
  | { ok: true; timestamp: number; nonce: string }
  | { ok: false; reason: VerifyRequestFailure };

// --- push events ---

/** Paths touched by a push, each path in exactly one list (see `parsePushEvent` for the merge rule). */
export interface PushEventFiles {
  added: string[];
  modified: string[];
  removed: string[];
}

/** Which ref a GitHub `push` moved, from where to where (see `readPushRef`). */
export interface PushRef {
  /** Full ref, e.g. `refs/heads/main` or `refs/tags/v1.2.3`. */
  ref: string;
  /** Branch name when `ref` is under `refs/heads/`, else null. */
  branch: string | null;
  /** Tag name when `ref` is under `refs/tags/`, else null. */
  tag: string | null;
  /** Commit SHA before the push; all zeros when the ref was created. */
  before: string;
  /** Commit SHA after the push; all zeros when the ref was deleted. */
  after: string;
}

/** What a GitHub `push` webhook payload says about its ref, without its commits (see `parsePushHead`). */
export interface PushHead extends PushRef {
  created: boolean;
  deleted: boolean;
  forced: boolean;
}

/** The parts of a GitHub `push` webhook payload the runner acts on. */
export interface PushEvent extends PushHead {
  files: PushEventFiles;
  /**
   * False when `commits` may not describe the whole change (new or deleted ref, forced push, 2048 or more commits,
   * a commit without file lists); diff `before..after` in git instead of trusting `files`.
   */
  complete: boolean;
}

// --- config, discovery and mapping ---

/** How the runner treats the service folders of a layer: synced on push, deployed by hand, or not services at all. */
export type LayerMode = "auto" | "manual" | "ignore";

/** A set of paths outside service folders whose changes select other services (e.g. `libs/**` → every service). */
export interface SharedPaths {
  /** Globs relative to the repository root. */
  paths: readonly string[];
  /** `"*"` for every `auto` service, else the names of the services to select. */
  services: "*" | readonly string[];
}

/** Values that differ between deploy environments (`staging`, `production`, ...). */
export interface EnvironmentConfig {
  /** Value of the `ENV` variable handed to services; defaults to the environment's name. */
  env: string;
  /**
   * The environment's suffix, handed to services as `ENV_SUFFIX` (container names) and `ENV_DOMAIN_SUFFIX` (host
   * names), and `{suffix}` in `dataPath`: `""` for `production`, `-<name>` for any other environment.
   */
  domainSuffix: string;
  /** Dokploy environment that holds this environment's composes; defaults to the environment's name. */
  dokployEnvironment: string;
  /**
   * Host data directory template (`DATA_PATH`), with `{env}`, `{service}`, `{layer}` and `{suffix}`; defaults to
   * `/data/{layer}/{service}{suffix}`, the original runner's folders.
   */
  dataPath: string;
  /**
   * `auto`: when a deploy of a tag fails here (deploy error, timeout or a failing `probe`), the runner redeploys the
   * service's last successful content and reports both outcomes; a rollback is never itself rolled back. Default `off`.
   */
  rollback: "auto" | "off";
  /** What drift detection does when Dokploy differs from the last synced commit: `report` (default) or `correct` it. */
  reconcile: "report" | "correct";
  /** Where finished jobs of this environment are announced; none by default. */
  notify: readonly NotifyTarget[];
}

/** One `notify` entry of an environment: one message per finished job, never one per service. */
export interface NotifyTarget {
  /** `slack`: a Slack-compatible incoming webhook; `webhook`: JSON signed with HMAC-SHA256 (`X-Iac-Signature-256`). */
  type: "slack" | "webhook";
  /** An http(s) URL, or `$NAME` of the runner's variable (environment or secrets file) that holds it. */
  url: string;
  /** `$NAME` of the variable holding the webhook's signing key; null for `slack`. */
  secret: string | null;
  /** `failure` (default): failed jobs only; `all`: every finished job. */
  on: "failure" | "all";
}

/** `probe` of a service: an HTTP GET that must answer 2xx after each deploy. */
export interface ProbeConfig {
  /** http(s) URL template with `{env}`, `{service}` and `{suffix}` (the environment's `domainSuffix`). */
  url: string;
  /** How long the probe may keep failing after the deploy before the sync fails with `probe_failed` (default 60). */
  timeoutSeconds: number;
}

/** Per-service settings from `services.<name>` in `iac.config.yaml`; null means "use the default". */
export interface ServiceConfig {
  /** Compose file path relative to the service folder; null tries `compose.yaml`, `compose.yml`, `docker-compose.yaml`, `docker-compose.yml`. */
  compose: string | null;
  /** Extra globs whose files belong to the service: relative to its folder (`../x/**`), or to the root with a leading `/`. */
  files: readonly string[];
  dokploy: {
    /** Dokploy project name; null means the layer's folder. */
    project: string | null;
    /** Dokploy environment name template (`{env}`, `{service}`); null means the environment's `dokployEnvironment`. */
    environment: string | null;
    /** Dokploy compose name; null means the service name. */
    compose: string | null;
  };
  /** Vault KV paths templates (`{env}`, `{service}`) read for the service's secrets; nothing else is read. */
  vault: readonly string[];
  /** Static environment variables for every environment. */
  env: Readonly<Record<string, string>>;
  /** Checked after each deploy of the service; null (the default) for none. */
  probe: ProbeConfig | null;
}

/** A validated `iac.config.yaml` with every default filled in (see `parseConfig`). */
export interface IacConfig {
  /** Layer folder (relative to the repository root) → mode, in declaration order. */
  layers: Readonly<Record<string, LayerMode>>;
  shared: readonly SharedPaths[];
  /** Environment name → values; at least one. */
  environments: Readonly<Record<string, EnvironmentConfig>>;
  /** Service name → overrides; services without an entry use the defaults. */
  services: Readonly<Record<string, ServiceConfig>>;
}

/**
 * One thing wrong with an `iac.config.yaml`: where (the key path, and the line and column in the text when they can
 * be told) and what (what was expected and what was received).
 */
export interface ConfigProblem {
  /** `services.postgres.vault[0]`, `layers["a/b"]`; `""` for the whole file (invalid YAML, not a mapping). */
  keyPath: string;
  /** What was expected and what was received, without the `[@iac/sync] invalid iac.config.yaml at …:` lead. */
  message: string;
  /** 1-based line of the offending key or value, or of its nearest enclosing one that exists; null when unknown. */
  line: number | null;
  /** 1-based column on `line`; null when unknown. */
  column: number | null;
}

/** Result of `validateConfigText`: the config (as `parseConfig` returns it) or every problem, never both. */
export type ConfigValidation =
  | { ok: true; config: IacConfig; problems: readonly [] }
  | { ok: false; config: null; problems: readonly ConfigProblem[] };

/** One service found in the repository tree: a folder directly under an `auto` or `manual` layer holding a compose file. */
export interface CatalogService {
  /** Folder name without its number prefix (`platform/01.postgres` → `postgres`); unique in the catalog. */
  name: string;
  /** Repository path of the service folder, e.g. `platform/01.postgres`. */
  folder: string;
  /** Layer folder, e.g. `platform`. */
  layer: string;
  /** `manual` services are listed so callers can refuse them explicitly; only `auto` ones are ever selected. */
  mode: "auto" | "manual";
  /** Repository path of the compose file. */
  compose: string;
  /** Repository paths that belong to the service (its folder plus its extra globs), sorted. */
  files: readonly string[];
  /** The service's extra globs, resolved relative to the repository root. */
  include: readonly string[];
  dokploy: {
    project: string;
    /** Template with `{env}`/`{service}`; null means the environment's `dokployEnvironment`. */
    environment: string | null;
    compose: string;
  };
  /** Vault path templates (`{env}`, `{service}`). */
  vault: readonly string[];
  env: Readonly<Record<string, string>>;
  /** The service's `probe`, checked after each deploy; absent when none is configured. */
  probe?: ProbeConfig | undefined;
}

/** Why something in the tree or the config did not become (part of) a service. */
export type CatalogIssueCode = "missing_compose" | "unused_override" | "unknown_shared_target";

/** A non-fatal finding of `discoverServices`, worth showing to whoever maintains the repository. */
export interface CatalogIssue {
  code: CatalogIssueCode;
  /** The folder (`missing_compose`) or the config key path (`services.foo`, `shared[0].services[1]`). */
  path: string;
  message: string;
}

/** Every service of one commit, with the config that shaped it. Treat as immutable: it is frozen. */
export interface ServiceCatalog {
  config: IacConfig;
  /** Sorted by name. */
  services: readonly CatalogService[];
  issues: readonly CatalogIssue[];
}

/** Why `validateServices` cannot build a catalog. */
export type ServiceProblemCode = "duplicate_service" | "files_outside_repository";

/** A problem that makes the services of a commit ambiguous or invalid (`discoverServices` throws the first one). */
export interface ServiceProblem {
  code: ServiceProblemCode;
  /** The folder (`duplicate_service`: the second folder with the name) or the config key path (`services.pg.files[0]`). */
  path: string;
  message: string;
}

/** Result of `validateServices`: the catalog, or every problem that prevents it. */
export type ServiceValidation =
  | { ok: true; catalog: ServiceCatalog; problems: readonly [] }
  | { ok: false; catalog: null; problems: readonly ServiceProblem[] };

/** Machine-readable reason a changed path selected no service. */
export type IgnoreReason =
  | "manual_layer"
  | "ignored_layer"
  | "outside_layers"
  | "not_a_service"
  | "missing_compose"
  | "unknown_service"
  | "shared_without_targets";

/** A changed path that selected no service, with a reason code and a sentence for humans. */
export interface IgnoredPath {
  path: string;
  reason: IgnoreReason;
  detail: string;
}

/** An `auto` service selected by a change, with the changed paths that selected it (sorted). */
export interface SelectedService {
  name: string;
  reasons: string[];
}

/** Result of `mapChanges`: every distinct input path is either in some service's `reasons` or in `ignored`. */
export interface ChangeMapping {
  /** Sorted by name. */
  services: SelectedService[];
  /** Sorted by path. */
  ignored: IgnoredPath[];
}

// --- config hash, env, plan, release tags ---

/**
 * The files of a service other than its compose file, keyed by repository-relative path (e.g.
 * `platform/01.postgres/init.sql`). A string is hashed as its UTF-8 bytes, a `Uint8Array` as is, so both forms of
 * the same content give the same hash. Paths are hashed exactly as given: normalise them before hashing.
 */
export type ServiceFiles = Readonly<Record<string, string | Uint8Array>>;

/** Input of `configHash`. */
export interface ConfigHashInput {
  /** The compose file text. */
  compose: string;
  files?: ServiceFiles | undefined;
  /**
   * Plain env values the service is deployed with, not including `IAC_CONFIG_HASH` itself. An empty value counts
   * (it differs from an absent key).
   */
  env?: Readonly<Record<string, string>> | undefined;
  /** Secret values (e.g. from Vault); they enter the hash only through an HMAC keyed with `secretKey`. */
  secrets?: Readonly<Record<string, string>> | undefined;
  /** HMAC key for `secrets`, required when `secrets` is not empty. Keep it as secret as the secrets themselves. */
  secretKey?: string | Uint8Array | undefined;
}

/**
 * The config hash of a service and a digest of each of its inputs (see `configHashDigests`), so that two sets of
 * inputs can be compared entry by entry without holding any secret value. Digests are `sha256:<64 hex>`, or
 * `hmac-sha256:<64 hex>` for secrets.
 */
export interface ConfigHashDigests {
  /** `configHash` of the same input. */
  hash: string;
  /** Digest of the compose text (UTF-8). */
  compose: string;
  /** Repository path → digest of the file's bytes. */
  files: Readonly<Record<string, string>>;
  /** Env key → digest of its value (UTF-8). */
  env: Readonly<Record<string, string>>;
  /** Secret key → HMAC-SHA256 keyed with `secretKey`, over the key and value encoded as the hash encodes them. */
  secrets: Readonly<Record<string, string>>;
}

/** The plain (non-secret) digests of a service's inputs, as `diffConfigDigests` compares them. */
export type PlainConfigDigests = Pick<ConfigHashDigests, "compose" | "files" | "env">;

/** How one file or env key differs between two sets of inputs. */
export interface InputChange {
  /** The file path or the env key. */
  name: string;
  change: "added" | "removed" | "modified";
}

/** What differs between two sets of plain inputs (see `diffConfigDigests`). */
export interface ConfigDigestDiff {
  compose: boolean;
  /** Sorted by path (code-point order). */
  files: InputChange[];
  /** Sorted by key (code-point order). */
  env: InputChange[];
}

/** One assignment of a dotenv text. */
export interface DotenvEntry {
  key: string;
  value: string;
}

/** Options of `mergeEnv`. */
export interface MergeEnvOptions {
  /** Every key the runner owns (previously and currently managed); owned keys absent from `managed` are removed. */
  managedKeys: Iterable<string>;
}

/** A service the repository wants deployed, with the config hash of its current configuration. */
export interface DesiredService {
  service: string;
  /** `configHash` of the service. */
  hash: string;
  /** `legacyConfigHash` of the service, so that hashes stored by the original runner count as up to date. */
  legacyHash?: string | undefined;
}

/** A service as found in Dokploy. */
export interface DeployedService {
  service: string;
  /** The stored config hash (`readStoredHash`), or null when none is stored. */
  hash: string | null;
  exists: boolean;
}

/** What `planSync` decided for a service. */
export type SyncAction = "create" | "update" | "skip";

/** Why `planSync` decided it; see `planSync` for the table. */
export type SyncReasonCode = "missing" | "no_hash" | "hash_changed" | "up_to_date" | "legacy_match";

/** One decision of `planSync`. */
export interface SyncPlanItem {
  service: string;
  action: SyncAction;
  reason: { code: SyncReasonCode; message: string };
}

/** A release version `vMAJOR.MINOR.PATCH`. */
export interface VersionTag {
  major: number;
  minor: number;
  patch: number;
}

// --- job plans ---

/** What asked for a job: a GitHub push, a CI `/deploy`, a `/sync`, or the runner's own catch-up of the branch. */
export type PlanTrigger = "webhook" | "deploy" | "sync" | "catchup";

/**
 * Why a service is in a plan: its files changed, it was named in the request, or every service was asked for; or,
 * in a job the runner makes itself, it redeploys the last successful content after a failed deploy (`rollback`).
 */
export type PlanReasonCode = "changed" | "requested" | "all" | "rollback";

/** The reason of one planned service, for people (`message`) and programs (`code`, `paths`). */
export interface PlanReason {
  code: PlanReasonCode;
  message: string;
  /** With `changed`: the changed paths that selected the service, sorted. */
  paths?: string[] | undefined;
}

/**
 * A commit a request says its target is at. The original runner's release workflows send two such fields with
 * `/deploy`: `commit` (the commit the staging workflow tagged) and `staging_tag` (the staging release a production tag
 * promotes). The server resolves each to a commit; `resolvePlan` refuses the request unless it is the target's.
 */
export interface CommitClaim {
  /** The request field, e.g. `commit` or `staging_tag`. */
  field: string;
  /** The field's value as sent: a commit SHA or a tag name. */
  value: string;
  /** The commit the value names: 40 hex digits of either case. */
  commit: string;
}

/**
 * A request to resolve. Branch-following triggers give the paths changed since the last synced commit; explicit
 * ones name services (`postgres`, `platform/postgres` or `platform/01.postgres`; a non-empty list) or leave
 * `services` out, meaning every service the runner may sync, and may say which commit their target is at (`claims`).
 */
export type PlanRequest =
  | { trigger: "webhook" | "catchup"; env: string; changedPaths: readonly string[] }
  | {
      trigger: "deploy" | "sync";
      env: string;
      services?: readonly string[] | undefined;
      claims?: readonly CommitClaim[] | undefined;
    };

/** Input of `resolvePlan`: the request and the repository at the commit it resolved to. */
export interface PlanInput {
  request: PlanRequest;
  /** The commit every service is synced at: 40 hex digits of either case (the plan has it in lower case). */
  commit: string;
  /** The catalog discovered at `commit`; its `config` holds the environments. */
  catalog: ServiceCatalog;
}

/** One service of a plan, with everything needed to sync it. */
export interface PlannedService {
  service: CatalogService;
  reason: PlanReason;
}

/** Something a change touched that the plan leaves out, and why: either a path or a service, never both. */
export interface PlanSkip {
  /** The changed path, for path-level skips (`mapChanges(...).ignored`, same reason and detail). */
  path?: string | undefined;
  /** The service, for service-level skips: an `auto` service of the bootstrap layer a change selected. */
  service?: string | undefined;
  reason: IgnoreReason | "bootstrap_layer";
  detail: string;
}

/** A request resolved once: environment, commit and each service with its reason. */
export interface JobPlan {
  trigger: PlanTrigger;
  env: string;
  /** Lower-case. */
  commit: string;
  /** The config of `env`. */
  environment: EnvironmentConfig;
  /**
   * In catalog order (sorted by name), except services named in the request, which keep the request's order;
   * empty when the request changes nothing.
   */
  services: PlannedService[];
  /** Only for `webhook` and `catchup`: ignored paths (sorted by path), then skipped services (sorted by name). */
  skipped: PlanSkip[];
}

/**
 * Every error code a request can be refused with while it is resolved into a plan. `PLAN_ERRORS` gives each its
 * HTTP status.
 */
export type PlanErrorCode =
  | "unknown_env"
  | "unknown_service"
  | "service_manual"
  | "config_invalid"
  | "invalid_tag"
  | "invalid_ref"
  | "tag_not_found"
  | "commit_not_found"
  | "commit_mismatch"
  | "branch_not_found"
  | "git_fetch_failed";
