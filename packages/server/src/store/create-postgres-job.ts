import type pg from "pg";
import type { CreateJobResult, NewJob, SyncJob } from "../types.js";
import { findPostgresJob } from "./find-postgres-job.js";
import { movedLane } from "./moved-lane.js";
import { serviceSetKey } from "./service-set-key.js";
import { settlePostgresJob } from "./settle-postgres-job.js";
import { supersedePostgresServices } from "./supersede-postgres-services.js";

interface QueuedInLane {
  job_seq: string;
  position: number;
  service: string;
  commit_sha: string;
}

const known = async (client: pg.PoolClient, id: string): Promise<SyncJob> => {
  const job = await findPostgresJob(client, id);
  if (job === undefined) {
    // Keys reference jobs with ON DELETE CASCADE, so a key never outlives its job.
    throw new Error(`[@iac/server] job store inconsistency: expected job ${id} behind a dedupe key, received none`);
  }
  return job;
};

// Thrown when a dedupe key changed after this transaction read it: another runner created a job with the same key in
// another environment (whose lock this one does not hold). 40001 makes withPostgresTransaction run createJob again,
// which then finds the other job's key.
const lostRace = (key: string): Error =>
  Object.assign(new Error(`[@iac/server] dedupe key ${key} was taken concurrently`), { code: "40001" });

/**
 * Points the job's keys to `id`: a request key only when it is new or expired, a delivery key only when it is new
 * or still points to `previousDeliveryJob` (the failed or cancelled job this transaction saw).
 */
const recordKeys = async (
  client: pg.PoolClient,
  job: NewJob,
  id: string,
  previousDeliveryJob: string | null,
  now: number,
): Promise<void> => {
  if (job.requestKey !== undefined) {
    const recorded = await client.query(
      `INSERT INTO request_keys (key, job_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at
       WHERE request_keys.expires_at <= $4`,
      [job.requestKey.key, id, now + job.requestKey.ttlMs, now],
    );
    if (recorded.rowCount !== 1) {
      throw lostRace(job.requestKey.key);
    }
  }
  if (job.deliveryKey !== undefined) {
    const recorded = await client.query(
      `INSERT INTO delivery_keys (key, job_id) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET job_id = EXCLUDED.job_id WHERE delivery_keys.job_id = $3`,
      [job.deliveryKey, id, previousDeliveryJob],
    );
    if (recorded.rowCount !== 1) {
      throw lostRace(job.deliveryKey);
    }
  }
};

/**
 * `createJob` of the PostgreSQL store, in the caller's transaction (see `JobStore.createJob` for the rules). The
 * environment's row is locked first, so job creation is serialised per environment across every runner: of two
 * jobs racing with one delivery key or one cursor, the second sees the first one's committed rows. Across
 * environments, the keys are written only if they are still as read, else the transaction is retried.
 */
export async function createPostgresJob(client: pg.PoolClient, job: NewJob, now: number): Promise<CreateJobResult> {
  await client.query("INSERT INTO environments (env) VALUES ($1) ON CONFLICT DO NOTHING", [job.env]);
  const environment = await client.query<{ planned: string | null }>(
    "SELECT planned FROM environments WHERE env = $1 FOR UPDATE",
    [job.env],
  );
  if (job.requestKey !== undefined) {
    const hit = await client.query<{ job_id: string }>(
      "SELECT job_id FROM request_keys WHERE key = $1 AND expires_at > $2",
      [job.requestKey.key, now],
    );
    if (hit.rows[0] !== undefined) {
      return { status: "duplicate", job: await known(client, hit.rows[0].job_id) };
    }
  }
  let previousDeliveryJob: string | null = null;
  if (job.deliveryKey !== undefined) {
    const hit = await client.query<{ job_id: string; state: string }>(
      "SELECT d.job_id, j.state FROM delivery_keys d JOIN jobs j ON j.id = d.job_id WHERE d.key = $1",
      [job.deliveryKey],
    );
    const row = hit.rows[0];
    if (row !== undefined && row.state !== "failed" && row.state !== "cancelled") {
      return { status: "duplicate", job: await known(client, row.job_id) };
    }
    previousDeliveryJob = row?.job_id ?? null;
  }
  if (job.cursor !== undefined) {
    const planned = environment.rows[0]?.planned ?? null;
    if (planned !== job.cursor.expected) {
      return { status: "cursor_moved", planned };
    }
  }
  if (job.expectedNewest !== undefined) {
    const lanes = await client.query<{ service: string; id: string }>(
      `SELECT DISTINCT ON (s.service) s.service, j.id FROM job_services s JOIN jobs j ON j.seq = s.job_seq
       WHERE s.env = $1 AND s.service = ANY($2)
       ORDER BY s.service, s.job_seq DESC`,
      [job.env, Object.keys(job.expectedNewest)],
    );
    const moved = movedLane(job, new Map(lanes.rows.map(({ service, id }) => [service, id])));
    if (moved !== undefined) {
      return moved;
    }
  }
  const names = job.services.map(({ service }) => service.name);
  const serviceSet = serviceSetKey(names);
  const twin = await client.query<{ id: string }>(
    `SELECT id FROM jobs
     WHERE env = $1 AND service_set = $2 AND lower(commit_sha) = $3 AND state IN ('queued', 'running')
     ORDER BY seq LIMIT 1`,
    [job.env, serviceSet, job.commit.toLowerCase()],
  );
  if (twin.rows[0] !== undefined) {
    await recordKeys(client, job, twin.rows[0].id, previousDeliveryJob, now);
    return { status: "duplicate", job: await known(client, twin.rows[0].id) };
  }

  const inserted = await client.query<{ seq: string }>(
    `INSERT INTO jobs (id, env, commit_sha, trigger, state, environment, delivery, triggered_by, tag, ref,
       promoted_from, rollback_of, follows_branch, service_set, created_at)
     VALUES ($1, $2, $3, $4, 'queued', $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     RETURNING seq`,
    [
      job.id,
      job.env,
      job.commit,
      job.trigger,
      JSON.stringify(job.environment),
      job.delivery,
      job.triggeredBy,
      job.tag,
      job.ref,
      job.promotedFrom,
      job.rollbackOf ?? null,
      job.cursor !== undefined,
      serviceSet,
      job.createdAt,
    ],
  );
  const seq = inserted.rows[0]?.seq;
  if (seq === undefined) {
    throw new Error("[@iac/server] job store inconsistency: expected the new job's seq, received none");
  }
  await client.query(
    `INSERT INTO job_services (job_seq, position, env, service, definition, reason, state)
     SELECT $1, t.position, $2, t.service, t.definition, t.reason, 'queued'
     FROM unnest($3::int[], $4::text[], $5::jsonb[], $6::jsonb[]) AS t (position, service, definition, reason)`,
    [
      seq,
      job.env,
      job.services.map((_, position) => position),
      names,
      job.services.map(({ service }) => JSON.stringify(service)),
      job.services.map(({ reason }) => JSON.stringify(reason)),
    ],
  );
  await recordKeys(client, job, job.id, previousDeliveryJob, now);
  if (job.cursor !== undefined) {
    await client.query("UPDATE environments SET planned = $2 WHERE env = $1", [job.env, job.commit]);
  }
  await supersede(client, job, seq, names, now);
  return { status: "created", job: await known(client, job.id) };
}

// Queued services of other jobs in the new job's lanes give way to it. Their jobs are locked first (in seq order),
// keeping the lock order of every writer: environments, jobs, job_services.
async function supersede(
  client: pg.PoolClient,
  job: NewJob,
  seq: string,
  names: readonly string[],
  now: number,
): Promise<void> {
  const locked = await client.query<{ seq: string }>(
    `SELECT j.seq FROM jobs j
     WHERE j.env = $1 AND j.seq <> $2 AND j.state IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM job_services s WHERE s.job_seq = j.seq AND s.state = 'queued' AND s.service = ANY($3))
     ORDER BY j.seq
     FOR UPDATE`,
    [job.env, seq, names],
  );
  if (locked.rows.length === 0) {
    return;
  }
  const queued = await client.query<QueuedInLane>(
    `SELECT s.job_seq, s.position, s.service, j.commit_sha
     FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.job_seq = ANY($1::bigint[]) AND s.state = 'queued' AND s.service = ANY($2)`,
    [locked.rows.map((row) => row.seq), names],
  );
  await supersedePostgresServices(
    client,
    queued.rows.map((row) => ({ ...row, env: job.env, supersededBy: job.id })),
  );
  for (const { seq: other } of locked.rows) {
    await settlePostgresJob(client, other, now);
  }
}
