/** Authority settings, approvals and decisions, with what each change refreshes. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { invalidateTicketViews } from '../../tickets/hooks/use-tickets';
import { approve, fetchApprovalCount, fetchApprovals, fetchAuthority, refuse, saveBudgets, saveLimits, type Approval, type Limits, type RemedyType } from '../api/authority.api';

/** Query keys of this feature (under 'authority', so one prefix refreshes them all). */
export const authorityKeys = {
  all: ['authority'] as const,
  settings: (storeId: string) => ['authority', 'settings', storeId] as const,
  approvals: (status: string) => ['authority', 'approvals', status] as const,
  count: ['authority', 'approvals-count'] as const,
};

/** A store's limits and budgets with this month's spend. */
export function useAuthority(storeId: string | null) {
  return useQuery({ queryKey: authorityKeys.settings(storeId ?? ''), queryFn: ({ signal }) => fetchAuthority(storeId ?? '', signal), enabled: Boolean(storeId) });
}

/** Saves a role's or an agent's limits. */
export function useSaveLimits(storeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { role?: string; agent_id?: string; limits: Partial<Record<RemedyType, Limits | null>> }) => saveLimits(storeId, body),
    onSuccess: (data) => client.setQueryData(authorityKeys.settings(storeId), data),
  });
}

/** Saves the store's budgets. */
export function useSaveBudgets(storeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (budgets: Partial<Record<RemedyType, { monthly: number | null; warn_at_percent?: number }>>) => saveBudgets(storeId, budgets),
    onSuccess: (data) => client.setQueryData(authorityKeys.settings(storeId), data),
  });
}

/** Approval requests of a status. */
export function useApprovals(status: Approval['status']) {
  return useQuery({ queryKey: authorityKeys.approvals(status), queryFn: ({ signal }) => fetchApprovals(status, signal), refetchInterval: 30_000 });
}

/** How many requests wait (the sidebar badge); only asked for managers. */
export function useApprovalCount(enabled: boolean) {
  return useQuery({ queryKey: authorityKeys.count, queryFn: ({ signal }) => fetchApprovalCount(signal), enabled, refetchInterval: 30_000, staleTime: 10_000 });
}

/** Approves or refuses; the approvals, the count, the ticket and the orders refresh. */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (d: { id: string; decision: 'approve' } | { id: string; decision: 'refuse'; reason: string }) =>
      d.decision === 'approve' ? approve(d.id) : refuse(d.id, d.reason),
    onSettled: async (data) => {
      await client.invalidateQueries({ queryKey: authorityKeys.all });
      await client.invalidateQueries({ queryKey: queryKeys.orders });
      // A decided request changes which playbook remedies are given or awaiting approval.
      await client.invalidateQueries({ queryKey: ['playbooks', 'suggest'] });
      if (data?.approval.ticket) await invalidateTicketViews(client, data.approval.ticket.id);
    },
  });
}
