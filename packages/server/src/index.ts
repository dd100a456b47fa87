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
export type { NodeListener, NodeListenerOptions } from "./node-listener.js";
export { createNodeListener } from "./node-listener.js";
export type { NodeServer, NodeServerOptions } from "./node-server.js";
export { createNodeServer } from "./node-server.js";
export { ReportPartial, ReportRefused } from "./report/report-refused.js";
export { DEFAULT_SECRETS_FILE, defineSettings, loadSettings } from "./settings.js";
export { SettingsError } from "./settings-error.js";
export type { SettingsSource, SettingsSourceOptions } from "./settings-source.js";
export { createSettingsSource } from "./settings-source.js";
export type { PostgresStoreOptions } from "./store/create-postgres-store.js";
export { createPostgresStore } from "./store/create-postgres-store.js";
export type { SqliteStoreOptions } from "./store/create-sqlite-store.js";
export { createSqliteStore } from "./store/create-sqlite-store.js";
export { openStore } from "./store/open-store.js";
export { StoreError } from "./store/store-error.js";
export type {
  CancelAction,
  CancelOutcome,
  ClaimedReport,
  ClaimedTask,
  CreateJobResult,
  DeployMarker,
  DriftCorrection,
  DriftReport,
  DriftRoundOutcome,
  DriftRoundReport,
  DriftState,
  EnvironmentCursor,
  EnvironmentDrift,
  GitMirror,
  GitMirrorOptions,
  HealthCheck,
  HealthCheckState,
  JobNotification,
  JobPage,
  JobQuery,
  JobReport,
  JobReporter,
  JobService,
  JobState,
  JobStore,
  JobTrigger,
  LastSuccessfulSync,
  LeaseState,
  LocalGitMirror,
  Logger,
  LogLevel,
  NewJob,
  NewJobService,
  ReporterProgress,
  ReportMemo,
  ReportOutcome,
  ReportPhase,
  Runner,
  RunnerOptions,
  RunnerSettings,
  ServiceDrift,
  ServiceNotification,
  SettingsInput,
  SettingsProblem,
  StoredJobResult,
  SyncAttempt,
  SyncClock,
  SyncContext,
  SyncDokployOptions,
  SyncEngine,
  SyncEngineOptions,
  SyncEngineTiming,
  SyncErrorCode,
  SyncJob,
  SyncResult,
  SyncStatus,
  SyncTarget,
  SyncVaultOptions,
  VariableLookup,
  VaultLocation,
  VaultSession,
} from "./types.js";
export { version } from "./version.js";
