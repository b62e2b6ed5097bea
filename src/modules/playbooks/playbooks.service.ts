/**
 * Playbooks: for each kind of problem, the standard remedy and when it applies, as data per
 * store, edited by managers. On a ticket, storedesk suggests the playbook that fits the order and
 * the problem, with the remedy ready to pre-fill the action dialog. An action taken under a
 * playbook that is not one of its standard remedies is a deviation and needs a reason.
 *
 * A store without any playbook gets the defaults (defaultPlaybooks) the first time they are read.
 */
import { actorAgentId, inTransaction, requireRole, type Ctx } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { insertAudit } from '../audit/audit.queries.ts';
import { connectorForStore, callStore } from '../stores/connectors/connector-registry.ts';
import type { StoreOrder } from '../stores/connectors/connector.ts';
import { loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import { normalizeOrderNumber } from '../stores/order-numbers.ts';
import { resolveTicketId } from '../tickets/tickets.service.ts';
import {
  checkConditions, defaultPlaybooks, detectProblems, isStandardRemedy, orderFacts, remedyStanding,
  type PastOrderAction, type PlaybookConditions, type PlaybookLike, type PlaybookRemedy, type ProblemSource, type RemedyStanding,
} from './playbook-match.ts';
import * as q from './playbooks.queries.ts';
import type { ReasonCode } from '../policies/policy-document.ts';

/** The reason code each built-in problem kind stands for (a store's own kinds have none: the agent picks). */
const PROBLEM_REASON: Record<string, ReasonCode> = {
  late_delivery: 'late_delivery', damaged_in_transit: 'damaged', wrong_item: 'wrong_item', missing_item: 'other', defective_warranty: 'defective', price_drop: 'price_drop',
};
/** Actions that take a reason code (see orders.schema.ts). */
const CODED_ACTIONS: readonly string[] = ['refund', 'create_return', 'exchange', 'reship', 'discount_code', 'store_credit'];

/** A remedy's pre-filled parameters with the problem's reason code, so the dialog starts with it chosen. */
function withReasonCode<T extends { action: string; params: Record<string, unknown> }>(prefill: T, problemKind: string): T {
  const code = PROBLEM_REASON[problemKind];
  return code && CODED_ACTIONS.includes(prefill.action) ? { ...prefill, params: { ...prefill.params, reason_code: code } } : prefill;
}

/** A playbook as services and the API see it. */
export interface Playbook extends PlaybookLike {
  storeId: string;
  description: string;
  isActive: boolean;
  position: number;
  updatedAt: Date;
}

const REMEDY_ACTIONS: readonly PlaybookRemedy['action'][] = ['refund', 'reship', 'exchange', 'create_return', 'discount_code', 'store_credit', 'cancel'];

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads stored conditions, keeping only what matching understands. */
function conditionsOf(raw: unknown): PlaybookConditions {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const c: PlaybookConditions = {};
  if (num(o.min_days_late) !== undefined) c.min_days_late = num(o.min_days_late);
  if (typeof o.delivered === 'boolean') c.delivered = o.delivered;
  if (num(o.max_order_value) !== undefined) c.max_order_value = num(o.max_order_value);
  if (num(o.within_days_of_delivery) !== undefined) c.within_days_of_delivery = num(o.within_days_of_delivery);
  if (num(o.within_days_of_purchase) !== undefined) c.within_days_of_purchase = num(o.within_days_of_purchase);
  return c;
}

/** Reads stored remedies, dropping any with an unknown action. */
function remediesOf(raw: unknown): PlaybookRemedy[] {
  if (!Array.isArray(raw)) return [];
  const out: PlaybookRemedy[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const action = REMEDY_ACTIONS.find((a) => a === o.action);
    if (!action) continue;
    const scope = o.scope === 'order' || o.scope === 'lines' || o.scope === 'shipping' || o.scope === 'amount' ? o.scope : undefined;
    out.push({ action, label: typeof o.label === 'string' ? o.label : action, scope, percentage: num(o.percentage), amount: num(o.amount) });
  }
  return out;
}

function toPlaybook(r: q.PlaybookRow): Playbook {
  return {
    id: r.id, storeId: r.store_id, problemKind: r.problem_kind, name: r.name, description: r.description, keywords: r.keywords,
    conditions: conditionsOf(r.conditions), remedies: remediesOf(r.remedies), returnRequired: r.return_required, isActive: r.is_active,
    position: r.position, updatedAt: r.updated_at,
  };
}

function stripUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Gives a store the default playbooks when it has none. */
export async function ensureDefaultPlaybooks(ctx: Ctx, storeId: string): Promise<void> {
  if ((await q.countPlaybooks(ctx.db, storeId)) > 0) return;
  await inTransaction(ctx, async (tx) => {
    if ((await q.countPlaybooks(tx.db, storeId)) > 0) return;
    let position = 0;
    for (const p of defaultPlaybooks()) {
      await q.insertPlaybook(tx.db, storeId, {
        problemKind: p.problemKind, name: p.name, description: p.description, keywords: p.keywords, conditions: stripUndefined(p.conditions),
        remedies: p.remedies.map(stripUndefined), returnRequired: p.returnRequired, isActive: true, position: position++,
      }, null);
    }
  });
}

/** A store's playbooks (the defaults when it has none yet). */
export async function listStorePlaybooks(ctx: Ctx, storeId: string): Promise<Playbook[]> {
  requireRole(ctx, 'agent');
  const store = await loadStoreInfo(ctx, storeId);
  await ensureDefaultPlaybooks(ctx, store.id);
  return (await q.listPlaybooks(ctx.db, store.id)).map(toPlaybook);
}

/** What a manager writes for a playbook. */
export interface PlaybookInput {
  problemKind: string;
  name: string;
  description?: string | undefined;
  keywords?: string[] | undefined;
  conditions?: PlaybookConditions | undefined;
  remedies: PlaybookRemedy[];
  returnRequired?: boolean | undefined;
  isActive?: boolean | undefined;
  position?: number | undefined;
}

function valuesOf(input: PlaybookInput): q.PlaybookValues {
  if (input.remedies.length === 0) {
    throw new AppError('validation_failed', 'A playbook needs at least one standard remedy.', { errors: [{ field: 'remedies', message: 'needs at least one remedy' }] });
  }
  return {
    problemKind: input.problemKind.trim().toLowerCase().replace(/\s+/g, '_'),
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    keywords: [...new Set((input.keywords ?? []).map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0))],
    conditions: stripUndefined(input.conditions ?? {}),
    remedies: input.remedies.map(stripUndefined),
    returnRequired: input.returnRequired ?? false,
    isActive: input.isActive ?? true,
    position: input.position ?? 0,
  };
}

function auditActor(ctx: Ctx) {
  const a = ctx.actor;
  return a.type === 'agent' || a.type === 'integration' ? { type: a.type, id: a.agentId, name: a.name } : { type: 'system' as const, id: null, name: null };
}

/** Adds a playbook to a store (managers). */
export async function createPlaybook(ctx: Ctx, storeId: string, input: PlaybookInput): Promise<Playbook> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  await ensureDefaultPlaybooks(ctx, store.id);
  const values = valuesOf(input);
  return inTransaction(ctx, async (tx) => {
    const row = await q.insertPlaybook(tx.db, store.id, values, actorAgentId(ctx.actor));
    await insertAudit(tx.db, { storeId: store.id, actor: auditActor(ctx), action: 'playbook.created', subjectType: 'playbook', subjectId: row.id, data: { name: row.name, problem_kind: row.problem_kind } });
    return toPlaybook(row);
  });
}

/** Replaces a playbook (managers). */
export async function updatePlaybook(ctx: Ctx, id: string, input: PlaybookInput): Promise<Playbook> {
  requireRole(ctx, 'manager');
  const values = valuesOf(input);
  return inTransaction(ctx, async (tx) => {
    const before = await q.findPlaybook(tx.db, id);
    if (!before) throw notFound('The playbook');
    const row = await q.updatePlaybookRow(tx.db, id, values, actorAgentId(ctx.actor));
    if (!row) throw notFound('The playbook');
    await insertAudit(tx.db, {
      storeId: row.store_id, actor: auditActor(ctx), action: 'playbook.updated', subjectType: 'playbook', subjectId: row.id,
      data: { name: row.name, problem_kind: row.problem_kind, before: { conditions: before.conditions, remedies: before.remedies, is_active: before.is_active } },
    });
    return toPlaybook(row);
  });
}

/** Removes a playbook (managers). */
export async function deletePlaybook(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'manager');
  await inTransaction(ctx, async (tx) => {
    const row = await q.findPlaybook(tx.db, id);
    if (!row) throw notFound('The playbook');
    await q.deletePlaybookRow(tx.db, id);
    await insertAudit(tx.db, { storeId: row.store_id, actor: auditActor(ctx), action: 'playbook.deleted', subjectType: 'playbook', subjectId: id, data: { name: row.name, problem_kind: row.problem_kind } });
  });
}

/** The playbook an action names, checked to belong to the action's store. */
export async function playbookForAction(ctx: Ctx, id: string, storeId: string): Promise<Playbook> {
  const row = await q.findPlaybook(ctx.db, id);
  if (!row || row.store_id !== storeId) {
    throw new AppError('validation_failed', 'playbook_id is not a playbook of this order’s store.', { errors: [{ field: 'playbook_id', message: 'is not a playbook of this store' }] });
  }
  return toPlaybook(row);
}

export { isStandardRemedy };

/** One suggested playbook for a ticket's order. */
export interface PlaybookSuggestion {
  playbook: Playbook;
  problemSource: ProblemSource | null;
  /** True when every condition holds for this order. */
  fits: boolean;
  met: string[];
  unmet: string[];
  /**
   * Each standard remedy with how it stands on this order (already given, only partly left, not
   * possible) and the action dialog's parameters for what can still be given.
   */
  remedies: (PlaybookRemedy & { prefill: { action: PlaybookRemedy['action']; params: Record<string, unknown> }; standing: Omit<RemedyStanding, 'prefill'> | null })[];
}

/** What storedesk suggests for a ticket: the problem, the order, and the playbooks that fit best first. */
export interface PlaybookSuggestions {
  orderNumber: string | null;
  problems: { kind: string; source: ProblemSource }[];
  suggestions: PlaybookSuggestion[];
}

/**
 * Suggests playbooks for a ticket's order: the problem the agent chose (or the one the ticket's
 * tags and subject, or a late order, point at), each playbook's conditions checked against the
 * order. The best fit comes first; playbooks for other problems are not suggested.
 */
export async function suggestPlaybooks(ctx: Ctx, ticketRef: string, opts: { orderNumber?: string | undefined; problemKind?: string | undefined; now?: Date | undefined }): Promise<PlaybookSuggestions> {
  requireRole(ctx, 'agent');
  const ticketId = await resolveTicketId(ctx, ticketRef);
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'store_id', 'subject', 'tags', 'order_numbers']).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket) throw notFound('The ticket');
  const { store, connector } = await connectorForStore(ctx, ticket.store_id);
  await ensureDefaultPlaybooks(ctx, store.id);
  const playbooks = (await q.listPlaybooks(ctx.db, store.id, true)).map(toPlaybook);
  const now = opts.now ?? new Date();
  const wanted = opts.orderNumber ?? ticket.order_numbers[ticket.order_numbers.length - 1];
  let order: StoreOrder | null = null;
  if (wanted) {
    const number = normalizeOrderNumber(store, wanted) ?? wanted.trim();
    order = await callStore(store, 'Playbook suggestions cannot be shown right now.', () => connector.getOrder(ctx, number));
    if (!order && opts.orderNumber) throw notFound(`Order ${number} in ${store.name}`);
  }
  const facts = order ? orderFacts(order, now, store.timezone) : null;
  const past: PastOrderAction[] = order
    ? (await q.listGivenOrderActions(ctx.db, store.id, order.number)).map((a) => ({
      action: a.action, params: a.params, status: a.status === 'succeeded' ? 'succeeded' : 'awaiting_approval', actorName: a.actor_name, at: a.completed_at ?? a.created_at,
    }))
    : [];
  const problems = detectProblems(playbooks, { tags: ticket.tags, subject: ticket.subject }, facts, opts.problemKind);
  const suggestions: PlaybookSuggestion[] = [];
  for (const problem of problems) {
    for (const p of playbooks.filter((x) => x.problemKind === problem.kind)) {
      const check = facts ? checkConditions(p.conditions, facts, now, store.timezone) : { fits: false, met: [], unmet: ['No order on this ticket to check the conditions against.'] };
      suggestions.push({
        playbook: p, problemSource: problem.source, fits: check.fits, met: check.met, unmet: check.unmet,
        remedies: p.remedies.map((r) => {
          if (!order) return { ...r, prefill: { action: r.action, params: {} }, standing: null };
          const { prefill, ...standing } = remedyStanding(r, order, past, store.timezone);
          return { ...r, prefill: withReasonCode(prefill, p.problemKind), standing };
        }),
      });
    }
  }
  suggestions.sort((a, b) => Number(b.fits) - Number(a.fits));
  return { orderNumber: order?.number ?? null, problems, suggestions };
}
