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
 *
 * Above the acting agent's authority (src/modules/authority) the store is not asked: the action
 * waits as `awaiting_approval` with an approval request, the ticket's timeline shows it and the
 * customer gets a short reply saying a manager is reviewing it (sent, not a draft: the customer
 * should not wait in silence, and it promises nothing). A manager's approval runs it through the
 * same steps with the same idempotency key (so never twice); it stays recorded as the agent's
 * action, approved by the manager. With `requestApproval: false` the caller gets 403 instead.
 *
 * An action taken under a playbook records the playbook, whether it is its standard remedy, and
 * the agent's reason for deviating (required: 422 without one).
 */
import { createHash } from 'node:crypto';
import { Transaction } from 'kysely';
import type { ActorType, DB } from '../../db/schema.ts';
import type { Executor } from '../../db/database.ts';
import { emitLive, inTransaction, requireRole, type Actor, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { insertTicketEvent, lockTicket } from '../tickets/tickets.queries.ts';
import { addMessage, resolveTicketId, updateTicket } from '../tickets/tickets.service.ts';
import { insertAudit } from '../audit/audit.queries.ts';
import { findApprovalOfAction, findApprovalsOfActions, insertApproval, lockApproval } from '../authority/authority.queries.ts';
import { goodwillValue, remedyOf, type AuthorityReason, type GoodwillValue } from '../authority/authority.service.ts';
import { isStandardRemedy, playbookForAction } from '../playbooks/playbooks.service.ts';
import { formatMoney } from '../stores/money.ts';
import { planAction, type PlanResult } from '../stores/connectors/action-planner.ts';
import { callStore, connectorForStore } from '../stores/connectors/connector-registry.ts';
import { ORDER_ACTION_KINDS, type ActionOutcome, type ActionPlan, type OrderActionKind, type OrderActionRequest, type Refusal, type StoreConnector, type StoreInfo, type StoreOrder } from '../stores/connectors/connector.ts';
import { refundableSummary, type RefundableSummary } from '../stores/connectors/order-math.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { normalizeOrderNumber } from '../stores/order-numbers.ts';
import type { Money } from '../stores/money.ts';
import { REASON_CODES, type ReasonCode } from '../policies/policy-document.ts';
import type { ReasonCodes } from '../policies/eligibility.ts';
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
  /**
   * The reason codes the agent picked (the policy decides by them). Absent for older callers: the
   * policy then recognises English words in the request's free-text reason (deprecated).
   */
  reasonCodes?: ReasonCodes | undefined;
  /**
   * Unique per intended action (a new one per confirmation dialog). Required to act: without one,
   * runOrderAction refuses with `validation_failed` on `idempotency_key`, whoever the caller is.
   */
  idempotencyKey?: string | undefined;
  /** Guard: amounts in the request are in this currency; refused when the order's differs. */
  currency?: string | undefined;
  /** The playbook suggested for this problem, when the agent acts under one. */
  playbookId?: string | undefined;
  /** Why the agent gives something other than the playbook's standard remedy (required then). */
  deviationReason?: string | undefined;
  /** Above the agent's authority: ask a manager (default), or false to be refused with 403. */
  requestApproval?: boolean | undefined;
}

/** What a preview shows before the agent confirms. */
export interface OrderActionPreview {
  store: StoreInfo;
  order: StoreOrder;
  refundable: RefundableSummary;
  /** The plan, or why it cannot be done. */
  result: PlanResult;
  policy: PolicyDecision | null;
  /**
   * What the plan gives away as limits, approvals and budgets count it (goodwillValue, the same
   * figure the policy's reasons and an approval request carry): a percentage discount code's
   * worth on this order, otherwise the plan's own amount. Null without a plan, and for actions
   * that give nothing away (cancel, return, note). Not money that leaves the store now: the
   * plan's `amount` stays that.
   */
  value: GoodwillValue | null;
  /** Under a playbook: whether this is its standard remedy. */
  playbook: { id: string; name: string; standard: boolean } | null;
}

/** The approval an action waits for, or was run or refused by. */
export interface ApprovalSummary {
  id: string;
  status: 'pending' | 'approved' | 'refused';
  reasons: AuthorityReason[];
  requestedBy: { id: string | null; name: string };
  decidedBy: { id: string | null; name: string } | null;
  decisionReason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

/** An action as recorded: who, what, how much, the store's answer. */
export interface OrderActionRecord {
  id: string;
  ticketId: string | null;
  storeId: string;
  storeName: string | null;
  orderNumber: string;
  action: OrderActionKind;
  status: 'pending' | 'awaiting_approval' | 'succeeded' | 'refused' | 'failed';
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
  /** The approval request when the action was above the agent's authority. */
  approval: ApprovalSummary | null;
  /** The playbook it was taken under: standard remedy or a deviation, and why. */
  playbook: { id: string; problemKind: string | null; standard: boolean; deviationReason: string | null } | null;
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

/** Reason codes as plain JSON (for the stored request and its hash); undefined when none was given. */
function reasonCodesJson(codes: ReasonCodes | undefined): { action: ReasonCode | null; lines: Record<string, ReasonCode> } | undefined {
  return codes ? { action: codes.action, lines: Object.fromEntries(codes.lines) } : undefined;
}

/** The request as stored in the audit row (dates as ISO strings), with the reason codes under `reasonCodes`. */
function requestParams(request: OrderActionRequest, codes: ReasonCodes | undefined): Record<string, unknown> {
  const parsed: unknown = JSON.parse(stableJson({ ...request, reasonCodes: reasonCodesJson(codes) }));
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

const isReasonCode = (v: unknown): v is ReasonCode => REASON_CODES.some((r) => r === v);

/** The reason codes kept with a stored request (see requestParams). */
function reasonCodesFromStored(params: Record<string, unknown>): ReasonCodes | undefined {
  const raw = params.reasonCodes;
  if (!raw || typeof raw !== 'object') return undefined;
  const action = 'action' in raw && isReasonCode(raw.action) ? raw.action : null;
  const lines = new Map<string, ReasonCode>();
  if ('lines' in raw && raw.lines && typeof raw.lines === 'object') {
    for (const [id, code] of Object.entries(raw.lines)) if (isReasonCode(code)) lines.set(id, code);
  }
  return { action, lines };
}

/** The ticket (with its store) the action is taken from. */
async function loadTicket(ctx: Ctx, idOrNumber: string) {
  const id = await resolveTicketId(ctx, idOrNumber);
  const ticket = await q.findTicketForOrders(ctx.db, id);
  if (!ticket) throw notFound('The ticket');
  return ticket;
}

/** Reads the order fresh from the store and plans the action on it; the policy judges the plan. */
async function prepare(ctx: Ctx, store: StoreInfo, connector: StoreConnector, ticketId: string, input: OrderActionInput, consequence: string, approvedBy?: { agentId: string | null; name: string }) {
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
  const policy = result.ok ? await checkPolicy(ctx, { ticketId, store, order, plan: result.plan, reasonCodes: input.reasonCodes, at: new Date(), approvedBy }) : null;
  return { order, result, policy };
}

/** Shows exactly what an action would do (the refundable maximum included), without doing it. */
export async function previewOrderAction(ctx: Ctx, input: Omit<OrderActionInput, 'idempotencyKey'>): Promise<OrderActionPreview> {
  requireRole(ctx, 'agent');
  const ticket = await loadTicket(ctx, input.ticketId);
  const { store, connector } = await connectorForStore(ctx, input.storeId ?? ticket.store_id);
  const playbook = input.playbookId ? await playbookForAction(ctx, input.playbookId, store.id) : null;
  const { order, result, policy } = await prepare(ctx, store, connector, ticket.id, input, 'The preview cannot be shown right now.');
  return {
    store, order, refundable: refundableSummary(order), result, policy,
    value: result.ok && remedyOf(result.plan.action) ? goodwillValue(result.plan, order) : null,
    playbook: playbook ? { id: playbook.id, name: playbook.name, standard: isStandardRemedy(playbook, input.request.action) } : null,
  };
}

function reasonsOf(raw: unknown): AuthorityReason[] {
  return Array.isArray(raw) ? raw.filter((r): r is AuthorityReason => !!r && typeof r === 'object' && 'message' in r) : [];
}

/** Maps an approval row to its summary. */
function toApproval(a: Awaited<ReturnType<typeof findApprovalOfAction>>): ApprovalSummary | null {
  if (!a) return null;
  return {
    id: a.id, status: a.status, reasons: reasonsOf(a.reasons), requestedBy: { id: a.requested_by, name: a.requested_by_name },
    decidedBy: a.decided_by_name ? { id: a.decided_by, name: a.decided_by_name } : null, decisionReason: a.decision_reason,
    createdAt: a.created_at, decidedAt: a.decided_at,
  };
}

/** Maps an audit row to its record. */
function toRecord(row: q.OrderActionRow & { store_name?: string | null }, replayed = false, approval: ApprovalSummary | null = null): OrderActionRecord {
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
    approval,
    playbook: row.playbook_id ? { id: row.playbook_id, problemKind: row.problem_kind, standard: row.standard_remedy ?? true, deviationReason: row.deviation_reason } : null,
  };
}

/** The record of an action row with its approval request. */
async function recordWithApproval(ctx: Ctx, row: q.OrderActionRow & { store_name?: string | null }, replayed = false): Promise<OrderActionRecord> {
  return toRecord(row, replayed, toApproval(await findApprovalOfAction(ctx.db, row.id)));
}

/** Claims the key: a new pending row, a failed or abandoned one taken over, or the stored answer. */
async function claim(
  ctx: Ctx, input: OrderActionInput & { idempotencyKey: string }, store: StoreInfo, ticketId: string, number: string, hash: string,
  playbook: { id: string; problemKind: string; standard: boolean } | null,
): Promise<{ id: string } | { done: OrderActionRecord }> {
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const actor = actorRef(ctx.actor);
    const inserted = await q.insertPendingOrderAction(trx, {
      key: input.idempotencyKey, requestHash: hash, storeId: store.id, ticketId, orderNumber: number, action: input.request.action,
      params: requestParams(input.request, input.reasonCodes), actorType: actor.type, actorId: actor.id, actorName: actor.name,
      remedy: remedyOf(input.request.action), playbookId: playbook?.id ?? null, problemKind: playbook?.problemKind ?? null,
      standardRemedy: playbook ? playbook.standard : null, deviationReason: playbook && !playbook.standard ? input.deviationReason?.trim() ?? null : null,
    });
    if (inserted) return { id: inserted.id };
    const existing = await q.lockOrderActionByKey(trx, input.idempotencyKey);
    if (!existing) throw new AppError('conflict', 'The idempotency key is being claimed by another request; try again.');
    if (existing.request_hash !== hash) {
      throw new AppError('conflict', `This idempotency key was already used for a different request (${existing.action} on ${existing.order_number}); use a new key for a new action.`, {
        errors: [{ field: 'idempotency_key', message: 'was used for a different request' }],
      });
    }
    if (existing.status === 'succeeded' || existing.status === 'refused' || existing.status === 'awaiting_approval') {
      return { done: toRecord({ ...existing, store_name: store.name }, true, toApproval(await findApprovalOfAction(trx, existing.id))) };
    }
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
  approvedBy?: { agentId: string | null; name: string },
  worth: GoodwillValue | null = null,
): Promise<OrderActionRecord> {
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const locked = await lockTicket(trx, ticket.id);
    const amount = outcome.ok ? outcome.amount : null;
    // A valued percentage discount code counts its value (the store reports no amount for it).
    const counted = worth?.basis ? worth.amount : null;
    const refusal: Refusal | null = outcome.ok ? null : outcome.refusal;
    const summary = outcome.ok ? outcome.summary : refusal?.message ?? null;
    await q.completeOrderAction(trx, id, {
      status: outcome.ok ? 'succeeded' : 'refused',
      amount: counted ?? amount?.amount ?? (plan && !outcome.ok ? plan.amount : null),
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
        ...(counted !== null && worth ? { counted_amount: counted, counted_as: worth.basis } : {}),
        ...(approvedBy ? { requested_by: row.actor_name, approved_by: approvedBy.name } : {}),
        ...(row.playbook_id ? { playbook_id: row.playbook_id, problem_kind: row.problem_kind, standard_remedy: row.standard_remedy, deviation_reason: row.deviation_reason } : {}),
      },
    });
    if (locked && !locked.order_numbers.includes(number)) {
      await updateTicket(tx, ticket.id, { orderNumbers: [...locked.order_numbers, number] });
    } else {
      await q.touchTicket(trx, ticket.id);
      emitLive(tx, { type: 'ticket.updated', ticketId: ticket.id, number: ticket.number, changes: ['order_actions'] });
    }
    return toRecord({ ...row, store_name: store.name }, false, toApproval(await findApprovalOfAction(trx, id)));
  });
}

const REMEDY_WORDS: Record<OrderActionKind, string> = {
  refund: 'refund', cancel: 'cancellation', create_return: 'return', exchange: 'exchange', reship: 'replacement', discount_code: 'discount',
  store_credit: 'store credit', add_note: 'request',
};

/** The short reply the customer gets while a manager reviews the request: friendly, promising nothing. */
function approvalNotice(action: OrderActionKind, plan: ActionPlan, orderNumber: string): string {
  const what = plan.amount > 0 ? `the ${REMEDY_WORDS[action]} of ${formatMoney(plan.amount, plan.currency)}` : `the ${REMEDY_WORDS[action]}`;
  return `Thank you for your patience. I have asked a manager to review ${what} for order ${orderNumber}. `
    + 'We will get back to you as soon as it is decided, usually within one working day.';
}

/**
 * Parks an action above the agent's authority for a manager: the request, the timeline event,
 * the audit entry and the reply telling the customer, in one transaction. The store is not asked.
 */
async function requestApproval(
  ctx: Ctx, id: string, action: OrderActionKind, ticket: { id: string; number: number }, store: StoreInfo, plan: ActionPlan, number: string,
  reasons: AuthorityReason[],
  worth: GoodwillValue,
): Promise<OrderActionRecord> {
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const locked = await lockTicket(trx, ticket.id);
    // The value limits and budgets counted (a percentage code's worth), and how it was worked out.
    const summary = worth.basis ? `${plan.summary}; counted as ${formatMoney(worth.amount, plan.currency)} (${worth.basis})` : plan.summary;
    await q.markAwaitingApproval(trx, id, { amount: worth.amount, currency: plan.currency, summary, result: { outcome: null, effects: plan.effects, plan_summary: plan.summary } });
    const actor = actorRef(ctx.actor);
    const approval = await insertApproval(trx, {
      orderActionId: id, storeId: store.id, ticketId: ticket.id, orderNumber: number, action, remedy: remedyOf(action), amount: worth.amount,
      currency: plan.currency, summary, reasons: reasons.map((r) => ({ ...r })), requestedBy: actor.id, requestedByName: actor.name,
    });
    const data = {
      order_action_id: id, approval_id: approval.id, store_id: store.id, store_name: store.name, order_number: number, action,
      amount: worth.amount, currency: plan.currency, summary, reasons: reasons.map((r) => r.message), ...(worth.basis ? { counted_as: worth.basis } : {}),
    };
    await insertTicketEvent(trx, { ticketId: ticket.id, actorType: actor.type, actorId: actor.id, type: 'order.approval_requested', data });
    await insertAudit(trx, { storeId: store.id, actor, action: 'approval.requested', subjectType: 'approval', subjectId: approval.id, data });
    if (locked && locked.status !== 'closed') {
      await addMessage(tx, ticket.id, { body: approvalNotice(action, plan, number), metadata: { approval_id: approval.id, kind: 'approval_notice' } });
    }
    if (locked && !locked.order_numbers.includes(number)) await updateTicket(tx, ticket.id, { orderNumbers: [...locked.order_numbers, number] });
    emitLive(tx, { type: 'ticket.updated', ticketId: ticket.id, number: ticket.number, changes: ['order_actions', 'approvals'] });
    const row = await q.findOrderActionById(trx, id);
    if (!row) throw new Error('order action vanished');
    return toRecord({ ...row, store_name: store.name }, false, toApproval(await findApprovalOfAction(trx, id)));
  });
}

/** The 403 for a request above the caller's authority that must not become an approval request. */
function authorityError(reasons: AuthorityReason[]): AppError {
  const first = reasons[0];
  const code = first?.kind === 'budget' ? 'budget_exceeded' : 'authority_limit_exceeded';
  return new AppError(code, reasons.map((r) => r.message).join(' ') || 'This is above your authority.', {
    extra: {
      limit: first ? { remedy: first.remedy, period: first.period, amount: first.limit, used: first.used, requested: first.requested } : null,
      limits: reasons.map((r) => ({ kind: r.kind, remedy: r.remedy, period: r.period, amount: r.limit, used: r.used, requested: r.requested, message: r.message })),
    },
  });
}

/**
 * The idempotency key an action runs under, trimmed; refused when missing or malformed. The rule
 * lives here, not in a route, so every caller of runOrderAction (the API, the demo, automations)
 * meets it with the same problem: 400 `validation_failed` naming `idempotency_key`.
 */
function checkIdempotencyKey(given: string | undefined): string {
  if (!given) {
    throw new AppError('validation_failed', 'idempotency_key is required to act (send a new UUID per action, and the same one when retrying).', {
      errors: [{ field: 'idempotency_key', message: 'is required unless dry_run is true' }],
    });
  }
  const key = given.trim();
  if (!/^[\x21-\x7e]{8,200}$/.test(key)) {
    throw new AppError('validation_failed', 'The idempotency key must be 8 to 200 visible characters; send a new random one (a UUID) per action.', {
      errors: [{ field: 'idempotency_key', message: 'must be 8 to 200 visible characters' }],
    });
  }
  return key;
}

/**
 * Runs an action on an order from a ticket. Refusals (by the planner, the policy or the store)
 * come back as a record with status "refused"; a store that cannot be reached throws 503.
 */
export async function runOrderAction(ctx: Ctx, input: OrderActionInput): Promise<OrderActionRecord> {
  requireRole(ctx, 'agent');
  if (ctx.db.isTransaction) throw new Error('runOrderAction talks to the store and must not run inside a transaction');
  const key = checkIdempotencyKey(input.idempotencyKey);
  const ticket = await loadTicket(ctx, input.ticketId);
  const { store, connector } = await connectorForStore(ctx, input.storeId ?? ticket.store_id);
  const number = normalizeOrderNumber(store, input.orderNumber) ?? input.orderNumber.trim();
  let underPlaybook: { id: string; problemKind: string; standard: boolean } | null = null;
  if (input.playbookId) {
    const playbook = await playbookForAction(ctx, input.playbookId, store.id);
    const standard = isStandardRemedy(playbook, input.request.action);
    if (!standard && !input.deviationReason?.trim()) {
      const expected = playbook.remedies.map((r) => r.label.toLowerCase()).join(' or ');
      throw new AppError('deviation_reason_required', `The playbook “${playbook.name}” says ${expected}; give a reason (deviation_reason) to do something else.`, {
        errors: [{ field: 'deviation_reason', message: 'is required when the action is not the playbook’s standard remedy' }],
      });
    }
    underPlaybook = { id: playbook.id, problemKind: playbook.problemKind, standard };
  }
  const hash = createHash('sha256').update(stableJson({ store: store.id, ticket: ticket.id, number, request: input.request, reasonCodes: reasonCodesJson(input.reasonCodes), currency: input.currency?.toUpperCase() ?? null })).digest('hex');
  const claimed = await claim(ctx, { ...input, idempotencyKey: key }, store, ticket.id, number, hash, underPlaybook);
  if ('done' in claimed) return claimed.done;

  const noun = ACTION_NOUNS[input.request.action];
  const consequence = `The ${noun} was not done; try again in a moment (repeating it with the same idempotency key never acts twice).`;
  try {
    const { order, result, policy } = await prepare(ctx, store, connector, ticket.id, { ...input, orderNumber: number, idempotencyKey: key }, consequence);
    if (!result.ok) return await complete(ctx, claimed.id, input.request.action, ticket, store, null, order.number, result);
    if (policy && policy.outcome === 'refuse') {
      return await complete(ctx, claimed.id, input.request.action, ticket, store, result.plan, order.number, { ok: false, refusal: { code: 'policy', message: policy.message } });
    }
    if (policy && policy.outcome === 'needs_approval') {
      if (input.requestApproval === false) throw authorityError(policy.reasons);
      return await requestApproval(ctx, claimed.id, input.request.action, ticket, store, result.plan, order.number, policy.reasons, goodwillValue(result.plan, order));
    }
    const outcome = await callStore(store, consequence, () => connector.perform(ctx, order, result.plan, { idempotencyKey: key, actorName: actorRef(ctx.actor).name }));
    storeReadCache.invalidateStore(store.id);
    return await complete(ctx, claimed.id, input.request.action, ticket, store, result.plan, order.number, outcome, undefined, goodwillValue(result.plan, order));
  } catch (err) {
    await fail(ctx, claimed.id, err);
    throw err;
  }
}

/** Rebuilds the domain request from the one stored on the action row (dates from ISO strings). */
function requestFromStored(action: OrderActionKind, params: Record<string, unknown>): OrderActionRequest {
  const { reasonCodes: _codes, ...rest } = params;
  const revived: Record<string, unknown> = { ...rest, action };
  if (typeof revived.expiresAt === 'string') revived.expiresAt = new Date(revived.expiresAt);
  // The stored request is the exact one that was planned; its shape is the request's own.
  return revived as unknown as OrderActionRequest;
}

/** What happened to an approval decision: the approval and the action as they stand now. */
export interface ApprovalOutcome {
  approvalId: string;
  action: OrderActionRecord;
  /** False when this call found the decision already made (a repeat); nothing was done again. */
  decidedNow: boolean;
}

/**
 * Approves a request and runs the action through the same pipeline with the same idempotency
 * key, on the approving manager's authority; it stays the requesting agent's action, approved by
 * the manager. A repeat (double click, retry) answers with the action as it stands and never acts
 * twice; an approved action whose store was unreachable is retried by approving again.
 */
export async function approveOrderAction(ctx: Ctx, approvalId: string): Promise<ApprovalOutcome> {
  requireRole(ctx, 'manager');
  if (ctx.db.isTransaction) throw new Error('approveOrderAction talks to the store and must not run inside a transaction');
  const me = actorRef(ctx.actor);
  const taken = await inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const approval = await lockApproval(trx, approvalId);
    if (!approval) throw notFound('The approval request');
    if (approval.status === 'refused') throw new AppError('conflict', `This request was already refused by ${approval.decided_by_name ?? 'a manager'}.`);
    const row = await q.lockOrderActionById(trx, approval.order_action_id);
    if (!row) throw notFound('The order action');
    if (approval.status === 'pending') {
      if (approval.requested_by && approval.requested_by === me.id && ctx.actor.type !== 'system' && !('role' in ctx.actor && ctx.actor.role === 'admin')) {
        throw new AppError('forbidden', 'You cannot approve your own request; another manager must decide it.');
      }
      await trx.updateTable('approval_requests').set({ status: 'approved', decided_by: me.id, decided_by_name: me.name, decided_at: new Date() }).where('id', '=', approval.id).execute();
      await q.startApprovedRun(trx, row.id);
      const data = { order_action_id: row.id, approval_id: approval.id, order_number: approval.order_number, action: approval.action, amount: approval.amount_minor, currency: approval.currency, summary: approval.summary, requested_by: approval.requested_by_name, approved_by: me.name };
      if (approval.ticket_id) await insertTicketEvent(trx, { ticketId: approval.ticket_id, actorType: me.type, actorId: me.id, type: 'order.approval_approved', data });
      await insertAudit(trx, { storeId: approval.store_id, actor: me, action: 'approval.approved', subjectType: 'approval', subjectId: approval.id, data });
      return { run: true, decidedNow: true, row, approval };
    }
    // Approved before: run again only when the last run failed or was abandoned.
    const stale = row.status === 'pending' && Date.now() - row.updated_at.getTime() >= STALE_PENDING_MS;
    if (row.status === 'failed' || stale) {
      await q.startApprovedRun(trx, row.id);
      return { run: true, decidedNow: false, row, approval };
    }
    return { run: false, decidedNow: false, row, approval };
  });
  const { row, approval } = taken;
  if (!taken.run) {
    const current = await q.findOrderActionById(ctx.db, row.id);
    if (!current) throw notFound('The order action');
    return { approvalId, action: await recordWithApproval(ctx, current, true), decidedNow: false };
  }
  const action = ORDER_ACTION_KINDS.find((k) => k === row.action) ?? 'add_note';
  const noun = ACTION_NOUNS[action];
  const consequence = `The approved ${noun} was not done; approve it again in a moment to retry (it never acts twice).`;
  try {
    const { store, connector } = await connectorForStore(ctx, row.store_id);
    const ticketRow = row.ticket_id ? await q.findTicketForOrders(ctx.db, row.ticket_id) : undefined;
    if (!ticketRow) throw notFound('The ticket of this request');
    const request = requestFromStored(action, row.params);
    const reasonCodes = reasonCodesFromStored(row.params);
    const approvedBy = { agentId: me.id, name: me.name };
    const { order, result, policy } = await prepare(ctx, store, connector, ticketRow.id, { ticketId: ticketRow.id, orderNumber: row.order_number, request, reasonCodes, idempotencyKey: row.idempotency_key }, consequence, approvedBy);
    let record: OrderActionRecord;
    if (!result.ok) {
      record = await complete(ctx, row.id, action, ticketRow, store, null, order.number, result, approvedBy);
    } else if (policy && policy.outcome === 'refuse') {
      record = await complete(ctx, row.id, action, ticketRow, store, result.plan, order.number, { ok: false, refusal: { code: 'policy', message: policy.message } }, approvedBy);
    } else {
      const actorName = `${row.actor_name ?? 'an agent'} (approved by ${me.name})`;
      const outcome = await callStore(store, consequence, () => connector.perform(ctx, order, result.plan, { idempotencyKey: row.idempotency_key, actorName }));
      storeReadCache.invalidateStore(store.id);
      record = await complete(ctx, row.id, action, ticketRow, store, result.plan, order.number, outcome, approvedBy, goodwillValue(result.plan, order));
    }
    return { approvalId: approval.id, action: record, decidedNow: taken.decidedNow };
  } catch (err) {
    await fail(ctx, row.id, err);
    throw err;
  }
}

/** Refuses a request with a reason; the agent sees it on the ticket's timeline. A repeat changes nothing. */
export async function refuseOrderAction(ctx: Ctx, approvalId: string, reason: string): Promise<ApprovalOutcome> {
  requireRole(ctx, 'manager');
  const why = reason.trim();
  if (!why) throw new AppError('validation_failed', 'Say why the request is refused; the agent sees it.', { errors: [{ field: 'reason', message: 'is required' }] });
  const me = actorRef(ctx.actor);
  return inTransaction(ctx, async (tx) => {
    const trx = transactionOf(tx.db);
    const approval = await lockApproval(trx, approvalId);
    if (!approval) throw notFound('The approval request');
    if (approval.status === 'approved') throw new AppError('conflict', `This request was already approved by ${approval.decided_by_name ?? 'a manager'}.`);
    const decidedNow = approval.status === 'pending';
    if (decidedNow) {
      await trx.updateTable('approval_requests').set({ status: 'refused', decided_by: me.id, decided_by_name: me.name, decision_reason: why, decided_at: new Date() }).where('id', '=', approval.id).execute();
      const message = `Not approved by ${me.name}: ${why}`;
      await q.completeOrderAction(trx, approval.order_action_id, {
        status: 'refused', amount: approval.amount_minor, currency: approval.currency, summary: message, storeReference: null,
        result: { outcome: { ok: false, refusal: { code: 'policy', message } }, effects: [], plan_summary: approval.summary }, error: null,
      });
      const data = { order_action_id: approval.order_action_id, approval_id: approval.id, order_number: approval.order_number, action: approval.action, amount: approval.amount_minor, currency: approval.currency, summary: approval.summary, requested_by: approval.requested_by_name, refused_by: me.name, reason: why };
      if (approval.ticket_id) {
        await insertTicketEvent(trx, { ticketId: approval.ticket_id, actorType: me.type, actorId: me.id, type: 'order.approval_refused', data });
        const t = await q.touchTicket(trx, approval.ticket_id);
        if (t) emitLive(tx, { type: 'ticket.updated', ticketId: approval.ticket_id, number: t.number, changes: ['order_actions', 'approvals'] });
      }
      await insertAudit(trx, { storeId: approval.store_id, actor: me, action: 'approval.refused', subjectType: 'approval', subjectId: approval.id, data });
    }
    const row = await q.findOrderActionById(trx, approval.order_action_id);
    if (!row) throw notFound('The order action');
    return { approvalId: approval.id, action: toRecord(row, !decidedNow, toApproval(await findApprovalOfAction(trx, row.id))), decidedNow };
  });
}

/** Every action taken on a ticket's orders, oldest first. */
export async function listTicketOrderActions(ctx: Ctx, ticketIdOrNumber: string): Promise<OrderActionRecord[]> {
  requireRole(ctx, 'agent');
  const id = await resolveTicketId(ctx, ticketIdOrNumber);
  const rows = await q.listOrderActionsOfTicket(ctx.db, id);
  const approvals = await findApprovalsOfActions(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => toRecord(r, false, toApproval(approvals.find((a) => a.order_action_id === r.id))));
}
