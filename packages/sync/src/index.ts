// Public API of @iac/sync: explicit named re-exports, sorted by module.
export { CONFIG_FILE } from "./config-file.js";
export { configHash, isConfigHash } from "./config-hash.js";
export { configHashDigests } from "./config-hash-digests.js";
export { createVerifier } from "./create-verifier.js";
export { diffConfigDigests } from "./diff-config-digests.js";
export { discoverServices } from "./discover-services.js";
export { environmentVariables } from "./environment-variables.js";
export { findService } from "./find-service.js";
export { formatKeyPath } from "./format-key-path.js";
export { globToRegExp } from "./glob-to-regexp.js";
export { IacConfigError } from "./iac-config-error.js";
export { BOOTSTRAP_LAYER, isSyncable } from "./is-syncable.js";
export { isLegacyHash, legacyConfigHash } from "./legacy-config-hash.js";
export { mapChanges } from "./map-changes.js";
export { mergeEnv } from "./merge-env.js";
export { nextStagingTag } from "./next-staging-tag.js";
export { parseConfig } from "./parse-config.js";
export { parseDotenv } from "./parse-dotenv.js";
export { parsePushEvent } from "./parse-push-event.js";
export { parsePushHead } from "./parse-push-head.js";
export { PlanError } from "./plan-error.js";
export { PLAN_ERRORS } from "./plan-errors.js";
export { planSync } from "./plan-sync.js";
export { promoteTag } from "./promote-tag.js";
export { PushEventError } from "./push-event-error.js";
export { readPushRef } from "./read-push-ref.js";
export { CONFIG_HASH_KEY, readStoredHash } from "./read-stored-hash.js";
export { resolvePlan } from "./resolve-plan.js";
export { parseVersionTag } from "./semver.js";
export { serializeDotenv } from "./serialize-dotenv.js";
export { sign } from "./sign.js";
export { signRequest } from "./sign-request.js";
export type {
  CatalogIssue,
  CatalogIssueCode,
  CatalogService,
  ChangeMapping,
  CommitClaim,
  ConfigDigestDiff,
  ConfigHashDigests,
  ConfigHashInput,
  ConfigProblem,
  ConfigValidation,
  DeployedService,
  DesiredService,
  DotenvEntry,
  EnvironmentConfig,
  IacConfig,
  IgnoredPath,
  IgnoreReason,
  InputChange,
  JobPlan,
  LayerMode,
  MergeEnvOptions,
  NotifyTarget,
  PlainConfigDigests,
  PlanErrorCode,
  PlanInput,
  PlannedService,
  PlanReason,
  PlanReasonCode,
  PlanRequest,
  PlanSkip,
  PlanTrigger,
  ProbeConfig,
  PushEvent,
  PushEventFiles,
  PushHead,
  PushRef,
  RequestHeaders,
  SelectedService,
  ServiceCatalog,
  ServiceConfig,
  ServiceFiles,
  ServiceProblem,
  ServiceProblemCode,
  ServiceValidation,
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
  WebhookVerifier,
} from "./types.js";
export { validateConfigText } from "./validate-config-text.js";
export { validateServices } from "./validate-services.js";
export { verify } from "./verify.js";
export { verifyRequest } from "./verify-request.js";
export { verifyWithFallback } from "./verify-with-fallback.js";
