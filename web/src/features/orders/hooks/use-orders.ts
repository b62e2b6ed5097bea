/**
 * Order data for the orders panel, search and the action dialogs, and running actions.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { OrderActionRequest } from '../../../api/types';
import { useStores } from '../../stores/hooks/use-stores';
import { invalidateTicketViews } from '../../tickets/hooks/use-tickets';
import {
  fetchCustomerOrderTimeline,
  fetchCustomerOrders,
  fetchOrder,
  lookupOrders,
  looksLikeOrderReference,
  previewOrderAction,
  runOrderAction,
} from '../api/orders.api';

/** The customer's orders, newest first, paged by cursor (the first page carries the stats). */
export function useCustomerOrders(customerId: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.customerOrders(customerId),
    queryFn: ({ pageParam, signal }) => fetchCustomerOrders(customerId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    staleTime: 30_000,
  });
}

/** What happened to the customer's orders, newest first. */
export function useCustomerOrderTimeline(customerId: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.customerOrderTimeline(customerId),
    queryFn: ({ pageParam, signal }) => fetchCustomerOrderTimeline(customerId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    staleTime: 30_000,
  });
}

/** One order in full (refundable maximum, tickets about it); idle until enabled. */
export function useOrder(storeId: string | undefined, number: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.order(storeId ?? '', number ?? ''),
    queryFn: ({ signal }) => fetchOrder(storeId ?? '', number ?? '', signal),
    enabled: enabled && Boolean(storeId && number),
    staleTime: 10_000,
  });
}

/** Orders matching what was typed in search, when it looks like an order or tracking number. */
export function useOrderLookup(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: queryKeys.orderLookup(trimmed),
    queryFn: ({ signal }) => lookupOrders(trimmed, signal),
    enabled: looksLikeOrderReference(trimmed),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * What an action would do (a dry run), refreshed whenever the request changes. `request` is
 * null while the form is incomplete.
 */
export function useOrderActionPreview(ticketId: string, request: Omit<OrderActionRequest, 'dry_run' | 'idempotency_key'> | null) {
  return useQuery({
    queryKey: queryKeys.orderActionPreview(ticketId, request),
    queryFn: ({ signal }) => previewOrderAction(ticketId, request ?? { order_number: '', action: 'add_note' }, signal),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    gcTime: 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** Carries out an action; afterwards the ticket (its timeline event) and every order view refresh. */
export function useRunOrderAction(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: Omit<OrderActionRequest, 'dry_run'> & { idempotency_key: string }) => runOrderAction(ticketId, request),
    // Playbook suggestions say which remedies were given already, so they change with every action.
    onSettled: () =>
      Promise.all([
        invalidateTicketViews(client, ticketId),
        client.invalidateQueries({ queryKey: queryKeys.orders }),
        client.invalidateQueries({ queryKey: ['playbooks', 'suggest'] }),
      ]),
  });
}

/** The time zone of an order's store (its dates are shown in it); null until the stores are known. */
export function useStoreTimeZone(storeId: string): string | null {
  const stores = useStores();
  return stores.data?.find((s) => s.id === storeId)?.timezone ?? null;
}
