/**
 * Authority and goodwill budgets: how much an agent may give away without asking, and how much
 * a store gives away per month.
 *
 * Limits are set per store and remedy type (refund, discount, store credit, replacement) as a
 * role's default (agent, manager; admin has none unless set) or one agent's override, for one
 * action, one ticket, one day and one month (days and months in the store's time zone). A
 * missing limit is no limit. Spend is what succeeded actions gave: per ticket by anyone, per day
 * and month by the agent. Budgets are per store, month and remedy type, counted from every
 * succeeded action; a request that would pass the warning threshold says so before it is
 * confirmed, and one that would exceed the budget needs a manager's approval when an agent asks
 * (managers and admins own the budget: their own actions go through with a warning).
 *
 * Who may change what: managers set the agent role's defaults, agents' overrides and budgets;
 * only admins set the manager and admin roles' limits and managers' overrides (nobody raises
 * their own authority). Every change is in the audit log.
 */
import type { AgentRole, RemedyType } from '../../db/schema.ts';
import { actorAgentId, inTransaction, requireRole, roleAtLeast, type Actor, type Ctx } from '../../shared/context.ts';
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { startOfLocalDay, startOfLocalMonth } from '../../shared/time-zone.ts';
import type { ActionPlan, StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import { formatMoney, type Money } from '../stores/money.ts';
import { insertAudit, listAudit } from '../audit/audit.queries.ts';
import * as q from './authority.queries.ts';

/** Every remedy type limits and budgets count, in the order screens show them. */
export const REMEDY_TYPES: readonly RemedyType[] = ['refund', 'discount', 'store_credit', 'replacement'];
/** The periods a limit applies to. */
export type LimitPeriod = 'action' | 'ticket' | 'day' | 'month';

const NOUN: Record<RemedyType, string> = { refund: 'refund', discount: 'discount', store_credit: 'store credit', replacement: 'replacement' };
const GIVEN: Record<RemedyType, string> = { refund: 'refunded', discount: 'given in discounts', store_credit: 'given in store credit', replacement: 'sent in replacements' };
const THIS: Record<RemedyType, string> = { refund: 'this refund', discount: 'this discount', store_credit: 'this store credit', replacement: 'this replacement' };

/** Which goodwill an action gives; null for actions that give nothing away (cancel, return, note). */
export function remedyOf(action: string): RemedyType | null {
  switch (action) {
    case 'refund': return 'refund';
    case 'discount_code': return 'discount';
    case 'store_credit': return 'store_credit';
    case 'reship':
    case 'exchange': return 'replacement';
    default: return null;
  }
}

/** What an action gives away as limits, approvals and budgets count it (minor units of the order's currency). */
export interface GoodwillValue {
  amount: number;
  /** How a value that is not the plan's own amount was worked out ("20% of the €300.00 merchandise subtotal of NW-1"); null otherwise. */
  basis: string | null;
  /**
   * For a valued percentage discount code: the percentage and the merchandise subtotal (minor
   * units) it is a share of, so a screen can say "20% off, about €60.00 of €300.00" without
   * working the value out again; null otherwise.
   */
  share: { percent: number; of: number } | null;
}

/**
 * The money an action gives away, as limits, approvals and budgets count it. Most plans carry it
 * (`plan.amount`). A percentage discount code carries none, since what it is worth depends on
 * the order it will be used on, which does not exist yet; it is valued at its percentage of the
 * merchandise subtotal of the order the ticket is about (`order.subtotal`: the items at the
 * prices sold, before that order's own discounts, without shipping), rounded to the minor unit.
 * That order is the best estimate of what the customer buys with the code, the subtotal is the
 * figure the customer saw on it, and it leaves out shipping, which a percentage code does not
 * discount. Counting the subtotal before discounts errs on the side of asking a manager. A
 * discount request carries no maximum today; the percentage (at most 100) caps the value at the
 * subtotal. Fixed-amount codes count their amount; free-shipping codes count nothing.
 */
export function goodwillValue(plan: ActionPlan, order: StoreOrder | null | undefined): GoodwillValue {
  if (plan.action !== 'discount_code' || plan.discountType !== 'percentage' || !order) return { amount: plan.amount, basis: null, share: null };
  const percent = Math.min(100, Math.max(0, plan.value));
  const amount = Math.min(order.subtotal, Math.round((order.subtotal * percent) / 100));
  return {
    amount,
    basis: `${percent}% of the ${formatMoney(order.subtotal, order.currency)} merchandise subtotal of ${order.number}`,
    share: { percent, of: order.subtotal },
  };
}

/** The store's local midnight of the day (or the first of the month) containing `at`, as an instant. */
export function periodStart(at: Date, timeZone: string, period: 'day' | 'month'): Date {
  return period === 'day' ? startOfLocalDay(at, timeZone) : startOfLocalMonth(at, timeZone);
}

/** One limit or budget a request goes past, with a sentence naming it. */
export interface AuthorityReason {
  kind: 'limit' | 'budget';
  remedy: RemedyType;
  period: LimitPeriod;
  limit: Money;
  /** Already given in the period before this request. */
  used: Money;
  requested: Money;
  message: string;
}

/** What the acting person's authority says about a plan. */
export interface AuthorityAssessment {
  remedy: RemedyType | null;
  /** Limits of the actor's authority this request goes past (empty: within authority). */
  exceeded: AuthorityReason[];
  /** Budgets this request would exceed. */
  overBudget: AuthorityReason[];
  /** Warnings to show before confirming (budget thresholds, budgets passed by a manager). */
  warnings: string[];
  /** True when the request needs a manager's approval. */
  needsApproval: boolean;
  /** The limits and budgets that make it need one. */
  approvalReasons: AuthorityReason[];
}

function staffOf(actor: Actor): { agentId: string; role: AgentRole } | null {
  return actor.type === 'agent' || actor.type === 'integration' ? { agentId: actor.agentId, role: actor.role } : null;
}

function monthName(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(at);
  }
}

/** Picks the limits that apply: an agent's override wins over their role's default, per remedy. */
function effectiveLimit(rows: Awaited<ReturnType<typeof q.findLimitsFor>>, remedy: RemedyType) {
  return rows.find((r) => r.remedy === remedy && r.agent_id !== null) ?? rows.find((r) => r.remedy === remedy && r.agent_id === null) ?? null;
}

/**
 * Judges a plan against the actor's authority limits and the store's budget. The system and
 * customers have no authority limits here (the store policy judges them).
 */
export async function assessAuthority(
  ctx: Ctx,
  input: { store: StoreInfo; ticketId: string | null; plan: ActionPlan; at: Date; /** The order acted on: values percentage discount codes (goodwillValue). */ order?: StoreOrder | undefined },
): Promise<AuthorityAssessment> {
  const { store, plan, at } = input;
  const remedy = remedyOf(plan.action);
  const result: AuthorityAssessment = { remedy, exceeded: [], overBudget: [], warnings: [], needsApproval: false, approvalReasons: [] };
  const value = goodwillValue(plan, input.order);
  const amount = value.amount;
  if (!remedy || amount <= 0) return result;
  const c = plan.currency;
  const m = (amount: number): Money => ({ amount, currency: c });
  const fmt = (amount: number) => formatMoney(amount, c);
  /** This request's value, with how it was worked out when it is not the plan's own amount. */
  const worth = `${fmt(amount)}${value.basis ? ` (${value.basis})` : ''}`;
  const dayStart = periodStart(at, store.timezone, 'day');
  const monthStart = periodStart(at, store.timezone, 'month');
  const staff = staffOf(ctx.actor);

  if (staff) {
    const limit = effectiveLimit(await q.findLimitsFor(ctx.db, store.id, staff.agentId, staff.role), remedy);
    if (limit) {
      const spent = await q.spendOf(ctx.db, { storeId: store.id, remedy, agentId: staff.agentId, ticketId: input.ticketId, dayStart, monthStart });
      const check = (period: LimitPeriod, max: number | null, used: number, sentence: (max: string) => string) => {
        if (max === null || used + amount <= max) return;
        result.exceeded.push({ kind: 'limit', remedy, period, limit: m(max), used: m(used), requested: m(amount), message: sentence(fmt(max)) });
      };
      check('action', limit.per_action_minor, 0, (max) => `Your ${NOUN[remedy]} limit is ${max} per action; ${THIS[remedy]} is ${worth}.`);
      check('ticket', limit.per_ticket_minor, spent.ticket, (max) => `Your ${NOUN[remedy]} limit is ${max} per ticket; ${fmt(spent.ticket)} has been ${GIVEN[remedy]} on this ticket already and ${THIS[remedy]} is ${worth}.`);
      check('day', limit.per_day_minor, spent.day, (max) => `Your ${NOUN[remedy]} limit is ${max} per day; you have ${GIVEN[remedy]} ${fmt(spent.day)} today and ${THIS[remedy]} is ${worth}.`);
      check('month', limit.per_month_minor, spent.month, (max) => `Your ${NOUN[remedy]} limit is ${max} per month; you have ${GIVEN[remedy]} ${fmt(spent.month)} this month and ${THIS[remedy]} is ${worth}.`);
    }
  }

  const budget = (await q.listBudgets(ctx.db, store.id)).find((b) => b.remedy === remedy);
  if (budget && c === store.currency) {
    const used = (await q.storeSpendSince(ctx.db, store.id, monthStart)).get(remedy) ?? 0;
    const after = used + amount;
    const month = monthName(at, store.timezone);
    if (after > budget.monthly_minor) {
      const message = `The ${NOUN[remedy]} budget for ${month} is ${fmt(budget.monthly_minor)}; ${fmt(used)} is spent and ${THIS[remedy]} is ${worth}.`;
      result.overBudget.push({ kind: 'budget', remedy, period: 'month', limit: m(budget.monthly_minor), used: m(used), requested: m(amount), message });
      if (staff && staff.role !== 'agent') result.warnings.push(`${message} It goes over budget on your authority.`);
    } else if (budget.monthly_minor > 0 && after * 100 >= budget.monthly_minor * budget.warn_at_percent) {
      const pct = Math.floor((after * 100) / budget.monthly_minor);
      result.warnings.push(`This takes the ${NOUN[remedy]} budget for ${month} to ${pct}% (${fmt(after)} of ${fmt(budget.monthly_minor)}).`);
    }
  }
  result.approvalReasons = [...result.exceeded, ...(staff?.role === 'agent' ? result.overBudget : [])];
  result.needsApproval = result.approvalReasons.length > 0;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Settings: limits and budgets

/** One set of limits (minor units; null is no limit). */
export interface Limits {
  perAction: number | null;
  perTicket: number | null;
  perDay: number | null;
  perMonth: number | null;
}

/** A store's authority settings with this month's spend, for the "Authority & budget" page. */
export interface AuthoritySettings {
  store: StoreInfo;
  roles: { role: AgentRole; remedy: RemedyType; limits: Limits; updatedAt: Date }[];
  agents: { agentId: string; name: string | null; email: string | null; remedy: RemedyType; limits: Limits; updatedAt: Date }[];
  budgets: { remedy: RemedyType; monthly: number | null; warnAtPercent: number; spent: number; month: string }[];
}

function limitsOf(r: { per_action_minor: number | null; per_ticket_minor: number | null; per_day_minor: number | null; per_month_minor: number | null }): Limits {
  return { perAction: r.per_action_minor, perTicket: r.per_ticket_minor, perDay: r.per_day_minor, perMonth: r.per_month_minor };
}

/** A store's limits and budgets with this month's spend (managers and admins). */
export async function getAuthoritySettings(ctx: Ctx, storeId: string, at = new Date()): Promise<AuthoritySettings> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  const [limits, budgets, spend] = await Promise.all([
    q.listLimits(ctx.db, store.id),
    q.listBudgets(ctx.db, store.id),
    q.storeSpendSince(ctx.db, store.id, periodStart(at, store.timezone, 'month')),
  ]);
  const month = monthName(at, store.timezone);
  return {
    store,
    roles: limits.filter((l) => l.role !== null).map((l) => ({ role: l.role ?? 'agent', remedy: l.remedy, limits: limitsOf(l), updatedAt: l.updated_at })),
    agents: limits.filter((l) => l.agent_id !== null).map((l) => ({ agentId: l.agent_id ?? '', name: l.agent_name, email: l.agent_email, remedy: l.remedy, limits: limitsOf(l), updatedAt: l.updated_at })),
    budgets: REMEDY_TYPES.map((remedy) => {
      const b = budgets.find((x) => x.remedy === remedy);
      return { remedy, monthly: b?.monthly_minor ?? null, warnAtPercent: b?.warn_at_percent ?? 80, spent: spend.get(remedy) ?? 0, month };
    }),
  };
}

/** A change to limits: for a role or one agent, per remedy; a remedy left out is unchanged. */
export interface LimitsChange {
  role?: AgentRole | undefined;
  agentId?: string | undefined;
  limits: Partial<Record<RemedyType, Limits | null>>;
}

function actorOf(ctx: Ctx) {
  const a = ctx.actor;
  return a.type === 'agent' || a.type === 'integration' ? { type: a.type, id: a.agentId, name: a.name } : { type: 'system' as const, id: null, name: a.type === 'system' ? a.name : null };
}

/** Sets a role's default limits or one agent's overrides (null for a remedy removes an override). */
export async function setLimits(ctx: Ctx, storeId: string, change: LimitsChange): Promise<AuthoritySettings> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  if ((change.role === undefined) === (change.agentId === undefined)) {
    throw new AppError('validation_failed', 'Give either a role or an agent_id.', { errors: [{ field: 'role', message: 'give a role or an agent_id' }] });
  }
  const me = ctx.actor.type === 'agent' || ctx.actor.type === 'integration' ? ctx.actor : null;
  let subjectRole: AgentRole = change.role ?? 'agent';
  if (change.agentId) {
    const agent = await ctx.db.selectFrom('agents').select(['id', 'role']).where('id', '=', change.agentId).executeTakeFirst();
    if (!agent) throw notFound('The agent');
    subjectRole = agent.role;
    if (me && agent.id === me.agentId && me.role !== 'admin') throw forbidden('You cannot change your own authority; ask an admin.');
  }
  if (me && subjectRole !== 'agent' && !roleAtLeast(me.role, 'admin')) throw forbidden(`Only an admin can change a ${subjectRole}'s authority.`);
  for (const [remedy, limits] of Object.entries(change.limits)) {
    if (limits === undefined) continue;
    for (const [field, value] of Object.entries(limits ?? {})) {
      if (value !== null && (!Number.isInteger(value) || value < 0)) {
        throw new AppError('validation_failed', `limits.${remedy}.${field} must be a whole number of minor units, 0 or more.`, { errors: [{ field: `limits.${remedy}.${field}`, message: 'must be 0 or more' }] });
      }
    }
  }
  await inTransaction(ctx, async (tx) => {
    for (const remedy of REMEDY_TYPES) {
      const limits = change.limits[remedy];
      if (limits === undefined) continue;
      const who: { role: AgentRole } | { agentId: string } = change.agentId ? { agentId: change.agentId } : { role: change.role ?? 'agent' };
      if (limits === null) {
        await q.deleteLimit(tx.db, store.id, who, remedy);
      } else {
        await q.upsertLimit(tx.db, store.id, who, remedy, limits, actorAgentId(ctx.actor));
      }
      await insertAudit(tx.db, {
        storeId: store.id, actor: actorOf(ctx), action: limits === null ? 'authority.limit_removed' : 'authority.limit_set', subjectType: change.agentId ? 'agent' : 'role',
        subjectId: change.agentId ?? change.role ?? null, data: { remedy, currency: store.currency, ...(limits ? { per_action: limits.perAction, per_ticket: limits.perTicket, per_day: limits.perDay, per_month: limits.perMonth } : {}) },
      });
    }
  });
  return getAuthoritySettings(ctx, store.id);
}

/** Sets the store's monthly budgets (null removes one) and their warning thresholds. */
export async function setBudgets(ctx: Ctx, storeId: string, budgets: Partial<Record<RemedyType, { monthly: number | null; warnAtPercent?: number | undefined }>>): Promise<AuthoritySettings> {
  requireRole(ctx, 'manager');
  const store = await loadStoreInfo(ctx, storeId);
  await inTransaction(ctx, async (tx) => {
    for (const remedy of REMEDY_TYPES) {
      const b = budgets[remedy];
      if (!b) continue;
      await q.setBudget(tx.db, store.id, remedy, b.monthly, b.warnAtPercent ?? 80, actorAgentId(ctx.actor));
      await insertAudit(tx.db, {
        storeId: store.id, actor: actorOf(ctx), action: b.monthly === null ? 'budget.removed' : 'budget.set', subjectType: 'budget', subjectId: remedy,
        data: { remedy, monthly: b.monthly, warn_at_percent: b.warnAtPercent ?? 80, currency: store.currency },
      });
    }
  });
  return getAuthoritySettings(ctx, store.id);
}

/** The audit log of authority (grants, requests, decisions, playbook changes), newest first. */
export async function listAuthorityAudit(ctx: Ctx, f: { storeId?: string | undefined; limit: number }) {
  requireRole(ctx, 'manager');
  return listAudit(ctx.db, f);
}
