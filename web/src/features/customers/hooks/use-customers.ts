/**
 * Customer data: the directory, one customer, changing one, and merging duplicates.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { fetchCustomer, listCustomers, mergeCustomers, updateCustomer } from '../api/customers.api';

/** The customer directory, filtered by `q`, paged by cursor. */
export function useCustomerList(q: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.customerList(q),
    queryFn: ({ pageParam, signal }) => listCustomers(q, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
  });
}

/** One customer with identities and recent tickets. */
export function useCustomer(id: string) {
  return useQuery({ queryKey: queryKeys.customer(id), queryFn: ({ signal }) => fetchCustomer(id, signal) });
}

/** Merges a duplicate into the customer on screen. */
export function useMergeCustomer(targetId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) => mergeCustomers(targetId, sourceId),
    onSuccess: ({ customer }) => {
      client.setQueryData(queryKeys.customer(targetId), customer);
      void client.invalidateQueries({ queryKey: queryKeys.customerLists });
      void client.invalidateQueries({ queryKey: queryKeys.customers });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      void client.invalidateQueries({ queryKey: queryKeys.tickets });
    },
  });
}

/** Changes a customer's name or note; every place showing them refreshes. */
export function useUpdateCustomer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: { name?: string | null; note?: string | null }) => updateCustomer(id, patch),
    onSuccess: (customer) => {
      client.setQueryData(queryKeys.customer(id), (old: typeof customer | undefined) => (old ? { ...old, ...customer } : customer));
      void client.invalidateQueries({ queryKey: queryKeys.customers });
      void client.invalidateQueries({ queryKey: queryKeys.customerLists });
      void client.invalidateQueries({ queryKey: queryKeys.tickets });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
}
