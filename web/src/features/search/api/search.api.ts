/**
 * Global search across tickets, messages and customers.
 */
import { api } from '../../../api/client';
import type { SearchResults } from '../../../api/types';

/** Searches everything for `q`. */
export function search(q: string, signal?: AbortSignal): Promise<SearchResults> {
  return api('/search', { query: { q }, signal });
}

/** The ticket number a query names, for "#1234" or "1234"; null otherwise. */
export function ticketNumberIn(q: string): number | null {
  const match = /^\s*#?(\d{1,9})\s*$/.exec(q);
  return match?.[1] ? Number(match[1]) : null;
}
