/**
 * Chores: the server's periodic upkeep (expired sessions, finished jobs, email sender counts,
 * vacuuming the embedded database) as durable jobs on one queue, instead of in-memory timers in
 * three places.
 *
 * Each chore runs once per period of `everyMs`, aligned to the epoch (hourly chores at the top
 * of the hour). The job of one period is keyed `chore:<name>:<period>`, so however many server
 * processes start, and however often they restart, each period's run is queued once and runs
 * once. A run first queues the next period's run, then does the work: a chore that fails is
 * retried with backoff by the job worker, and the chain of periods never breaks.
 */
import type { Ctx } from '../shared/context.ts';
import { PermanentJobError, type JobHandler } from './job-worker.ts';
import { enqueueJob } from './jobs.service.ts';

/** The queue every chore runs on. */
export const CHORE_QUEUE = 'chore';

/** One piece of periodic upkeep. */
export interface Chore {
  /** Stable name, part of each run's job key (kebab-case). */
  readonly name: string;
  /** The period: the chore runs once in each. */
  readonly everyMs: number;
  /** Does the work; must be harmless to repeat (a crashed run is run again). */
  run(ctx: Ctx): Promise<unknown>;
}

function periodOf(chore: Chore, at: Date): number {
  return Math.floor(at.getTime() / chore.everyMs);
}

function queueRun(ctx: Ctx, chore: Chore, period: number, runAt: Date) {
  return enqueueJob(ctx, { queue: CHORE_QUEUE, payload: { chore: chore.name }, idempotencyKey: `chore:${chore.name}:${period}`, runAt });
}

/**
 * Queues each chore's run for the current period, due now (at start the server catches up on
 * what it missed while it was down). A period whose run was already queued, by this process
 * before a restart or by another one, is left alone.
 */
export async function scheduleChores(ctx: Ctx, chores: readonly Chore[], now = new Date()): Promise<void> {
  for (const chore of chores) await queueRun(ctx, chore, periodOf(chore, now), now);
}

/** The job handler that runs chores by name; a name it does not know fails that job for good. */
export function choreJobHandler(chores: readonly Chore[]): JobHandler {
  const byName = new Map(chores.map((c) => [c.name, c]));
  if (byName.size !== chores.length) throw new Error('two chores have the same name');
  return {
    queue: CHORE_QUEUE,
    async run(ctx, job) {
      const name = job.payload['chore'];
      const chore = typeof name === 'string' ? byName.get(name) : undefined;
      if (!chore) throw new PermanentJobError(`no chore is called ${JSON.stringify(name)}`);
      const next = periodOf(chore, new Date()) + 1;
      await queueRun(ctx, chore, next, new Date(next * chore.everyMs));
      await chore.run(ctx);
    },
  };
}
