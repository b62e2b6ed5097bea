/**
 * The Medusa v2 connector: reads customers and orders through Medusa's Admin REST API, acts on
 * orders with it (payment refunds, order cancellation, returns, promotions, notes kept in the
 * order's metadata), and polls orders changed since a cursor for the change feed (Medusa sends
 * events to webhooks only through custom subscribers, so polling is the feed).
 *
 * Every action re-reads the order from Medusa and re-plans it first, so a stale preview is
 * refused instead of executed. Medusa honours no idempotency keys, so storedesk records each key
 * on the order (metadata `storedesk_actions`) before acting and tags what it creates with the key
 * (the refund's note, the return's metadata, the promotion's code): a retry after a lost answer
 * finds what the first attempt did instead of doing it twice. Exchanges, free reships and store
 * credit are not offered: Medusa's exchanges and claims need order-change flows storedesk does
 * not drive yet, and Medusa has no store credit.
 */
import type { Ctx } from '../../../../shared/context.ts';
import { formatMoney, toDecimalString } from '../../money.ts';
import { planAction } from '../action-planner.ts';
import {
  StoreUnavailableError, refuse, type ActionOptions, type ActionOutcome, type ActionPlan, type ActionSuccess, type ConnectorCapabilities, type CustomerLookup,
  type OrderChangeEvent, type OrderPage, type PlatformDescriptor, type StoreConnector, type StoreCredentials, type StoreCustomer, type StoreInfo,
  type StoreOrder, type StoreVariant, type TrackingMatch,
} from '../connector.ts';
import { paymentLabel, refundableAmount } from '../order-math.ts';
import { MedusaApiError, createMedusaClient, type MedusaAuth, type MedusaClient } from './medusa.client.ts';
import {
  META_ACTIONS, META_NOTES, META_REFUNDS, actionRecords, displayIdOf, idempotencyTag, medusaMinor, noteRecords, orderChangeEvents, refundRecords,
  toStoreOrder, type ActionRecord, type MedusaMappingContext, type RefundRecord,
} from './medusa.mapping.ts';
import {
  AnyObject, CUSTOMER_FIELDS, MedusaCustomerList, MedusaCustomerOne, MedusaOrderHits, MedusaOrderList, MedusaOrderOne, MedusaPromotionList, MedusaPromotionOne,
  MedusaReturnHits, MedusaReturnOne, MedusaStoreList, MedusaVariantList, ORDER_FIELDS, type MedusaCustomer, type MedusaOrder,
} from './medusa.schema.ts';
import { createTurnTaking, generateCustomerCode } from '../remote.ts';

/** What an admin fills in to connect a Medusa store. */
export const MEDUSA_PLATFORM: PlatformDescriptor = {
  platform: 'medusa',
  name: 'Medusa',
  settings: [
    { key: 'api_url', label: 'Medusa server URL', kind: 'url', required: true, help: 'The address of the Medusa server (not the storefront), e.g. https://api.shop.example.com.' },
  ],
  credentials: [
    { key: 'api_key', label: 'Secret API key', kind: 'secret', required: false, help: 'Settings → Secret API Keys in Medusa’s admin (starts with sk_).' },
    { key: 'email', label: 'Admin email', kind: 'text', required: false, help: 'Instead of a secret API key: an admin user’s email and password.' },
    { key: 'password', label: 'Admin password', kind: 'secret', required: false },
  ],
};

/** What Medusa can do through storedesk. */
export const MEDUSA_CAPABILITIES: ConnectorCapabilities = {
  customerLookup: ['email', 'phone', 'external_id'],
  actions: { refund: true, cancel: true, create_return: true, exchange: false, reship: false, discount_code: true, store_credit: false, add_note: true },
  refundScopes: ['order', 'lines', 'shipping', 'amount'],
  refundToStoreCredit: false,
  trackingLookup: false,
  changeFeed: 'poll',
  idempotency: 'emulated',
};

/** Options for tests and tools. */
export interface MedusaConnectorOptions {
  /** Per request to Medusa (default 15 s). */
  timeoutMs?: number;
}

/** How far back the first poll of a newly connected store looks. */
const FIRST_POLL_LOOKBACK_MS = 24 * 3600_000;
const POLL_PAGE = 50;
/** Hits read per page when looking an order number up. */
const SEARCH_PAGE = 100;
/** Idempotency records kept per order (the oldest finished ones go first). */
const MAX_ACTION_RECORDS = 100;

/** The sign-in a store's credentials allow. */
function authOf(credentials: StoreCredentials): MedusaAuth | null {
  const apiKey = credentials.api_key?.trim();
  if (apiKey) return { kind: 'api_key', apiKey };
  const email = credentials.email?.trim();
  const password = credentials.password;
  if (email && password) return { kind: 'password', email, password };
  return null;
}

/** Digits (and a leading +) of a phone number, for comparing. */
function normalizePhone(phone: string): string {
  const t = phone.trim();
  return (t.startsWith('+') ? '+' : '') + t.replace(/\D/g, '');
}

/** Opaque page cursors: the offset into Medusa's list. */
function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}
function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const o = v && typeof v === 'object' && 'o' in v ? v.o : 0;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : 0;
  } catch {
    return 0;
  }
}

/** The change feed's cursor: the last updated_at seen, and the orders already read at it. */
interface PollCursor {
  t: string;
  ids: string[];
}
function decodePollCursor(cursor: string | null): PollCursor | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(cursor);
    if (v && typeof v === 'object' && 't' in v && typeof v.t === 'string' && !Number.isNaN(Date.parse(v.t))) {
      const ids = 'ids' in v && Array.isArray(v.ids) ? v.ids.filter((x): x is string => typeof x === 'string') : [];
      return { t: v.t, ids };
    }
  } catch {
    // An old or foreign cursor: start again from the lookback.
  }
  return null;
}

/** Builds the connector of one Medusa store. */
export function createMedusaConnector(store: StoreInfo, credentials: StoreCredentials, options: MedusaConnectorOptions = {}): StoreConnector {
  const apiUrl = typeof store.settings.api_url === 'string' ? store.settings.api_url.trim() : '';
  const auth = authOf(credentials);
  let client: MedusaClient | null = null;
  const prefix = store.orderNumberPrefix ?? '#';
  const oneAtATime = createTurnTaking<ActionOutcome>();

  /** The client, or StoreUnavailableError saying what is missing from the connection. */
  function api(): MedusaClient {
    if (!apiUrl) throw new StoreUnavailableError('the Medusa server URL is not set; an admin can set it in Settings → Stores');
    if (!auth) throw new StoreUnavailableError('no Medusa credentials are saved (a secret API key, or an admin email and password); an admin can enter them in Settings → Stores');
    client ??= createMedusaClient({ apiUrl, auth, timeoutMs: options.timeoutMs });
    return client;
  }
  const mc = (): MedusaMappingContext => ({ orderNumberPrefix: prefix, baseUrl: api().baseUrl });
  const money = (amount: number, currency: string) => formatMoney(amount, currency);

  /** Reads that Medusa answers with 404 mean "no such thing". */
  async function orNull<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MedusaApiError && err.status === 404) return null;
      if (err instanceof MedusaApiError) throw new StoreUnavailableError(`Medusa refused a read: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Reads that Medusa should never refuse: a refusal means the connection is misconfigured. */
  async function read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MedusaApiError) throw new StoreUnavailableError(`Medusa refused a read: ${err.message}`, { cause: err });
      throw err;
    }
  }

  async function rawOrderById(id: string): Promise<MedusaOrder | null> {
    const answer = await orNull(() => api().get(`/admin/orders/${encodeURIComponent(id)}`, { fields: ORDER_FIELDS }, MedusaOrderOne));
    return answer?.order ?? null;
  }

  /**
   * The order customers quote by this number. Medusa 2.21 drops a display_id filter, so the number
   * goes through the free-text search, which also matches emails and addresses (a search for "15"
   * finds every order shipped to postcode 1015): the hits are read in display_id order, the first
   * and last page first (old and recent numbers), then by halving, and checked for the exact order.
   */
  async function rawOrderByNumber(orderNumber: string): Promise<MedusaOrder | null> {
    const wanted = orderNumber.trim();
    const displayId = displayIdOf(wanted, prefix);
    const q = displayId !== null ? String(displayId) : wanted;
    if (!q || q.length > 64) return null;
    const matches = (o: { display_id: number; custom_display_id?: string | null | undefined }) =>
      (o.custom_display_id ? o.custom_display_id.toUpperCase() === wanted.toUpperCase() : displayId !== null && o.display_id === displayId);
    const search = (order: string, offset: number, limit: number) =>
      read(() => api().get('/admin/orders', { q, order, offset, limit, fields: 'id,display_id,custom_display_id' }, MedusaOrderHits));
    const first = await search('display_id', 0, SEARCH_PAGE);
    let hit = first.orders.find(matches);
    if (!hit && first.count > SEARCH_PAGE) hit = (await search('-display_id', 0, SEARCH_PAGE)).orders.find(matches);
    if (!hit && displayId !== null && first.count > 2 * SEARCH_PAGE) {
      let lo = SEARCH_PAGE;
      let hi = first.count - SEARCH_PAGE - 1;
      for (let step = 0; !hit && lo <= hi && step < 40; step++) {
        const mid = Math.floor((lo + hi) / 2);
        const page = await search('display_id', mid, 1);
        const at = page.orders[0];
        if (!at) break;
        if (matches(at)) hit = at;
        else if (at.display_id < displayId) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return hit ? rawOrderById(hit.id) : null;
  }

  function customerOf(c: MedusaCustomer): StoreCustomer {
    const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || c.company_name || null;
    return { externalId: c.id, email: c.email ?? null, phone: c.phone ?? null, name, createdAt: new Date(c.created_at), stats: null, storeCreditBalance: null };
  }

  /** Of several customers with one email (a guest record and an account), the account. */
  function pickCustomer(customers: readonly MedusaCustomer[]): MedusaCustomer | null {
    return customers.find((c) => c.has_account) ?? customers[0] ?? null;
  }

  /** Writes storedesk's metadata keys on the order (Medusa merges metadata by top-level key). */
  async function writeMetadata(orderId: string, metadata: Record<string, unknown>): Promise<void> {
    await api().post(`/admin/orders/${encodeURIComponent(orderId)}`, { metadata }, AnyObject);
  }

  /** The action records with one record set, trimmed to the most recent ones. */
  function withRecord(records: Record<string, ActionRecord>, key: string, record: ActionRecord): Record<string, ActionRecord> {
    const next = { ...records, [key]: record };
    const keys = Object.keys(next);
    if (keys.length <= MAX_ACTION_RECORDS) return next;
    const oldest = keys.filter((k) => k !== key && next[k]?.state === 'done').sort((a, b) => (next[a]?.at ?? '').localeCompare(next[b]?.at ?? ''));
    for (const k of oldest.slice(0, keys.length - MAX_ACTION_RECORDS)) delete next[k];
    return next;
  }

  /** A recorded outcome, answered again for a repeat. */
  function replay(action: ActionPlan['action'], rec: ActionRecord): ActionSuccess {
    const o = rec.outcome;
    return {
      ok: true, action, summary: o?.summary ?? `${action} done earlier`, storeReference: o?.storeReference ?? null,
      amount: o && o.amount !== null && o.currency ? { amount: o.amount, currency: o.currency } : null, details: { ...(o?.details ?? {}), replayed: true },
    };
  }

  function recordOf(action: string, outcome: ActionSuccess): ActionRecord {
    return {
      action, state: 'done', at: new Date().toISOString(),
      outcome: { summary: outcome.summary, storeReference: outcome.storeReference, amount: outcome.amount?.amount ?? null, currency: outcome.amount?.currency ?? null, details: outcome.details },
    };
  }

  /** Medusa's refusal of an action, in words an agent can act on. */
  function refusalOf(err: MedusaApiError, what: string): ActionOutcome {
    if (err.status === 404) return refuse('store_refused', `Medusa could not ${what}: ${err.message}`);
    if (/more than/i.test(err.message)) return refuse('exceeds_refundable', `Medusa refused to ${what}: ${err.message}.`);
    if (/fulfillment/i.test(err.message) && /cancel/i.test(what)) return refuse('already_shipped', `Medusa refused to ${what}: ${err.message}. Create a return instead.`);
    if (/already exists/i.test(err.message)) return refuse('code_taken', `Medusa refused to ${what}: ${err.message}`);
    return refuse('store_refused', `Medusa refused to ${what}: ${err.message}`);
  }

  // -------------------------------------------------------------------------------------------
  // Acting

  /**
   * Refunds captured payments (the one with the most left first, then the next) with a note that
   * carries the idempotency tag; Medusa's refusal when it says no. The refunds made are found
   * afterwards by their tag, not read from the answers.
   */
  async function refundPayments(raw: MedusaOrder, order: StoreOrder, amount: number, note: string): Promise<ActionOutcome | null> {
    const currency = order.currency;
    const candidates = (raw.payment_collections ?? []).flatMap((pc) => pc.payments ?? []).map((p) => {
      const captured = (p.captures ?? []).reduce((s, c) => s + medusaMinor(c.amount, c.raw_amount, currency), 0);
      const refunded = (p.refunds ?? []).reduce((s, r) => s + medusaMinor(r.amount, r.raw_amount, currency), 0);
      return { id: p.id, left: captured - refunded };
    }).filter((p) => p.left > 0).sort((a, b) => b.left - a.left);
    if (candidates.reduce((s, p) => s + p.left, 0) < amount) {
      return refuse('exceeds_refundable', `Medusa has only ${money(candidates.reduce((s, p) => s + p.left, 0), currency)} of captured payments left to refund on ${order.number}.`);
    }
    let remaining = amount;
    for (const p of candidates) {
      if (remaining <= 0) break;
      const part = Math.min(remaining, p.left);
      try {
        await api().post(`/admin/payments/${encodeURIComponent(p.id)}/refund`, { amount: Number(toDecimalString(part, currency)), note }, AnyObject);
      } catch (err) {
        if (err instanceof MedusaApiError) return refusalOf(err, `refund ${money(part, currency)}`);
        throw err;
      }
      remaining -= part;
    }
    return null;
  }

  /** Refunds this key already made on the order (found by the tag in their notes). */
  function taggedRefunds(raw: MedusaOrder, key: string): { id: string; amount: number }[] {
    const tag = idempotencyTag(key);
    return (raw.payment_collections ?? []).flatMap((pc) => pc.payments ?? []).flatMap((p) => p.refunds ?? [])
      .filter((r) => r.note?.includes(tag))
      .map((r) => ({ id: r.id, amount: medusaMinor(r.amount, r.raw_amount, raw.currency_code.toUpperCase()) }));
  }

  async function returnsOf(orderId: string): Promise<{ id: string; status: string; display_id?: number | null | undefined; metadata?: Record<string, unknown> | null | undefined; items?: unknown[] | null | undefined }[]> {
    const answer = await read(() => api().get('/admin/returns', { order_id: orderId, limit: 100, fields: 'id,status,display_id,metadata,*items' }, MedusaReturnHits));
    return answer.returns;
  }

  /**
   * Carries out a re-checked plan (or finishes what a lost attempt with the same key began): the
   * outcome, and metadata storedesk keeps beside it on the order.
   */
  async function execute(raw: MedusaOrder, order: StoreOrder, plan: ActionPlan, opts: ActionOptions, resumed: boolean): Promise<{ outcome: ActionOutcome; metadata?: Record<string, unknown> }> {
    const result = await executeAction(raw, order, plan, opts, resumed);
    return 'outcome' in result ? result : { outcome: result };
  }

  async function executeAction(raw: MedusaOrder, order: StoreOrder, plan: ActionPlan, opts: ActionOptions, resumed: boolean): Promise<ActionOutcome | { outcome: ActionOutcome; metadata: Record<string, unknown> }> {
    const key = opts.idempotencyKey;
    const ok = (summary: string, storeReference: string | null, amount: number | null, details: Record<string, unknown> = {}): ActionSuccess => ({
      ok: true, action: plan.action, summary, storeReference, amount: amount === null ? null : { amount, currency: order.currency }, details,
    });
    switch (plan.action) {
      case 'refund': {
        const done = taggedRefunds(raw, key);
        const already = done.reduce((s, r) => s + r.amount, 0);
        const refundIds = done.map((r) => r.id);
        if (already < plan.amount) {
          const note = `${plan.reason ?? 'Refund'} (by ${opts.actorName} via storedesk) ${idempotencyTag(key)}`;
          const refused = await refundPayments(raw, order, plan.amount - already, note);
          if (refused) return refused;
          const reread = await rawOrderById(raw.id);
          for (const r of reread ? taggedRefunds(reread, key) : []) if (!refundIds.includes(r.id)) refundIds.push(r.id);
        }
        const first = refundIds[0] ?? null;
        const records: Record<string, RefundRecord> = { ...refundRecords(raw) };
        if (first) records[first] = { lines: plan.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.amount })), shipping: plan.shipping };
        return { outcome: ok(plan.summary.replace(/^Refund /, 'Refunded '), first, plan.amount, { refund_ids: refundIds, payment: paymentLabel(order) }), metadata: { [META_REFUNDS]: records } };
      }
      case 'cancel': {
        if (!raw.canceled_at && raw.status !== 'canceled') {
          if (plan.refundAmount === 0 && refundableAmount(order) > 0) {
            return refuse('unsupported', 'Medusa refunds the payment whenever it cancels an order; cancel with the refund, or leave the order as it is.');
          }
          try {
            await api().post(`/admin/orders/${encodeURIComponent(raw.id)}/cancel`, {}, AnyObject);
          } catch (err) {
            if (err instanceof MedusaApiError) return refusalOf(err, `cancel ${order.number}`);
            throw err;
          }
        }
        const summary = plan.refundAmount ? `Cancelled ${order.number} and refunded ${money(plan.refundAmount, order.currency)} to ${paymentLabel(order)}` : `Cancelled ${order.number}`;
        return ok(summary, order.number, plan.refundAmount || null, { voided: plan.voidAmount });
      }
      case 'create_return': {
        let ret = resumed ? (await returnsOf(raw.id)).find((r) => r.metadata?.storedesk_key === key && r.status !== 'canceled') ?? null : null;
        try {
          if (!ret) {
            await api().post('/admin/returns', { order_id: raw.id, description: plan.reason ?? undefined, internal_note: `Opened by ${opts.actorName} via storedesk`, metadata: { storedesk_key: key } }, AnyObject);
            ret = (await returnsOf(raw.id)).find((r) => r.metadata?.storedesk_key === key && r.status !== 'canceled') ?? null;
            if (!ret) throw new StoreUnavailableError('Medusa did not show the return it was asked to open');
          }
          if (ret.status === 'open') {
            if (!ret.items?.length) {
              await api().post(`/admin/returns/${encodeURIComponent(ret.id)}/request-items`, {
                items: plan.lines.map((l) => ({ id: l.lineId, quantity: l.quantity, ...(l.reason ?? plan.reason ? { description: l.reason ?? plan.reason ?? undefined } : {}) })),
              }, AnyObject);
            }
            await api().post(`/admin/returns/${encodeURIComponent(ret.id)}/request`, {}, AnyObject);
          }
        } catch (err) {
          if (err instanceof MedusaApiError) return refusalOf(err, `open a return on ${order.number}`);
          throw err;
        }
        const fresh = await api().get(`/admin/returns/${encodeURIComponent(ret.id)}`, { fields: 'id,display_id,status' }, MedusaReturnOne);
        const rma = fresh.return.display_id ? `${order.number}-R${fresh.return.display_id}` : fresh.return.id;
        return ok(`Return ${rma} opened for ${plan.lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}`, rma, null, { return_id: ret.id, rma_number: rma });
      }
      case 'discount_code': {
        const code = (actionRecords(raw)[key]?.code ?? plan.code ?? '').toUpperCase();
        if (!code) return refuse('store_refused', 'storedesk lost the code it chose; try again with a new action.');
        const what = plan.discountType === 'percentage' ? `${plan.value}% off` : plan.discountType === 'fixed_amount' ? `${money(plan.value, order.currency)} off` : 'free shipping';
        const existing = resumed ? await read(() => api().get('/admin/promotions', { code, fields: 'id,code' }, MedusaPromotionList)) : { promotions: [] };
        let promotionId = existing.promotions.find((p) => p.code?.toUpperCase() === code)?.id ?? null;
        if (!promotionId) {
          const application = plan.discountType === 'percentage'
            ? { type: 'percentage', target_type: 'order', allocation: 'across', value: plan.value }
            : plan.discountType === 'fixed_amount'
              ? { type: 'fixed', target_type: 'order', allocation: 'across', value: Number(toDecimalString(plan.value, order.currency)), currency_code: order.currency.toLowerCase() }
              : { type: 'percentage', target_type: 'shipping_methods', allocation: 'across', value: 100 };
          const stamp = Date.now().toString(36);
          try {
            const created = await api().post('/admin/promotions', {
              code, type: 'standard', status: 'active', is_automatic: false, limit: 1, application_method: application,
              ...(plan.expiresAt ? { campaign: { name: `storedesk ${code}`, campaign_identifier: `storedesk-${code.toLowerCase()}-${stamp}`, ends_at: plan.expiresAt.toISOString() } } : {}),
              metadata: { storedesk_key: key, order_id: raw.id, reason: plan.reason },
            }, MedusaPromotionOne);
            promotionId = created.promotion.id;
          } catch (err) {
            if (err instanceof MedusaApiError) return refusalOf(err, `create the discount code ${code}`);
            throw err;
          }
        }
        return ok(`Discount code ${code} created: ${what}, single use`, code, plan.amount || null, { code, promotion_id: promotionId, discount_type: plan.discountType, value: plan.value });
      }
      case 'add_note':
        return ok(`Note added to ${order.number}`, null, null);
      case 'exchange':
      case 'reship':
      case 'store_credit':
        return refuse('unsupported', `Medusa cannot ${plan.action === 'store_credit' ? 'give store credit' : plan.action === 'reship' ? 'reship items at no charge' : 'exchange items'} through storedesk.`);
    }
  }

  /** Whether what a lost attempt with this key began has already happened in Medusa. */
  async function alreadyDone(raw: MedusaOrder, plan: ActionPlan, key: string, rec: ActionRecord): Promise<boolean> {
    switch (plan.action) {
      case 'refund':
        return taggedRefunds(raw, key).reduce((s, r) => s + r.amount, 0) > 0;
      case 'cancel':
        return Boolean(raw.canceled_at) || raw.status === 'canceled';
      case 'create_return':
        return (await returnsOf(raw.id)).some((r) => r.metadata?.storedesk_key === key && r.status !== 'canceled');
      case 'discount_code': {
        if (!rec.code) return false;
        const code = rec.code;
        const found = await read(() => api().get('/admin/promotions', { code, fields: 'id,code' }, MedusaPromotionList));
        return found.promotions.some((p) => p.code?.toUpperCase() === code.toUpperCase());
      }
      default:
        return false;
    }
  }

  async function perform(plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
    const key = opts.idempotencyKey;
    const raw = await rawOrderByNumber(plan.orderNumber);
    if (!raw) return refuse('store_refused', `Medusa has no order ${plan.orderNumber}.`);
    const fresh = toStoreOrder(raw, mc());
    const records = actionRecords(raw);
    const rec = records[key];
    if (rec && rec.action !== plan.action) return refuse('invalid_request', `The idempotency key was used for a ${rec.action} already; use a new key for a new action.`);
    if (rec?.state === 'done') return replay(plan.action, rec);

    // A pending record: an earlier attempt wrote it and then lost its answer. Finish what it began,
    // or start over when it never reached Medusa.
    const resumed = rec?.state === 'pending' && (await alreadyDone(raw, plan, key, rec));
    if (!resumed) {
      const skus = plan.action === 'exchange' ? plan.lines.map((l) => l.replacement.sku) : [];
      const variants = skus.length ? await findVariants(skus) : [];
      const replanned = planAction(fresh, plan.request, { platform: 'medusa', capabilities: MEDUSA_CAPABILITIES, variants, timeZone: store.timezone });
      if (!replanned.ok) return replanned;
      if (replanned.plan.amount !== plan.amount) {
        return refuse('order_changed', `${plan.orderNumber} changed since the preview: this would now be ${money(replanned.plan.amount, fresh.currency)} instead of ${money(plan.amount, fresh.currency)}. Look at the order again and retry.`);
      }
      plan = replanned.plan;
    }

    if (plan.action === 'add_note') {
      // The note and its record go in one write: done together or not at all.
      const notes = [...noteRecords(raw), { body: plan.note, author: opts.actorName, at: new Date().toISOString() }];
      const outcome: ActionSuccess = { ok: true, action: 'add_note', summary: `Note added to ${fresh.number}`, storeReference: null, amount: null, details: {} };
      await writeMetadata(raw.id, { [META_NOTES]: notes, [META_ACTIONS]: withRecord(records, key, recordOf('add_note', outcome)) });
      return outcome;
    }

    // Record the intent before acting; an answer lost after this point is found again by the key.
    let pending: ActionRecord = { action: plan.action, state: 'pending', at: new Date().toISOString() };
    if (plan.action === 'discount_code') pending = { ...pending, code: rec?.code ?? plan.code ?? generateCustomerCode('SORRY') };
    if (!rec || rec.state !== 'pending' || pending.code !== rec.code) {
      await writeMetadata(raw.id, { [META_ACTIONS]: withRecord(records, key, pending) });
      raw.metadata = { ...(raw.metadata ?? {}), [META_ACTIONS]: withRecord(records, key, pending) };
    }

    const { outcome, metadata: extra } = await execute(raw, fresh, plan, opts, resumed || rec?.state === 'pending');
    if (!outcome.ok) return outcome;
    const success: ActionSuccess = outcome;
    const metadata: Record<string, unknown> = { ...extra, [META_ACTIONS]: withRecord(actionRecords(raw), key, recordOf(plan.action, success)) };
    try {
      await writeMetadata(raw.id, metadata);
    } catch (err) {
      // Done in Medusa; only storedesk's record is missing. A retry with the key finds the work
      // by its tag, so the agent hears of the success rather than of a failure.
      if (!(err instanceof StoreUnavailableError || err instanceof MedusaApiError)) throw err;
    }
    return success;
  }

  async function findVariants(skus: readonly string[]): Promise<StoreVariant[]> {
    const wanted = [...new Set(skus.map((s) => s.trim()).filter(Boolean))];
    if (!wanted.length) return [];
    const answer = await read(() => api().get('/admin/product-variants', { sku: wanted, limit: 100, fields: 'id,sku,title,manage_inventory,inventory_quantity,product.title,*prices' }, MedusaVariantList));
    const currency = store.currency.toUpperCase();
    return answer.variants.flatMap((v) => {
      if (!v.sku || !wanted.includes(v.sku)) return [];
      const price = (v.prices ?? []).find((p) => p.currency_code?.toUpperCase() === currency && !p.rules_count) ?? (v.prices ?? []).find((p) => p.currency_code?.toUpperCase() === currency);
      if (!price) return [];
      return [{
        id: v.id, sku: v.sku, productTitle: v.product?.title ?? v.title ?? v.sku, variantTitle: v.title ?? null, price: medusaMinor(price.amount, price.raw_amount, currency), currency,
        available: v.manage_inventory && typeof v.inventory_quantity === 'number' ? v.inventory_quantity : null,
      }];
    });
  }

  return {
    platform: 'medusa',
    capabilities: MEDUSA_CAPABILITIES,

    async findCustomer(_ctx: Ctx, lookup: CustomerLookup): Promise<StoreCustomer | null> {
      if (lookup.by === 'external_id') {
        const id = lookup.externalId.trim();
        if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) return null;
        const answer = await orNull(() => api().get(`/admin/customers/${encodeURIComponent(id)}`, { fields: CUSTOMER_FIELDS }, MedusaCustomerOne));
        return answer ? customerOf(answer.customer) : null;
      }
      if (lookup.by === 'email') {
        const email = lookup.email.trim().toLowerCase();
        if (!email) return null;
        const answer = await read(() => api().get('/admin/customers', { email, limit: 20, fields: CUSTOMER_FIELDS }, MedusaCustomerList));
        let found = answer.customers.filter((c) => c.email?.toLowerCase() === email);
        if (!found.length) {
          // Emails saved with capitals: the free-text search is case-insensitive.
          const searched = await read(() => api().get('/admin/customers', { q: email, limit: 20, fields: CUSTOMER_FIELDS }, MedusaCustomerList));
          found = searched.customers.filter((c) => c.email?.toLowerCase() === email);
        }
        const c = pickCustomer(found);
        return c ? customerOf(c) : null;
      }
      const phone = normalizePhone(lookup.phone);
      const digits = phone.replace(/\D/g, '');
      if (digits.length < 6) return null;
      const answer = await read(() => api().get('/admin/customers', { q: digits.slice(-9), limit: 50, fields: CUSTOMER_FIELDS }, MedusaCustomerList));
      const c = pickCustomer(answer.customers.filter((x) => x.phone && normalizePhone(x.phone).replace(/\D/g, '').endsWith(digits.slice(-9)) && (normalizePhone(x.phone) === phone || !phone.startsWith('+') || !x.phone.trim().startsWith('+'))));
      return c ? customerOf(c) : null;
    },

    async listCustomerOrders(_ctx: Ctx, customerExternalId: string, page: { cursor?: string | undefined; limit: number }): Promise<OrderPage> {
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(customerExternalId)) return { orders: [], nextCursor: null };
      const offset = decodeOffset(page.cursor);
      const limit = Math.max(1, Math.min(100, page.limit));
      const answer = await read(() => api().get('/admin/orders', { customer_id: customerExternalId, order: '-created_at', offset, limit, fields: ORDER_FIELDS }, MedusaOrderList));
      const orders = answer.orders.filter((o) => o.status !== 'draft').map((o) => toStoreOrder(o, mc()));
      const next = offset + answer.orders.length;
      return { orders, nextCursor: answer.orders.length > 0 && next < answer.count ? encodeOffset(next) : null };
    },

    async getOrder(_ctx: Ctx, orderNumber: string): Promise<StoreOrder | null> {
      const raw = await rawOrderByNumber(orderNumber);
      return raw ? toStoreOrder(raw, mc()) : null;
    },

    async findOrdersByTracking(_ctx: Ctx, _trackingNumbers: readonly string[]): Promise<TrackingMatch[]> {
      // Medusa's Admin API cannot search fulfillments by tracking number.
      return [];
    },

    async findVariants(_ctx: Ctx, skus: readonly string[]): Promise<StoreVariant[]> {
      return findVariants(skus);
    },

    async perform(_ctx: Ctx, _order: StoreOrder, plan: ActionPlan, opts: ActionOptions): Promise<ActionOutcome> {
      // One action at a time per order in this process: the order's record of actions is read,
      // changed and written back, so two at once could lose one of them (and with it the proof
      // that a retry must not act again); a double click waits and then finds what the first did.
      return oneAtATime(plan.orderNumber, () => perform(plan, opts));
    },

    async pollChanges(_ctx: Ctx, cursor: string | null): Promise<{ events: OrderChangeEvent[]; cursor: string | null }> {
      const from = decodePollCursor(cursor) ?? { t: new Date(Date.now() - FIRST_POLL_LOOKBACK_MS).toISOString(), ids: [] };
      const answer = await read(() => api().get('/admin/orders', { updated_at: { $gte: from.t }, order: 'updated_at', limit: POLL_PAGE, fields: ORDER_FIELDS }, MedusaOrderList));
      const fresh = answer.orders.filter((o) => o.status !== 'draft' && !(o.updated_at === from.t && from.ids.includes(o.id)));
      const events = fresh.flatMap((o) => orderChangeEvents(o, toStoreOrder(o, mc())));
      const last = answer.orders.at(-1);
      if (!last) return { events, cursor: JSON.stringify(from) };
      const t = last.updated_at;
      const ids = answer.orders.filter((o) => o.updated_at === t).map((o) => o.id);
      return { events, cursor: JSON.stringify({ t, ids: t === from.t ? [...new Set([...from.ids, ...ids])] : ids }) };
    },

    async checkConnection(_ctx: Ctx): Promise<string> {
      const stores = await read(() => api().get('/admin/stores', { fields: 'id,name,*supported_currencies' }, MedusaStoreList));
      await read(() => api().get('/admin/orders', { limit: 1, fields: 'id,display_id' }, MedusaOrderHits));
      const s = stores.stores[0];
      const currencies = (s?.supported_currencies ?? []).map((c) => c.currency_code.toUpperCase());
      return `Medusa at ${api().where}${s?.name ? `, store ${s.name}` : ''}${currencies.length ? ` (${currencies.join(', ')})` : ''}, signed in with ${auth?.kind === 'api_key' ? 'a secret API key' : 'an admin user'}`;
    },
  };
}

