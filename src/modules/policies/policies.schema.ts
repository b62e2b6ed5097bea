/**
 * API shapes for store policies: a version of the policy document with its readable summary,
 * the history, saving a version, and the eligibility answer (allowed, the amount the policy
 * allows, and the reasons citing the clauses).
 */
import { Type } from '@sinclair/typebox';
import { ActionParamsSchema } from '../orders/orders.schema.ts';
import { ORDER_ACTION_KINDS } from '../stores/connectors/connector.ts';
import type { Eligibility } from './eligibility.ts';
import type { EligibilityAnswer, PolicyVersion } from './policies.service.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const StoreParam = Type.Object({ storeId: Uuid });

const SummaryItem = Type.Object({
  clause: Type.String({ description: 'Stable clause id (returns.window, exceptions.final-sale, …)' }),
  text: Type.String({ description: 'The clause in plain language' }),
});

/** A version of a store's policy. */
export const PolicyVersionSchema = Type.Object({
  store_id: Uuid,
  version: Type.Integer({ description: '0: the default of a store that never saved a policy' }),
  is_default: Type.Boolean(),
  document: Type.Record(Type.String(), Type.Unknown(), { description: 'The policy document (format 1)' }),
  summary: Type.Array(SummaryItem),
  changes: Type.Array(Type.String(), { description: 'What changed against the previous version' }),
  change_note: Type.String(),
  created_by: Type.Union([Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }), Type.Null()]),
  created_at: Type.Union([DateTime, Type.Null()]),
});

/** Saving a version. */
export const SavePolicyBody = Type.Object(
  {
    document: Type.Unknown({ description: 'The whole policy document; validated field by field' }),
    change_note: Type.String({ maxLength: 500, description: 'Why it changed, for the history' }),
    base_version: Type.Optional(Type.Integer({ minimum: 0, description: 'The version the editor started from; refused with 409 when someone saved a newer one' })),
  },
  { additionalProperties: false },
);

export const PreviewPolicyBody = Type.Object({ document: Type.Unknown() }, { additionalProperties: false });

export const PolicyPreviewSchema = Type.Object({ summary: Type.Array(SummaryItem), changes: Type.Array(Type.String()) });

const ReasonSchema = Type.Object({ clause: Type.String(), ok: Type.Boolean(), text: Type.String({ description: 'In words a customer understands' }) });

/** The engine's answer. */
export const EligibilitySchema = Type.Object({
  allowed: Type.Boolean(),
  action: Type.String(),
  allowed_amount: Type.Union([Money, Type.Null()], { description: 'The most money the policy allows; null when it sets no amount' }),
  requested_amount: Money,
  destination: Type.Union([Type.String(), Type.Null()]),
  fees: Type.Object({ restocking: Money, return_shipping: Money }),
  reasons: Type.Array(ReasonSchema, { description: 'Refusals first' }),
});

export const CheckBody = Type.Object(
  {
    order_number: Type.String({ minLength: 1, maxLength: 64 }),
    action: Type.Union(ORDER_ACTION_KINDS.map((k) => Type.Literal(k))),
    params: Type.Optional(ActionParamsSchema),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'Decide as of this moment (default now)' })),
  },
  { additionalProperties: false },
);

export const CheckAnswerSchema = Type.Object({
  store_id: Uuid,
  order_number: Type.String(),
  policy_version: Type.Integer(),
  eligibility: Type.Union([EligibilitySchema, Type.Null()]),
  plan_refusal: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()], { description: 'Why the action cannot be done on this order at all' }),
});

export const NoReceiptBody = Type.Object(
  {
    customer_email: Type.String({ format: 'email', maxLength: 320 }),
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const NoReceiptAnswerSchema = Type.Object({
  store_id: Uuid,
  policy_version: Type.Integer(),
  eligibility: EligibilitySchema,
  found_on: Type.Array(Type.String(), { description: 'Orders that show the purchase' }),
});

/** Presents a policy version. */
export function presentPolicyVersion(v: PolicyVersion) {
  return {
    store_id: v.storeId, version: v.version, is_default: v.isDefault, document: v.document, summary: v.summary, changes: v.changes,
    change_note: v.changeNote, created_by: v.createdBy, created_at: v.createdAt ? v.createdAt.toISOString() : null,
  };
}

/** Presents the engine's answer. */
export function presentEligibility(e: Eligibility) {
  const m = (amount: number) => ({ amount, currency: e.currency });
  return {
    allowed: e.allowed, action: e.action, allowed_amount: e.allowedAmount === null ? null : m(e.allowedAmount), requested_amount: m(e.requestedAmount),
    destination: e.destination, fees: { restocking: m(e.fees.restocking), return_shipping: m(e.fees.returnShipping) }, reasons: e.reasons,
  };
}

/** Presents a check on an order. */
export function presentCheck(a: EligibilityAnswer) {
  return { store_id: a.store.id, order_number: a.orderNumber, policy_version: a.policyVersion, eligibility: a.eligibility ? presentEligibility(a.eligibility) : null, plan_refusal: a.planRefusal };
}
