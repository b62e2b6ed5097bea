/** Playbooks of a store, their edits, and suggestions for a ticket's order. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createPlaybook, deletePlaybook, fetchPlaybooks, fetchSuggestions, updatePlaybook, type PlaybookInput } from '../api/playbooks.api';

export const playbookKeys = {
  all: ['playbooks'] as const,
  store: (storeId: string) => ['playbooks', 'store', storeId] as const,
  suggestions: (ticketId: string, orderNumber: string, problem: string | null) => ['playbooks', 'suggest', ticketId, orderNumber, problem] as const,
};

export function useStorePlaybooks(storeId: string | null) {
  return useQuery({ queryKey: playbookKeys.store(storeId ?? ''), queryFn: async ({ signal }) => (await fetchPlaybooks(storeId ?? '', signal)).items, enabled: Boolean(storeId) });
}

export function usePlaybookSuggestions(ticketId: string, orderNumber: string, problem: string | null, enabled: boolean) {
  return useQuery({
    queryKey: playbookKeys.suggestions(ticketId, orderNumber, problem),
    queryFn: ({ signal }) => fetchSuggestions(ticketId, orderNumber, problem, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useSavePlaybook(storeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: { id: string | null; body: PlaybookInput }) => (p.id ? updatePlaybook(p.id, p.body) : createPlaybook(storeId, p.body)),
    onSettled: () => client.invalidateQueries({ queryKey: playbookKeys.all }),
  });
}

export function useDeletePlaybook() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (id: string) => deletePlaybook(id), onSettled: () => client.invalidateQueries({ queryKey: playbookKeys.all }) });
}
