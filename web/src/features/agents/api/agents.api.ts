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
