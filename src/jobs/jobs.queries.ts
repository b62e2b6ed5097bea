/**
 * SQL for the durable job queue. A job is claimed by flipping it to `running` with a lease in
 * one statement over rows locked with FOR UPDATE SKIP LOCKED, so two workers never take the same
 * job, and a job whose worker died is taken again once its lease runs out.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { JobRow } from '../db/schema.ts';

/** A new job. */
export interface NewJob {
  queue: string;
  payload: Record<string, unknown>;
  idempotencyKey?: string | null | undefined;
  runAt?: Date | undefined;
  maxAttempts?: number | undefined;
}

/** Inserts a job unless one with the same idempotency key exists; returns the job's id either way. */
export async function insertJob(db: Executor, job: NewJob): Promise<{ id: number; created: boolean }> {
  const inserted = await db
    .insertInto('jobs')
    .values({
      queue: job.queue,
      payload: JSON.stringify(job.payload),
      idempotency_key: job.idempotencyKey ?? null,
      ...(job.runAt ? { run_at: job.runAt } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db.selectFrom('jobs').select('id').where('idempotency_key', '=', job.idempotencyKey ?? '').executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Claims up to `limit` due jobs of the given queues for a worker, with a lease. */
export async function claimJobs(db: Executor, f: { queues: string[]; workerId: string; limit: number; leaseSeconds: number }): Promise<JobRow[]> {
  if (f.queues.length === 0) return [];
  const result = await sql<JobRow>`
    update jobs
       set status = 'running', attempts = attempts + 1, locked_by = ${f.workerId},
           locked_until = now() + make_interval(secs => ${f.leaseSeconds}), updated_at = now()
     where id in (
       select id from jobs
        where queue = any(${sql.val(f.queues)}::text[])
          and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
        order by run_at, id
        limit ${f.limit}
        for update skip locked
     )
    returning *`.execute(db);
  return result.rows;
}

/** Marks a claimed job done, if this worker still holds it. */
export async function completeJob(db: Executor, id: number, workerId: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: sql`now()`, updated_at: sql`now()`, locked_until: null, last_error: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Puts a claimed job back in the queue to run again after a delay. */
export async function retryJobLater(db: Executor, id: number, workerId: string, delayMs: number, error: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'queued', run_at: sql`now() + make_interval(secs => ${delayMs / 1000})`, locked_until: null, locked_by: null,
      last_error: error.slice(0, 2000), updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

/** Marks a job failed for good. */
export async function failJob(db: Executor, id: number, workerId: string, error: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'failed', finished_at: sql`now()`, locked_until: null, last_error: error.slice(0, 2000), updated_at: sql`now()` })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}

/** Puts a finished or failed job back in the queue with a fresh count of attempts. */
export async function requeueJobByKey(db: Executor, idempotencyKey: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: sql`now()`, locked_until: null, locked_by: null, finished_at: null, updated_at: sql`now()` })
    .where('idempotency_key', '=', idempotencyKey)
    .where('status', 'in', ['failed', 'done'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** One job by idempotency key. */
export function findJobByKey(db: Executor, idempotencyKey: string) {
  return db.selectFrom('jobs').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

/**
 * Deletes up to `limit` jobs that finished successfully before `before` (a poll job every few
 * minutes per store and a send job per email would otherwise pile up for ever). Failed jobs stay,
 * for an admin to read; a message's retry re-enqueues when its old job is gone.
 */
export async function deleteDoneJobs(db: Executor, before: Date, limit: number): Promise<number> {
  const res = await db
    .deleteFrom('jobs')
    .where('id', 'in', (eb) => eb.selectFrom('jobs').select('id').where('status', '=', 'done').where('finished_at', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
