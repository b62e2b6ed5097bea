import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { enqueueJob, pruneFinishedJobs, requeueJob } from './jobs.service.ts';
import { JobWorker, PermanentJobError, type ClaimedJob, type JobHandler } from './job-worker.ts';
import { claimJobs, findJobByKey } from './jobs.queries.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

function recorder(queue: string, behaviour: (job: ClaimedJob) => Promise<void>): JobHandler & { runs: ClaimedJob[]; failed: string[] } {
  const runs: ClaimedJob[] = [];
  const failed: string[] = [];
  return {
    queue, runs, failed,
    backoffMs: () => 0,
    async run(_ctx, job) {
      runs.push(job);
      await behaviour(job);
    },
    async onFailed(_ctx, _job, error) {
      failed.push(error);
    },
  };
}

describe('durable job queue', () => {
  it('runs a job once even when it is enqueued twice with the same key', async () => {
    const h = recorder('test.once', async () => {});
    const a = await enqueueJob(t.ctx, { queue: 'test.once', payload: { n: 1 }, idempotencyKey: 'once-1' });
    const b = await enqueueJob(t.ctx, { queue: 'test.once', payload: { n: 2 }, idempotencyKey: 'once-1' });
    expect(b).toEqual({ id: a.id, created: false });
    const worker = new JobWorker({ db: t.database.db, live: t.live, handlers: [h] });
    expect(await worker.runDue()).toBe(1);
    expect(h.runs.map((r) => r.payload)).toEqual([{ n: 1 }]);
    expect((await findJobByKey(t.database.db, 'once-1'))?.status).toBe('done');
  });

  it('retries a failing job with backoff and succeeds on a later attempt', async () => {
    const h = recorder('test.flaky', async (job) => {
      if (job.attempt < 3) throw new Error(`temporary ${job.attempt}`);
    });
    await enqueueJob(t.ctx, { queue: 'test.flaky', payload: {}, idempotencyKey: 'flaky-1' });
    const worker = new JobWorker({ db: t.database.db, live: t.live, handlers: [h] });
    await worker.runDue();
    expect(h.runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect((await findJobByKey(t.database.db, 'flaky-1'))?.status).toBe('done');
  });

  it('fails a job for good on a permanent error, and a requeue runs it again', async () => {
    let allow = false;
    const h = recorder('test.permanent', async () => {
      if (!allow) throw new PermanentJobError('550 no such user');
    });
    await enqueueJob(t.ctx, { queue: 'test.permanent', payload: {}, idempotencyKey: 'perm-1' });
    const worker = new JobWorker({ db: t.database.db, live: t.live, handlers: [h] });
    await worker.runDue();
    expect(h.runs).toHaveLength(1);
    expect(h.failed).toEqual(['550 no such user']);
    const failed = await findJobByKey(t.database.db, 'perm-1');
    expect(failed).toMatchObject({ status: 'failed', last_error: '550 no such user' });
    allow = true;
    expect(await requeueJob(t.ctx, 'perm-1')).toBe(true);
    await worker.runDue();
    expect((await findJobByKey(t.database.db, 'perm-1'))?.status).toBe('done');
  });

  it('takes over a job whose worker died once the lease has run out', async () => {
    await enqueueJob(t.ctx, { queue: 'test.lease', payload: {}, idempotencyKey: 'lease-1' });
    const [claimed] = await claimJobs(t.database.db, { queues: ['test.lease'], workerId: 'dead-worker', limit: 1, leaseSeconds: 60 });
    expect(claimed?.status).toBe('running');
    const h = recorder('test.lease', async () => {});
    const worker = new JobWorker({ db: t.database.db, live: t.live, handlers: [h] });
    expect(await worker.runDue()).toBe(0);
    await sql`update jobs set locked_until = now() - interval '1 second' where idempotency_key = 'lease-1'`.execute(t.database.db);
    expect(await worker.runDue()).toBe(1);
    expect(h.runs[0]?.attempt).toBe(2);
  });

  // On PostgreSQL the four claims race on separate connections; on PGlite they take turns on its single session.
  it('forgets jobs that finished more than the keep time ago, and keeps failed ones', async () => {
    const day = 24 * 3600_000;
    const now = new Date();
    const made: Record<string, number> = {};
    for (const [name, status, ageDays] of [['old-done', 'done', 8], ['new-done', 'done', 1], ['old-failed', 'failed', 30], ['queued', 'queued', 0]] as const) {
      const { id } = await enqueueJob(t.ctx, { queue: 'test.prune', payload: {}, idempotencyKey: `prune-${name}-${now.getTime()}` });
      made[name] = id;
      if (status !== 'queued') {
        await t.database.db.updateTable('jobs').set({ status, finished_at: new Date(now.getTime() - ageDays * day) }).where('id', '=', id).execute();
      }
    }
    expect(await pruneFinishedJobs(t.ctx, now, 7 * day)).toBeGreaterThanOrEqual(1);
    const left = await t.database.db.selectFrom('jobs').select('id').where('queue', '=', 'test.prune').execute();
    expect(left.map((r) => r.id).sort((a, b) => a - b)).toEqual([made['new-done'], made['old-failed'], made['queued']].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('never hands the same job to two workers at once', async () => {
    for (let i = 0; i < 20; i++) await enqueueJob(t.ctx, { queue: 'test.race', payload: { i } });
    const claims = await Promise.all(
      [1, 2, 3, 4].map((w) => t.database.db.transaction().execute((trx) => claimJobs(trx, { queues: ['test.race'], workerId: `w${w}`, limit: 10, leaseSeconds: 60 }))),
    );
    const ids = claims.flat().map((j) => j.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });
});
