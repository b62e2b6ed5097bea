/**
 * SQL for the audit of actions on orders: one row per idempotency key, claimed before the store
 * is asked and completed with the store's answer.
 */
import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ActorType, DB, OrderActionStatus, RemedyType } from '../../db/schema.ts';

const COLUMNS = [
  'order_actions.id', 'order_actions.idempotency_key', 'order_actions.request_hash', 'order_actions.store_id', 'order_actions.ticket_id',
  'order_actions.order_number', 'order_actions.action', 'order_actions.params', 'order_actions.status', 'order_actions.amount_minor',
  'order_actions.currency', 'order_actions.summary', 'order_actions.store_reference', 'order_actions.result', 'order_actions.error',
  'order_actions.actor_type', 'order_actions.actor_id', 'order_actions.actor_name', 'order_actions.attempts', 'order_actions.created_at',
  'order_actions.updated_at', 'order_actions.completed_at', 'order_actions.remedy', 'order_actions.playbook_id', 'order_actions.problem_kind',
  'order_actions.standard_remedy', 'order_actions.deviation_reason',
] as const;

/** The action recorded under a key, locked for the claim; demands a transaction. */
export function lockOrderActionByKey(trx: Transaction<DB>, key: string) {
  return trx.selectFrom('order_actions').select(COLUMNS).where('idempotency_key', '=', key).forUpdate().executeTakeFirst();
}

/** The action recorded under a key. */
export function findOrderActionByKey(db: Executor, key: string) {
  return db.selectFrom('order_actions').select(COLUMNS).where('idempotency_key', '=', key).executeTakeFirst();
}

/** The action recorded under an id. */
export function findOrderActionById(db: Executor, id: string) {
  return db.selectFrom('order_actions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One action row. */
export type OrderActionRow = NonNullable<Awaited<ReturnType<typeof findOrderActionByKey>>>;

/** Claims a key with a pending row; returns nothing when someone else holds the key. */
export function insertPendingOrderAction(
  db: Executor,
  a: {
    key: string; requestHash: string; storeId: string; ticketId: string | null; orderNumber: string; action: string; params: Record<string, unknown>;
    actorType: ActorType; actorId: string | null; actorName: string | null;
    /** The goodwill it gives, and the playbook it is taken under (standard or a deviation with its reason). */
    remedy: RemedyType | null; playbookId: string | null; problemKind: string | null; standardRemedy: boolean | null; deviationReason: string | null;
  },
) {
  return db
    .insertInto('order_actions')
    .values({
      idempotency_key: a.key, request_hash: a.requestHash, store_id: a.storeId, ticket_id: a.ticketId, order_number: a.orderNumber, action: a.action,
      params: JSON.stringify(a.params), status: 'pending', actor_type: a.actorType, actor_id: a.actorId, actor_name: a.actorName,
      remedy: a.remedy, playbook_id: a.playbookId, problem_kind: a.problemKind, standard_remedy: a.standardRemedy, deviation_reason: a.deviationReason,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

/** Takes over a failed or abandoned claim for a new attempt. */
export async function reclaimOrderAction(db: Executor, id: string) {
  await db
    .updateTable('order_actions')
    .set((eb) => ({ status: 'pending', error: null, attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute();
}

/** Records the outcome of an attempt. */
export async function completeOrderAction(
  db: Executor,
  id: string,
  c: { status: OrderActionStatus; amount: number | null; currency: string | null; summary: string | null; storeReference: string | null; result: Record<string, unknown> | null; error: string | null },
) {
  const at = new Date();
  await db
    .updateTable('order_actions')
    .set({
      status: c.status, amount_minor: c.amount, currency: c.currency, summary: c.summary, store_reference: c.storeReference,
      result: c.result === null ? null : JSON.stringify(c.result), error: c.error, updated_at: at, completed_at: c.status === 'failed' ? null : at,
    })
    .where('id', '=', id)
    .execute();
}

/** Parks an action for a manager's approval with what it would do; the store has not been asked. */
export async function markAwaitingApproval(db: Executor, id: string, c: { amount: number; currency: string; summary: string; result: Record<string, unknown> }) {
  await db
    .updateTable('order_actions')
    .set({ status: 'awaiting_approval', amount_minor: c.amount, currency: c.currency, summary: c.summary, result: JSON.stringify(c.result), error: null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Takes an approved (or failed-after-approval) action for its run: pending again, one more attempt. */
export async function startApprovedRun(db: Executor, id: string) {
  await db
    .updateTable('order_actions')
    .set((eb) => ({ status: 'pending', error: null, attempts: eb('attempts', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute();
}

/** Locks an action row by id; demands a transaction. */
export function lockOrderActionById(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('order_actions').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A ticket's order actions, oldest first. */
export function listOrderActionsOfTicket(db: Executor, ticketId: string) {
  return db
    .selectFrom('order_actions')
    .leftJoin('stores', 'stores.id', 'order_actions.store_id')
    .select(COLUMNS)
    .select('stores.name as store_name')
    .where('order_actions.ticket_id', '=', ticketId)
    .orderBy('order_actions.created_at')
    .orderBy('order_actions.id')
    .execute();
}

/** Tickets linked to an order number in a store (most recent first). */
export function findTicketsByOrderNumber(db: Executor, storeId: string, orderNumber: string, limit = 20) {
  return db
    .selectFrom('tickets')
    .select(['id', 'number', 'subject', 'status', 'updated_at'])
    .where('store_id', '=', storeId)
    .where(sql<boolean>`order_numbers @> array[${orderNumber}]::text[]`)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** Customers of a store with one of these email addresses (the helpdesk's side of a store account). */
export function findCustomersByEmails(db: Executor, storeId: string, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_identities as ci')
    .innerJoin('customers as c', 'c.id', 'ci.customer_id')
    .select(['c.id', 'c.name', 'c.merged_into_id', 'ci.value as email'])
    .where('ci.store_id', '=', storeId)
    .where('ci.kind', '=', 'email')
    .where('ci.value', 'in', [...emails])
    .execute();
}

/** The ticket facts orders work needs: its number, store and the order numbers it mentions. */
export function findTicketForOrders(db: Executor, ticketId: string) {
  return db.selectFrom('tickets').select(['id', 'number', 'store_id', 'order_numbers']).where('id', '=', ticketId).executeTakeFirst();
}

/** Marks a ticket as changed (an order action on it) and returns its number. */
export function touchTicket(db: Executor, ticketId: string) {
  return db.updateTable('tickets').set({ updated_at: new Date() }).where('id', '=', ticketId).returning(['number']).executeTakeFirst();
}
