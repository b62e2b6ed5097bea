/** Email upkeep. */
import type { Chore } from '../../../jobs/chores.ts';
import { pruneSenderCounters } from './ingest.service.ts';

/** Hourly: senders' email counts of finished hours (the flood limit only reads the current hour). */
export const senderCountsChore: Chore = { name: 'email-sender-counts', everyMs: 3600_000, run: (ctx) => pruneSenderCounters(ctx.db) };
