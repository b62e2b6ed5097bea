/**
 * Orders from the customer's store: their orders with lifetime figures, one order in full,
 * finding an order from a number or tracking number, and acting on an order from a ticket.
 */
import { api } from '../../../api/client';
import type {
  CustomerOrders,
  OrderActionPreview,
  OrderActionRecord,
  OrderActionRequest,
  OrderDetail,
  OrderLookup,
  OrderTimelineEntry,
  Page,
} from '../../../api/types';

/** Orders per page in the orders panel. */
export const ORDER_PAGE_SIZE = 10;

/** A page of the customer's orders, newest first, with lifetime value and order count. */
export function fetchCustomerOrders(customerId: string, cursor?: string | null, signal?: AbortSignal): Promise<CustomerOrders> {
  return api(`/customers/${encodeURIComponent(customerId)}/orders`, { query: { limit: ORDER_PAGE_SIZE, cursor }, signal });
}

/** What happened to the customer's orders (created, paid, shipped, …), newest first. */
export function fetchCustomerOrderTimeline(
  customerId: string,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<OrderTimelineEntry>> {
  return api(`/customers/${encodeURIComponent(customerId)}/order-timeline`, { query: { limit: 20, cursor }, signal });
}

/** One order in full, with the refundable maximum and the tickets about it. */
export function fetchOrder(storeId: string, number: string, signal?: AbortSignal): Promise<OrderDetail> {
  return api(`/orders/${encodeURIComponent(storeId)}/${encodeURIComponent(number)}`, { signal });
}

/** Orders whose number or tracking number is `q`, in every connected store. */
export function lookupOrders(q: string, signal?: AbortSignal): Promise<OrderLookup> {
  return api('/orders/lookup', { query: { q }, signal });
}

/** Asks exactly what an action would do, changing nothing. */
export function previewOrderAction(
  ticketId: string,
  request: Omit<OrderActionRequest, 'dry_run' | 'idempotency_key'>,
  signal?: AbortSignal,
) {
  return api<OrderActionPreview>(`/tickets/${encodeURIComponent(ticketId)}/order-actions`, {
    method: 'POST',
    body: { ...request, dry_run: true },
    signal,
  });
}

/** Acts on the order, once per idempotency key: a repeat answers with the first result. */
export function runOrderAction(ticketId: string, request: Omit<OrderActionRequest, 'dry_run'> & { idempotency_key: string }) {
  return api<OrderActionRecord>(`/tickets/${encodeURIComponent(ticketId)}/order-actions`, { method: 'POST', body: request });
}

/**
 * Whether a search query could be an order or tracking number: one token (or "order 10234")
 * with at least three digits. The server decides; this only saves pointless calls.
 */
export function looksLikeOrderReference(q: string): boolean {
  const text = q.trim().replace(/^order\s+/i, '');
  if (text.length < 3 || text.length > 40 || /\s{2,}/.test(text)) return false;
  const compact = text.replace(/\s+/g, '');
  return /^#?[A-Za-z0-9][A-Za-z0-9_#-]*$/.test(compact) && (compact.match(/\d/g)?.length ?? 0) >= 3;
}

/** A new idempotency key; `crypto.randomUUID` needs a secure context, so fall back on random bytes. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Where a found order opens: its customer's page with the order expanded, or the order's own
 * page when the customer never wrote to support.
 */
export function orderPath(match: { store: { id: string }; order: { number: string }; customer: { id: string } | null }): string {
  const number = encodeURIComponent(match.order.number);
  return match.customer ? `/customers/${match.customer.id}?order=${number}` : `/orders/${match.store.id}/${number}`;
}
