/**
 * Stores (brands) connected to this storedesk: which platform serves each one's orders, and how
 * its order numbers look.
 */
import { requireRole, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { connectorFor, forgetConnector, loadStoreInfo, storeInfoFromRow } from './connectors/connector-registry.ts';
import type { ConnectorCapabilities, StoreInfo } from './connectors/connector.ts';
import { storeReadCache } from './connectors/read-cache.ts';
import { isValidOrderNumberPattern } from './order-numbers.ts';
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

/** A store with its platform and what that platform can do. */
export interface StoreOverview {
  store: StoreInfo;
  capabilities: ConnectorCapabilities | null;
}

/** Every store, with its platform and capabilities (null when its connector is not installed). */
export async function listStores(ctx: Ctx): Promise<StoreOverview[]> {
  requireRole(ctx, 'agent');
  const rows = await q.listStoresWithConnections(ctx.db);
  return rows.map(storeInfoFromRow).map((store) => {
    try {
      return { store, capabilities: connectorFor(store).capabilities };
    } catch {
      return { store, capabilities: null };
    }
  });
}

/** How a store's orders are numbered, and its default tax rate for the built-in store. */
export interface StoreConnectionPatch {
  orderNumberPrefix?: string | null | undefined;
  orderNumberPattern?: string | null | undefined;
  /** Basis points (2100 = 21%); the built-in store's default for pushed orders. */
  taxRateBp?: number | undefined;
}

/** Changes a store's order number format (admins only). */
export async function updateStoreConnection(ctx: Ctx, storeId: string, patch: StoreConnectionPatch): Promise<StoreOverview> {
  requireRole(ctx, 'admin');
  const current = await loadStoreInfo(ctx, storeId);
  if (patch.orderNumberPattern && !isValidOrderNumberPattern(patch.orderNumberPattern)) {
    throw new AppError('validation_failed', 'order_number_pattern is not a usable regular expression (at most 200 characters, and it must not match an empty text).', {
      errors: [{ field: 'order_number_pattern', message: 'is not a usable regular expression' }],
    });
  }
  const prefix = patch.orderNumberPrefix === undefined ? current.orderNumberPrefix : patch.orderNumberPrefix?.trim() || null;
  if (prefix && !/^[A-Za-z0-9#][A-Za-z0-9#_-]{0,11}$/.test(prefix)) {
    throw new AppError('validation_failed', 'order_number_prefix is 1 to 12 letters, digits, #, - or _.', { errors: [{ field: 'order_number_prefix', message: 'has characters other than letters, digits, #, - or _' }] });
  }
  await q.upsertStoreConnection(ctx.db, {
    storeId,
    platform: current.platform,
    orderNumberPrefix: prefix ? prefix.toUpperCase() : null,
    orderNumberPattern: patch.orderNumberPattern === undefined ? current.orderNumberPattern : patch.orderNumberPattern || null,
    settings: { ...current.settings, ...(patch.taxRateBp !== undefined ? { tax_rate_bp: patch.taxRateBp } : {}) },
  });
  forgetConnector(storeId);
  storeReadCache.invalidateStore(storeId);
  const store = await loadStoreInfo(ctx, storeId);
  return { store, capabilities: connectorFor(store).capabilities };
}
