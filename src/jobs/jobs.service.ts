/**
 * The job queue's public face: enqueue work in the caller's transaction (so the job commits
 * with the change that caused it), and requeue a failed job by its key.
 */
import type { Ctx } from '../shared/context.ts';
import * as q from './jobs.queries.ts';

/** What to run, when, and how to recognise the same request twice. */
export interface EnqueueJobInput {
  /** The queue (handler) name, e.g. `email.send`. */
  queue: string;
  payload: Record<string, unknown>;
  /** The same key enqueued twice makes one job (the second call returns the first job's id). */
  idempotencyKey?: string | undefined;
  /** Not before this time; defaults to now. */
  runAt?: Date | undefined;
  /** How many times the job may run before it fails for good. */
  maxAttempts?: number | undefined;
}

/** Adds a job in ctx's executor: inside a transaction it commits or rolls back with it. */
export function enqueueJob(ctx: Ctx, input: EnqueueJobInput): Promise<{ id: number; created: boolean }> {
  return q.insertJob(ctx.db, input);
}

/** Runs a failed (or finished) job again from its first attempt; false when no such job is idle. */
export function requeueJob(ctx: Ctx, idempotencyKey: string): Promise<boolean> {
  return q.requeueJobByKey(ctx.db, idempotencyKey);
}

/** How long finished jobs are kept: long enough to answer "was this email sent, and when". */
export const KEEP_DONE_JOBS_MS = 7 * 24 * 3600_000;
const PRUNE_BATCH = 10_000;

/**
 * Deletes jobs that finished before `now - keepMs`, in batches; returns how many went. Failed
 * jobs stay (an admin may still want to read or retry them); queued and running ones too.
 */
export async function pruneFinishedJobs(ctx: Ctx, now = new Date(), keepMs = KEEP_DONE_JOBS_MS): Promise<number> {
  const before = new Date(now.getTime() - keepMs);
  let total = 0;
  for (;;) {
    const n = await q.deleteDoneJobs(ctx.db, before, PRUNE_BATCH);
    total += n;
    if (n < PRUNE_BATCH) return total;
  }
}
