/**
 * How order changes come in from remote platforms: webhooks (verified by the platform's
 * connector) and polling (a durable, self-rescheduling job per polled store). Both record
 * through recordOrderEvents, so a redelivered or overlapping change is kept once.
 */
import { inTransaction, type Ctx } from '../../shared/context.ts';
import { AppError } from '../../shared/errors.ts';
import type { JobHandler } from '../../jobs/job-worker.ts';
import { enqueueJob } from '../../jobs/jobs.service.ts';
import { callStore, connectorFor, loadStoreInfo } from './connectors/connector-registry.ts';
import { StoreUnavailableError, type StoreConnector } from './connectors/connector.ts';
import { recordOrderEvents } from './order-feed.service.ts';
import * as q from './stores.queries.ts';

/** The job queue that polls stores' change feeds. */
export const STORE_POLL_QUEUE = 'stores.poll';
/** How often a polled store is asked for changes. */
export const STORE_POLL_INTERVAL_MS = 60_000;
/** After a poll that brought changes, the next comes this soon (catching up on a backlog). */
const CATCH_UP_MS = 5_000;

function pollJobKey(storeId: string, runAt: Date): string {
  return `${STORE_POLL_QUEUE}:${storeId}:${Math.floor(runAt.getTime() / STORE_POLL_INTERVAL_MS)}`;
}

function pollable(connector: StoreConnector): boolean {
  return connector.capabilities.changeFeed === 'poll' && typeof connector.pollChanges === 'function';
}

function connectorOrNull(store: Parameters<typeof connectorFor>[0]): StoreConnector | null {
  try {
    return connectorFor(store);
  } catch {
    return null;
  }
}

/**
 * Makes sure a polled store has its poll job queued (after connecting it, and at startup). The
 * key is per time slot, so calling this again in the same slot adds nothing.
 */
export async function ensureStorePollJob(ctx: Ctx, storeId: string): Promise<boolean> {
  const connector = connectorOrNull(await loadStoreInfo(ctx, storeId));
  if (!connector || !pollable(connector)) return false;
  const runAt = new Date();
  const job = await enqueueJob(ctx, { queue: STORE_POLL_QUEUE, payload: { store_id: storeId }, idempotencyKey: pollJobKey(storeId, runAt), runAt, maxAttempts: 3 });
  return job.created;
}

/** Queues the poll jobs of every polled store (at startup: a chain broken by a crash resumes). */
export async function ensureAllStorePollJobs(ctx: Ctx): Promise<void> {
  for (const row of await q.listRemoteStoreIds(ctx.db)) await ensureStorePollJob(ctx, row.store_id);
}

/** What one poll did. */
export interface PollResult {
  /** False when the store is not polled (any more). */
  polled: boolean;
  received: number;
  recorded: number;
  error: string | null;
}

/**
 * Asks a store for its changes since the saved cursor, records the new ones and the new cursor
 * in one transaction, and queues the next poll in that same transaction. A store that cannot be
 * reached keeps its cursor, shows the error in Settings → Stores, and is asked again next time.
 */
export async function pollStoreChanges(ctx: Ctx, storeId: string, options: { reschedule?: boolean } = {}): Promise<PollResult> {
  const reschedule = options.reschedule ?? true;
  let store;
  try {
    store = await loadStoreInfo(ctx, storeId);
  } catch {
    return { polled: false, received: 0, recorded: 0, error: null };
  }
  const connector = connectorOrNull(store);
  if (!connector || !pollable(connector)) return { polled: false, received: 0, recorded: 0, error: null };
  const state = await q.findFeedState(ctx.db, storeId);
  const next = async (trx: Ctx, delayMs: number) => {
    if (!reschedule) return;
    const runAt = new Date(Date.now() + delayMs);
    await enqueueJob(trx, { queue: STORE_POLL_QUEUE, payload: { store_id: storeId }, idempotencyKey: pollJobKey(storeId, runAt), runAt, maxAttempts: 3 });
  };
  let changes: Awaited<ReturnType<NonNullable<StoreConnector['pollChanges']>>>;
  try {
    changes = await connector.pollChanges!(ctx, state?.feed_cursor ?? null);
  } catch (err) {
    const error = err instanceof StoreUnavailableError ? `The store could not be reached: ${err.message}` : `Reading the store's changes failed: ${err instanceof Error ? err.message : String(err)}`;
    await inTransaction(ctx, async (trx) => {
      await q.recordFeedPoll(trx.db, storeId, { error });
      await next(trx, STORE_POLL_INTERVAL_MS);
    });
    return { polled: true, received: 0, recorded: 0, error };
  }
  const recorded = await inTransaction(ctx, async (trx) => {
    const n = await recordOrderEvents(trx, storeId, changes.events);
    await q.recordFeedPoll(trx.db, storeId, { cursor: changes.cursor, error: null });
    await next(trx, changes.events.length > 0 ? CATCH_UP_MS : STORE_POLL_INTERVAL_MS);
    return n;
  });
  return { polled: true, received: changes.events.length, recorded, error: null };
}

/** The job handler that polls stores, for the server's job worker. */
export function storeFeedJobHandlers(): JobHandler[] {
  return [{
    queue: STORE_POLL_QUEUE,
    leaseSeconds: 300,
    async run(ctx, job) {
      const storeId = job.payload.store_id;
      if (typeof storeId === 'string') await pollStoreChanges(ctx, storeId);
    },
  }];
}

/**
 * A webhook delivery from a store's platform. The connector verifies the signature with the
 * store's secret (a wrong or missing one is refused with 401 and nothing is recorded) and reads
 * the events; they are committed before the platform gets its 200, and a redelivery (same
 * event id) records nothing new.
 */
export async function receiveStoreWebhook(
  ctx: Ctx,
  storeId: string,
  delivery: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer },
): Promise<{ received: number; recorded: number }> {
  const store = await loadStoreInfo(ctx, storeId);
  const connector = connectorOrNull(store);
  if (!connector?.readWebhook) throw new AppError('not_found', `The store "${store.name}" does not receive webhooks.`);
  const events = await callStore(store, 'The delivery was not recorded; the platform will deliver it again.', async () => connector.readWebhook!(delivery));
  if (events === null) throw new AppError('invalid_signature', 'The webhook signature does not match this store’s webhook secret; nothing was recorded.');
  const recorded = await inTransaction(ctx, async (trx) => {
    const n = await recordOrderEvents(trx, storeId, events);
    await q.touchWebhook(trx.db, storeId);
    return n;
  });
  return { received: events.length, recorded };
}
