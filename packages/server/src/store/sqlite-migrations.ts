// Schema of the SQLite job store, one entry per version (index 0 is version 1). Append new versions; never edit
// one that has shipped, since stores already at that version skip it. Column names match the PostgreSQL schema so
// both share the row mapping (see store-rows.ts).

/** SQL of each schema version of the SQLite store, oldest first. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    -- AUTOINCREMENT: a pruned job's seq is never reused, so seq order is creation order for ever.
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    env TEXT NOT NULL,
    commit_sha TEXT NOT NULL,
    trigger TEXT NOT NULL,
    state TEXT NOT NULL,
    environment TEXT NOT NULL,
    delivery TEXT,
    triggered_by TEXT,
    tag TEXT,
    ref TEXT,
    follows_branch INTEGER NOT NULL,
    service_set TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX jobs_in_flight ON jobs (env, service_set) WHERE state IN ('queued', 'running');
  CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

  CREATE TABLE job_services (
    job_seq INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    env TEXT NOT NULL,
    service TEXT NOT NULL,
    definition TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    marker TEXT,
    runner_id TEXT,
    lease_until INTEGER,
    not_before INTEGER NOT NULL DEFAULT 0,
    cancel TEXT,
    PRIMARY KEY (job_seq, position),
    UNIQUE (job_seq, service)
  );
  -- At most one running service per (env, service) lane, whatever the queries above it get wrong.
  CREATE UNIQUE INDEX job_services_lane ON job_services (env, service) WHERE state = 'running';
  CREATE INDEX job_services_lanes ON job_services (env, service, state);
  CREATE INDEX job_services_open ON job_services (job_seq, position) WHERE state IN ('queued', 'running');

  CREATE TABLE delivery_keys (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE
  );
  CREATE INDEX delivery_keys_job ON delivery_keys (job_id);

  CREATE TABLE request_keys (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX request_keys_job ON request_keys (job_id);

  CREATE TABLE one_time_keys (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE environments (
    env TEXT PRIMARY KEY,
    planned TEXT
  );

  -- Apart from environments so that ending a job never waits on the row createJob locks (PostgreSQL shares this
  -- layout to keep its lock order acyclic).
  CREATE TABLE environment_synced (
    env TEXT PRIMARY KEY,
    synced TEXT,
    synced_seq INTEGER
  );
  `,
  // Version 2: the staging tag a production deploy promotes (the original release workflow's staging_tag).
  `
  ALTER TABLE jobs ADD COLUMN promoted_from TEXT;
  `,
  // Version 3: the failed job a rollback job undoes, and each job's reports (GitHub, notifications, rollback): how far
  // they got ('none', 'started', 'finished'), each reporter's progress, the retry time and the lease of the runner
  // delivering them. Jobs that ended before the upgrade count as reported, so an upgrade announces nothing old.
  // job_services_succeeded answers lastSuccessfulSync (what a rollback redeploys) with one index entry; without it
  // the newest success of a lane costs a sort of all its successes, or a walk back through every lane's services.
  `
  ALTER TABLE jobs ADD COLUMN rollback_of TEXT;
  ALTER TABLE jobs ADD COLUMN report_sent TEXT NOT NULL DEFAULT 'none';
  ALTER TABLE jobs ADD COLUMN report_progress TEXT;
  ALTER TABLE jobs ADD COLUMN report_not_before INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN report_holder TEXT;
  ALTER TABLE jobs ADD COLUMN report_lease_until INTEGER;
  UPDATE jobs SET report_sent = 'finished' WHERE state NOT IN ('queued', 'running');
  CREATE INDEX jobs_unreported ON jobs (seq) WHERE report_sent <> 'finished';
  CREATE INDEX job_services_succeeded ON job_services (env, service, job_seq) WHERE state = 'succeeded';
  `,
  // Version 4: the last drift detection round of each environment, which any runner sharing the store shows; the
  // round's time (ms) decides which of two rounds is kept.
  `
  CREATE TABLE drift_reports (
    env TEXT PRIMARY KEY,
    checked_at INTEGER NOT NULL,
    report TEXT NOT NULL
  );
  `,
  // Version 5: the newest job of a lane, which a claim (does a newer job replace this retry?) and a correction or
  // rollback being stored (is the lane as it was read?) look up, in one index entry instead of a walk through the
  // lane's whole history.
  `
  CREATE INDEX job_services_history ON job_services (env, service, job_seq);
  `,
];
