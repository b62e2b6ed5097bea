/**
 * Saved views: an agent's named ticket filters, private or shared with the team.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AppError, notFound } from '../../shared/errors.ts';
import { actorAgentId, requireRole, roleAtLeast, type Ctx } from '../../shared/context.ts';
import { ASSIGNEE_PATTERN } from '../tickets/tickets.schema.ts';

/** The filters a view may hold: the same as the ticket list's query parameters. */
export const ViewFiltersSchema = Type.Object(
  {
    status: Type.Optional(Type.String({ pattern: '^(new|open|pending|on_hold|solved|closed)(,(new|open|pending|on_hold|solved|closed))*$' })),
    assignee: Type.Optional(Type.String({ pattern: ASSIGNEE_PATTERN })),
    team: Type.Optional(Type.String({ format: 'uuid' })),
    tag: Type.Optional(Type.String({ maxLength: 50 })),
    channel: Type.Optional(Type.String({ pattern: '^(email|chat|contact_form|phone|social|api|portal)$' })),
    priority: Type.Optional(Type.String({ pattern: '^(low|normal|high|urgent)$' })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ViewFilters = Static<typeof ViewFiltersSchema>;

/** A saved view as the API shows it. */
export interface SavedView {
  id: string;
  name: string;
  filters: ViewFilters;
  shared: boolean;
}

/** The caller's views and the shared ones. */
export async function listViews(ctx: Ctx): Promise<SavedView[]> {
  requireRole(ctx, 'agent');
  const me = actorAgentId(ctx.actor);
  const rows = await ctx.db
    .selectFrom('saved_views')
    .select(['id', 'name', 'filters', 'agent_id'])
    .where((eb) => eb.or([eb('agent_id', 'is', null), ...(me ? [eb('agent_id', '=', me)] : [])]))
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, filters: r.filters as ViewFilters, shared: r.agent_id === null }));
}

/** Saves a view; shared views need a manager. */
export async function createView(ctx: Ctx, input: { name: string; filters: ViewFilters; shared?: boolean | undefined }): Promise<SavedView> {
  requireRole(ctx, 'agent');
  const me = actorAgentId(ctx.actor);
  if (input.shared) requireRole(ctx, 'manager');
  const name = input.name.trim();
  if (!name) throw new AppError('validation_failed', 'A view needs a name.', { errors: [{ field: 'name', message: 'is empty' }] });
  const row = await ctx.db
    .insertInto('saved_views')
    .values({ name, filters: JSON.stringify(input.filters), agent_id: input.shared ? null : me })
    .returning(['id', 'name', 'filters', 'agent_id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, filters: row.filters as ViewFilters, shared: row.agent_id === null };
}

/** Deletes one of the caller's views (managers may delete shared ones). */
export async function deleteView(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'agent');
  const row = await ctx.db.selectFrom('saved_views').select(['id', 'agent_id']).where('id', '=', id).executeTakeFirst();
  const me = actorAgentId(ctx.actor);
  if (!row || (row.agent_id !== null && row.agent_id !== me)) throw notFound('The view');
  const actor = ctx.actor;
  if (row.agent_id === null && !((actor.type === 'agent' || actor.type === 'integration') && roleAtLeast(actor.role, 'manager'))) {
    throw new AppError('forbidden', 'Only a manager can delete a shared view.');
  }
  await ctx.db.deleteFrom('saved_views').where('id', '=', id).execute();
}
