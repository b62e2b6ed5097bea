/**
 * Stores (brands) connected to this storedesk.
 */
import type { Ctx } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import * as q from './stores.queries.ts';

/** The default store's id, creating "My Store" when there is none yet (fresh install). */
export async function ensureDefaultStore(ctx: Ctx, name = 'My Store'): Promise<string> {
  const existing = await q.findDefaultStore(ctx.db);
  if (existing) return existing.id;
  const created = await q.insertStore(ctx.db, { name, slug: 'default' });
  return created.id;
}

/** Resolves the store a new ticket or customer belongs to. */
export async function resolveStoreId(ctx: Ctx, storeId?: string): Promise<string> {
  if (storeId) {
    const store = await q.findStoreById(ctx.db, storeId);
    if (!store) throw notFound('The store');
    return store.id;
  }
  return ensureDefaultStore(ctx);
}
