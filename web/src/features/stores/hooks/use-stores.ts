/**
 * Stores and their connections for the admin pages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { StoreConnectionInput } from '../../../api/types';
import { createStore, fetchStoreConnection, listStorePlatforms, listStores, syncStore, testStoreConnection, updateStoreConnection } from '../api/stores.api';

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

/** Every store's connection, for the list page (one request per store; stores are few). */
export function useStoreConnections(ids: string[]) {
  return useQuery({
    queryKey: [...queryKeys.stores, 'connections', ids] as const,
    queryFn: ({ signal }) => Promise.all(ids.map((id) => fetchStoreConnection(id, signal))),
    enabled: ids.length > 0,
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
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.storeConnection(id) }),
  });
}
