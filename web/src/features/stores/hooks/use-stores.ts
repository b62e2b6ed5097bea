/**
 * Stores and their connections for the admin pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { StoreConnectionInput } from '../../../api/types';
import { createStore, fetchStoreConnection, listStoreConnections, listStorePlatforms, listStores, syncStore, testStoreConnection, updateStoreConnection } from '../api/stores.api';

/** Every store, as GET /stores lists them. */
export function useStores() {
  return useQuery({ queryKey: queryKeys.stores, queryFn: async ({ signal }) => (await listStores(signal)).items });
}

/** The platforms that can be connected. */
export function useStorePlatforms() {
  return useQuery({ queryKey: queryKeys.storePlatforms, queryFn: async ({ signal }) => (await listStorePlatforms(signal)).items, staleTime: 5 * 60_000 });
}

/** One store's connection; polled so the feed's state stays current. */
export function useStoreConnection(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.storeConnection(id ?? ''),
    queryFn: ({ signal }) => fetchStoreConnection(id ?? '', signal),
    enabled: Boolean(id),
    refetchInterval: 30_000,
  });
}

/** Where every store's connection is cached; under the stores key, so changing a store refreshes it. */
const storeConnectionsKey = [...queryKeys.stores, 'connections'] as const;

/** Every store's connection, for the list page, in one request; polled so the feeds' state stays current. */
export function useStoreConnections() {
  return useQuery({
    queryKey: storeConnectionsKey,
    queryFn: async ({ signal }) => (await listStoreConnections(signal)).items,
    refetchInterval: 30_000,
  });
}

/** Connects a store (no id) or saves its connection. */
export function useSaveStore(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: StoreConnectionInput) => (id ? updateStoreConnection(id, input) : createStore(input)),
    onSuccess: (store) => {
      client.setQueryData(queryKeys.storeConnection(store.id), store);
      void client.invalidateQueries({ queryKey: queryKeys.stores });
      void client.invalidateQueries({ queryKey: queryKeys.orders });
    },
  });
}

/** Tests a store's connection. */
export function useTestStoreConnection(id: string) {
  return useMutation({ mutationFn: () => testStoreConnection(id) });
}

/** Polls a store's changes now. */
export function useSyncStore(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => syncStore(id),
    onSettled: () => Promise.all([
      client.invalidateQueries({ queryKey: queryKeys.storeConnection(id) }),
      client.invalidateQueries({ queryKey: storeConnectionsKey }),
    ]),
  });
}
