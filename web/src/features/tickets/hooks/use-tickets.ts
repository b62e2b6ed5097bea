/**
 * Ticket data for lists, counters and the ticket page, and the actions agents take on tickets.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { NewMessage, NewTicket, TicketFilters, TicketPage, TicketPatch } from '../../../api/types';
import { createTicket, fetchTicket, fetchTicketCounts, listTickets, postMessage, retryDelivery, updateTicket } from '../api/tickets.api';

/** A ticket list, paged by cursor. */
export function useTicketList(filters: TicketFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.ticketList(filters),
    queryFn: ({ pageParam, signal }) => listTickets(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** Sidebar counters; refreshed by live events and every minute as a backstop. */
export function useTicketCounts() {
  return useQuery({ queryKey: queryKeys.counts, queryFn: fetchTicketCounts, refetchInterval: 60_000, staleTime: 10_000 });
}

/** The ticket page for an id or number. */
export function useTicket(ref: string) {
  return useQuery({
    queryKey: queryKeys.ticket(ref),
    queryFn: ({ signal }) => fetchTicket(ref, signal),
    staleTime: 10_000,
  });
}

/** Refreshes everything that shows tickets: lists, counters, customer pages, and open tickets. */
export function invalidateTicketViews(client: QueryClient, ticketId?: string): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.ticketLists }),
    client.invalidateQueries({ queryKey: queryKeys.counts }),
    client.invalidateQueries({ queryKey: queryKeys.customers }),
    client.invalidateQueries({
      queryKey: queryKeys.tickets,
      predicate: (query) => {
        if (!ticketId) return true;
        const data = query.state.data as TicketPage | undefined;
        return !data || data.ticket.id === ticketId;
      },
    }),
  ]);
}

/** Changes a ticket, showing the change at once and rolling back if the server refuses. */
export function useUpdateTicket(ref: string) {
  const client = useQueryClient();
  const key = queryKeys.ticket(ref);
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TicketPatch; optimistic?: Partial<TicketPage['ticket']> }) => updateTicket(id, patch),
    onMutate: async ({ patch, optimistic }) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<TicketPage>(key);
      if (previous) {
        const next = { ...previous.ticket, ...optimistic };
        if (patch.status) next.status = patch.status;
        if (patch.priority) next.priority = patch.priority;
        if (patch.tags) next.tags = patch.tags;
        if (patch.subject) next.subject = patch.subject;
        client.setQueryData<TicketPage>(key, { ...previous, ticket: next });
      }
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) client.setQueryData(key, context.previous);
    },
    onSuccess: ({ ticket }) => {
      client.setQueryData<TicketPage>(key, (page) => (page ? { ...page, ticket: { ...page.ticket, ...ticket } } : page));
    },
    onSettled: (_data, _error, { id }) => invalidateTicketViews(client, id),
  });
}

/** Sends a reply or adds a note; the message appears in the timeline as soon as it is saved. */
export function useSendMessage(ref: string) {
  const client = useQueryClient();
  const key = queryKeys.ticket(ref);
  return useMutation({
    mutationFn: ({ id, message }: { id: string; message: NewMessage }) => postMessage(id, message),
    onSuccess: ({ message, ticket }) => {
      client.setQueryData<TicketPage>(key, (page) =>
        page
          ? {
              ...page,
              ticket: { ...page.ticket, ...ticket },
              messages: page.messages.some((m) => m.id === message.id) ? page.messages : [...page.messages, message],
            }
          : page,
      );
    },
    onSettled: (_data, _error, { id }) => invalidateTicketViews(client, id),
  });
}

/** Opens a new ticket. */
export function useCreateTicket() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewTicket) => createTicket(input),
    onSuccess: () => invalidateTicketViews(client),
  });
}

/** Sends a failed reply again. */
export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId }: { messageId: string; ticketId: string }) => retryDelivery(messageId),
    onSettled: (_data, _error, { ticketId }) => invalidateTicketViews(client, ticketId),
  });
}
