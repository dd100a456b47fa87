// Public API of @iac/sdk. Explicit named re-exports only.

// --- clients ---
export { classifyDokployError } from "./dokploy/classify-dokploy-error.js";
export { createDokployClient } from "./dokploy/create-dokploy-client.js";
export { RequestTimeoutError } from "./http/request-timeout-error.js";
export type {
  DokployApplication,
  DokployClient,
  DokployClientOptions,
  DokployCompose,
  DokployComposeDetail,
  DokployComposeStatus,
  DokployComposeSummary,
  DokployDeployment,
  DokployDeploymentStatus,
  DokployDeployResult,
  DokployDomain,
  DokployEnvironment,
  DokployEnvironmentDetail,
  DokployErrorBody,
  DokployErrorInfo,
  DokployMount,
  DokployPaths,
  DokployProject,
  DokployProjectCreated,
  DokployProjectDetail,
  DokployProjectListItem,
  FetchLike,
  KvReadResult,
  KvVersionMetadata,
  LoginAppRoleOptions,
  ReadKvOptions,
  RenewSelfOptions,
  RetryOptions,
  SdkErrorCode,
  SdkErrorInfo,
  VaultAuth,
  VaultClient,
  VaultClientOptions,
  VaultEnvelope,
  VaultErrorBody,
  VaultErrorInfo,
  VaultPaths,
  VaultResult,
  VaultTokenInfo,
} from "./types.js";
export { classifyVaultError } from "./vault/classify-vault-error.js";
export { createVaultClient } from "./vault/create-vault-client.js";
// --- end clients ---
