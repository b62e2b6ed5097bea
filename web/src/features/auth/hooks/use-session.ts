/**
 * The signed-in agent and the sign-in / sign-out actions.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../../api/client';
import { queryKeys } from '../../../api/query-keys';
import type { Agent } from '../../../api/types';
import { fetchMe, fetchMeta, login, logout } from '../api/auth.api';

/** The current session: `data` is the agent, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<Agent | null> => {
      try {
        return (await fetchMe()).agent;
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });
}

let lastAgent: Agent | null = null;

/**
 * The signed-in agent; only call below the auth guard. While a sign-out or an expired session
 * is being handled the last known agent is returned, so pages can unmount quietly.
 */
export function useMe(): Agent {
  const { data } = useSession();
  if (data) lastAgent = data;
  if (!lastAgent) throw new Error('useMe() used outside a signed-in page');
  return lastAgent;
}

/** Public facts for the sign-in page; failures just hide the demo hint. */
export function useMeta() {
  return useQuery({ queryKey: queryKeys.meta, queryFn: fetchMeta, staleTime: Infinity, retry: false });
}

/** Signs in and primes the session cache. */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => login(input.email, input.password),
    onSuccess: ({ agent }) => client.setQueryData(queryKeys.me, agent),
  });
}

/** Signs out and forgets every cached answer. */
export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      client.setQueryData(queryKeys.me, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
    },
  });
}
