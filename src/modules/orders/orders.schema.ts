/**
 * API shapes for orders and actions on them, the presenters that map domain objects to them,
 * and the mapping of an action's parameters to the domain request (naming the field at fault).
 * Money is always { amount: integer minor units, currency: ISO 4217 }.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../shared/errors.ts';
import type { Money } from '../stores/money.ts';
import {
  ORDER_ACTION_KINDS, type ActionOutcome, type ActionPlan, type ConnectorCapabilities, type OrderActionKind, type OrderActionRequest,
  type Refusal, type StoreCustomer, type StoreInfo, type StoreOrder,
} from '../stores/connectors/connector.ts';
import { lineStates, paidAmount, refundedAmount, type OrderGlance, type RefundableSummary } from '../stores/connectors/order-math.ts';
import type { ApprovalSummary, OrderActionPreview, OrderActionRecord } from './order-actions.service.ts';
import type { PolicyDecision } from './order-policy.ts';
import type { AuthorityReason, GoodwillValue } from '../authority/authority.service.ts';
import type { CustomerOrders, OrderDetail, OrderLookupMatch } from './orders.service.ts';
import { REASON_CODES, type ReasonCode } from '../policies/policy-document.ts';
import type { ReasonCodes } from '../policies/eligibility.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const NullableDate = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** An amount of money. */
export const MoneySchema = Type.Object({
  amount: Type.Integer({ description: 'Integer minor units (cents): 1999 is 19.99' }),
  currency: Type.String({ description: 'ISO 4217 code', example: 'EUR' }),
});
const NullableMoney = Type.Union([MoneySchema, Type.Null()]);

const GlanceStateSchema = Type.Union(
  ['placed', 'paid', 'shipped', 'late', 'delivered', 'return_requested', 'returned', 'refunded', 'cancelled'].map((s) => Type.Literal(s)),
  { description: 'The order at a glance; late: paid, not delivered, past the promised date' },
);

const ShipmentStatusSchema = Type.Union(['pending', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender'].map((s) => Type.Literal(s)));

/** An order with everything an agent needs to answer about it. */
export const OrderSchema = Type.Object({
  number: Type.String({ description: 'The number customers quote' }),
  store_id: Uuid,
  external_id: Type.String({ description: 'The store platform’s id for the order' }),
  admin_url: NullableString,
  status: GlanceStateSchema,
  status_label: Type.String({ description: 'e.g. "Delivered 12 Nov", "Late — expected 8 Nov"' }),
  partially_refunded: Type.Boolean(),
  partially_shipped: Type.Boolean(),
  financial_status: Type.String({ description: 'pending, authorized, paid, partially_refunded, refunded, voided' }),
  fulfillment_status: Type.String({ description: 'unfulfilled, partially_fulfilled, fulfilled' }),
  placed_at: DateTime,
  cancelled_at: NullableDate,
  cancel_reason: NullableString,
  expected_delivery_at: NullableDate,
  delivered_at: NullableDate,
  currency: Type.String(),
  taxes_included: Type.Boolean(),
  subtotal: MoneySchema,
  discount_total: MoneySchema,
  shipping_total: MoneySchema,
  tax_total: MoneySchema,
  total: MoneySchema,
  paid: MoneySchema,
  refunded: MoneySchema,
  discount_codes: Type.Array(Type.String()),
  shipping_method: NullableString,
  shipping_address: Type.Union([
    Type.Object({ name: Type.String(), line1: Type.String(), line2: NullableString, postal_code: Type.String(), city: Type.String(), region: NullableString, country: Type.String(), phone: NullableString }),
    Type.Null(),
  ]),
  customer: Type.Object({ external_id: NullableString, email: NullableString, name: NullableString }),
  item_count: Type.Integer(),
  tracking: Type.Union([Type.Object({ carrier: NullableString, number: Type.String(), url: NullableString, status: ShipmentStatusSchema }), Type.Null()], { description: 'The parcel to follow' }),
  lines: Type.Array(Type.Object({
    id: Type.String(),
    product_id: NullableString,
    variant_id: NullableString,
    product_title: Type.String(),
    variant_title: NullableString,
    sku: NullableString,
    quantity: Type.Integer(),
    unit_price: MoneySchema,
    line_price: MoneySchema,
    discount: MoneySchema,
    tax: MoneySchema,
    total: Type.Object(MoneySchema.properties, { description: 'Paid for this line, tax included' }),
    quantity_shipped: Type.Integer(),
    quantity_refunded: Type.Integer(),
    quantity_returned: Type.Integer(),
  })),
  payments: Type.Array(Type.Object({ id: Type.String(), method: Type.String(), method_detail: NullableString, amount: MoneySchema, status: Type.String(), created_at: DateTime })),
  refunds: Type.Array(Type.Object({
    id: Type.String(), amount: MoneySchema, shipping: MoneySchema, destination: Type.String(), reason: NullableString, created_at: DateTime,
    lines: Type.Array(Type.Object({ line_id: Type.String(), quantity: Type.Integer(), amount: MoneySchema })),
  })),
  fulfillments: Type.Array(Type.Object({
    id: Type.String(), kind: Type.String({ description: 'shipment, reship or exchange' }), status: ShipmentStatusSchema, carrier: NullableString, service: NullableString,
    tracking_number: NullableString, tracking_url: Type.Union([Type.String(), Type.Null()], { description: 'The carrier’s tracking page' }),
    shipped_at: NullableDate, estimated_delivery_at: NullableDate, delivered_at: NullableDate,
    lines: Type.Array(Type.Object({ line_id: NullableString, sku: NullableString, title: Type.String(), quantity: Type.Integer() })),
  })),
  returns: Type.Array(Type.Object({
    id: Type.String(), number: Type.String({ description: 'RMA number' }), kind: Type.String(), status: Type.String(), reason: NullableString, created_at: DateTime, received_at: NullableDate,
    lines: Type.Array(Type.Object({ line_id: Type.String(), quantity: Type.Integer(), reason: NullableString, replacement_sku: NullableString })),
  })),
  notes: Type.Array(Type.Object({ body: Type.String(), author: NullableString, created_at: DateTime })),
});

/** The most that can still be refunded, for the refund dialog. */
export const RefundableSchema = Type.Object({
  total: MoneySchema,
  shipping: MoneySchema,
  paid: MoneySchema,
  refunded: MoneySchema,
  lines: Type.Array(Type.Object({ line_id: Type.String(), quantity: Type.Integer(), amount: MoneySchema })),
});

/** What a store's platform supports, so the workspace shows only actions that can work. */
export const CapabilitiesSchema = Type.Object({
  actions: Type.Array(Type.String()),
  refund_scopes: Type.Array(Type.String()),
  refund_to_store_credit: Type.Boolean(),
  tracking_lookup: Type.Boolean(),
  change_feed: Type.String(),
});

export const StoreRefSchema = Type.Object({ id: Uuid, name: Type.String(), platform: Type.String(), currency: Type.String(), timezone: Type.String() });

/** A customer's orders in their store with lifetime figures. */
export const CustomerOrdersSchema = Type.Object({
  store: StoreRefSchema,
  capabilities: CapabilitiesSchema,
  store_customer: Type.Union([
    Type.Object({ external_id: Type.String(), email: NullableString, phone: NullableString, name: NullableString, created_at: NullableDate, store_credit: NullableMoney }),
    Type.Null(),
  ], { description: 'The customer’s account in the store; null when the store does not know them' }),
  stats: Type.Union([
    Type.Object({
      order_count: Type.Integer(),
      lifetime_value: Type.Object(MoneySchema.properties, { description: 'Paid minus refunded, all orders' }),
      first_order_at: NullableDate,
      last_order_at: NullableDate,
      source: Type.Union([Type.Literal('store'), Type.Literal('orders_shown')], { description: 'orders_shown: counted from this page only' }),
    }),
    Type.Null(),
  ]),
  items: Type.Array(OrderSchema),
  next_cursor: NullableString,
});

export const OrderDetailSchema = Type.Object({
  order: OrderSchema,
  store: StoreRefSchema,
  capabilities: CapabilitiesSchema,
  refundable: RefundableSchema,
  customer: Type.Union([Type.Object({ id: Uuid, name: NullableString, email: Type.String() }), Type.Null()], { description: 'The customer in storedesk' }),
  tickets: Type.Array(Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: Type.String(), updated_at: DateTime })),
});

export const OrderLookupSchema = Type.Object({
  matches: Type.Array(Type.Object({
    store: StoreRefSchema,
    matched_by: Type.Union([Type.Literal('order_number'), Type.Literal('tracking_number')]),
    order: OrderSchema,
    customer: Type.Union([Type.Object({ id: Uuid, name: NullableString, email: Type.String() }), Type.Null()]),
  })),
  unavailable: Type.Array(Type.Object({ store_id: Uuid, store_name: Type.String() }), { description: 'Stores that could not be asked' }),
});

export const TimelineSchema = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(), store_id: Uuid, store_name: Type.String(), order_number: Type.String(),
    type: Type.String({ description: 'order.created, order.paid, order.shipped, order.delivered, order.cancelled, order.refunded, order.returned' }),
    occurred_at: DateTime, data: Type.Record(Type.String(), Type.Unknown()),
  })),
  next_cursor: NullableString,
});

const RefusalSchema = Type.Object({ code: Type.String(), message: Type.String({ description: 'In words an agent can act on' }), limit: Type.Optional(MoneySchema) });

const OutcomeSchema = Type.Object({
  ok: Type.Boolean(),
  summary: Type.Optional(Type.String()),
  store_reference: Type.Optional(NullableString),
  amount: Type.Optional(NullableMoney),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  refusal: Type.Optional(RefusalSchema),
});

/** A limit or budget a request goes past. */
export const AuthorityReasonSchema = Type.Object({
  kind: Type.Union([Type.Literal('limit'), Type.Literal('budget')]),
  remedy: Type.String({ description: 'refund, discount, store_credit or replacement' }),
  period: Type.String({ description: 'action, ticket, day or month' }),
  limit: MoneySchema,
  used: Type.Object(MoneySchema.properties, { description: 'Already given in the period, before this request' }),
  requested: MoneySchema,
  message: Type.String({ description: 'e.g. "Your refund limit is €50.00 per action; this refund is €80.00."' }),
});

/** The approval an action waits for or was decided by. */
export const ActionApprovalSchema = Type.Object({
  id: Uuid,
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused')]),
  reasons: Type.Array(AuthorityReasonSchema),
  requested_by: Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }),
  decided_by: Type.Union([Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }), Type.Null()]),
  decision_reason: NullableString,
  created_at: DateTime,
  decided_at: NullableDate,
});

/** One action on an order as the audit log keeps it. */
export const OrderActionSchema = Type.Object({
  id: Uuid,
  ticket_id: Type.Union([Uuid, Type.Null()]),
  store: Type.Object({ id: Uuid, name: NullableString }),
  order_number: Type.String(),
  action: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('awaiting_approval'), Type.Literal('succeeded'), Type.Literal('refused'), Type.Literal('failed')], {
    description: 'awaiting_approval: above the agent’s authority, sent to a manager; the store has not been asked',
  }),
  amount: NullableMoney,
  summary: NullableString,
  store_reference: Type.Union([Type.String(), Type.Null()], { description: 'What the store created: refund id, RMA number, discount code…' }),
  outcome: Type.Union([OutcomeSchema, Type.Null()], { description: 'The store’s answer, or the refusal' }),
  effects: Type.Array(Type.String()),
  error: NullableString,
  actor: Type.Object({ type: Type.String(), id: Type.Union([Uuid, Type.Null()]), name: NullableString }),
  idempotency_key: Type.String(),
  attempts: Type.Integer(),
  replayed: Type.Boolean({ description: 'True when this is the stored answer to a repeated idempotency key' }),
  created_at: DateTime,
  completed_at: NullableDate,
  approval: Type.Union([ActionApprovalSchema, Type.Null()], { description: 'Set when the action was above the agent’s authority' }),
  playbook: Type.Union([
    Type.Object({ id: Uuid, problem_kind: NullableString, standard: Type.Boolean(), deviation_reason: NullableString }),
    Type.Null(),
  ], { description: 'The playbook it was taken under: its standard remedy, or a deviation with the reason' }),
});

/** What an action gives away as the agent's limits, approvals and budgets count it. */
const PlanValueSchema = Type.Object({
  amount: Type.Object(MoneySchema.properties, { description: 'The value limits, approvals and budgets count; the same figure an approval request would carry' }),
  basis: Type.Union([Type.String(), Type.Null()], { description: 'How it was worked out when it is not the plan’s own amount (“15% of the €120.00 merchandise subtotal of NW-1001”)' }),
  share: Type.Union([
    Type.Object({
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
      of: Type.Object(MoneySchema.properties, { description: 'The merchandise subtotal of the order acted on (items at the prices sold, without shipping)' }),
    }),
    Type.Null(),
  ], { description: 'For a percentage discount code: the percentage and the subtotal it is a share of' }),
});

const PlanSchema = Type.Object({
  action: Type.String(),
  summary: Type.String(),
  effects: Type.Array(Type.String()),
  amount: Type.Object(MoneySchema.properties, { description: 'The plan’s own amount: what is refunded or credited, a fixed discount’s face value, the value of replacements; 0 for a percentage discount code, whose worth is in `value`' }),
  value: Type.Union([PlanValueSchema, Type.Null()], {
    description: 'What this gives away as limits, approvals and budgets count it: for a percentage discount code its worth on this order, otherwise the plan’s amount. '
      + 'Null for actions that give nothing away (cancel, return, note). Not a refund total: do not add it to `amount`.',
  }),
  lines: Type.Array(Type.Object({ line_id: Type.String(), title: Type.String(), sku: NullableString, quantity: Type.Integer(), amount: MoneySchema, replacement_sku: Type.Optional(Type.String()) })),
  shipping: NullableMoney,
  refundable_max: Type.Union([MoneySchema, Type.Null()], { description: 'For refunds: the most that could be refunded' }),
  destination: NullableString,
  price_difference: NullableMoney,
});

/** What an action would do, shown before the agent confirms (dry_run). */
export const OrderActionPreviewSchema = Type.Object({
  dry_run: Type.Literal(true),
  ok: Type.Boolean(),
  store: StoreRefSchema,
  order_number: Type.String(),
  plan: Type.Union([PlanSchema, Type.Null()]),
  refusal: Type.Union([RefusalSchema, Type.Null()]),
  policy: Type.Union([
    Type.Object({
      outcome: Type.String({ description: 'allow, refuse, or needs_approval (confirming sends it to a manager)' }),
      message: Type.Optional(Type.String()),
      clause: Type.Optional(Type.String({ description: 'For a refusal by the store policy: the clause that applies (returns.window, exceptions.final-sale, …)' })),
      notes: Type.Optional(Type.Array(Type.String(), { description: 'Warnings to show before confirming, e.g. a budget passing its threshold' })),
      reasons: Type.Optional(Type.Array(AuthorityReasonSchema)),
    }),
    Type.Null(),
  ]),
  playbook: Type.Union([Type.Object({ id: Uuid, name: Type.String(), standard: Type.Boolean() }), Type.Null()], { description: 'With playbook_id: whether this is its standard remedy' }),
  refundable: RefundableSchema,
});

/** Why the customer gets a remedy, as a fixed code the store policy decides by (labels are the web app's). */
const ReasonCodeSchema = Type.Union(REASON_CODES.map((r) => Type.Literal(r)), {
  description: 'Why, as a code the store policy decides by: defective, damaged (arrived damaged), wrong_item and not_as_described are the store’s fault '
    + '(defective, damaged and wrong_item are covered by the warranty; the policy may waive the restocking fee and return shipping for them); '
    + 'changed_mind is the customer’s choice (return window, fees); price_drop asks for price protection on a refund; late_delivery and other trigger no '
    + 'reason-dependent rule. Send it with every refund, return, exchange, reship, store credit and discount code: without it the policy falls back to '
    + 'recognising English words in `reason` (deprecated).',
});

const FREE_TEXT_REASON = 'The agent’s note, kept with the action (the store may show it to the customer). Deprecated as a policy input: only when '
  + '`reason_code` is absent does the policy look for English words in it (“defective”, “damaged”, “wrong item”, “changed my mind”, “price drop” …).';

const LineParam = Type.Object(
  {
    line_id: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
    reason: Type.Optional(Type.String({ maxLength: 500, description: FREE_TEXT_REASON })),
    reason_code: Type.Optional(Type.Union(REASON_CODES.map((r) => Type.Literal(r)), { description: 'This line’s reason code, when it differs from the action’s `reason_code`' })),
    replacement_sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'exchange: the SKU to send instead' })),
  },
  { additionalProperties: false },
);

/** Parameters of an action; which ones apply depends on the action. */
export const ActionParamsSchema = Type.Object(
  {
    scope: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('lines'), Type.Literal('shipping'), Type.Literal('amount')], { description: 'refund: what it covers' })),
    lines: Type.Optional(Type.Array(LineParam, { minItems: 1, maxItems: 100, description: 'refund (scope lines), create_return, exchange, reship' })),
    include_shipping: Type.Optional(Type.Boolean({ description: 'refund with scope lines: refund shipping too' })),
    amount: Type.Optional(Type.Integer({ minimum: 1, description: 'refund (scope amount), store_credit, discount_code (fixed_amount): minor units of the order’s currency' })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$', description: 'Guard: refused unless it is the order’s currency' })),
    destination: Type.Optional(Type.Union([Type.Literal('original_payment'), Type.Literal('store_credit')], { description: 'refund: where the money goes' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: FREE_TEXT_REASON })),
    reason_code: Type.Optional(ReasonCodeSchema),
    refund_payment: Type.Optional(Type.Boolean({ description: 'cancel: refund what was paid (default true)' })),
    restock: Type.Optional(Type.Boolean({ description: 'cancel: put the items back in stock (default true)' })),
    discount_type: Type.Optional(Type.Union([Type.Literal('percentage'), Type.Literal('fixed_amount'), Type.Literal('free_shipping')])),
    percentage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'discount_code (percentage)' })),
    code: Type.Optional(Type.String({ minLength: 4, maxLength: 32, description: 'discount_code: a code of your choice; generated when absent' })),
    expires_at: Type.Optional(DateTime),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 5000, description: 'add_note' })),
  },
  { additionalProperties: false },
);
export type ActionParams = Static<typeof ActionParamsSchema>;

export const OrderActionBody = Type.Object(
  {
    order_number: Type.String({ minLength: 1, maxLength: 64 }),
    action: Type.Union(ORDER_ACTION_KINDS.map((k) => Type.Literal(k))),
    params: Type.Optional(ActionParamsSchema),
    idempotency_key: Type.Optional(Type.String({ minLength: 8, maxLength: 200, description: 'Required unless dry_run: a new random value (UUID) per intended action; a repeat never acts twice' })),
    dry_run: Type.Optional(Type.Boolean({ description: 'Only show exactly what would happen, with the refundable maximum' })),
    store_id: Type.Optional(Type.String({ format: 'uuid', description: 'The order’s store; the ticket’s store when absent' })),
    playbook_id: Type.Optional(Type.String({ format: 'uuid', description: 'The playbook the agent acts under (from the suggestions)' })),
    deviation_reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Required (422 otherwise) when the action is not one of the playbook’s standard remedies' })),
    request_approval: Type.Optional(Type.Boolean({
      default: true,
      description: 'Above your authority limits: true (default) asks a manager (202 with the approval request); false answers 403 authority_limit_exceeded or budget_exceeded naming the limit',
    })),
  },
  { additionalProperties: false },
);

/** Which parameters each action takes (the rest are refused, so a mistake does not pass silently). */
const ALLOWED: Record<OrderActionKind, readonly (keyof ActionParams)[]> = {
  refund: ['scope', 'lines', 'include_shipping', 'amount', 'currency', 'destination', 'reason', 'reason_code'],
  cancel: ['reason', 'refund_payment', 'restock'],
  create_return: ['lines', 'reason', 'reason_code'],
  exchange: ['lines', 'reason', 'reason_code'],
  reship: ['lines', 'reason', 'reason_code'],
  discount_code: ['discount_type', 'percentage', 'amount', 'currency', 'code', 'expires_at', 'reason', 'reason_code'],
  store_credit: ['amount', 'currency', 'expires_at', 'reason', 'reason_code'],
  add_note: ['note'],
};

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `params.${field} ${message}.`, { errors: [{ field: `params.${field}`, message }] });
}

/** Turns an action's parameters into the domain request, naming the parameter at fault. */
export function actionRequestFromParams(action: OrderActionKind, p: ActionParams): OrderActionRequest {
  for (const key of Object.keys(p) as (keyof ActionParams)[]) {
    if (p[key] !== undefined && !ALLOWED[action].includes(key)) throw invalid(key, `does not apply to ${action}`);
  }
  const lines = p.lines?.map((l) => ({ lineId: l.line_id, quantity: l.quantity, reason: l.reason }));
  const need = <T>(value: T | undefined, field: string, why: string): T => {
    if (value === undefined) throw invalid(field, `is required ${why}`);
    return value;
  };
  switch (action) {
    case 'refund': {
      const scope = need(p.scope, 'scope', 'for a refund (order, lines, shipping or amount)');
      if (scope === 'lines') need(p.lines, 'lines', 'when scope is lines');
      if (scope === 'amount') need(p.amount, 'amount', 'when scope is amount');
      if (scope !== 'lines' && p.lines) throw invalid('lines', 'only applies when scope is lines');
      if (scope !== 'lines' && p.include_shipping !== undefined) throw invalid('include_shipping', 'only applies when scope is lines');
      if (scope !== 'amount' && p.amount !== undefined) throw invalid('amount', 'only applies when scope is amount');
      return { action, scope, lines, includeShipping: p.include_shipping, amount: p.amount, destination: p.destination, reason: p.reason };
    }
    case 'cancel':
      return { action, reason: p.reason, refundPayment: p.refund_payment, restock: p.restock };
    case 'create_return':
    case 'reship':
      if (p.lines?.some((l) => l.replacement_sku !== undefined)) throw invalid('lines.replacement_sku', `does not apply to ${action}`);
      return { action, lines: need(lines, 'lines', `for ${action}`), reason: p.reason };
    case 'exchange': {
      const chosen = need(p.lines, 'lines', 'for an exchange');
      const missing = chosen.findIndex((l) => !l.replacement_sku);
      if (missing >= 0) throw invalid(`lines[${missing}].replacement_sku`, 'is required for an exchange');
      return { action, lines: chosen.map((l) => ({ lineId: l.line_id, quantity: l.quantity, reason: l.reason, replacementSku: l.replacement_sku ?? '' })), reason: p.reason };
    }
    case 'discount_code': {
      const type = need(p.discount_type, 'discount_type', 'for a discount code');
      if (type !== 'percentage' && p.percentage !== undefined) throw invalid('percentage', 'only applies to a percentage discount');
      if (type !== 'fixed_amount' && p.amount !== undefined) throw invalid('amount', 'only applies to a fixed_amount discount');
      const value = type === 'percentage' ? need(p.percentage, 'percentage', 'for a percentage discount') : type === 'fixed_amount' ? need(p.amount, 'amount', 'for a fixed_amount discount') : 0;
      return { action, discountType: type, value, code: p.code, expiresAt: p.expires_at ? new Date(p.expires_at) : null, reason: p.reason };
    }
    case 'store_credit':
      return { action, amount: need(p.amount, 'amount', 'for store credit'), expiresAt: p.expires_at ? new Date(p.expires_at) : null, reason: p.reason };
    case 'add_note':
      return { action, note: need(p.note, 'note', 'for a note') };
  }
}

/**
 * The reason codes of an action's parameters (the action's and each line's), or undefined when
 * none was given: the engine then falls back to the free-text reason (the deprecated path).
 * Call after actionRequestFromParams, which refuses a code on an action that takes none.
 */
export function actionReasonCodesFromParams(p: ActionParams): ReasonCodes | undefined {
  const lines = new Map<string, ReasonCode>();
  for (const l of p.lines ?? []) if (l.reason_code) lines.set(l.line_id, l.reason_code);
  if (!p.reason_code && lines.size === 0) return undefined;
  return { action: p.reason_code ?? null, lines };
}

// --- presenters -----------------------------------------------------------------------------

const iso = (d: Date | null) => d?.toISOString() ?? null;
const m = (amount: number, currency: string): Money => ({ amount, currency });

/** Presents a store reference. */
export function presentStoreRef(s: StoreInfo) {
  return { id: s.id, name: s.name, platform: s.platform, currency: s.currency, timezone: s.timezone };
}

/** Presents a platform's capabilities. */
export function presentCapabilities(c: ConnectorCapabilities) {
  return {
    actions: ORDER_ACTION_KINDS.filter((k) => c.actions[k]),
    refund_scopes: [...c.refundScopes],
    refund_to_store_credit: c.refundToStoreCredit,
    tracking_lookup: c.trackingLookup,
    change_feed: c.changeFeed,
  };
}

/** Presents an order with its state at a glance. */
export function presentOrder(o: StoreOrder, glance: OrderGlance, storeId: string) {
  const c = o.currency;
  const states = lineStates(o);
  const a = o.shippingAddress;
  return {
    number: o.number,
    store_id: storeId,
    external_id: o.externalId,
    admin_url: o.adminUrl,
    status: glance.state,
    status_label: glance.label,
    partially_refunded: glance.partiallyRefunded,
    partially_shipped: glance.partiallyShipped,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    placed_at: o.placedAt.toISOString(),
    cancelled_at: iso(o.cancelledAt),
    cancel_reason: o.cancelReason,
    expected_delivery_at: iso(o.expectedDeliveryAt),
    delivered_at: iso(glance.deliveredAt),
    currency: c,
    taxes_included: o.taxesIncluded,
    subtotal: m(o.subtotal, c),
    discount_total: m(o.discountTotal, c),
    shipping_total: m(o.shippingTotal, c),
    tax_total: m(o.taxTotal, c),
    total: m(o.total, c),
    paid: m(paidAmount(o), c),
    refunded: m(refundedAmount(o), c),
    discount_codes: o.discountCodes,
    shipping_method: o.shippingMethod,
    shipping_address: a ? { name: a.name, line1: a.line1, line2: a.line2, postal_code: a.postalCode, city: a.city, region: a.region, country: a.country, phone: a.phone } : null,
    customer: { external_id: o.customer.externalId, email: o.customer.email, name: o.customer.name },
    item_count: o.lines.reduce((s, l) => s + l.quantity, 0),
    tracking: glance.tracking,
    lines: o.lines.map((l) => {
      const s = states.find((x) => x.line.id === l.id);
      return {
        id: l.id, product_id: l.productId, variant_id: l.variantId, product_title: l.productTitle, variant_title: l.variantTitle, sku: l.sku, quantity: l.quantity,
        unit_price: m(l.unitPrice, c), line_price: m(l.linePrice, c), discount: m(l.discount, c), tax: m(l.tax, c), total: m(l.total, c),
        quantity_shipped: s?.shipped ?? 0, quantity_refunded: s?.refunded ?? 0, quantity_returned: s?.returned ?? 0,
      };
    }),
    payments: o.payments.map((p) => ({ id: p.id, method: p.method, method_detail: p.methodDetail, amount: m(p.amount, c), status: p.status, created_at: p.createdAt.toISOString() })),
    refunds: o.refunds.map((r) => ({
      id: r.id, amount: m(r.amount, c), shipping: m(r.shipping, c), destination: r.destination, reason: r.reason, created_at: r.createdAt.toISOString(),
      lines: r.lines.map((l) => ({ line_id: l.lineId, quantity: l.quantity, amount: m(l.amount, c) })),
    })),
    fulfillments: o.fulfillments.map((f) => ({
      id: f.id, kind: f.kind, status: f.status, carrier: f.carrier, service: f.service, tracking_number: f.trackingNumber, tracking_url: f.trackingUrl,
      shipped_at: iso(f.shippedAt), estimated_delivery_at: iso(f.estimatedDeliveryAt), delivered_at: iso(f.deliveredAt),
      lines: f.lines.map((l) => ({ line_id: l.lineId, sku: l.sku, title: l.title, quantity: l.quantity })),
    })),
    returns: o.returns.map((r) => ({
      id: r.id, number: r.number, kind: r.kind, status: r.status, reason: r.reason, created_at: r.createdAt.toISOString(), received_at: iso(r.receivedAt),
      lines: r.lines.map((l) => ({ line_id: l.lineId, quantity: l.quantity, reason: l.reason, replacement_sku: l.replacementSku })),
    })),
    notes: o.notes.map((n) => ({ body: n.body, author: n.author, created_at: n.createdAt.toISOString() })),
  };
}

/** Presents the refundable maxima. */
export function presentRefundable(r: RefundableSummary, currency: string) {
  return {
    total: m(r.total, currency), shipping: m(r.shipping, currency), paid: m(r.paid, currency), refunded: m(r.refunded, currency),
    lines: r.lines.map((l) => ({ line_id: l.lineId, quantity: l.quantity, amount: m(l.amount, currency) })),
  };
}

function presentStoreCustomer(c: StoreCustomer | null) {
  if (!c) return null;
  return { external_id: c.externalId, email: c.email, phone: c.phone, name: c.name, created_at: iso(c.createdAt), store_credit: c.storeCreditBalance };
}

/** Presents a customer's orders. */
export function presentCustomerOrders(v: CustomerOrders) {
  return {
    store: presentStoreRef(v.store),
    capabilities: presentCapabilities(v.connector.capabilities),
    store_customer: presentStoreCustomer(v.account),
    stats: v.stats
      ? { order_count: v.stats.orderCount, lifetime_value: v.stats.lifetimeValue, first_order_at: iso(v.stats.firstOrderAt), last_order_at: iso(v.stats.lastOrderAt), source: v.stats.source }
      : null,
    items: v.orders.map((o) => presentOrder(o.order, o.glance, v.store.id)),
    next_cursor: v.nextCursor,
  };
}

/** Presents one order in full. */
export function presentOrderDetail(d: OrderDetail) {
  return {
    order: presentOrder(d.order, d.glance, d.store.id),
    store: presentStoreRef(d.store),
    capabilities: presentCapabilities(d.connector.capabilities),
    refundable: presentRefundable(d.refundable, d.order.currency),
    customer: d.customer,
    tickets: d.tickets.map((t) => ({ id: t.id, number: t.number, subject: t.subject, status: t.status, updated_at: t.updated_at.toISOString() })),
  };
}

/** Presents lookup matches. */
export function presentLookupMatch(x: OrderLookupMatch) {
  return { store: presentStoreRef(x.store), matched_by: x.matchedBy, order: presentOrder(x.order, x.glance, x.store.id), customer: x.customer };
}

function presentRefusal(r: Refusal) {
  return r.limit ? { code: r.code, message: r.message, limit: r.limit } : { code: r.code, message: r.message };
}

function presentOutcome(o: ActionOutcome | null) {
  if (!o) return null;
  if (!o.ok) return { ok: false, refusal: presentRefusal(o.refusal) };
  return { ok: true, summary: o.summary, store_reference: o.storeReference, amount: o.amount, details: o.details };
}

/** Presents a recorded action. */
export function presentOrderAction(a: OrderActionRecord) {
  return {
    id: a.id,
    ticket_id: a.ticketId,
    store: { id: a.storeId, name: a.storeName },
    order_number: a.orderNumber,
    action: a.action,
    status: a.status,
    amount: a.amount,
    summary: a.summary,
    store_reference: a.storeReference,
    outcome: presentOutcome(a.outcome),
    effects: a.effects,
    error: a.error,
    actor: a.actor,
    idempotency_key: a.idempotencyKey,
    attempts: a.attempts,
    replayed: a.replayed,
    created_at: a.createdAt.toISOString(),
    completed_at: iso(a.completedAt),
    approval: a.approval ? presentApproval(a.approval) : null,
    playbook: a.playbook ? { id: a.playbook.id, problem_kind: a.playbook.problemKind, standard: a.playbook.standard, deviation_reason: a.playbook.deviationReason } : null,
  };
}

/** Presents a limit or budget passed. */
export function presentReason(r: AuthorityReason) {
  return { kind: r.kind, remedy: r.remedy, period: r.period, limit: r.limit, used: r.used, requested: r.requested, message: r.message };
}

function presentApproval(a: ApprovalSummary) {
  return {
    id: a.id, status: a.status, reasons: a.reasons.map(presentReason), requested_by: a.requestedBy, decided_by: a.decidedBy,
    decision_reason: a.decisionReason, created_at: a.createdAt.toISOString(), decided_at: iso(a.decidedAt),
  };
}

/** Presents what a plan gives away as limits, approvals and budgets count it. */
function presentValue(v: GoodwillValue | null, currency: string) {
  if (!v) return null;
  return { amount: m(v.amount, currency), basis: v.basis, share: v.share ? { percent: v.share.percent, of: m(v.share.of, currency) } : null };
}

function presentPlan(p: ActionPlan, value: GoodwillValue | null) {
  const c = p.currency;
  const base = { action: p.action, summary: p.summary, effects: p.effects, amount: m(p.amount, c), value: presentValue(value, c), lines: [] as { line_id: string; title: string; sku: string | null; quantity: number; amount: Money; replacement_sku?: string }[], shipping: null as Money | null, refundable_max: null as Money | null, destination: null as string | null, price_difference: null as Money | null };
  switch (p.action) {
    case 'refund':
      return { ...base, lines: p.lines.map((l) => ({ line_id: l.lineId, title: l.title, sku: l.sku, quantity: l.quantity, amount: m(l.amount, c) })), shipping: m(p.shipping, c), refundable_max: m(p.refundableMax, c), destination: p.destination };
    case 'create_return':
    case 'reship':
      return { ...base, lines: p.lines.map((l) => ({ line_id: l.lineId, title: l.title, sku: l.sku, quantity: l.quantity, amount: m(l.amount, c) })) };
    case 'exchange':
      return { ...base, lines: p.lines.map((l) => ({ line_id: l.lineId, title: l.title, sku: l.sku, quantity: l.quantity, amount: m(l.amount, c), replacement_sku: l.replacement.sku })), price_difference: m(p.priceDifference, c) };
    default:
      return base;
  }
}

function presentPolicy(p: PolicyDecision | null) {
  if (!p) return null;
  switch (p.outcome) {
    case 'refuse':
      return { outcome: 'refuse', message: p.message, ...(p.clause ? { clause: p.clause } : {}) };
    case 'needs_approval':
      return { outcome: 'needs_approval', message: p.message, reasons: p.reasons.map(presentReason), ...(p.notes?.length ? { notes: p.notes } : {}) };
    default:
      return p.notes?.length ? { outcome: 'allow', notes: p.notes } : { outcome: 'allow' };
  }
}

/** Presents a preview (dry run). */
export function presentPreview(p: OrderActionPreview) {
  return {
    dry_run: true as const,
    ok: p.result.ok && p.policy?.outcome !== 'refuse',
    store: presentStoreRef(p.store),
    order_number: p.order.number,
    plan: p.result.ok ? presentPlan(p.result.plan, p.value) : null,
    refusal: !p.result.ok ? presentRefusal(p.result.refusal) : p.policy?.outcome === 'refuse' ? { code: 'policy', message: p.policy.message } : null,
    policy: presentPolicy(p.policy),
    playbook: p.playbook,
    refundable: presentRefundable(p.refundable, p.order.currency),
  };
}
