/**
 * The react-query client: short staleness for live data, no retries for answers that will not
 * change (4xx), and refetch on focus so a returning agent sees fresh lists.
 */
import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client';

/** One client for the whole app. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      retry: (count, error) => {
        if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
        return count < 2;
      },
    },
    mutations: { retry: false },
  },
});
