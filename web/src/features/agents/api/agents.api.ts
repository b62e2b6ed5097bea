/**
 * Agents and teams, for assignment and filters, and adding agents (admins).
 */
import { api } from '../../../api/client';
import type { Agent, ItemList, NewAgent, Team } from '../../../api/types';

/** All agents. */
export function listAgents(): Promise<ItemList<Agent>> {
  return api('/agents');
}

/** All teams. */
export function listTeams(): Promise<ItemList<Team>> {
  return api('/teams');
}

/** Adds an agent (admins only). */
export function createAgent(input: NewAgent): Promise<Agent> {
  return api('/agents', { method: 'POST', body: input });
}

/** What an admin can change about an agent. */
export interface AgentPatch {
  name?: string;
  role?: Agent['role'];
  is_active?: boolean;
  password?: string;
  team_ids?: string[];
}

/** Changes an agent (admins only). */
export function updateAgent(id: string, patch: AgentPatch): Promise<Agent> {
  return api(`/agents/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}
