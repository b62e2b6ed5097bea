/**
 * Customers: one person across channels, known by several identities, mergeable when the
 * same person wrote from two addresses.
 */
import type { IdentityKind, IdentityRow } from '../../db/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { actorAgentId, inTransaction, requireRole, type Ctx } from '../../shared/context.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import * as q from './customers.queries.ts';
import { insertTicketEvent } from '../tickets/tickets.queries.ts';

/** Normalizes an identity value so that the same address always matches. */
export function normalizeIdentity(kind: IdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return v.replace(/[^\d+]/g, '');
  return v.replace(/^@/, '').toLowerCase();
}

/** Finds the customer behind an email in a store, or creates them. Follows merges. */
export async function findOrCreateCustomerByEmail(ctx: Ctx, storeId: string, email: string, name?: string | null): Promise<{ id: string; created: boolean }> {
  const value = normalizeIdentity('email', email);
  const existing = await q.findCustomerByIdentity(ctx.db, storeId, 'email', value);
  if (existing) return { id: existing.merged_into_id ?? existing.id, created: false };
  return createCustomerByEmail(ctx, storeId, value, name);
}

/**
 * Creates a customer for an email address the caller just looked up and did not find; if
 * someone else created it in the meantime, returns theirs (and drops the new row).
 */
export async function createCustomerByEmail(ctx: Ctx, storeId: string, email: string, name?: string | null): Promise<{ id: string; created: boolean }> {
  const value = normalizeIdentity('email', email);
  const customer = await q.insertCustomerWithEmail(ctx.db, { storeId, name: name?.trim() || null, email: value });
  if (!customer.identityAdded) {
    const winner = await q.findCustomerByIdentity(ctx.db, storeId, 'email', value);
    if (winner) {
      await q.deleteCustomer(ctx.db, customer.id);
      return { id: winner.merged_into_id ?? winner.id, created: false };
    }
  }
  return { id: customer.id, created: true };
}

/** An identity as the API shows it. */
export interface Identity {
  id: string;
  kind: IdentityKind;
  provider: string;
  value: string;
  isPrimary: boolean;
  undeliverableAt: Date | null;
}

function toIdentity(r: Pick<IdentityRow, 'id' | 'kind' | 'provider' | 'value' | 'is_primary' | 'undeliverable_at'>): Identity {
  return { id: r.id, kind: r.kind, provider: r.provider, value: r.value, isPrimary: r.is_primary, undeliverableAt: r.undeliverable_at };
}

/** One customer with identities and ticket count. */
export interface CustomerProfile {
  id: string;
  storeId: string;
  name: string | null;
  note: string | null;
  createdAt: Date;
  mergedIntoId: string | null;
  identities: Identity[];
  ticketCount: number;
}

/** Loads a customer profile; a merged customer resolves to the survivor. */
export async function getCustomerProfile(ctx: Ctx, id: string): Promise<CustomerProfile> {
  requireRole(ctx, 'agent');
  let row = await q.findCustomerById(ctx.db, id);
  if (row?.merged_into_id) row = await q.findCustomerById(ctx.db, row.merged_into_id);
  if (!row) throw notFound('The customer');
  const [identities, stats] = await Promise.all([q.listIdentities(ctx.db, [row.id]), q.customerTicketStats(ctx.db, [row.id])]);
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    note: row.note,
    createdAt: row.created_at,
    mergedIntoId: row.merged_into_id,
    identities: identities.map(toIdentity),
    ticketCount: stats[0]?.ticket_count ?? 0,
  };
}

/** Changes what agents know about a customer: their name and a note for the team. */
export async function updateCustomerProfile(ctx: Ctx, id: string, patch: { name?: string | null | undefined; note?: string | null | undefined }): Promise<CustomerProfile> {
  requireRole(ctx, 'agent');
  const row = await q.findCustomerById(ctx.db, id);
  if (!row) throw notFound('The customer');
  if (row.merged_into_id) {
    throw new AppError('conflict', 'This customer was merged into another one; change that customer instead.', { extra: { merged_into_id: row.merged_into_id } });
  }
  const values: { name?: string | null; note?: string | null } = {};
  if (patch.name !== undefined) values.name = patch.name?.trim() || null;
  if (patch.note !== undefined) values.note = patch.note?.trim() || null;
  if (Object.keys(values).length > 0) await q.updateCustomer(ctx.db, id, values);
  return getCustomerProfile(ctx, id);
}

/** A row of the customer list. */
export interface CustomerListItem {
  id: string;
  name: string | null;
  email: string | null;
  createdAt: Date;
  ticketCount: number;
}

/** Customers newest first, filtered by exact email or by name / identity prefix. */
export async function listCustomers(
  ctx: Ctx,
  f: { email?: string | undefined; q?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: CustomerListItem[]; nextCursor: string | null }> {
  requireRole(ctx, 'agent');
  const after = f.cursor ? decodeCursor(f.cursor) : undefined;
  const rows = await q.listCustomers(ctx.db, { email: f.email, q: f.q, after, limit: f.limit });
  const page = rows.slice(0, f.limit);
  const ids = page.map((r) => r.id);
  const [identities, stats] = await Promise.all([q.listIdentities(ctx.db, ids), q.customerTicketStats(ctx.db, ids)]);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      email: identities.find((i) => i.customer_id === r.id && i.kind === 'email')?.value ?? null,
      createdAt: r.created_at,
      ticketCount: stats.find((s) => s.customer_id === r.id)?.ticket_count ?? 0,
    })),
    nextCursor: rows.length > f.limit && last ? encodeCursor({ t: last.cursor_t, id: last.id }) : null,
  };
}

/**
 * Merges the source customer into the target: identities, tickets and messages move, the
 * source remains as a pointer so old links still resolve. Recorded on every moved ticket.
 */
export async function mergeCustomers(ctx: Ctx, targetId: string, sourceId: string): Promise<CustomerProfile> {
  requireRole(ctx, 'agent');
  if (targetId === sourceId) throw new AppError('merge_conflict', 'A customer cannot be merged into themselves.');
  await inTransaction(ctx, async (tx) => {
    if (!tx.db.isTransaction) throw new Error('merge needs a transaction');
    const locked = await q.lockCustomers(tx.db as Parameters<typeof q.lockCustomers>[0], [targetId, sourceId]);
    const target = locked.find((c) => c.id === targetId);
    const source = locked.find((c) => c.id === sourceId);
    if (!target) throw notFound('The customer to merge into');
    if (!source) throw notFound('The customer to merge');
    if (target.merged_into_id) throw new AppError('merge_conflict', 'The target customer was itself merged; merge into the surviving customer.');
    if (source.merged_into_id) throw new AppError('merge_conflict', 'That customer was already merged.');
    if (target.store_id !== source.store_id) throw new AppError('merge_conflict', 'Customers of different stores cannot be merged.');
    const movedTickets = await q.moveCustomer(tx.db, sourceId, targetId);
    if (!target.name && source.name) await q.updateCustomer(tx.db, targetId, { name: source.name });
    const actorId = actorAgentId(ctx.actor);
    for (const ticketId of movedTickets) {
      await insertTicketEvent(tx.db, {
        ticketId,
        actorType: ctx.actor.type === 'integration' ? 'integration' : ctx.actor.type === 'agent' ? 'agent' : 'system',
        actorId,
        type: 'customer.merged',
        data: { from_customer_id: sourceId, to_customer_id: targetId, from_name: source.name, to_name: target.name ?? source.name },
      });
    }
  });
  return getCustomerProfile(ctx, targetId);
}
