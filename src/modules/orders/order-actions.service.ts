/**
 * Where agents' actions on orders are decided and carried out, from a ticket:
 *
 *   claim the idempotency key → read the order fresh → plan (exactly what will happen)
 *   → checkPolicy → the store acts → record the answer and a ticket event, link the order.
 *
 * A repeat with the same key answers with the first result and never acts twice (the key is
 * claimed in storedesk and passed to the store, which honours it too). A store that cannot be
 * reached answers 503 naming the store; the attempt is kept as failed and may be retried with
 * the same key. Refusals ("already shipped", "more than is left to refund") are results.
 */
import { createHash } from 'node:crypto';
import { Transaction } from 'kysely';
import type { ActorType, DB } from '../../db/schema.ts';
import type { Executor } from '../../db/database.ts';
import { emitLive, inTransaction, requireRole, type Actor, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { insertTicketEvent, lockTicket } from '../tickets/tickets.queries.ts';
import { resolveTicketId, updateTicket } from '../tickets/tickets.service.ts';
import { planAction, type PlanResult } from '../stores/connectors/action-planner.ts';
import { callStore, connectorForStore } from '../stores/connectors/connector-registry.ts';
import { ORDER_ACTION_KINDS, type ActionOutcome, type ActionPlan, type OrderActionKind, type OrderActionRequest, type Refusal, type StoreConnector, type StoreInfo, type StoreOrder } from '../stores/connectors/connector.ts';
import { refundableSummary, type RefundableSummary } from '../stores/connectors/order-math.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { normalizeOrderNumber } from '../stores/order-numbers.ts';
import type { Money } from '../stores/money.ts';
import { checkPolicy, type PolicyDecision } from './order-policy.ts';
import * as q from './order-actions.queries.ts';

/** An action an agent asks for on a ticket. */
export interface OrderActionInput {
  /** Ticket id or number. */
  ticketId: string;
  /** The store of the order; the ticket's store when absent. */
  storeId?: string | undefined;
  orderNumber: string;
  request: OrderActionRequest;
  /** Unique per intended action (a new one per confirmation dialog); required to act. */
  idempotencyKey: string;
  /** Guard: amounts in the request are in this currency; refused when the order's differs. */
  currency?: string | undefined;
}

/** What a preview shows before the agent confirms. */
export interface OrderActionPreview {
  store: StoreInfo;
  order: StoreOrder;
  refundable: RefundableSummary;
  /** The plan, or why it cannot be done. */
  result: PlanResult;
  policy: PolicyDecision | null;
}

/** An action as recorded: who, what, how much, the store's answer. */
export interface OrderActionRecord {
  id: string;
  ticketId: string | null;
  storeId: string;
  storeName: string | null;
  orderNumber: string;
  action: OrderActionKind;
  status: 'pending' | 'succeeded' | 'refused' | 'failed';
  amount: Money | null;
  summary: string | null;
  storeReference: string | null;
  /** What the store answered (or why it was refused), as returned to the agent. */
  outcome: ActionOutcome | null;
  /** The plan as confirmed: its effects, for the audit log. */
  effects: string[];
  error: string | null;
  actor: { type: ActorType; id: string | null; name: string | null };
  idempotencyKey: string;
  attempts: number;
  createdAt: Date;
  completedAt: Date | null;
  /** True when this answer is the stored first answer to a repeated key. */
  replayed: boolean;
}

/** How long a claimed key counts as running before a retry may take it over. */
const STALE_PENDING_MS = 60_000;

/** Ticket event types per action, as the timeline and the audit log name them. */
const EVENT_TYPES: Record<OrderActionKind, string> = {
  refund: 'order.refunded',
  cancel: 'order.cancelled',
  create_return: 'order.return_created',
  exchange: 'order.exchanged',
  reship: 'order.reshipped',
  discount_code: 'order.discount_code_created',
  store_credit: 'order.store_credit_given',
  add_note: 'order.note_added',
};

const ACTION_NOUNS: Record<OrderActionKind, string> = {
  refund: 'refund', cancel: 'cancellation', create_return: 'return', exchange: 'exchange', reship: 'reshipment',
  discount_code: 'discount code', store_credit: 'store credit', add_note: 'note',
};

function actorRef(actor: Actor): { type: ActorType; id: string | null; name: string } {
  switch (actor.type) {
    case 'agent':
    case 'integration':
      return { type: actor.type, id: actor.agentId, name: actor.name };
    case 'customer':
      return { type: 'customer', id: actor.customerId, name: 'the customer' };
    case 'system':
      return { type: 'system', id: null, name: `storedesk (${actor.name})` };
  }
}

function transactionOf(db: Executor): Transaction<DB> {
  if (db instanceof Transaction) return db;
  throw new Error('expected a transaction');
}

/** Stable JSON (sorted keys) so the same request always hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The request as stored in the audit row (dates as ISO strings). */
function requestParams(request: OrderActionRequest): Record<string, unknown> {
  const parsed: unknown = JSON.parse(stableJson(request));
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** The ticket (with its store) the action is taken from. */
async function loadTicket(ctx: Ctx, idOrNumber: string) {
  const id = await resolveTicketId(ctx, idOrNumber);
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'number', 'store_id', 'order_numbers']).where('id', '=', id).executeTakeFirst();
  if (!ticket) throw notFound('The ticket');
  return ticket;
}

/** Reads the order fresh from the store and plans the action on it; the policy judges the plan. */
async function prepare(ctx: Ctx, store: StoreInfo, connector: StoreConnector, ticketId: string, input: OrderActionInput, consequence: string) {
  const number = normalizeOrderNumber(store, input.orderNumber) ?? input.orderNumber.trim();
  const order = await callStore(store, consequence, () => connector.getOrder(ctx, number));
  if (!order) throw notFound(`Order ${number} in ${store.name}`);
  if (input.currency && input.currency.toUpperCase() !== order.currency) {
    throw new AppError('validation_failed', `Order ${order.number} is in ${order.currency}, not ${input.currency.toUpperCase()}; give amounts in ${order.currency}.`, {
      errors: [{ field: 'params.currency', message: `must be ${order.currency}` }],
    });
  }
  const skus = input.request.action === 'exchange' ? input.request.lines.map((l) => l.replacementSku.trim().toUpperCase()) : [];
  const variants = skus.length ? await callStore(store, consequence, () => connector.findVariants(ctx, skus)) : [];
  const request: OrderActionRequest = input.request.action === 'exchange'
    ? { ...input.request, lines: input.request.lines.map((l) => ({ ...l, replacementSku: l.replacementSku.trim().toUpperCase() })) }
    : input.request;
  const result = planAction(order, request, { platform: connector.platform, capabilities: connector.capabilities, variants, timeZone: store.timezone });
  const policy = result.ok ? await checkPolicy(ctx, { ticketId, store, order, plan: result.plan, at: new Date() }) : null;
  return { order, result, policy };
}

/** Shows exactly what an action would do (the refundable maximum included), without doing it. */
export async function previewOrderAction(ctx: Ctx, input: Omit<OrderActionInput, 'idempotencyKey'>): Promise<OrderActionPreview> {
  requireRole(ctx, 'agent');
  const ticket = await loadTicket(ctx, input.ticketId);
  const { store, connector } = await connectorForStore(ctx, input.storeId ?? ticket.store_id);
  const { order, result, policy } = await prepare(ctx, store, connector, ticket.id, { ...input, idempotencyKey: '' }, 'The preview cannot be shown right now.');
  return { store, order, refundable: refundableSummary(order), result, policy };
}

/** Maps an audit row to its record. */
function toRecord(row: q.OrderActionRow & { store_name?: string | null }, replayed = false): OrderActionRecord {
  const result = row.result ?? null;
  const outcome = result && typeof result === 'object' && 'outcome' in result ? (result.outcome as ActionOutcome) : null;
  const effects = result && typeof result === 'object' && 'effects' in result && Array.isArray(result.effects) ? result.effects.filter((e): e is string => typeof e === 'string') : [];
  return {
    id: row.id,
    ticketId: row.ticket_id,
    storeId: row.store_id,
    storeName: row.store_name ?? null,
    orderNumber: row.order_number,
    action: ORDER_ACTION_KINDS.find((k) => k === row.action) ?? 'add_note',
    status: row.status,
    amount: row.amount_minor !== null && row.currency ? { amount: row.amount_minor, currency: row.currency.trim() } : null,
    summary: row.summary,
    storeReference: row.store_reference,
    outcome,
    effects,
    error: row.error,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    replayed,
  };
}

/** Claims the key: a new pending row, a failed or abandoned one taken over, or the stored answer. */
async function claim(ctx: Ctx, input: OrderActionInput, store: StoreInfo, ticketId: string, number: string, hash: string): Promise<{ id: string } | { done: OrderActionRecord }> {
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const actor = actorRef(ctx.actor);
    const inserted = await q.insertPendingOrderAction(trx, {
      key: input.idempotencyKey, requestHash: hash, storeId: store.id, ticketId, orderNumber: number, action: input.request.action,
      params: requestParams(input.request), actorType: actor.type, actorId: actor.id, actorName: actor.name,
    });
    if (inserted) return { id: inserted.id };
    const existing = await q.lockOrderActionByKey(trx, input.idempotencyKey);
    if (!existing) throw new AppError('conflict', 'The idempotency key is being claimed by another request; try again.');
    if (existing.request_hash !== hash) {
      throw new AppError('conflict', `This idempotency key was already used for a different request (${existing.action} on ${existing.order_number}); use a new key for a new action.`, {
        errors: [{ field: 'idempotency_key', message: 'was used for a different request' }],
      });
    }
    if (existing.status === 'succeeded' || existing.status === 'refused') return { done: toRecord({ ...existing, store_name: store.name }, true) };
    if (existing.status === 'pending' && Date.now() - existing.updated_at.getTime() < STALE_PENDING_MS) {
      throw new AppError('conflict', `This ${ACTION_NOUNS[input.request.action]} is already being carried out; wait a moment and look at the ticket again.`);
    }
    await q.reclaimOrderAction(trx, existing.id);
    return { id: existing.id };
  });
}

/** Marks an attempt failed, keeping it in the audit log; the key may be retried. */
async function fail(ctx: Ctx, id: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await q.completeOrderAction(ctx.root, id, { status: 'failed', amount: null, currency: null, summary: null, storeReference: null, result: null, error: message.slice(0, 1000) });
}

/** Records the answer, the ticket event and the order link, in one transaction. */
async function complete(
  ctx: Ctx,
  id: string,
  action: OrderActionKind,
  ticket: { id: string; number: number },
  store: StoreInfo,
  plan: ActionPlan | null,
  number: string,
  outcome: ActionOutcome,
): Promise<OrderActionRecord> {
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const locked = await lockTicket(trx, ticket.id);
    const amount = outcome.ok ? outcome.amount : null;
    const refusal: Refusal | null = outcome.ok ? null : outcome.refusal;
    const summary = outcome.ok ? outcome.summary : refusal?.message ?? null;
    await q.completeOrderAction(trx, id, {
      status: outcome.ok ? 'succeeded' : 'refused',
      amount: amount?.amount ?? (plan && !outcome.ok ? plan.amount : null),
      currency: amount?.currency ?? plan?.currency ?? null,
      summary,
      storeReference: outcome.ok ? outcome.storeReference : null,
      result: { outcome, effects: plan?.effects ?? [], plan_summary: plan?.summary ?? null },
      error: null,
    });
    const row = await q.findOrderActionById(trx, id);
    if (!row) throw new Error('order action vanished');
    const actor = actorRef(ctx.actor);
    await insertTicketEvent(trx, {
      ticketId: ticket.id,
      actorType: actor.type,
      actorId: actor.id,
      type: outcome.ok ? EVENT_TYPES[action] : 'order.action_refused',
      data: {
        order_action_id: id, store_id: store.id, store_name: store.name, order_number: number, action: row.action,
        amount: amount?.amount ?? null, currency: amount?.currency ?? plan?.currency ?? null, summary,
        store_reference: outcome.ok ? outcome.storeReference : null, ...(refusal ? { refusal_code: refusal.code } : {}),
      },
    });
    if (locked && !locked.order_numbers.includes(number)) {
      await updateTicket(tx, ticket.id, { orderNumbers: [...locked.order_numbers, number] });
    } else {
      await trx.updateTable('tickets').set({ updated_at: new Date() }).where('id', '=', ticket.id).execute();
      emitLive(tx, { type: 'ticket.updated', ticketId: ticket.id, number: ticket.number, changes: ['order_actions'] });
    }
    return toRecord({ ...row, store_name: store.name });
  });
}

/**
 * Runs an action on an order from a ticket. Refusals (by the planner, the policy or the store)
 * come back as a record with status "refused"; a store that cannot be reached throws 503.
 */
export async function runOrderAction(ctx: Ctx, input: OrderActionInput): Promise<OrderActionRecord> {
  requireRole(ctx, 'agent');
  if (ctx.db.isTransaction) throw new Error('runOrderAction talks to the store and must not run inside a transaction');
  const key = input.idempotencyKey.trim();
  if (!/^[\x21-\x7e]{8,200}$/.test(key)) {
    throw new AppError('validation_failed', 'The idempotency key must be 8 to 200 visible characters; send a new random one (a UUID) per action.', {
      errors: [{ field: 'idempotency_key', message: 'must be 8 to 200 visible characters' }],
    });
  }
  const ticket = await loadTicket(ctx, input.ticketId);
  const { store, connector } = await connectorForStore(ctx, input.storeId ?? ticket.store_id);
  const number = normalizeOrderNumber(store, input.orderNumber) ?? input.orderNumber.trim();
  const hash = createHash('sha256').update(stableJson({ store: store.id, ticket: ticket.id, number, request: input.request, currency: input.currency?.toUpperCase() ?? null })).digest('hex');
  const claimed = await claim(ctx, { ...input, idempotencyKey: key }, store, ticket.id, number, hash);
  if ('done' in claimed) return claimed.done;

  const noun = ACTION_NOUNS[input.request.action];
  const consequence = `The ${noun} was not done; try again in a moment (repeating it with the same idempotency key never acts twice).`;
  try {
    const { order, result, policy } = await prepare(ctx, store, connector, ticket.id, { ...input, orderNumber: number, idempotencyKey: key }, consequence);
    if (!result.ok) return await complete(ctx, claimed.id, input.request.action, ticket, store, null, order.number, result);
    if (policy && policy.outcome === 'refuse') {
      return await complete(ctx, claimed.id, input.request.action, ticket, store, result.plan, order.number, { ok: false, refusal: { code: 'policy', message: policy.message } });
    }
    const outcome = await callStore(store, consequence, () => connector.perform(ctx, order, result.plan, { idempotencyKey: key, actorName: actorRef(ctx.actor).name }));
    storeReadCache.invalidateStore(store.id);
    return await complete(ctx, claimed.id, input.request.action, ticket, store, result.plan, order.number, outcome);
  } catch (err) {
    await fail(ctx, claimed.id, err);
    throw err;
  }
}

/** Every action taken on a ticket's orders, oldest first. */
export async function listTicketOrderActions(ctx: Ctx, ticketIdOrNumber: string): Promise<OrderActionRecord[]> {
  requireRole(ctx, 'agent');
  const id = await resolveTicketId(ctx, ticketIdOrNumber);
  const rows = await q.listOrderActionsOfTicket(ctx.db, id);
  return rows.map((r) => toRecord(r));
}
