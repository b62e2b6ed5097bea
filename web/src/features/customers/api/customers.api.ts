/**
 * Customers: list, search, profile and merge.
 */
import { api } from '../../../api/client';
import type { Customer, CustomerSummary, Page } from '../../../api/types';

/** Page size of the customer list. */
export const CUSTOMER_PAGE_SIZE = 50;

/** One page of customers, filtered by a free-text query. */
export function listCustomers(q: string, cursor?: string | null, signal?: AbortSignal): Promise<Page<CustomerSummary>> {
  return api('/customers', { query: { q, limit: CUSTOMER_PAGE_SIZE, cursor }, signal });
}

/** A customer with identities and recent tickets. */
export function fetchCustomer(id: string, signal?: AbortSignal): Promise<Customer> {
  return api(`/customers/${encodeURIComponent(id)}`, { signal });
}

/** Merges `sourceId` into `targetId`; the source's tickets and identities move over. */
export function mergeCustomers(targetId: string, sourceId: string): Promise<{ customer: Customer }> {
  return api(`/customers/${targetId}/merge`, { method: 'POST', body: { source_id: sourceId } });
}

/** Changes a customer's name or the team's note. */
export function updateCustomer(id: string, patch: { name?: string | null; note?: string | null }): Promise<Customer> {
  return api(`/customers/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}
