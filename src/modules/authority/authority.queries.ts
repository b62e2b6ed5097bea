/**
 * SQL for authority limits, goodwill budgets, the spend they are measured against, and approval
 * requests. Spend is what succeeded order actions gave away (an approved action counts once it
 * has run), in minor units of the store's currency.
 */
import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AgentRole, ApprovalStatus, DB, RemedyType } from '../../db/schema.ts';

/** Limits that apply to an agent in a store: their role's defaults and their own overrides. */
export function findLimitsFor(db: Executor, storeId: string, agentId: string, role: AgentRole) {
  return db
    .selectFrom('authority_limits')
    .selectAll()
    .where('store_id', '=', storeId)
    .where((eb) => eb.or([eb('agent_id', '=', agentId), eb.and([eb('role', '=', role), eb('agent_id', 'is', null)])]))
    .execute();
}

/** Every limit of a store, with the overridden agent's name. */
export function listLimits(db: Executor, storeId: string) {
  return db
    .selectFrom('authority_limits')
    .leftJoin('agents', 'agents.id', 'authority_limits.agent_id')
    .selectAll('authority_limits')
    .select(['agents.name as agent_name', 'agents.email as agent_email'])
    .where('authority_limits.store_id', '=', storeId)
    .orderBy('authority_limits.role')
    .orderBy('agents.name')
    .orderBy('authority_limits.remedy')
    .execute();
}

/** One limit row as written. */
export interface LimitValues {
  perAction: number | null;
  perTicket: number | null;
  perDay: number | null;
  perMonth: number | null;
}

/** Sets a role's default or an agent's override for one remedy (replacing the previous one). */
export async function upsertLimit(db: Executor, storeId: string, who: { role: AgentRole } | { agentId: string }, remedy: RemedyType, v: LimitValues, by: string | null) {
  const values = { per_action_minor: v.perAction, per_ticket_minor: v.perTicket, per_day_minor: v.perDay, per_month_minor: v.perMonth, updated_by: by, updated_at: new Date() };
  await deleteLimit(db, storeId, who, remedy);
  await db
    .insertInto('authority_limits')
    .values({ store_id: storeId, remedy, role: 'role' in who ? who.role : null, agent_id: 'agentId' in who ? who.agentId : null, ...values })
    .execute();
}

/** Removes a role's default or an agent's override for one remedy (an agent then falls back to their role's). */
export async function deleteLimit(db: Executor, storeId: string, who: { role: AgentRole } | { agentId: string }, remedy: RemedyType) {
  let del = db.deleteFrom('authority_limits').where('store_id', '=', storeId).where('remedy', '=', remedy);
  del = 'role' in who ? del.where('role', '=', who.role).where('agent_id', 'is', null) : del.where('agent_id', '=', who.agentId);
  await del.execute();
}

/** A store's goodwill budgets. */
export function listBudgets(db: Executor, storeId: string) {
  return db.selectFrom('goodwill_budgets').selectAll().where('store_id', '=', storeId).execute();
}

/** Sets (or, with null, removes) the monthly budget of one remedy type. */
export async function setBudget(db: Executor, storeId: string, remedy: RemedyType, monthly: number | null, warnAt: number, by: string | null) {
  if (monthly === null) {
    await db.deleteFrom('goodwill_budgets').where('store_id', '=', storeId).where('remedy', '=', remedy).execute();
    return;
  }
  await db
    .insertInto('goodwill_budgets')
    .values({ store_id: storeId, remedy, monthly_minor: monthly, warn_at_percent: warnAt, updated_by: by, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['store_id', 'remedy']).doUpdateSet({ monthly_minor: monthly, warn_at_percent: warnAt, updated_by: by, updated_at: new Date() }))
    .execute();
}

/** What counts as spend: succeeded actions of one remedy type in a store since a moment. */
function spendBase(db: Executor, storeId: string, remedy: RemedyType) {
  return db
    .selectFrom('order_actions')
    .select(sql<number>`coalesce(sum(amount_minor), 0)`.as('total'))
    .where('store_id', '=', storeId)
    .where('remedy', '=', remedy)
    .where('status', '=', 'succeeded');
}

/**
 * What an agent has already given of one remedy type: on this ticket (by anyone), today and this
 * month (by them). `dayStart` and `monthStart` are the store's local midnight and first of month.
 */
export async function spendOf(db: Executor, a: { storeId: string; remedy: RemedyType; agentId: string; ticketId: string | null; dayStart: Date; monthStart: Date }) {
  const [ticket, day, month] = await Promise.all([
    a.ticketId ? spendBase(db, a.storeId, a.remedy).where('ticket_id', '=', a.ticketId).executeTakeFirst() : Promise.resolve({ total: 0 }),
    spendBase(db, a.storeId, a.remedy).where('actor_id', '=', a.agentId).where('created_at', '>=', a.dayStart).executeTakeFirst(),
    spendBase(db, a.storeId, a.remedy).where('actor_id', '=', a.agentId).where('created_at', '>=', a.monthStart).executeTakeFirst(),
  ]);
  return { ticket: Number(ticket?.total ?? 0), day: Number(day?.total ?? 0), month: Number(month?.total ?? 0) };
}

/** A store's spend per remedy type since a moment (the month's start for budgets). */
export async function storeSpendSince(db: Executor, storeId: string, since: Date): Promise<Map<RemedyType, number>> {
  const rows = await db
    .selectFrom('order_actions')
    .select(['remedy', sql<number>`coalesce(sum(amount_minor), 0)`.as('total')])
    .where('store_id', '=', storeId)
    .where('status', '=', 'succeeded')
    .where('remedy', 'is not', null)
    .where('created_at', '>=', since)
    .groupBy('remedy')
    .execute();
  const out = new Map<RemedyType, number>();
  for (const r of rows) if (r.remedy) out.set(r.remedy, Number(r.total));
  return out;
}

const APPROVAL_COLUMNS = [
  'approval_requests.id', 'approval_requests.order_action_id', 'approval_requests.store_id', 'approval_requests.ticket_id',
  'approval_requests.order_number', 'approval_requests.action', 'approval_requests.remedy', 'approval_requests.amount_minor',
  'approval_requests.currency', 'approval_requests.summary', 'approval_requests.reasons', 'approval_requests.status',
  'approval_requests.requested_by', 'approval_requests.requested_by_name', 'approval_requests.decided_by', 'approval_requests.decided_by_name',
  'approval_requests.decision_reason', 'approval_requests.created_at', 'approval_requests.decided_at',
] as const;

/** Records a request for approval. */
export function insertApproval(
  db: Executor,
  a: {
    orderActionId: string; storeId: string; ticketId: string | null; orderNumber: string; action: string; remedy: RemedyType | null;
    amount: number; currency: string; summary: string; reasons: Record<string, unknown>[]; requestedBy: string | null; requestedByName: string;
  },
) {
  return db
    .insertInto('approval_requests')
    .values({
      order_action_id: a.orderActionId, store_id: a.storeId, ticket_id: a.ticketId, order_number: a.orderNumber, action: a.action, remedy: a.remedy,
      amount_minor: a.amount, currency: a.currency, summary: a.summary, reasons: JSON.stringify(a.reasons), requested_by: a.requestedBy,
      requested_by_name: a.requestedByName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Approval requests with their ticket, newest first (pending ones oldest first). */
export function listApprovals(db: Executor, f: { status?: ApprovalStatus | undefined; storeId?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('approval_requests')
    .leftJoin('tickets', 'tickets.id', 'approval_requests.ticket_id')
    .leftJoin('stores', 'stores.id', 'approval_requests.store_id')
    .select(APPROVAL_COLUMNS)
    .select(['tickets.number as ticket_number', 'tickets.subject as ticket_subject', 'tickets.customer_id', 'stores.name as store_name'])
    .limit(f.limit);
  if (f.status) q = q.where('approval_requests.status', '=', f.status);
  if (f.storeId) q = q.where('approval_requests.store_id', '=', f.storeId);
  q = f.status === 'pending' ? q.orderBy('approval_requests.created_at', 'asc') : q.orderBy('approval_requests.created_at', 'desc');
  return q.orderBy('approval_requests.id').execute();
}

/** One approval request row as listed. */
export type ApprovalRow = Awaited<ReturnType<typeof listApprovals>>[number];

/** One approval request with its ticket. */
export function findApproval(db: Executor, id: string) {
  return db
    .selectFrom('approval_requests')
    .leftJoin('tickets', 'tickets.id', 'approval_requests.ticket_id')
    .leftJoin('stores', 'stores.id', 'approval_requests.store_id')
    .select(APPROVAL_COLUMNS)
    .select(['tickets.number as ticket_number', 'tickets.subject as ticket_subject', 'tickets.customer_id', 'stores.name as store_name'])
    .where('approval_requests.id', '=', id)
    .executeTakeFirst();
}

/** Locks an approval request for its decision; demands a transaction. */
export function lockApproval(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('approval_requests').select(APPROVAL_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The approval request of an order action. */
export function findApprovalOfAction(db: Executor, orderActionId: string) {
  return db.selectFrom('approval_requests').select(APPROVAL_COLUMNS).where('order_action_id', '=', orderActionId).executeTakeFirst();
}

/** The approval requests of several order actions. */
export function findApprovalsOfActions(db: Executor, orderActionIds: readonly string[]) {
  if (orderActionIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('approval_requests').select(APPROVAL_COLUMNS).where('order_action_id', 'in', [...orderActionIds]).execute();
}

/** Records a decision. */
export async function decideApprovalRow(db: Executor, id: string, d: { status: 'approved' | 'refused'; by: string | null; byName: string; reason: string | null }) {
  await db
    .updateTable('approval_requests')
    .set({ status: d.status, decided_by: d.by, decided_by_name: d.byName, decision_reason: d.reason, decided_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** How many requests wait for a decision. */
export async function countPendingApprovals(db: Executor): Promise<number> {
  const row = await db.selectFrom('approval_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Earlier remedies given to a customer (any ticket of theirs), newest first, for the approver. */
export function listCustomerRemedies(db: Executor, customerId: string, limit = 10) {
  return db
    .selectFrom('order_actions')
    .innerJoin('tickets', 'tickets.id', 'order_actions.ticket_id')
    .select([
      'order_actions.id', 'order_actions.action', 'order_actions.amount_minor', 'order_actions.currency', 'order_actions.summary',
      'order_actions.order_number', 'order_actions.created_at', 'order_actions.actor_name', 'tickets.number as ticket_number',
    ])
    .where('tickets.customer_id', '=', customerId)
    .where('order_actions.status', '=', 'succeeded')
    .where('order_actions.action', '!=', 'add_note')
    .orderBy('order_actions.created_at', 'desc')
    .limit(limit)
    .execute();
}
