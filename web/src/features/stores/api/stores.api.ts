/**
 * Stores for admins: the platforms storedesk can connect, each store's connection (secrets go
 * in, never out), the connection test and polling on demand.
 */
import { api } from '../../../api/client';
import type { ItemList, Store, StoreConnection, StoreConnectionInput, StorePlatformInfo } from '../../../api/types';

/** Every store with its platform. */
export function listStores(signal?: AbortSignal): Promise<ItemList<Store>> {
  return api('/stores', { signal });
}

/** The platforms that can be connected. */
export function listStorePlatforms(signal?: AbortSignal): Promise<ItemList<StorePlatformInfo>> {
  return api('/store-platforms', { signal });
}

/** Every store's connection in one request (GET /store-connections): platform, change feed, webhook address. */
export function listStoreConnections(signal?: AbortSignal): Promise<ItemList<StoreConnection>> {
  return api('/store-connections', { signal });
}

/** One store's connection. */
export function fetchStoreConnection(id: string, signal?: AbortSignal): Promise<StoreConnection> {
  return api(`/stores/${encodeURIComponent(id)}/connection`, { signal });
}

/** Connects a new store. */
export function createStore(input: StoreConnectionInput): Promise<StoreConnection> {
  return api('/stores', { method: 'POST', body: input });
}

/** Changes a store's connection; credentials left out are kept. */
export function updateStoreConnection(id: string, input: StoreConnectionInput): Promise<StoreConnection> {
  return api(`/stores/${encodeURIComponent(id)}/connection`, { method: 'PATCH', body: input });
}

/** Asks the store whether it answers with the saved settings. */
export function testStoreConnection(id: string): Promise<{ ok: boolean; detail: string }> {
  return api(`/stores/${encodeURIComponent(id)}/connection/test`, { method: 'POST' });
}

/** Polls a polled store's changes now. */
export function syncStore(id: string): Promise<{ polled: boolean; received: number; recorded: number; error: string | null }> {
  return api(`/stores/${encodeURIComponent(id)}/sync`, { method: 'POST' });
}
