/**
 * Agents and teams, for assignment and filters.
 */
import { api } from '../../../api/client';
import type { Agent, ItemList, Team } from '../../../api/types';

/** All agents. */
export function listAgents(): Promise<ItemList<Agent>> {
  return api('/agents');
}

/** All teams. */
export function listTeams(): Promise<ItemList<Team>> {
  return api('/teams');
}
