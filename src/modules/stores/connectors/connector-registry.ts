/**
 * Which connector serves which store. Platforms register a factory and a descriptor of the
 * fields they need (one line each below); a store's connection row names its platform.
 * Connectors are built once per store, with the connection's decrypted credentials, and rebuilt
 * when the connection changes. Adding a platform never touches the ticket core.
 */
import type { Ctx } from '../../../shared/context.ts';
import { AppError, notFound } from '../../../shared/errors.ts';
import { decryptSecret } from '../../../shared/secrets.ts';
import { findStoreWithConnection } from '../stores.queries.ts';
import { BUILTIN_PLATFORM, createBuiltinConnector } from './builtin/builtin.connector.ts';
import { MEDUSA_PLATFORM, createMedusaConnector } from './medusa/medusa.connector.ts';
import { SHOPIFY_PLATFORM, createShopifyConnector } from './shopify/shopify.connector.ts';
import { VENDURE_PLATFORM, createVendureConnector } from './vendure/vendure.connector.ts';
import {
  StoreUnavailableError, type ConnectorFactory, type PlatformDescriptor, type StoreConnector, type StoreCredentials, type StoreInfo, type StorePlatform,
} from './connector.ts';
import { platformName } from './action-planner.ts';

const platforms = new Map<StorePlatform, { factory: ConnectorFactory; descriptor: PlatformDescriptor }>();
/** Built connectors per store, with the connection they were built from. */
const instances = new Map<string, { version: string; connector: StoreConnector }>();
const overrides = new Map<string, StoreConnector>();

/** Registers (or replaces) a platform's factory and descriptor, at boot. */
export function registerConnectorPlatform(descriptor: PlatformDescriptor, factory: ConnectorFactory): void {
  platforms.set(descriptor.platform, { factory, descriptor });
  instances.clear();
}

registerConnectorPlatform(BUILTIN_PLATFORM, (store) => createBuiltinConnector(store));
registerConnectorPlatform(SHOPIFY_PLATFORM, (store, credentials) => createShopifyConnector(store, credentials));
registerConnectorPlatform(VENDURE_PLATFORM, (store, credentials) => createVendureConnector(store, credentials));
registerConnectorPlatform(MEDUSA_PLATFORM, (store, credentials) => createMedusaConnector(store, credentials));

/** The platforms this storedesk can connect to, with the fields each needs. */
export function listPlatforms(): PlatformDescriptor[] {
  return [...platforms.values()].map((p) => p.descriptor);
}

/** One platform's descriptor, or null when its connector is not installed. */
export function platformDescriptor(platform: StorePlatform): PlatformDescriptor | null {
  return platforms.get(platform)?.descriptor ?? null;
}

let secretKey: (() => Buffer) | null = null;

/** Where store credentials' encryption key comes from (set once by the app at boot). */
export function setStoreSecretKey(provider: () => Buffer): void {
  secretKey = provider;
  instances.clear();
}

/** The key that encrypts store credentials; an error when the app did not configure one. */
export function storeSecretKey(): Buffer {
  if (!secretKey) throw new Error('store credentials key is not configured (setStoreSecretKey)');
  return secretKey();
}

/** Opens a connection's encrypted credentials. */
export function openCredentials(store: StoreInfo): StoreCredentials {
  if (!store.encryptedCredentials) return {};
  try {
    const parsed: unknown = JSON.parse(decryptSecret(storeSecretKey(), store.encryptedCredentials));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    throw new AppError('service_unavailable', `The credentials of the store "${store.name}" cannot be decrypted: STOREDESK_SECRET_KEY differs from the key they were saved with. An admin can enter them again in Settings → Stores.`, {
      extra: { store_id: store.id },
    });
  }
}


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
    encryptedCredentials: row.credentials ?? null,
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
  const factory = platforms.get(store.platform)?.factory;
  if (!factory) {
    throw new AppError('service_unavailable', `The store "${store.name}" is connected to ${platformName(store.platform)}, but this storedesk has no ${platformName(store.platform)} connector installed.`, {
      extra: { store_id: store.id, platform: store.platform },
    });
  }
  const connector = factory(store, openCredentials(store));
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
