/**
 * Which connector serves which store. Platforms register a factory (one line each below); a
 * store's connection row names its platform. Connectors are built once per store and rebuilt
 * when the connection changes. Adding a platform never touches the ticket core.
 */
import type { Ctx } from '../../../shared/context.ts';
import { AppError, notFound } from '../../../shared/errors.ts';
import { findStoreWithConnection } from '../stores.queries.ts';
import { createBuiltinConnector } from './builtin/builtin.connector.ts';
import { StoreUnavailableError, type ConnectorFactory, type StoreConnector, type StoreInfo, type StorePlatform } from './connector.ts';
import { platformName } from './action-planner.ts';

const factories = new Map<StorePlatform, ConnectorFactory>();
factories.set('builtin', (store) => createBuiltinConnector(store));

/** Registers (or replaces) the factory of a platform, at boot. */
export function registerConnectorPlatform(platform: StorePlatform, factory: ConnectorFactory): void {
  factories.set(platform, factory);
  instances.clear();
}

const instances = new Map<string, { version: string; connector: StoreConnector }>();
const overrides = new Map<string, StoreConnector>();

/**
 * Replaces the connector of one store in this process, or restores it with null. For tests and
 * benchmarks that simulate a slow or unreachable store; never used by the server itself.
 */
export function overrideStoreConnector(storeId: string, connector: StoreConnector | null): void {
  if (connector) overrides.set(storeId, connector);
  else overrides.delete(storeId);
}

/** Forgets built connectors (after a store's connection changed). */
export function forgetConnector(storeId: string): void {
  instances.delete(storeId);
}

type StoreConnectionRow = NonNullable<Awaited<ReturnType<typeof findStoreWithConnection>>>;

/** A store and its connection as connectors see it. */
export function storeInfoFromRow(row: StoreConnectionRow): StoreInfo {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency.trim(),
    timezone: row.timezone,
    platform: row.platform ?? 'builtin',
    orderNumberPrefix: row.order_number_prefix,
    orderNumberPattern: row.order_number_pattern,
    settings: row.settings ?? {},
  };
}

/** A store with its connection; 404 when there is no such store. */
export async function loadStoreInfo(ctx: Ctx, storeId: string): Promise<StoreInfo> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(storeId)) throw notFound('The store');
  const row = await findStoreWithConnection(ctx.db, storeId);
  if (!row) throw notFound('The store');
  return storeInfoFromRow(row);
}

/** The connector for a store's platform. */
export function connectorFor(store: StoreInfo): StoreConnector {
  const override = overrides.get(store.id);
  if (override) return override;
  const version = JSON.stringify(store);
  const cached = instances.get(store.id);
  if (cached && cached.version === version) return cached.connector;
  const factory = factories.get(store.platform);
  if (!factory) {
    throw new AppError('service_unavailable', `The store "${store.name}" is connected to ${platformName(store.platform)}, but this storedesk has no ${platformName(store.platform)} connector installed.`, {
      extra: { store_id: store.id, platform: store.platform },
    });
  }
  const connector = factory(store);
  instances.set(store.id, { version, connector });
  return connector;
}

/** The store and its connector, in one step. */
export async function connectorForStore(ctx: Ctx, storeId: string): Promise<{ store: StoreInfo; connector: StoreConnector }> {
  const store = await loadStoreInfo(ctx, storeId);
  return { store, connector: connectorFor(store) };
}

/**
 * Runs a call to a store, turning "cannot reach the store" into the API's service_unavailable
 * problem, which names the store and says what did not happen (`consequence`).
 */
export async function callStore<T>(store: StoreInfo, consequence: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      throw new AppError('service_unavailable', `The store "${store.name}" (${platformName(store.platform)}) could not be reached: ${err.message}. ${consequence}`, {
        extra: { store_id: store.id, store_name: store.name, ...(err.options.retryAfterSeconds ? { retry_after: err.options.retryAfterSeconds } : {}) },
      });
    }
    throw err;
  }
}
