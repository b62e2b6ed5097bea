/**
 * API shapes for authority limits, goodwill budgets and approval requests, and their presenters.
 * Money is { amount: integer minor units, currency }; a limit of null is no limit.
 */
import { Type } from '@sinclair/typebox';
import { AuthorityReasonSchema, MoneySchema, OrderActionSchema, presentOrderAction, presentReason } from '../orders/orders.schema.ts';
import type { ApprovalOutcome } from '../orders/order-actions.service.ts';
import type { ApprovalView } from './approvals.service.ts';
import type { AuthoritySettings, Limits } from './authority.service.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableMinor = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
const RemedySchema = Type.Union([Type.Literal('refund'), Type.Literal('discount'), Type.Literal('store_credit'), Type.Literal('replacement')]);
const RoleSchema = Type.Union([Type.Literal('agent'), Type.Literal('manager'), Type.Literal('admin')]);

/** Limits for one remedy type, minor units of the store's currency; null is no limit. */
export const LimitsSchema = Type.Object(
  {
    per_action: NullableMinor,
    per_ticket: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Everything given of this type on one ticket, by anyone' }),
    per_day: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'By this agent, per day in the store’s time zone' }),
    per_month: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'By this agent, per calendar month in the store’s time zone' }),
  },
  { additionalProperties: false },
);

/** A store's authority settings with this month's spend. */
export const AuthoritySettingsSchema = Type.Object({
  store: Type.Object({ id: Uuid, name: Type.String(), currency: Type.String(), timezone: Type.String() }),
  roles: Type.Array(Type.Object({ role: RoleSchema, remedy: RemedySchema, limits: LimitsSchema, updated_at: DateTime }), { description: 'Defaults per role; a role without a row has no limit' }),
  agents: Type.Array(Type.Object({ agent_id: Uuid, name: NullableString, email: NullableString, remedy: RemedySchema, limits: LimitsSchema, updated_at: DateTime }), { description: 'Overrides per agent' }),
  budgets: Type.Array(Type.Object({
    remedy: RemedySchema,
    monthly: Type.Union([MoneySchema, Type.Null()], { description: 'null: no budget' }),
    warn_at_percent: Type.Integer(),
    spent: Type.Object(MoneySchema.properties, { description: 'Given this month by succeeded actions' }),
    month: Type.String(),
  })),
});

const LimitsByRemedy = Type.Object(
  {
    refund: Type.Optional(Type.Union([LimitsSchema, Type.Null()])),
    discount: Type.Optional(Type.Union([LimitsSchema, Type.Null()])),
    store_credit: Type.Optional(Type.Union([LimitsSchema, Type.Null()])),
    replacement: Type.Optional(Type.Union([LimitsSchema, Type.Null()])),
  },
  { additionalProperties: false, description: 'Per remedy type; null removes it (no limit, or back to the role’s default); absent leaves it' },
);

/** Sets a role's defaults or one agent's overrides. */
export const SetLimitsBody = Type.Object(
  { role: Type.Optional(RoleSchema), agent_id: Type.Optional(Uuid), limits: LimitsByRemedy },
  { additionalProperties: false },
);

const BudgetInput = Type.Object(
  { monthly: NullableMinor, warn_at_percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 80 })) },
  { additionalProperties: false },
);

/** Sets the store's monthly budgets. */
export const SetBudgetsBody = Type.Object(
  {
    budgets: Type.Object(
      { refund: Type.Optional(BudgetInput), discount: Type.Optional(BudgetInput), store_credit: Type.Optional(BudgetInput), replacement: Type.Optional(BudgetInput) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const MoneyOrNull = Type.Union([MoneySchema, Type.Null()]);

/** An approval request with what a manager needs to decide it. */
export const ApprovalSchema = Type.Object({
  id: Uuid,
  order_action_id: Uuid,
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused')]),
  store: Type.Object({ id: Uuid, name: NullableString }),
  ticket: Type.Union([Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String() }), Type.Null()]),
  order_number: Type.String(),
  action: Type.String(),
  remedy: NullableString,
  amount: MoneySchema,
  summary: Type.String({ description: 'The plan as the agent confirmed it' }),
  reasons: Type.Array(AuthorityReasonSchema, { description: 'The limits and budgets it passes' }),
  requested_by: Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }),
  decided_by: Type.Union([Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }), Type.Null()]),
  decision_reason: NullableString,
  created_at: DateTime,
  decided_at: Type.Union([DateTime, Type.Null()]),
  customer: Type.Union([
    Type.Object({
      id: Uuid,
      name: NullableString,
      order_count: Type.Union([Type.Integer(), Type.Null()]),
      lifetime_value: MoneyOrNull,
      previous_remedies: Type.Array(Type.Object({
        action: Type.String(), amount: MoneyOrNull, summary: NullableString, order_number: Type.String(), ticket_number: Type.Integer(), by: NullableString, at: DateTime,
      })),
    }),
    Type.Null(),
  ]),
});

/** The answer to a decision. */
export const DecisionSchema = Type.Object({
  approval: ApprovalSchema,
  action: OrderActionSchema,
  decided_now: Type.Boolean({ description: 'False when the request had already been decided: nothing was done again' }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentLimits(l: Limits) {
  return { per_action: l.perAction, per_ticket: l.perTicket, per_day: l.perDay, per_month: l.perMonth };
}

/** Presents authority settings. */
export function presentAuthority(s: AuthoritySettings) {
  const c = s.store.currency;
  return {
    store: { id: s.store.id, name: s.store.name, currency: c, timezone: s.store.timezone },
    roles: s.roles.map((r) => ({ role: r.role, remedy: r.remedy, limits: presentLimits(r.limits), updated_at: r.updatedAt.toISOString() })),
    agents: s.agents.map((a) => ({ agent_id: a.agentId, name: a.name, email: a.email, remedy: a.remedy, limits: presentLimits(a.limits), updated_at: a.updatedAt.toISOString() })),
    budgets: s.budgets.map((b) => ({
      remedy: b.remedy, monthly: b.monthly === null ? null : { amount: b.monthly, currency: c }, warn_at_percent: b.warnAtPercent,
      spent: { amount: b.spent, currency: c }, month: b.month,
    })),
  };
}

/** Limits from the API's shape. */
export function limitsFromBody(l: { per_action: number | null; per_ticket: number | null; per_day: number | null; per_month: number | null } | null): Limits | null {
  return l === null ? null : { perAction: l.per_action, perTicket: l.per_ticket, perDay: l.per_day, perMonth: l.per_month };
}

/** Presents an approval request. */
export function presentApprovalView(a: ApprovalView) {
  return {
    id: a.id, order_action_id: a.orderActionId, status: a.status, store: a.store, ticket: a.ticket, order_number: a.orderNumber, action: a.action,
    remedy: a.remedy, amount: a.amount, summary: a.summary, reasons: a.reasons.map(presentReason), requested_by: a.requestedBy, decided_by: a.decidedBy,
    decision_reason: a.decisionReason, created_at: a.createdAt.toISOString(), decided_at: iso(a.decidedAt),
    customer: a.customer
      ? {
          id: a.customer.id, name: a.customer.name, order_count: a.customer.orderCount, lifetime_value: a.customer.lifetimeValue,
          previous_remedies: a.customer.previousRemedies.map((p) => ({ action: p.action, amount: p.amount, summary: p.summary, order_number: p.orderNumber, ticket_number: p.ticketNumber, by: p.by, at: p.at.toISOString() })),
        }
      : null,
  };
}

/** Presents a decision. */
export function presentDecision(d: ApprovalOutcome & { approval: ApprovalView }) {
  return { approval: presentApprovalView(d.approval), action: presentOrderAction(d.action), decided_now: d.decidedNow };
}
