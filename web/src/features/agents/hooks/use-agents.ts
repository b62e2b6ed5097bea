/**
 * Cached agent and team lists (they change rarely), and adding agents.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { NewAgent } from '../../../api/types';
import { createAgent, listAgents, listTeams, updateAgent, type AgentPatch } from '../api/agents.api';

/** Every agent, active first, by name. */
export function useAgents() {
  return useQuery({
    queryKey: queryKeys.agents,
    queryFn: async () =>
      (await listAgents()).items.toSorted((a, b) => Number(b.is_active) - Number(a.is_active) || a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}

/** Every team, by name. */
export function useTeams() {
  return useQuery({
    queryKey: queryKeys.teams,
    queryFn: async () => (await listTeams()).items.toSorted((a, b) => a.name.localeCompare(b.name)),
    staleTime: 5 * 60_000,
  });
}

/** Adds an agent; every agent picker refreshes. */
export function useCreateAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewAgent) => createAgent(input),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.agents }),
  });
}

/** Changes an agent; every agent picker and team count refreshes. */
export function useUpdateAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: AgentPatch }) => updateAgent(id, patch),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.agents });
      void client.invalidateQueries({ queryKey: queryKeys.teams });
    },
  });
}
