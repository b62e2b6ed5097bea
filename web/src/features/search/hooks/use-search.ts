/**
 * Global search results for a query.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { search, ticketNumberIn } from '../api/search.api';

/** True when a query is worth sending: two characters, or a ticket number. */
export function isSearchable(q: string): boolean {
  const trimmed = q.trim();
  return trimmed.length >= 2 || ticketNumberIn(trimmed) !== null;
}

/** Results for `q`; idle while the query is too short. */
export function useSearch(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: queryKeys.search(trimmed),
    queryFn: ({ signal }) => search(trimmed, signal),
    enabled: isSearchable(trimmed),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
