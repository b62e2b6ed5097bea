/**
 * SQL for stores (brands), their connections to a store platform, and the change feed of their
 * orders. Every ticket and customer belongs to one store.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OrderEventType, StorePlatform } from '../../db/schema.ts';

/** The first store created: where tickets go when no store is named. */
export function findDefaultStore(db: Executor) {
  return db.selectFrom('stores').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

/** One store by id. */
export function findStoreById(db: Executor, id: string) {
  return db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a store. */
export function insertStore(db: Executor, s: { name: string; slug: string; timezone?: string; currency?: string }) {
  return db.insertInto('stores').values(s).returningAll().executeTakeFirstOrThrow();
}

/** A store with its connection (platform, order number format); the connection may be absent. */
export function findStoreWithConnection(db: Executor, id: string) {
  return selectStoresWithConnections(db).where('stores.id', '=', id).executeTakeFirst();
}

/** Every store with its connection, oldest first. */
export function listStoresWithConnections(db: Executor) {
  return selectStoresWithConnections(db).orderBy('stores.created_at').orderBy('stores.id').execute();
}

function selectStoresWithConnections(db: Executor) {
  return db
    .selectFrom('stores')
    .leftJoin('store_connections as sc', 'sc.store_id', 'stores.id')
    .select([
      'stores.id', 'stores.name', 'stores.slug', 'stores.currency', 'stores.timezone',
      'sc.platform', 'sc.order_number_prefix', 'sc.order_number_pattern', 'sc.settings', 'sc.updated_at as connection_updated_at',
      'sc.credentials', 'sc.last_synced_at', 'sc.last_sync_error', 'sc.last_webhook_at',
    ]);
}

/** True when a store already uses this slug. */
export async function slugTaken(db: Executor, slug: string): Promise<boolean> {
  return Boolean(await db.selectFrom('stores').select('id').where('slug', '=', slug).executeTakeFirst());
}

/** Renames a store or changes its time zone. */
export async function updateStore(db: Executor, id: string, patch: { name?: string | undefined; timezone?: string | undefined }) {
  const values = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}) };
  if (Object.keys(values).length === 0) return;
  await db.updateTable('stores').set(values).where('id', '=', id).execute();
}

/**
 * Creates or replaces a store's connection. `credentials` (already encrypted) is written only
 * when given; `resetFeed` forgets where the change feed stood (the platform changed).
 */
export async function upsertStoreConnection(
  db: Executor,
  c: {
    storeId: string; platform: StorePlatform; orderNumberPrefix: string | null; orderNumberPattern: string | null; settings: Record<string, unknown>;
    credentials?: string | null | undefined; resetFeed?: boolean | undefined;
  },
) {
  const values = {
    platform: c.platform,
    order_number_prefix: c.orderNumberPrefix,
    order_number_pattern: c.orderNumberPattern,
    settings: JSON.stringify(c.settings),
    updated_at: new Date(),
    ...(c.credentials !== undefined ? { credentials: c.credentials } : {}),
    ...(c.resetFeed ? { feed_cursor: null, last_synced_at: null, last_sync_error: null } : {}),
  };
  await db
    .insertInto('store_connections')
    .values({ store_id: c.storeId, ...values })
    .onConflict((oc) => oc.column('store_id').doUpdateSet(values))
    .execute();
}

/** Inserts change-feed events; ones the store already sent (same source id) are skipped. Returns those inserted. */
export function insertOrderEvents(
  db: Executor,
  storeId: string,
  events: { sourceId: string; type: OrderEventType; orderNumber: string; customerEmail: string | null; occurredAt: Date; data: Record<string, unknown> }[],
) {
  if (events.length === 0) return Promise.resolve([]);
  return db
    .insertInto('store_order_events')
    .values(events.map((e) => ({
      store_id: storeId, source_id: e.sourceId, type: e.type, order_number: e.orderNumber, customer_email: e.customerEmail,
      occurred_at: e.occurredAt, data: JSON.stringify(e.data),
    })))
    .onConflict((oc) => oc.columns(['store_id', 'source_id']).doNothing())
    .returning(['id', 'order_number', 'customer_email'])
    .execute();
}

/** Order events of any of these email addresses, newest first, after a keyset position. */
export function listOrderEventsByEmails(db: Executor, emails: readonly string[], page: { after?: { t: string; id: number } | undefined; limit: number }) {
  if (emails.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('store_order_events as e')
    .innerJoin('stores', 'stores.id', 'e.store_id')
    .select(['e.id', 'e.store_id', 'stores.name as store_name', 'e.order_number', 'e.type', 'e.occurred_at', 'e.data'])
    .where('e.customer_email', 'in', [...emails]);
  if (page.after) {
    const after = page.after;
    query = query.where(sql<boolean>`(e.occurred_at, e.id) < (${after.t}::timestamptz, ${after.id}::bigint)`);
  }
  return query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').limit(page.limit + 1).execute();
}

/** Where a store's change feed stands. */
export function findFeedState(db: Executor, storeId: string) {
  return db.selectFrom('store_connections').select(['feed_cursor', 'last_synced_at', 'last_sync_error']).where('store_id', '=', storeId).executeTakeFirst();
}

/** Records a poll: the new cursor and time on success, or the error (cursor kept) on failure. */
export async function recordFeedPoll(db: Executor, storeId: string, r: { cursor: string | null; error: null } | { error: string }) {
  await db
    .updateTable('store_connections')
    .set(r.error === null ? { feed_cursor: r.cursor, last_synced_at: new Date(), last_sync_error: null } : { last_sync_error: r.error })
    .where('store_id', '=', storeId)
    .execute();
}

/** Notes that a verified webhook arrived. */
export async function touchWebhook(db: Executor, storeId: string) {
  await db.updateTable('store_connections').set({ last_webhook_at: new Date() }).where('store_id', '=', storeId).execute();
}

/** Stores whose connection is on a platform other than the built-in store. */
export function listRemoteStoreIds(db: Executor) {
  return db.selectFrom('store_connections').select(['store_id', 'platform']).where('platform', '!=', 'builtin').execute();
}
