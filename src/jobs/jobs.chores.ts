/** The job queue's own upkeep. */
import type { Chore } from './chores.ts';
import { pruneFinishedJobs } from './jobs.service.ts';

/** Hourly: finished jobs past the keep time (a row per email sent and per store poll would otherwise grow for ever). */
export const finishedJobsChore: Chore = { name: 'finished-jobs', everyMs: 3600_000, run: (ctx) => pruneFinishedJobs(ctx) };
