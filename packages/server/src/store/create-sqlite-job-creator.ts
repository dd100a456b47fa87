import type Database from "better-sqlite3";
import type { CreateJobResult, NewJob, SyncJob } from "../types.js";
import { checkNewJob } from "./check-new-job.js";
import type { SqliteJobReads } from "./create-sqlite-job-reads.js";
import type { SqliteSettleJob } from "./create-sqlite-job-settler.js";
import { movedLane } from "./moved-lane.js";
import { serviceSetKey } from "./service-set-key.js";
import { SQLITE_SUPERSEDE_SQL } from "./sqlite-supersede-sql.js";
import { supersededResult } from "./superseded-result.js";

interface QueuedInLane {
  job_seq: number;
  position: number;
  service: string;
  commit_sha: string;
}

/** Stores a job, or tells why not (see `JobStore.createJob`); runs in one `BEGIN IMMEDIATE` transaction. */
export type SqliteCreateJob = (job: NewJob) => CreateJobResult;

/** Prepares `createJob` of a SQLite store. */
export function createSqliteJobCreator(
  db: Database.Database,
  reads: SqliteJobReads,
  settle: SqliteSettleJob,
): SqliteCreateJob {
  const requestKey = db.prepare<[string, number], { job_id: string }>(
    "SELECT job_id FROM request_keys WHERE key = ? AND expires_at > ?",
  );
  const deliveryKey = db.prepare<[string], { job_id: string; state: string }>(
    "SELECT d.job_id, j.state FROM delivery_keys d JOIN jobs j ON j.id = d.job_id WHERE d.key = ?",
  );
  const planned = db.prepare<[string], { planned: string | null }>("SELECT planned FROM environments WHERE env = ?");
  const inFlightTwin = db.prepare<[string, string, string], { id: string }>(
    `SELECT id FROM jobs
     WHERE env = ? AND service_set = ? AND lower(commit_sha) = ? AND state IN ('queued', 'running')
     ORDER BY seq LIMIT 1`,
  );
  const insertJob = db.prepare(
    `INSERT INTO jobs (id, env, commit_sha, trigger, state, environment, delivery, triggered_by, tag, ref,
       promoted_from, rollback_of, follows_branch, service_set, created_at)
     VALUES (@id, @env, @commit, @trigger, 'queued', @environment, @delivery, @triggeredBy, @tag, @ref,
       @promotedFrom, @rollbackOf, @followsBranch, @serviceSet, @createdAt)`,
  );
  const insertService = db.prepare<[number, number, string, string, string, string]>(
    `INSERT INTO job_services (job_seq, position, env, service, definition, reason, state)
     VALUES (?, ?, ?, ?, ?, ?, 'queued')`,
  );
  const recordRequestKey = db.prepare<[string, string, number]>(
    `INSERT INTO request_keys (key, job_id, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id, expires_at = excluded.expires_at`,
  );
  const recordDeliveryKey = db.prepare<[string, string]>(
    "INSERT INTO delivery_keys (key, job_id) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id",
  );
  const movePlanned = db.prepare<[string, string]>(
    "INSERT INTO environments (env, planned) VALUES (?, ?) ON CONFLICT (env) DO UPDATE SET planned = excluded.planned",
  );
  const queuedInLanes = db.prepare<[string, number, string], QueuedInLane>(
    `SELECT s.job_seq, s.position, s.service, j.commit_sha
     FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.env = ? AND s.state = 'queued' AND s.job_seq <> ? AND s.service IN (SELECT value FROM json_each(?))
     ORDER BY s.job_seq, s.position`,
  );
  const supersede = db.prepare<[string, number, number]>(SQLITE_SUPERSEDE_SQL);
  // One look-up per named service, newest row of its lane first.
  const newestInLanes = db.prepare<[string, string], { service: string; id: string | null }>(
    `SELECT lane.value AS service,
       (SELECT j.id FROM job_services s JOIN jobs j ON j.seq = s.job_seq
        WHERE s.env = ? AND s.service = lane.value ORDER BY s.job_seq DESC LIMIT 1) AS id
     FROM json_each(?) AS lane`,
  );

  const known = (id: string): SyncJob => {
    const job = reads.byId(id);
    if (job === undefined) {
      // Keys reference jobs with ON DELETE CASCADE, so a key never outlives its job.
      throw new Error(`[@iac/server] job store inconsistency: expected job ${id} behind a dedupe key, received none`);
    }
    return job;
  };

  const recordKeys = (job: NewJob, id: string, now: number): void => {
    if (job.requestKey !== undefined) {
      recordRequestKey.run(job.requestKey.key, id, now + job.requestKey.ttlMs);
    }
    if (job.deliveryKey !== undefined) {
      recordDeliveryKey.run(job.deliveryKey, id);
    }
  };

  const create = (job: NewJob, now: number): CreateJobResult => {
    if (job.requestKey !== undefined) {
      const hit = requestKey.get(job.requestKey.key, now);
      if (hit !== undefined) {
        return { status: "duplicate", job: known(hit.job_id) };
      }
    }
    if (job.deliveryKey !== undefined) {
      const hit = deliveryKey.get(job.deliveryKey);
      if (hit !== undefined && hit.state !== "failed" && hit.state !== "cancelled") {
        return { status: "duplicate", job: known(hit.job_id) };
      }
    }
    if (job.cursor !== undefined) {
      const current = planned.get(job.env)?.planned ?? null;
      if (current !== job.cursor.expected) {
        return { status: "cursor_moved", planned: current };
      }
    }
    if (job.expectedNewest !== undefined) {
      const lanes = newestInLanes.all(job.env, JSON.stringify(Object.keys(job.expectedNewest)));
      const moved = movedLane(job, new Map(lanes.map(({ service, id }) => [service, id])));
      if (moved !== undefined) {
        return moved;
      }
    }
    const names = job.services.map(({ service }) => service.name);
    const serviceSet = serviceSetKey(names);
    const twin = inFlightTwin.get(job.env, serviceSet, job.commit.toLowerCase());
    if (twin !== undefined) {
      recordKeys(job, twin.id, now);
      return { status: "duplicate", job: known(twin.id) };
    }

    const seq = Number(
      insertJob.run({
        id: job.id,
        env: job.env,
        commit: job.commit,
        trigger: job.trigger,
        environment: JSON.stringify(job.environment),
        delivery: job.delivery,
        triggeredBy: job.triggeredBy,
        tag: job.tag,
        ref: job.ref,
        promotedFrom: job.promotedFrom,
        rollbackOf: job.rollbackOf ?? null,
        followsBranch: job.cursor === undefined ? 0 : 1,
        serviceSet,
        createdAt: job.createdAt,
      }).lastInsertRowid,
    );
    job.services.forEach(({ service, reason }, position) => {
      insertService.run(seq, position, job.env, service.name, JSON.stringify(service), JSON.stringify(reason));
    });
    recordKeys(job, job.id, now);
    if (job.cursor !== undefined) {
      movePlanned.run(job.env, job.commit);
    }

    const touched = new Set<number>();
    for (const row of queuedInLanes.all(job.env, seq, JSON.stringify(names))) {
      supersede.run(
        JSON.stringify(supersededResult(row.service, job.env, row.commit_sha, job.id)),
        row.job_seq,
        row.position,
      );
      touched.add(row.job_seq);
    }
    for (const other of touched) {
      settle(other, now);
    }
    return { status: "created", job: known(job.id) };
  };

  return (job) => {
    const now = checkNewJob(job);
    return db.transaction(create).immediate(job, now);
  };
}
