/**
 * Stores (brands) connected to this storedesk: which platform serves each one's orders, and how
 * its order numbers look.
 */
import { randomBytes } from 'node:crypto';
import type { StorePlatform } from '../../db/schema.ts';
import { inTransaction, requireRole, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { encryptSecret } from '../../shared/secrets.ts';
import {
  callStore, connectorFor, connectorForStore, forgetConnector, listPlatforms, loadStoreInfo, openCredentials, platformDescriptor, storeInfoFromRow, storeSecretKey,
} from './connectors/connector-registry.ts';
import type { ConnectorCapabilities, PlatformDescriptor, StoreInfo } from './connectors/connector.ts';
import { ensureStorePollJob } from './order-feed-sync.service.ts';
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

/** A store's connection as admins see it: settings, which secrets are saved (never their values), feed state. */
export interface StoreConnectionView {
  store: StoreInfo;
  capabilities: ConnectorCapabilities | null;
  platformName: string;
  /** Keys of the saved credentials; their values never leave storedesk. */
  credentialsSet: string[];
  /** How order changes reach storedesk. */
  changeFeed: ConnectorCapabilities['changeFeed'] | null;
  /** Where the platform sends webhooks (for webhook-fed platforms). */
  webhookPath: string | null;
  lastSyncedAt: Date | null;
  lastSyncError: string | null;
  lastWebhookAt: Date | null;
}

/** A store joined with its connection row, as the stores queries read it. */
type StoreWithConnectionRow = Awaited<ReturnType<typeof q.listStoresWithConnections>>[number];

/** A new store (brand) and how to reach its platform. */
export interface NewStoreInput {
  name: string;
  currency: string;
  timezone: string;
  platform: StorePlatform;
  settings?: Record<string, string> | undefined;
  credentials?: Record<string, string> | undefined;
  orderNumberPrefix?: string | null | undefined;
  orderNumberPattern?: string | null | undefined;
}

/** Changes to a store's connection. Credentials merge: a value replaces, null removes, absent keeps. */
export interface StoreConnectionPatch {
  name?: string | undefined;
  timezone?: string | undefined;
  platform?: StorePlatform | undefined;
  settings?: Record<string, string | null> | undefined;
  credentials?: Record<string, string | null> | undefined;
  orderNumberPrefix?: string | null | undefined;
  orderNumberPattern?: string | null | undefined;
  /** Basis points (2100 = 21%); the built-in store's default for pushed orders. */
  taxRateBp?: number | undefined;
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field} ${message}.`, { errors: [{ field, message }] });
}

/** True for a time zone this runtime knows (IANA names such as Europe/Amsterdam). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkOrderNumberFormat(prefix: string | null, pattern: string | null): void {
  if (pattern && !isValidOrderNumberPattern(pattern)) {
    throw new AppError('validation_failed', 'order_number_pattern is not a usable regular expression (at most 200 characters, and it must not match an empty text).', {
      errors: [{ field: 'order_number_pattern', message: 'is not a usable regular expression' }],
    });
  }
  if (prefix && !/^[A-Za-z0-9#][A-Za-z0-9#_-]{0,11}$/.test(prefix)) {
    throw new AppError('validation_failed', 'order_number_prefix is 1 to 12 letters, digits, #, - or _.', { errors: [{ field: 'order_number_prefix', message: 'has characters other than letters, digits, #, - or _' }] });
  }
}

/**
 * Checks settings and credentials against what the platform needs: required fields present,
 * URLs that are http(s), no fields the platform does not know (a typo would otherwise be saved
 * silently). Returns the cleaned values.
 */
function checkConnectionFields(descriptor: PlatformDescriptor, settings: Record<string, unknown>, credentials: Record<string, string>) {
  const known = new Set(descriptor.settings.map((f) => f.key));
  for (const key of Object.keys(settings)) {
    if (!known.has(key) && key !== 'tax_rate_bp') throw invalid(`settings.${key}`, `is not a ${descriptor.name} setting (known: ${[...known].join(', ') || 'none'})`);
  }
  const knownSecrets = new Set(descriptor.credentials.map((f) => f.key));
  for (const key of Object.keys(credentials)) {
    if (!knownSecrets.has(key)) throw invalid(`credentials.${key}`, `is not a ${descriptor.name} credential (known: ${[...knownSecrets].join(', ') || 'none'})`);
  }
  for (const f of descriptor.settings) {
    const value = settings[f.key];
    if (f.required && (typeof value !== 'string' || value.trim() === '')) throw invalid(`settings.${f.key}`, `is required to connect ${descriptor.name} (${f.label})`);
    if (f.kind === 'url' && typeof value === 'string' && value !== '') {
      let url: URL | null = null;
      try {
        url = new URL(value);
      } catch {
        url = null;
      }
      if (!url || !/^https?:$/.test(url.protocol)) throw invalid(`settings.${f.key}`, 'must be an http:// or https:// address');
    }
  }
  for (const f of descriptor.credentials) {
    if (f.required && !credentials[f.key]) throw invalid(`credentials.${f.key}`, `is required to connect ${descriptor.name} (${f.label})`);
  }
}

function descriptorOrThrow(platform: StorePlatform): PlatformDescriptor {
  const descriptor = platformDescriptor(platform);
  if (!descriptor) throw invalid('platform', `"${platform}" has no connector installed in this storedesk (available: ${listPlatforms().map((p) => p.platform).join(', ')})`);
  return descriptor;
}

function sealCredentials(credentials: Record<string, string>): string | null {
  return Object.keys(credentials).length ? encryptSecret(storeSecretKey(), JSON.stringify(credentials)) : null;
}

function slugify(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return base || 'store';
}

/** The platforms an admin can connect, with the fields each needs. */
export function listStorePlatforms(ctx: Ctx): PlatformDescriptor[] {
  requireRole(ctx, 'admin');
  return listPlatforms();
}

/** Connects a new store (brand). Credentials are encrypted before they are stored. */
export async function createStore(ctx: Ctx, input: NewStoreInput): Promise<StoreConnectionView> {
  requireRole(ctx, 'admin');
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be empty');
  if (!isTimeZone(input.timezone)) throw invalid('timezone', 'is not a known time zone (use an IANA name such as Europe/Amsterdam)');
  const descriptor = descriptorOrThrow(input.platform);
  const settings = Object.fromEntries(Object.entries(input.settings ?? {}).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
  const credentials = Object.fromEntries(Object.entries(input.credentials ?? {}).filter(([, v]) => v !== ''));
  checkConnectionFields(descriptor, settings, credentials);
  const prefix = input.orderNumberPrefix?.trim() || null;
  const pattern = input.orderNumberPattern || null;
  checkOrderNumberFormat(prefix, pattern);
  const id = await inTransaction(ctx, async (trx) => {
    let slug = slugify(name);
    if (await q.slugTaken(trx.db, slug)) slug = `${slug}-${randomBytes(3).toString('hex')}`;
    const row = await q.insertStore(trx.db, { name, slug, timezone: input.timezone, currency: input.currency.toUpperCase() });
    await q.upsertStoreConnection(trx.db, {
      storeId: row.id, platform: input.platform, orderNumberPrefix: prefix ? prefix.toUpperCase() : null, orderNumberPattern: pattern, settings,
      credentials: sealCredentials(credentials),
    });
    return row.id;
  });
  await ensureStorePollJob(ctx, id);
  return getStoreConnection(ctx, id);
}

/** A store's connection for admins: never the credentials' values. */
export async function getStoreConnection(ctx: Ctx, storeId: string): Promise<StoreConnectionView> {
  requireRole(ctx, 'admin');
  const row = await q.findStoreWithConnection(ctx.db, storeId);
  if (!row) throw notFound('The store');
  return connectionViewOf(row);
}

/** Every store's connection for admins, oldest store first, read in one query: never the credentials' values. */
export async function listStoreConnections(ctx: Ctx): Promise<StoreConnectionView[]> {
  requireRole(ctx, 'admin');
  const rows = await q.listStoresWithConnections(ctx.db);
  return rows.map(connectionViewOf);
}

/** What admins see of a store's connection row: the names of its saved credentials, never their values. */
function connectionViewOf(row: StoreWithConnectionRow): StoreConnectionView {
  const store = storeInfoFromRow(row);
  let capabilities: ConnectorCapabilities | null = null;
  let credentialsSet: string[] = [];
  try {
    credentialsSet = Object.keys(openCredentials(store)).sort();
    capabilities = connectorFor(store).capabilities;
  } catch {
    capabilities = null;
  }
  const descriptor = platformDescriptor(store.platform);
  return {
    store, capabilities, credentialsSet,
    platformName: descriptor?.name ?? store.platform,
    changeFeed: capabilities?.changeFeed ?? null,
    webhookPath: capabilities?.changeFeed === 'webhook' ? `/api/v1/stores/${store.id}/webhooks` : null,
    lastSyncedAt: row.last_synced_at, lastSyncError: row.last_sync_error, lastWebhookAt: row.last_webhook_at,
  };
}

/** Changes a store and its connection (admins only); the connector is rebuilt with the new values. */
export async function updateStoreConnection(ctx: Ctx, storeId: string, patch: StoreConnectionPatch): Promise<StoreConnectionView> {
  requireRole(ctx, 'admin');
  const current = await loadStoreInfo(ctx, storeId);
  const platform = patch.platform ?? current.platform;
  const descriptor = descriptorOrThrow(platform);
  const platformChanged = platform !== current.platform;
  // A new platform starts from empty settings and credentials: the old ones belong to the old one.
  const settings: Record<string, unknown> = platformChanged ? {} : { ...current.settings };
  for (const [k, v] of Object.entries(patch.settings ?? {})) {
    if (v === null || v.trim() === '') delete settings[k];
    else settings[k] = v.trim();
  }
  if (patch.taxRateBp !== undefined) settings.tax_rate_bp = patch.taxRateBp;
  const credentials: Record<string, string> = platformChanged ? {} : { ...openCredentials(current) };
  for (const [k, v] of Object.entries(patch.credentials ?? {})) {
    if (v === null || v === '') delete credentials[k];
    else credentials[k] = v;
  }
  checkConnectionFields(descriptor, settings, credentials);
  const prefix = patch.orderNumberPrefix === undefined ? current.orderNumberPrefix : patch.orderNumberPrefix?.trim() || null;
  const pattern = patch.orderNumberPattern === undefined ? current.orderNumberPattern : patch.orderNumberPattern || null;
  checkOrderNumberFormat(prefix, pattern);
  if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) throw invalid('timezone', 'is not a known time zone (use an IANA name such as Europe/Amsterdam)');
  if (patch.name !== undefined && !patch.name.trim()) throw invalid('name', 'must not be empty');
  const credentialsChanged = platformChanged || patch.credentials !== undefined;
  await inTransaction(ctx, async (trx) => {
    if (patch.name !== undefined || patch.timezone !== undefined) {
      await q.updateStore(trx.db, storeId, { name: patch.name?.trim(), timezone: patch.timezone });
    }
    await q.upsertStoreConnection(trx.db, {
      storeId, platform, orderNumberPrefix: prefix ? prefix.toUpperCase() : null, orderNumberPattern: pattern, settings,
      ...(credentialsChanged ? { credentials: sealCredentials(credentials) } : {}),
      ...(platformChanged ? { resetFeed: true } : {}),
    });
  });
  forgetConnector(storeId);
  storeReadCache.invalidateStore(storeId);
  await ensureStorePollJob(ctx, storeId);
  return getStoreConnection(ctx, storeId);
}

/** Asks the store whether it answers with the saved settings and credentials. */
export async function testStoreConnection(ctx: Ctx, storeId: string): Promise<{ ok: true; detail: string }> {
  requireRole(ctx, 'admin');
  const { store, connector } = await connectorForStore(ctx, storeId);
  if (!connector.checkConnection) return { ok: true, detail: `${platformDescriptor(store.platform)?.name ?? store.platform} needs no connection check.` };
  const detail = await callStore(store, 'Nothing was changed.', () => connector.checkConnection!(ctx));
  return { ok: true, detail };
}
