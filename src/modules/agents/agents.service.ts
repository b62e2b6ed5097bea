/**
 * The store's support staff: who they are, their role, their teams.
 */
import type { AgentRole, AgentRow } from '../../db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import { actorAgentId, inTransaction, requireRole, type Ctx } from '../../shared/context.ts';
import { insertAudit } from '../audit/audit.queries.ts';
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

/** What an admin can change about an agent. */
export interface AgentPatch {
  name?: string | undefined;
  role?: AgentRole | undefined;
  isActive?: boolean | undefined;
  /** A new password (a reset); the agent is signed out everywhere. */
  password?: string | undefined;
  teamIds?: string[] | undefined;
}

/**
 * Changes an agent (admins only). The store always keeps an active admin: the last one cannot
 * be demoted or deactivated, and nobody deactivates themselves. Deactivating or resetting a
 * password signs the agent out everywhere (sessions end; API tokens of inactive agents stop
 * working at once, since every request checks the agent is active).
 */
export async function updateAgent(ctx: Ctx, id: string, patch: AgentPatch): Promise<Agent> {
  requireRole(ctx, 'admin');
  if (patch.password !== undefined && patch.password.length < 8) {
    throw new AppError('validation_failed', 'The password must have at least 8 characters.', { errors: [{ field: 'password', message: 'is shorter than 8 characters' }] });
  }
  if (patch.name !== undefined && !patch.name.trim()) {
    throw new AppError('validation_failed', 'The name cannot be empty.', { errors: [{ field: 'name', message: 'is empty' }] });
  }
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  return inTransaction(ctx, async (trx) => {
    const current = await q.findAgentById(trx.db, id);
    if (!current) throw new AppError('not_found', 'That agent does not exist.');
    const self = actorAgentId(ctx.actor) === id;
    if (patch.isActive === false && self) throw new AppError('conflict', 'You cannot deactivate yourself; ask another admin.');
    const losesAdmin = current.role === 'admin' && current.is_active && ((patch.role !== undefined && patch.role !== 'admin') || patch.isActive === false);
    if (losesAdmin && (await q.countOtherActiveAdmins(trx.db, id)) === 0) {
      throw new AppError('conflict', `${current.name} is the only active admin; make someone else an admin first.`);
    }
    if (patch.teamIds) {
      for (const teamId of patch.teamIds) {
        if (!(await q.teamExists(trx.db, teamId))) throw new AppError('validation_failed', 'One of the teams does not exist.', { errors: [{ field: 'team_ids', message: `${teamId} is not a team` }] });
      }
    }
    const row = await q.updateAgentRow(trx.db, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
      ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
    });
    if (!row) throw new AppError('not_found', 'That agent does not exist.');
    if (patch.teamIds) await q.setAgentTeams(trx.db, id, [...new Set(patch.teamIds)]);
    if (patch.isActive === false || passwordHash !== undefined) await q.deleteAgentSessions(trx.db, id);
    const actor = ctx.actor.type === 'agent' || ctx.actor.type === 'integration' ? { type: ctx.actor.type, id: ctx.actor.agentId, name: ctx.actor.name } : { type: 'system' as const, id: null, name: 'storedesk' };
    await insertAudit(trx.db, {
      storeId: null, actor, action: 'agent.updated', subjectType: 'agent', subjectId: id,
      data: {
        ...(patch.name !== undefined && patch.name.trim() !== current.name ? { name: [current.name, patch.name.trim()] } : {}),
        ...(patch.role !== undefined && patch.role !== current.role ? { role: [current.role, patch.role] } : {}),
        ...(patch.isActive !== undefined && patch.isActive !== current.is_active ? { is_active: [current.is_active, patch.isActive] } : {}),
        ...(passwordHash !== undefined ? { password: 'reset' } : {}),
        ...(patch.teamIds ? { team_ids: patch.teamIds } : {}),
      },
    });
    const teams = patch.teamIds ? { team_ids: [...new Set(patch.teamIds)] } : {};
    return toAgent({ ...row, ...teams });
  });
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
