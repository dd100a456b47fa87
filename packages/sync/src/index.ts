// Public API of @iac/sync: explicit named re-exports, sorted by module.
export { CONFIG_FILE } from "./config-file.js";
export { configHash, isConfigHash } from "./config-hash.js";
export { discoverServices } from "./discover-services.js";
export { globToRegExp } from "./glob-to-regexp.js";
export { IacConfigError } from "./iac-config-error.js";
export { isLegacyHash, legacyConfigHash } from "./legacy-config-hash.js";
export { mapChanges } from "./map-changes.js";
export { mergeEnv } from "./merge-env.js";
export { nextStagingTag } from "./next-staging-tag.js";
export { parseConfig } from "./parse-config.js";
export { parseDotenv } from "./parse-dotenv.js";
export { parsePushEvent } from "./parse-push-event.js";
export { planSync } from "./plan-sync.js";
export { promoteTag } from "./promote-tag.js";
export { CONFIG_HASH_KEY, readStoredHash } from "./read-stored-hash.js";
export { parseVersionTag } from "./semver.js";
export { serializeDotenv } from "./serialize-dotenv.js";
export { sign } from "./sign.js";
export { signRequest } from "./sign-request.js";
export type {
  CatalogIssue,
  CatalogIssueCode,
  CatalogService,
  ChangeMapping,
  ConfigHashInput,
  DeployedService,
  DesiredService,
  DotenvEntry,
  EnvironmentConfig,
  IacConfig,
  IgnoredPath,
  IgnoreReason,
  LayerMode,
  MergeEnvOptions,
  PushEvent,
  PushEventFiles,
  RequestHeaders,
  SelectedService,
  ServiceCatalog,
  ServiceConfig,
  ServiceFiles,
  SharedPaths,
  SignablePayload,
  SignedRequestHeaders,
  SignRequestOptions,
  SyncAction,
  SyncPlanItem,
  SyncReasonCode,
  VerifyRequestFailure,
  VerifyRequestOptions,
  VerifyRequestResult,
  VersionTag,
} from "./types.js";
export { verify } from "./verify.js";
export { verifyRequest } from "./verify-request.js";
export { verifyWithFallback } from "./verify-with-fallback.js";
