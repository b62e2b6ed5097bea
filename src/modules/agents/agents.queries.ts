/**
 * SQL for agents (the store's support staff) and teams.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';

const AGENT_COLUMNS = ['id', 'email', 'name', 'role', 'is_active', 'created_at', 'last_seen_at', 'password_hash'] as const;

/** One agent by email, case-insensitively. */
export function findAgentByEmail(db: Executor, email: string) {
  return db.selectFrom('agents').select(AGENT_COLUMNS).where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

/** One agent by id. */
export function findAgentById(db: Executor, id: string) {
  return db.selectFrom('agents').select(AGENT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Inserts an agent. */
export function insertAgent(db: Executor, a: { email: string; name: string; role: AgentRole; passwordHash: string | null }) {
  return db
    .insertInto('agents')
    .values({ email: a.email, name: a.name, role: a.role, password_hash: a.passwordHash })
    .returning(AGENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Changes an agent's name, role, active flag or password hash. */
export function updateAgentRow(db: Executor, id: string, patch: { name?: string; role?: AgentRole; is_active?: boolean; password_hash?: string }) {
  return db.updateTable('agents').set(patch).where('id', '=', id).returning(AGENT_COLUMNS).executeTakeFirst();
}

/** Active admins other than this agent. */
export async function countOtherActiveAdmins(db: Executor, exceptId: string): Promise<number> {
  const row = await db
    .selectFrom('agents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces an agent's teams. */
export async function setAgentTeams(db: Executor, agentId: string, teamIds: readonly string[]) {
  await db.deleteFrom('agent_teams').where('agent_id', '=', agentId).execute();
  if (teamIds.length) await db.insertInto('agent_teams').values(teamIds.map((team_id) => ({ agent_id: agentId, team_id }))).execute();
}

/** Signs an agent out everywhere (after deactivation or a password reset). */
export async function deleteAgentSessions(db: Executor, agentId: string) {
  await db.deleteFrom('sessions').where('agent_id', '=', agentId).execute();
}

/** Every agent, by name, with their team ids. */
export function listAgents(db: Executor) {
  return db
    .selectFrom('agents')
    .select([...AGENT_COLUMNS])
    .select((eb) =>
      eb.fn.coalesce(
        eb.selectFrom('agent_teams').select(sql<string[]>`array_agg(team_id)`.as('ids')).whereRef('agent_teams.agent_id', '=', 'agents.id'),
        sql<string[]>`'{}'::uuid[]`,
      ).as('team_ids'),
    )
    .orderBy('name')
    .execute();
}

/** Whether any active admin exists. */
export async function hasAdmin(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('agents').select('id').where('role', '=', 'admin').where('is_active', '=', true).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Every team with its member count. */
export function listTeams(db: Executor) {
  return db
    .selectFrom('teams')
    .leftJoin('agent_teams', 'agent_teams.team_id', 'teams.id')
    .select(['teams.id', 'teams.name'])
    .select((eb) => eb.fn.count<number>('agent_teams.agent_id').as('member_count'))
    .groupBy(['teams.id', 'teams.name'])
    .orderBy('teams.name')
    .execute();
}

/** Inserts a team. */
export function insertTeam(db: Executor, name: string) {
  return db.insertInto('teams').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

/** Adds an agent to a team (idempotent). */
export async function addAgentToTeam(db: Executor, agentId: string, teamId: string) {
  await db.insertInto('agent_teams').values({ agent_id: agentId, team_id: teamId }).onConflict((oc) => oc.doNothing()).execute();
}

/** Whether a team exists. */
export async function teamExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
