/**
 * A store's policy, its history, the live preview of an edited document, and saving.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getPolicy, listPolicyVersions, previewPolicy, savePolicy, type PolicyDocument, type SummaryItem } from '../api/policies.api';

/** Query keys of this feature (a prefix per store, so saving refreshes everything about it). */
export const policyKeys = {
  store: (storeId: string) => ['policies', storeId] as const,
  current: (storeId: string) => ['policies', storeId, 'current'] as const,
  versions: (storeId: string) => ['policies', storeId, 'versions'] as const,
  preview: (storeId: string, document: PolicyDocument | null) => ['policies', storeId, 'preview', document] as const,
};

/** The store's active policy. */
export function usePolicy(storeId: string | null) {
  return useQuery({
    queryKey: policyKeys.current(storeId ?? ''),
    queryFn: ({ signal }) => getPolicy(storeId ?? '', signal),
    enabled: storeId !== null,
  });
}

/** Every saved version, newest first. */
export function usePolicyVersions(storeId: string | null) {
  return useQuery({
    queryKey: policyKeys.versions(storeId ?? ''),
    queryFn: async ({ signal }) => (await listPolicyVersions(storeId ?? '', signal)).items,
    enabled: storeId !== null,
  });
}

/** The summary and changes of an edited document (keeps the last answer while typing). */
export function usePolicyPreview(storeId: string | null, document: PolicyDocument | null) {
  return useQuery({
    queryKey: policyKeys.preview(storeId ?? '', document),
    queryFn: ({ signal }): Promise<{ summary: SummaryItem[]; changes: string[] }> =>
      document ? previewPolicy(storeId ?? '', document, signal) : Promise.reject(new Error('Nothing to preview.')),
    enabled: storeId !== null && document !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Saves a new version; the policy and its history refresh. */
export function useSavePolicy(storeId: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { document: PolicyDocument; change_note: string; base_version: number }) => savePolicy(storeId ?? '', input),
    onSuccess: () => client.invalidateQueries({ queryKey: policyKeys.store(storeId ?? '') }),
  });
}
