import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { CHORE_QUEUE, choreJobHandler, scheduleChores, type Chore } from './chores.ts';
import { JobWorker } from './job-worker.ts';
import { enqueueJob } from './jobs.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Long periods, so that no test run straddles the start of a new one. */
const PERIOD = 30 * 24 * 3600_000;

/** A chore that counts its runs and fails the first `failures` of them. */
function countingChore(name: string, failures = 0): Chore & { runs: number } {
  const chore = {
    name,
    everyMs: PERIOD,
    runs: 0,
    async run() {
      chore.runs++;
      if (chore.runs <= failures) throw new Error(`${name} failed on purpose`);
    },
  };
  return chore;
}

function choreJobs(name: string) {
  return t.database.db
    .selectFrom('jobs')
    .select(['status', 'run_at', 'idempotency_key', 'last_error'])
    .where('queue', '=', CHORE_QUEUE)
    .where('idempotency_key', 'like', `chore:${name}:%`)
    .orderBy('run_at')
    .execute();
}

function workerFor(chores: Chore[]) {
  const handler = choreJobHandler(chores);
  return new JobWorker({ db: t.database.db, live: t.live, handlers: [{ ...handler, backoffMs: () => 0 }] });
}

describe('chores', () => {
  it('runs once per period however many processes start, and queues the next period at its start', async () => {
    const chore = countingChore(`once-${Date.now()}`);
    // Three server processes (or restarts) in the same period.
    for (let i = 0; i < 3; i++) await scheduleChores(t.ctx, [chore]);
    for (let i = 0; i < 2; i++) await workerFor([chore]).runDue();
    expect(chore.runs).toBe(1);

    const jobs = await choreJobs(chore.name);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'queued']);
    const nextPeriod = (Math.floor(Date.now() / PERIOD) + 1) * PERIOD;
    expect(jobs[1]?.run_at.getTime()).toBe(nextPeriod);
    expect(jobs[1]?.idempotency_key).toBe(`chore:${chore.name}:${nextPeriod / PERIOD}`);

    // A restart later in the same period neither runs it again nor queues another next run.
    await scheduleChores(t.ctx, [chore]);
    await workerFor([chore]).runDue();
    expect(chore.runs).toBe(1);
    expect(await choreJobs(chore.name)).toHaveLength(2);
  });

  it('retries a chore that fails, and its next period stays queued meanwhile', async () => {
    const chore = countingChore(`flaky-${Date.now()}`, 1);
    await scheduleChores(t.ctx, [chore]);
    await workerFor([chore]).runDue();
    expect(chore.runs).toBe(2);
    const jobs = await choreJobs(chore.name);
    expect(jobs.map((j) => j.status)).toEqual(['done', 'queued']);
  });

  it('fails a job for a chore no longer known, for good, with its name', async () => {
    const name = `retired-${Date.now()}`;
    await enqueueJob(t.ctx, { queue: CHORE_QUEUE, payload: { chore: name }, idempotencyKey: `chore:${name}:1` });
    await workerFor([countingChore(`other-${Date.now()}`)]).runDue();
    const [job] = await choreJobs(name);
    expect(job?.status).toBe('failed');
    expect(job?.last_error).toContain(name);
  });

  it('refuses two chores of one name', () => {
    expect(() => choreJobHandler([countingChore('twin'), countingChore('twin')])).toThrow(/same name/);
  });
});
