/**
 * The request context every service function takes first: who acts, with which role,
 * and which database executor (the whole database or one transaction) to use.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AgentRole, DB } from '../db/schema.ts';
import { forbidden } from './errors.ts';
import type { LiveBus, LiveEvent } from './live-bus.ts';

/** Who is acting. Integrations act on behalf of the agent who owns the API token. */
export type Actor =
  | { type: 'agent'; agentId: string; role: AgentRole; name: string }
  | { type: 'integration'; agentId: string; role: AgentRole; name: string; tokenId: string; scopes: readonly string[] | null }
  | { type: 'customer'; customerId: string }
  | { type: 'system'; name: string };

/** Everything a service needs to act on behalf of someone. */
export interface Ctx {
  readonly actor: Actor;
  readonly db: Executor;
  /** The root database handle, for starting transactions. */
  readonly root: Kysely<DB>;
  readonly live: LiveBus;
  readonly requestId: string;
  /** Live events to publish once the surrounding transaction has committed. */
  readonly pendingLive: LiveEvent[];
  /**
   * History being imported (the demo, an import): replies are recorded as they were, and no
   * channel delivers them now. Carried by every context made from this one.
   */
  readonly importing?: boolean;
}

const RANK: Record<AgentRole, number> = { agent: 1, manager: 2, admin: 3 };

/** True when the role is at least the required one (admin > manager > agent). */
export function roleAtLeast(role: AgentRole, required: AgentRole): boolean {
  return RANK[role] >= RANK[required];
}

/** The acting agent's id, or null for customers and the system. */
export function actorAgentId(actor: Actor): string | null {
  return actor.type === 'agent' || actor.type === 'integration' ? actor.agentId : null;
}

/** Throws 403 unless the actor is staff with at least the given role. The system may do anything. */
export function requireRole(ctx: Ctx, required: AgentRole): void {
  const a = ctx.actor;
  if (a.type === 'system') return;
  if ((a.type === 'agent' || a.type === 'integration') && roleAtLeast(a.role, required)) return;
  throw forbidden(required === 'agent' ? 'Only staff can do this.' : `Only a ${required} or above can do this.`);
}

/** Runs fn in one transaction; live events it queued are published only after commit. */
export async function inTransaction<T>(ctx: Ctx, fn: (trx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  const pendingLive: LiveEvent[] = [];
  const result = await ctx.root.transaction().execute((trx) => fn({ ...ctx, db: trx, pendingLive }));
  for (const event of pendingLive) ctx.live.publish(event);
  return result;
}

/** Queues a live event: published after commit inside a transaction, at once otherwise. */
export function emitLive(ctx: Ctx, event: LiveEvent): void {
  if (ctx.db.isTransaction) ctx.pendingLive.push(event);
  else ctx.live.publish(event);
}

/** A context for background work and the CLI. */
export function systemContext(root: Kysely<DB>, live: LiveBus, name = 'system'): Ctx {
  return { actor: { type: 'system', name }, db: root, root, live, requestId: `sys-${name}`, pendingLive: [] };
}
