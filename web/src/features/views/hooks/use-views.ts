/**
 * Saved views: list, save, delete.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { SavedView } from '../../../api/types';
import { createView, deleteView, listViews } from '../api/views.api';

/** The agent's saved views, by name. */
export function useSavedViews() {
  return useQuery({
    queryKey: queryKeys.views,
    queryFn: async () => (await listViews()).items.toSorted((a, b) => a.name.localeCompare(b.name)),
    staleTime: 60_000,
  });
}

/** Saves a view. */
export function useCreateView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<SavedView, 'id'>) => createView(input),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.views }),
  });
}

/** Deletes a view. */
export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteView(id),
    onSuccess: (_data, id) => {
      client.setQueryData<SavedView[]>(queryKeys.views, (views) => views?.filter((v) => v.id !== id));
      return client.invalidateQueries({ queryKey: queryKeys.views });
    },
  });
}
