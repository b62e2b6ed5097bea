/**
 * The worker loop: claims due jobs, runs their handler, and records the outcome. A job whose
 * handler throws is retried with exponential backoff until its attempts run out; a handler that
 * throws PermanentJobError fails the job at once. A crashed worker's jobs are taken again when
 * their lease expires, so every job runs at least once; handlers make repeats harmless.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, JobRow } from '../db/schema.ts';
import type { LiveBus } from '../shared/live-bus.ts';
import { systemContext, type Ctx } from '../shared/context.ts';
import * as q from './jobs.queries.ts';

/** A job as its handler sees it. */
export interface ClaimedJob {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
}

/** What runs the jobs of one queue. */
export interface JobHandler {
  readonly queue: string;
  /** Does the work; throw to retry, throw PermanentJobError to give up. */
  run(ctx: Ctx, job: ClaimedJob): Promise<void>;
  /** Called once when the job fails for good (to show the failure where people look). */
  onFailed?(ctx: Ctx, job: ClaimedJob, error: string): Promise<void>;
  /** Called when a retry is scheduled (to show the temporary error). */
  onRetry?(ctx: Ctx, job: ClaimedJob, error: string, nextRunAt: Date): Promise<void>;
  /** Delay before the next attempt; defaults to exponential backoff from 5 s, capped at one hour. */
  backoffMs?(attempt: number): number;
  /** How long one run may take before another worker may take the job over. */
  readonly leaseSeconds?: number;
}

/** Thrown by a handler when retrying cannot help (e.g. a 5xx SMTP answer). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** Exponential backoff with jitter: `firstMs` (5 s), then double it each time … capped at one hour. */
export function defaultBackoffMs(attempt: number, firstMs = 5000): number {
  const base = Math.min(3600_000, firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Options of a worker. */
export interface JobWorkerOptions {
  db: Kysely<DB>;
  live: LiveBus;
  handlers: JobHandler[];
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  /** How many jobs run at the same time. */
  concurrency?: number;
  /** Errors of the loop itself (database down); job errors are recorded on the job. */
  onError?: (err: unknown) => void;
}

function toClaimed(row: JobRow): ClaimedJob {
  return {
    id: row.id, queue: row.queue, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts, idempotencyKey: row.idempotency_key,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A worker that runs jobs until stopped. */
export class JobWorker {
  readonly id = `worker-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly ctx: Ctx;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: JobWorkerOptions) {
    for (const h of options.handlers) this.handlers.set(h.queue, h);
    this.ctx = systemContext(options.db, options.live, 'jobs');
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLoop();
  }

  /** Looks for work now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Runs every due job until none is left (tests and the CLI); returns how many ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private async runLoop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1000;
    while (this.running) {
      let ran = 0;
      try {
        ran = await this.runBatch();
      } catch (err) {
        this.options.onError?.(err);
      }
      if (ran > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, pollMs);
      });
      clearTimeout(this.timer);
      this.wake = undefined;
    }
  }

  /** Claims one batch and runs it; returns how many jobs ran. */
  private async runBatch(): Promise<number> {
    const queues = [...this.handlers.keys()];
    const lease = Math.max(30, ...[...this.handlers.values()].map((h) => h.leaseSeconds ?? 0));
    const rows = await q.claimJobs(this.options.db, { queues, workerId: this.id, limit: this.options.concurrency ?? 4, leaseSeconds: lease });
    await Promise.all(rows.map((row) => this.runOne(toClaimed(row))));
    return rows.length;
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.queue);
    if (!handler) return;
    const db = this.options.db;
    if (job.attempt > job.maxAttempts) {
      // Claimed again after a crash with no attempts left.
      const error = 'gave up: the worker stopped during the last attempt';
      await q.failJob(db, job.id, this.id, error);
      await handler.onFailed?.(this.ctx, job, error);
      return;
    }
    try {
      await handler.run(this.ctx, job);
      await q.completeJob(db, job.id, this.id);
    } catch (err) {
      const error = messageOf(err);
      if (err instanceof PermanentJobError || job.attempt >= job.maxAttempts) {
        await q.failJob(db, job.id, this.id, error);
        await handler.onFailed?.(this.ctx, job, error).catch((e: unknown) => this.options.onError?.(e));
        return;
      }
      const delay = (handler.backoffMs ?? defaultBackoffMs)(job.attempt);
      await q.retryJobLater(db, job.id, this.id, delay, error);
      await handler.onRetry?.(this.ctx, job, error, new Date(Date.now() + delay)).catch((e: unknown) => this.options.onError?.(e));
    }
  }
}
