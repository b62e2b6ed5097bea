/**
 * The Vendure connector: reads customers and orders through Vendure's Admin GraphQL API, acts on
 * orders with its mutations (refundOrder, cancelOrder, addNoteToOrder, createPromotion), and
 * polls orders changed since a cursor for the change feed (Vendure sends no webhooks by default).
 *
 * Every action re-reads the order from Vendure and re-plans it first, so a stale preview is
 * refused instead of executed. Vendure has no idempotency keys, so the key travels in a text
 * Vendure keeps with what was done (the refund's reason, the cancellation's reason, the note,
 * the promotion's name) and is looked for before acting: a retry after a lost answer finds the
 * refund it made instead of refunding twice. Returns, exchanges, reships and store credit are
 * not offered: Vendure's core has no RMAs, free replacement orders or store credit.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Ctx } from '../../../../shared/context.ts';
import { formatMoney } from '../../money.ts';
import { planAction } from '../action-planner.ts';
import {
  StoreUnavailableError, refuse, type ActionOptions, type ActionOutcome, type ActionPlan, type ConnectorCapabilities, type CustomerLookup,
  type OrderChangeEvent, type OrderPage, type PlatformDescriptor, type StoreConnector, type StoreCredentials, type StoreCustomer, type StoreInfo,
  type StoreOrder, type StoreVariant, type TrackingMatch,
} from '../connector.ts';
import { paymentLabel, refundableAmount } from '../order-math.ts';
import { VendureApiError, createVendureClient, type VendureAuth, type VendureClient } from './vendure.client.ts';
import { hasMarker, idempotencyMarker, orderChangeEvents, toStoreOrder, variantTitleOf, type VendureMappingContext } from './vendure.mapping.ts';
import {
  CHANNEL_FACTS_QUERY, CUSTOMER_FIELDS, ORDER_FIELDS, VendureChannelFacts, VendureCustomer, VendureErrorResult, VendureOrder, VendureOrderList, VendureVariant,
} from './vendure.schema.ts';
import { createTurnTaking, generateCustomerCode, hostOf } from '../remote.ts';

/** What an admin fills in to connect a Vendure store. */
export const VENDURE_PLATFORM: PlatformDescriptor = {
  platform: 'vendure',
  name: 'Vendure',
  settings: [
    { key: 'api_url', label: 'Admin API URL', kind: 'url', required: true, help: 'The Admin GraphQL API, e.g. https://shop.example.com/admin-api.' },
    { key: 'channel_token', label: 'Channel token', kind: 'text', required: false, help: 'Only for stores with several channels: the token of the channel to serve (Settings → Channels).' },
  ],
  credentials: [
    { key: 'username', label: 'Administrator username', kind: 'text', required: false, help: 'An administrator with the order, customer and promotion permissions.' },
    { key: 'password', label: 'Administrator password', kind: 'secret', required: false },
    { key: 'api_key', label: 'API key', kind: 'secret', required: false, help: 'Instead of a username and password (Vendure 3.6 and later: Settings → API keys).' },
  ],
};

/** What Vendure's core can do through storedesk. */
export const VENDURE_CAPABILITIES: ConnectorCapabilities = {
  customerLookup: ['email', 'phone', 'external_id'],
  actions: { refund: true, cancel: true, create_return: false, exchange: false, reship: false, discount_code: true, store_credit: false, add_note: true },
  refundScopes: ['order', 'lines', 'shipping', 'amount'],
  refundToStoreCredit: false,
  trackingLookup: false,
  changeFeed: 'poll',
  idempotency: 'emulated',
};

/** Options for tests and tools. */
export interface VendureConnectorOptions {
  /** Per request to Vendure (default 15 s). */
  timeoutMs?: number;
}

const CHANNEL_FACTS_TTL_MS = 10 * 60_000;
/** How far back the first poll of a newly connected store looks. */
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;
const POLL_PAGE = 50;

/** A mutation's result: what it made, or one of Vendure's ErrorResults. */
const resultOf = <T extends TSchema>(success: T) =>
  Type.Union([success, Type.Intersect([VendureErrorResult, Type.Object({ maximumRefundable: Type.Optional(Type.Integer()) })])]);

/** True when a mutation answered an ErrorResult. */
function isErrorResult(value: object): value is Static<typeof VendureErrorResult> & { maximumRefundable?: number } {
  return 'errorCode' in value && typeof value.errorCode === 'string';
}

/** The sign-in the credentials describe, or null when they name none. */
function authFrom(credentials: StoreCredentials): VendureAuth | null {
  const apiKey = credentials.api_key?.trim();
  if (apiKey) return { kind: 'api_key', apiKey };
  const username = credentials.username?.trim();
  const password = credentials.password;
  if (username && password) return { kind: 'password', username, password };
  return null;
}

/** A string setting, trimmed; null when missing. */
function setting(store: StoreInfo, key: string): string | null {
  const value = store.settings[key];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** Builds the Vendure connector for a store from its settings and decrypted credentials. */
export function createVendureConnector(store: StoreInfo, credentials: StoreCredentials, options: VendureConnectorOptions = {}): StoreConnector {
  const apiUrl = setting(store, 'api_url');
  const auth = authFrom(credentials);
  const client: VendureClient | null = apiUrl && auth
    ? createVendureClient({ apiUrl, channelToken: setting(store, 'channel_token'), auth, timeoutMs: options.timeoutMs })
    : null;
  let facts: { at: number; value: Promise<VendureChannelFacts> } | null = null;
  const oneAtATime = createTurnTaking<ActionOutcome>();
  const money = (amount: number, currency: string) => formatMoney(amount, currency);

  function api(): VendureClient {
    if (client) return client;
    throw new StoreUnavailableError(!apiUrl
      ? 'no Admin API URL is set for this Vendure store; an admin can add it in Settings → Stores'
      : 'no Vendure username and password (or API key) are saved for this store; an admin can enter them in Settings → Stores');
  }

  /** A read: Vendure's GraphQL errors on a read mean the store answered something unusable. */
  async function read<S extends TSchema>(document: string, variables: Record<string, unknown>, schema: S): Promise<Static<S>> {
    try {
      return await api().request(document, variables, schema);
    } catch (err) {
      if (err instanceof VendureApiError) throw new StoreUnavailableError(`Vendure could not answer a read: ${err.message}`, { cause: err });
      throw err;
    }
  }

  async function channelFacts(): Promise<VendureChannelFacts> {
    if (facts && Date.now() - facts.at < CHANNEL_FACTS_TTL_MS) return facts.value;
    const value = read(CHANNEL_FACTS_QUERY, {}, VendureChannelFacts);
    const entry = { at: Date.now(), value };
    facts = entry;
    value.catch(() => {
      if (facts === entry) facts = null;
    });
    return value;
  }

  async function mappingContext(): Promise<VendureMappingContext> {
    const f = await channelFacts();
    return { taxesIncluded: f.activeChannel.pricesIncludeTax, paymentMethodNames: new Map(f.paymentMethods.items.map((m) => [m.code, m.name])) };
  }

  /** A placed order by its code, straight from Vendure. */
  async function fetchOrder(code: string): Promise<VendureOrder | null> {
    const query = `query StoredeskOrder($code: String!) {
      orders(options: { take: 1, filter: { code: { eq: $code }, orderPlacedAt: { isNull: false } } }) { totalItems items { ${ORDER_FIELDS} } }
    }`;
    const data = await read(query, { code }, Type.Object({ orders: VendureOrderList }));
    return data.orders.items.find((o) => o.code === code) ?? null;
  }

  async function findOrderByNumber(number: string): Promise<VendureOrder | null> {
    const code = number.trim().replace(/^#/, '');
    if (!code) return null;
    const exact = await fetchOrder(code);
    if (exact || code.toUpperCase() === code) return exact;
    return fetchOrder(code.toUpperCase());
  }

  function toCustomer(c: VendureCustomer): StoreCustomer {
    return {
      externalId: c.id, email: c.emailAddress, phone: c.phoneNumber || null, name: `${c.firstName} ${c.lastName}`.trim() || null,
      createdAt: new Date(c.createdAt), stats: null, storeCreditBalance: null,
    };
  }

  async function customersWhere(filter: Record<string, unknown>, take: number): Promise<VendureCustomer[]> {
    const query = `query StoredeskCustomers($filter: CustomerFilterParameter, $take: Int) {
      customers(options: { filter: $filter, take: $take, sort: { createdAt: ASC } }) { items { ${CUSTOMER_FIELDS} } }
    }`;
    const data = await read(query, { filter, take }, Type.Object({ customers: Type.Object({ items: Type.Array(VendureCustomer) }) }));
    return data.customers.items;
  }

  async function findCustomer(lookup: CustomerLookup): Promise<StoreCustomer | null> {
    if (lookup.by === 'external_id') {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(lookup.externalId)) return null;
      const data = await read(`query StoredeskCustomer($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`, { id: lookup.externalId },
        Type.Object({ customer: Type.Union([VendureCustomer, Type.Null()]) }));
      return data.customer ? toCustomer(data.customer) : null;
    }
    if (lookup.by === 'email') {
      const email = lookup.email.trim().toLowerCase();
      if (!email) return null;
      // Vendure keeps addresses as they were typed; `eq` is exact, `contains` ignores case.
      const exact = await customersWhere({ emailAddress: { eq: email } }, 1);
      const found = exact[0] ?? (await customersWhere({ emailAddress: { contains: email } }, 20)).find((c) => c.emailAddress.trim().toLowerCase() === email);
      return found ? toCustomer(found) : null;
    }
    const digits = lookup.phone.replace(/\D/g, '');
    if (digits.length < 6) return null;
    const tail = digits.slice(-9);
    const candidates = await customersWhere({ phoneNumber: { contains: tail } }, 20);
    const found = candidates.find((c) => (c.phoneNumber ?? '').replace(/\D/g, '').endsWith(tail));
    return found ? toCustomer(found) : null;
  }

  /** Offset cursors: Vendure lists take skip/take. */
  function decodeSkip(cursor: string | undefined): number {
    if (!cursor) return 0;
    const n = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^skip:/, ''));
    return Number.isInteger(n) && n >= 0 ? n : 0;
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  type Done = { ok: true; outcome: ActionOutcome } | { ok: false };

  /** What a key already did on this order (a retry after a lost answer), if anything. */
  function findDone(raw: VendureOrder, order: StoreOrder, plan: ActionPlan, key: string): Done {
    const refunds = (raw.payments ?? []).flatMap((p) => p.refunds).filter((r) => r.state !== 'Failed' && hasMarker(r.reason, key));
    const replay = (summary: string, storeReference: string | null, amount: number | null, details: Record<string, unknown>): Done => ({
      ok: true,
      outcome: { ok: true, action: plan.action, summary, storeReference, amount: amount === null ? null : { amount, currency: order.currency }, details: { ...details, replayed: true } },
    });
    switch (plan.action) {
      case 'refund': {
        const r = refunds[0];
        if (!r) return { ok: false };
        return replay(plan.summary.replace(/^Refund /, 'Refunded '), r.id, r.total, { refund_id: r.id, refund_state: r.state, payment: paymentLabel(order) });
      }
      case 'cancel': {
        const cancelled = raw.history.items.some((e) => e.type === 'ORDER_CANCELLATION' && hasMarker(JSON.stringify(e.data), key));
        if (!cancelled) return { ok: false };
        // A cancel whose refund did not happen yet is finished by the caller, not replayed.
        const r = refunds[0];
        if (plan.refundAmount > 0 && !r) return { ok: false };
        return replay(r ? `Cancelled ${order.number} and refunded ${money(r.total, order.currency)} to ${paymentLabel(order)}` : `Cancelled ${order.number}`,
          order.number, r ? r.total : null, { refund_id: r?.id ?? null });
      }
      case 'add_note': {
        const noted = raw.history.items.some((e) => e.type === 'ORDER_NOTE' && hasMarker(JSON.stringify(e.data), key));
        return noted ? replay(`Note added to ${order.number}`, null, null, {}) : { ok: false };
      }
      default:
        return { ok: false };
    }
  }

  /** Refunds on the payment with the most left; Vendure refunds one payment per call. */
  async function refund(raw: VendureOrder, input: { amount: number; shipping: number; lines: { lineId: string; quantity: number }[]; reason: string }): Promise<
    { ok: true; id: string; total: number; state: string } | { ok: false; refusal: ActionOutcome }
  > {
    const payments = (raw.payments ?? []).filter((p) => p.state === 'Settled').map((p) => ({
      id: p.id, left: p.amount - p.refunds.filter((r) => r.state !== 'Failed').reduce((s, r) => s + r.total, 0),
    })).sort((a, b) => b.left - a.left);
    const payment = payments[0];
    if (!payment || payment.left <= 0) return { ok: false, refusal: refuse('nothing_to_refund', `${raw.code} has no settled payment left to refund in Vendure.`) };
    if (payment.left < input.amount) {
      return { ok: false, refusal: refuse('exceeds_refundable', `Vendure refunds one payment at a time; the largest payment on ${raw.code} has ${money(payment.left, raw.currencyCode)} left. Refund at most that, then the rest.`, { amount: payment.left, currency: raw.currencyCode }) };
    }
    const mutation = `mutation StoredeskRefund($input: RefundOrderInput!) {
      refundOrder(input: $input) {
        __typename
        ... on Refund { id total state }
        ... on ErrorResult { errorCode message }
        ... on RefundAmountError { maximumRefundable }
      }
    }`;
    const data = await api().request(mutation, {
      input: {
        paymentId: payment.id,
        amount: input.amount,
        // Vendure 3.7 fails without these beside `amount`; they also record what was refunded.
        shipping: input.shipping,
        adjustment: 0,
        lines: input.lines.map((l) => ({ orderLineId: l.lineId, quantity: l.quantity })),
        reason: input.reason,
      },
    }, Type.Object({ refundOrder: resultOf(Type.Object({ __typename: Type.Literal('Refund'), id: Type.String(), total: Type.Integer(), state: Type.String() })) }));
    const result = data.refundOrder;
    if (isErrorResult(result)) {
      if (result.errorCode === 'REFUND_AMOUNT_ERROR') {
        const max = result.maximumRefundable ?? 0;
        return { ok: false, refusal: refuse('exceeds_refundable', `Vendure can refund at most ${money(max, raw.currencyCode)} on this payment of ${raw.code}.`, { amount: max, currency: raw.currencyCode }) };
      }
      if (result.errorCode === 'NOTHING_TO_REFUND_ERROR' || result.errorCode === 'ALREADY_REFUNDED_ERROR') {
        return { ok: false, refusal: refuse('nothing_to_refund', `Vendure says there is nothing left to refund on ${raw.code} (${result.message}).`) };
      }
      if (result.errorCode === 'REFUND_ORDER_STATE_ERROR') {
        return { ok: false, refusal: refuse('not_paid', `Vendure cannot refund ${raw.code} in its current state (${raw.state}): ${result.message}`) };
      }
      return { ok: false, refusal: refuse('store_refused', `Vendure refused the refund on ${raw.code}: ${result.message}`) };
    }
    if (!('id' in result)) throw new StoreUnavailableError('Vendure answered refundOrder without a refund');
    return { ok: true, id: result.id, total: result.total, state: result.state };
  }

  /** The text Vendure keeps with an action: the reason, who asked, and the key's marker. */
  function recordText(reason: string | null, actorName: string, key: string): string {
    return `${reason ? `${reason} — ` : ''}${actorName} via storedesk ${idempotencyMarker(key)}`;
  }

  async function execute(raw: VendureOrder, order: StoreOrder, plan: ActionPlan, opts: ActionOptions, resumeCancel: boolean): Promise<ActionOutcome> {
    const key = opts.idempotencyKey;
    const ok = (summary: string, storeReference: string | null, amount: number | null, details: Record<string, unknown> = {}): ActionOutcome => ({
      ok: true, action: plan.action, summary, storeReference, amount: amount === null ? null : { amount, currency: order.currency }, details,
    });
    switch (plan.action) {
      case 'refund': {
        const done = await refund(raw, { amount: plan.amount, shipping: plan.shipping, lines: plan.lines, reason: recordText(plan.reason, opts.actorName, key) });
        if (!done.ok) return done.refusal;
        return ok(plan.summary.replace(/^Refund /, 'Refunded '), done.id, done.total, { refund_id: done.id, refund_state: done.state, payment: paymentLabel(order) });
      }
      case 'cancel': {
        if (!resumeCancel) {
          const cancelled = await api().request(`mutation StoredeskCancel($input: CancelOrderInput!) {
            cancelOrder(input: $input) { __typename ... on Order { id state } ... on ErrorResult { errorCode message } }
          }`, { input: { orderId: raw.id, reason: recordText(plan.reason, opts.actorName, key), cancelShipping: true } },
          Type.Object({ cancelOrder: resultOf(Type.Object({ __typename: Type.Literal('Order'), id: Type.String(), state: Type.String() })) }));
          if (isErrorResult(cancelled.cancelOrder)) return refuse('store_refused', `Vendure refused to cancel ${order.number}: ${cancelled.cancelOrder.message}`);
          // Vendure's cancelOrder leaves an authorized payment authorized: release it.
          for (const p of (raw.payments ?? []).filter((x) => x.state === 'Authorized')) {
            await api().request(`mutation StoredeskVoid($id: ID!) { cancelPayment(id: $id) { __typename ... on Payment { id state } ... on ErrorResult { errorCode message } } }`,
              { id: p.id }, Type.Object({ cancelPayment: resultOf(Type.Object({ __typename: Type.Literal('Payment'), id: Type.String(), state: Type.String() })) }));
          }
        }
        let refundId: string | null = null;
        let refunded = 0;
        const amount = Math.min(plan.refundAmount, refundableAmount(order));
        if (amount > 0) {
          const everything = planAction(order, { action: 'refund', scope: 'order' }, { platform: 'vendure', capabilities: VENDURE_CAPABILITIES });
          const split = everything.ok && everything.plan.action === 'refund' ? everything.plan : null;
          const done = await refund(raw, { amount, shipping: split?.shipping ?? 0, lines: split?.lines ?? [], reason: recordText(plan.reason ?? 'Order cancelled', opts.actorName, key) });
          if (!done.ok) {
            const why = done.refusal.ok ? '' : done.refusal.refusal.message;
            return refuse('store_refused', `${order.number} is cancelled in Vendure, but the refund was refused: ${why} Refund it separately.`);
          }
          refundId = done.id;
          refunded = done.total;
        }
        const summary = refunded ? `Cancelled ${order.number} and refunded ${money(refunded, order.currency)} to ${paymentLabel(order)}` : `Cancelled ${order.number}`;
        return ok(summary, order.number, refunded || null, { refund_id: refundId, voided: plan.voidAmount, restocked: true });
      }
      case 'add_note': {
        await api().request(`mutation StoredeskNote($input: AddNoteToOrderInput!) { addNoteToOrder(input: $input) { id } }`,
          { input: { id: raw.id, note: `${plan.note}\n\n— ${recordText(null, opts.actorName, key)}`, isPublic: false } }, Type.Object({ addNoteToOrder: Type.Object({ id: Type.String() }) }));
        return ok(`Note added to ${order.number}`, null, null);
      }
      case 'discount_code':
        return createDiscount(order, plan, opts);
      default:
        return refuse('unsupported', `Vendure cannot do “${plan.action}” through storedesk.`);
    }
  }

  const PromotionList = Type.Object({ promotions: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), couponCode: Type.Union([Type.String(), Type.Null()]), name: Type.String() })) }) });

  async function promotionsWhere(filter: Record<string, unknown>) {
    const data = await api().request(`query StoredeskPromotions($filter: PromotionFilterParameter) { promotions(options: { filter: $filter, take: 5 }) { items { id couponCode name } } }`,
      { filter }, PromotionList);
    return data.promotions.items;
  }

  async function createDiscount(order: StoreOrder, plan: Extract<ActionPlan, { action: 'discount_code' }>, opts: ActionOptions): Promise<ActionOutcome> {
    const marker = idempotencyMarker(opts.idempotencyKey);
    const what = plan.discountType === 'percentage' ? `${plan.value}% off` : plan.discountType === 'fixed_amount' ? `${money(plan.value, order.currency)} off` : 'free shipping';
    const made = (await promotionsWhere({ name: { contains: marker } })).find((p) => p.name.includes(marker) && p.couponCode);
    if (made?.couponCode) {
      return { ok: true, action: 'discount_code', summary: `Discount code ${made.couponCode} created: ${what}, single use`, storeReference: made.couponCode, amount: plan.amount ? { amount: plan.amount, currency: order.currency } : null, details: { code: made.couponCode, promotion_id: made.id, replayed: true } };
    }
    let code = plan.code;
    if (code && (await promotionsWhere({ couponCode: { eq: code } })).length) return refuse('code_taken', `The discount code ${code} exists already in Vendure; choose another or let the store make one.`);
    for (let attempt = 0; !code && attempt < 5; attempt++) {
      const candidate = generateCustomerCode('SORRY');
      if (!(await promotionsWhere({ couponCode: { eq: candidate } })).length) code = candidate;
    }
    if (!code) return refuse('store_refused', 'Vendure could not make a unique code; try again.');
    const action = plan.discountType === 'percentage'
      ? { code: 'order_percentage_discount', arguments: [{ name: 'discount', value: String(plan.value) }] }
      : plan.discountType === 'fixed_amount'
        ? { code: 'order_fixed_discount', arguments: [{ name: 'discount', value: String(plan.value) }] }
        : { code: 'free_shipping', arguments: [] };
    const who = order.customer.email ?? order.customer.name ?? 'the customer';
    const data = await api().request(`mutation StoredeskPromotion($input: CreatePromotionInput!) {
      createPromotion(input: $input) { __typename ... on Promotion { id couponCode } ... on ErrorResult { errorCode message } }
    }`, {
      input: {
        enabled: true, couponCode: code, usageLimit: 1, perCustomerUsageLimit: 1, endsAt: plan.expiresAt ? plan.expiresAt.toISOString() : null,
        conditions: [], actions: [action],
        translations: [{ languageCode: 'en', name: `${order.number}: ${what} for ${who} ${marker}`, description: recordText(plan.reason, opts.actorName, opts.idempotencyKey) }],
      },
    }, Type.Object({ createPromotion: resultOf(Type.Object({ __typename: Type.Literal('Promotion'), id: Type.String(), couponCode: Type.Union([Type.String(), Type.Null()]) })) }));
    const result = data.createPromotion;
    if (isErrorResult(result)) return refuse('store_refused', `Vendure refused the discount code: ${result.message}`);
    const couponCode = 'couponCode' in result && result.couponCode ? result.couponCode : code;
    return {
      ok: true, action: 'discount_code', summary: `Discount code ${couponCode} created: ${what}, single use`, storeReference: couponCode,
      amount: plan.amount ? { amount: plan.amount, currency: order.currency } : null, details: { code: couponCode, promotion_id: 'id' in result ? result.id : null },
    };
  }

  async function perform(plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
    if (!VENDURE_CAPABILITIES.actions[plan.action]) return refuse('unsupported', `Vendure cannot do “${plan.action}” through storedesk.`);
    const raw = await findOrderByNumber(plan.orderNumber);
    if (!raw) return refuse('store_refused', `Vendure has no order ${plan.orderNumber}.`);
    const fresh = toStoreOrder(raw, await mappingContext());
    const done = findDone(raw, fresh, plan, opts.idempotencyKey);
    if (done.ok) return done.outcome;
    // A cancel that went through before its refund did (a lost answer): finish the refund.
    if (plan.action === 'cancel' && raw.history.items.some((e) => e.type === 'ORDER_CANCELLATION' && hasMarker(JSON.stringify(e.data), opts.idempotencyKey))) {
      try {
        return await execute(raw, fresh, plan, opts, true);
      } catch (err) {
        if (err instanceof VendureApiError) return refuse('store_refused', `Vendure refused: ${err.message}`);
        throw err;
      }
    }
    const replanned = planAction(fresh, plan.request, { platform: 'vendure', capabilities: VENDURE_CAPABILITIES, timeZone: store.timezone });
    if (!replanned.ok) return replanned;
    if (replanned.plan.amount !== plan.amount) {
      return refuse('order_changed', `${plan.orderNumber} changed since the preview: this would now be ${money(replanned.plan.amount, fresh.currency)} instead of ${money(plan.amount, fresh.currency)}. Look at the order again and retry.`);
    }
    try {
      return await execute(raw, fresh, replanned.plan, opts, false);
    } catch (err) {
      if (err instanceof VendureApiError) return refuse('store_refused', `Vendure refused: ${err.message}`);
      throw err;
    }
  }

  return {
    platform: 'vendure',
    capabilities: VENDURE_CAPABILITIES,

    async findCustomer(_ctx: Ctx, lookup: CustomerLookup): Promise<StoreCustomer | null> {
      return findCustomer(lookup);
    },

    async listCustomerOrders(_ctx: Ctx, customerExternalId: string, page: { cursor?: string | undefined; limit: number }): Promise<OrderPage> {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(customerExternalId)) return { orders: [], nextCursor: null };
      const skip = decodeSkip(page.cursor);
      const limit = Math.max(1, Math.min(page.limit, 100));
      const query = `query StoredeskCustomerOrders($id: ID!, $skip: Int, $take: Int) {
        customer(id: $id) {
          orders(options: { skip: $skip, take: $take, sort: { orderPlacedAt: DESC }, filter: { orderPlacedAt: { isNull: false } } }) { totalItems items { ${ORDER_FIELDS} } }
        }
      }`;
      const [data, mc] = await Promise.all([
        read(query, { id: customerExternalId, skip, take: limit }, Type.Object({ customer: Type.Union([Type.Object({ orders: VendureOrderList }), Type.Null()]) })),
        mappingContext(),
      ]);
      if (!data.customer) return { orders: [], nextCursor: null };
      const { items, totalItems } = data.customer.orders;
      const next = skip + items.length;
      return {
        orders: items.map((o) => toStoreOrder(o, mc)),
        nextCursor: items.length > 0 && next < totalItems ? Buffer.from(`skip:${next}`).toString('base64url') : null,
      };
    },

    async getOrder(_ctx: Ctx, orderNumber: string): Promise<StoreOrder | null> {
      const [raw, mc] = await Promise.all([findOrderByNumber(orderNumber), mappingContext()]);
      return raw ? toStoreOrder(raw, mc) : null;
    },

    async findOrdersByTracking(_ctx: Ctx, _trackingNumbers: readonly string[]): Promise<TrackingMatch[]> {
      // Vendure's order list cannot be filtered by a fulfilment's tracking code.
      return [];
    },

    async findVariants(_ctx: Ctx, skus: readonly string[]): Promise<StoreVariant[]> {
      const wanted = [...new Set(skus.map((s) => s.trim()).filter(Boolean))];
      if (wanted.length === 0) return [];
      const [data, f] = await Promise.all([
        read(`query StoredeskVariants($skus: [String!]!, $take: Int) {
          productVariants(options: { take: $take, filter: { sku: { in: $skus } } }) {
            items { id sku name price priceWithTax currencyCode trackInventory stockOnHand stockAllocated product { id name } }
          }
        }`, { skus: wanted, take: Math.min(100, wanted.length * 2) }, Type.Object({ productVariants: Type.Object({ items: Type.Array(VendureVariant) }) })),
        channelFacts(),
      ]);
      return data.productVariants.items.filter((v) => wanted.includes(v.sku)).map((v) => {
        const tracked = v.trackInventory === 'TRUE' || (v.trackInventory === 'INHERIT' && f.globalSettings.trackInventory);
        return {
          id: v.id, sku: v.sku, productTitle: v.product.name, variantTitle: variantTitleOf(v.name, v.product.name),
          price: f.activeChannel.pricesIncludeTax ? v.priceWithTax : v.price, currency: v.currencyCode,
          available: tracked ? Math.max(0, v.stockOnHand - v.stockAllocated) : null,
        };
      });
    },

    async perform(_ctx: Ctx, _order: StoreOrder, plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
      // One action at a time per order in this process: the order's record of actions is read,
      // changed and written back, so two at once could lose one of them (and with it the proof
      // that a retry must not act again); a double click waits and then finds what the first did.
      return oneAtATime(plan.orderNumber, () => perform(plan, opts));
    },

    async pollChanges(_ctx: Ctx, cursor: string | null): Promise<{ events: OrderChangeEvent[]; cursor: string | null }> {
      const parsed = cursor ? Date.parse(cursor) : Number.NaN;
      const since = Number.isNaN(parsed) ? new Date(Date.now() - FIRST_POLL_LOOKBACK_MS) : new Date(parsed);
      const query = `query StoredeskChanged($after: DateTime!, $take: Int) {
        orders(options: { take: $take, sort: { updatedAt: ASC }, filter: { updatedAt: { after: $after }, orderPlacedAt: { isNull: false } } }) { totalItems items { ${ORDER_FIELDS} } }
      }`;
      const [data, mc] = await Promise.all([read(query, { after: since.toISOString(), take: POLL_PAGE }, Type.Object({ orders: VendureOrderList })), mappingContext()]);
      const events = data.orders.items.flatMap((o) => orderChangeEvents(o, toStoreOrder(o, mc)));
      // Vendure keeps microseconds, the API answers milliseconds: an order changed within the last
      // millisecond is read again next time, and its events are dropped as repeats by source id.
      const last = data.orders.items.at(-1);
      return { events, cursor: last ? last.updatedAt : since.toISOString() };
    },

    async checkConnection(_ctx: Ctx): Promise<string> {
      facts = null;
      const f = await channelFacts();
      await read(`query StoredeskCheck { orders(options: { take: 1 }) { totalItems } }`, {}, Type.Object({ orders: Type.Object({ totalItems: Type.Integer() }) }));
      const c = f.activeChannel;
      return `Vendure at ${hostOf(api().apiUrl)}, channel ${c.code} (${c.defaultCurrencyCode}, prices ${c.pricesIncludeTax ? 'include' : 'exclude'} tax)`;
    },
  };
}
