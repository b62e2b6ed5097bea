/**
 * The store's support staff: who they are, their role, their teams.
 */
import type { AgentRole, AgentRow } from '../../db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import { requireRole, type Ctx } from '../../shared/context.ts';
import { hashPassword } from '../auth/password.ts';
import * as q from './agents.queries.ts';

/** An agent as the API shows it (never the password hash). */
export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  isActive: boolean;
  createdAt: Date;
  teamIds?: string[];
}

/** Maps a row to an Agent, dropping secrets. */
export function toAgent(row: Pick<AgentRow, 'id' | 'email' | 'name' | 'role' | 'is_active' | 'created_at'> & { team_ids?: string[] }): Agent {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    isActive: row.is_active,
    createdAt: row.created_at,
    ...(row.team_ids ? { teamIds: row.team_ids } : {}),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates an agent; only admins may, and an email can belong to one agent only. */
export async function createAgent(
  ctx: Ctx,
  input: { email: string; name?: string | undefined; role: AgentRole; password?: string | undefined },
): Promise<Agent> {
  requireRole(ctx, 'admin');
  if (!EMAIL.test(input.email)) {
    throw new AppError('validation_failed', 'The email address is not valid.', { errors: [{ field: 'email', message: 'is not an email address' }] });
  }
  if (input.password !== undefined && input.password.length < 8) {
    throw new AppError('validation_failed', 'The password must have at least 8 characters.', { errors: [{ field: 'password', message: 'is shorter than 8 characters' }] });
  }
  if (await q.findAgentByEmail(ctx.db, input.email)) {
    throw new AppError('already_exists', `An agent with the email ${input.email} already exists.`);
  }
  const name = input.name?.trim() || input.email.split('@')[0] || input.email;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const row = await q.insertAgent(ctx.db, { email: input.email.toLowerCase(), name, role: input.role, passwordHash });
  return toAgent(row);
}

/** Everyone on the team, for assignee pickers. */
export async function listAgents(ctx: Ctx): Promise<Agent[]> {
  requireRole(ctx, 'agent');
  return (await q.listAgents(ctx.db)).map(toAgent);
}

/** One agent by id. */
export async function getAgent(ctx: Ctx, id: string): Promise<Agent> {
  const row = await q.findAgentById(ctx.db, id);
  if (!row) throw new AppError('not_found', 'That agent does not exist.');
  return toAgent(row);
}

/** Teams, for routing and filters. */
export async function listTeams(ctx: Ctx) {
  requireRole(ctx, 'agent');
  return q.listTeams(ctx.db);
}

/** Creates the first admin from configuration, if no admin exists yet. Returns whether it did. */
export async function ensureFirstAdmin(ctx: Ctx, email: string, password: string): Promise<boolean> {
  if (await q.hasAdmin(ctx.db)) return false;
  await createAgent(ctx, { email, role: 'admin', password, name: 'Administrator' });
  return true;
}
