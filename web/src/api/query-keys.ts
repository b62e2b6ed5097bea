/**
 * Every react-query key of the workspace, in one place, so live updates and mutations
 * invalidate exactly what they change.
 */
import type { TicketFilters } from './types';

/** Query keys, from broad to narrow: invalidating a prefix refreshes everything under it. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  meta: ['meta'] as const,
  agents: ['agents'] as const,
  teams: ['teams'] as const,
  views: ['views'] as const,
  /** Every ticket list, whatever its filters. */
  ticketLists: ['tickets', 'list'] as const,
  ticketList: (filters: TicketFilters) => ['tickets', 'list', filters] as const,
  counts: ['tickets', 'counts'] as const,
  /** Every open ticket page. */
  tickets: ['ticket'] as const,
  /** One ticket page, by the id or number in its URL. */
  ticket: (ref: string) => ['ticket', ref] as const,
  customerLists: ['customers', 'list'] as const,
  customerList: (q: string) => ['customers', 'list', q] as const,
  customers: ['customer'] as const,
  customer: (id: string) => ['customer', id] as const,
  search: (q: string) => ['search', q] as const,
  stores: ['stores'] as const,
  storePlatforms: ['admin', 'store-platforms'] as const,
  storeConnection: (id: string) => ['admin', 'store-connection', id] as const,
  /** Everything read from a store: customers' orders, single orders, lookups, order timelines. */
  orders: ['orders'] as const,
  customerOrders: (customerId: string) => ['orders', 'customer', customerId] as const,
  customerOrderTimeline: (customerId: string) => ['orders', 'timeline', customerId] as const,
  order: (storeId: string, number: string) => ['orders', 'detail', storeId, number] as const,
  orderLookup: (q: string) => ['orders', 'lookup', q] as const,
  /** A dry run of an order action; the request object is part of the key. */
  orderActionPreview: (ticketId: string, request: unknown) => ['orders', 'preview', ticketId, request] as const,
  /** The source of an original email, by its download URL. */
  rawEmail: (url: string) => ['raw-email', url] as const,
  mailboxes: ['admin', 'mailboxes'] as const,
  mailbox: (id: string) => ['admin', 'mailboxes', id] as const,
  outbox: ['admin', 'outbox'] as const,
};
