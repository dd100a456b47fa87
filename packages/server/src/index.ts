// Public API of @iac/server. Explicit named re-exports only, kept in Biome's sorted order (it merges comment sections).

export type { LoadedCatalog } from "./catalog.js";
export { loadCatalog } from "./catalog.js";
export { createRunner } from "./create-runner.js";
export { createSyncEngine } from "./engine/create-sync-engine.js";
export { createSyncContext } from "./engine/sync-context.js";
export { SyncError } from "./engine/sync-error.js";
export { syncService } from "./engine/sync-service.js";
export { createGitMirror } from "./git/git-mirror.js";
export { GitError } from "./git/run-git.js";
export type { HealthMonitor, HealthMonitorOptions, HealthReport } from "./health/create-health-monitor.js";
export { createHealthMonitor } from "./health/create-health-monitor.js";
export type { HttpErrorOptions } from "./http/http-error.js";
export { HttpError } from "./http/http-error.js";
export type { CreateLoggerOptions } from "./logging/create-logger.js";
export { createLogger } from "./logging/create-logger.js";
export type { NodeServer, NodeServerOptions } from "./node-server.js";
export { createNodeServer } from "./node-server.js";
export type { MemoryReplayStoreOptions } from "./replay-store.js";
export { createMemoryReplayStore } from "./replay-store.js";
export { DEFAULT_SECRETS_FILE, loadSettings } from "./settings.js";
export { SettingsError } from "./settings-error.js";
export type { SettingsSource, SettingsSourceOptions } from "./settings-source.js";
export { createSettingsSource } from "./settings-source.js";
export type {
  GitMirror,
  GitMirrorOptions,
  HealthCheck,
  HealthCheckState,
  LocalGitMirror,
  Logger,
  LogLevel,
  ReplayStore,
  Runner,
  RunnerOptions,
  RunnerSettings,
  SyncClock,
  SyncContext,
  SyncDokployOptions,
  SyncEngine,
  SyncEngineOptions,
  SyncErrorCode,
  SyncJob,
  SyncJobRequest,
  SyncResult,
  SyncStatus,
  SyncTarget,
  SyncVaultOptions,
  VaultLocation,
  VaultSession,
} from "./types.js";
export { version } from "./version.js";
