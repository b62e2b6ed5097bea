/**
 * Medusa's orders as storedesk reads them: decimal amounts in the main unit become integer minor
 * units exactly (from Medusa's raw decimal strings where it sends them, never through float
 * arithmetic), display_id becomes the order number customers quote, payments with their captures
 * and refunds, fulfillments with labels become parcels with tracking links, requested returns
 * become RMAs. What Medusa has no place for (which lines a refund was for, agents' notes,
 * idempotency records) storedesk keeps in the order's metadata under `storedesk_*` keys.
 */
import { toMinorUnits } from '../../money.ts';
import { trackingUrlFor } from '../carriers.ts';
import {
  StoreUnavailableError, type FinancialStatus, type OrderChangeEvent, type PaymentStatus, type ShipmentStatus, type StoreFulfillment,
  type StoreOrder, type StorePayment, type StoreRefund, type StoreReturn,
} from '../connector.ts';
import { fulfillmentStatusOf } from '../order-math.ts';
import type { MedusaOrder } from './medusa.schema.ts';

type Amount = number | string;
type Raw = { value: string | number } | null | undefined;

/** A plain decimal: optional minus, digits, optional fraction. */
const PLAIN_DECIMAL = /^-?\d*(?:\.\d*)?$/;

/**
 * Minor units of a Medusa amount in `currency`: the exact raw decimal string when Medusa sent one,
 * else the JSON number (rounded at the currency's precision, half away from zero). Anything that
 * is not a number means Medusa answered garbage.
 */
export function medusaMinor(value: Amount | null | undefined, raw: Raw, currency: string): number {
  const candidates: (Amount | null | undefined)[] = [raw?.value, value];
  for (const c of candidates) {
    if (c === null || c === undefined || c === '') continue;
    if (typeof c === 'string') {
      const text = c.trim();
      if (PLAIN_DECIMAL.test(text) && /\d/.test(text)) return toMinorUnits(text, currency) || 0;
      const n = Number(text);
      if (Number.isFinite(n)) return toMinorUnits(n, currency) || 0;
      continue;
    }
    if (Number.isFinite(c)) return toMinorUnits(c, currency) || 0;
  }
  if (value === undefined || value === null) return 0;
  throw new StoreUnavailableError(`Medusa sent an amount storedesk cannot read (${String(value)})`);
}

/** A quantity (Medusa keeps quantities as big numbers too). */
function quantityOf(value: Amount): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new StoreUnavailableError(`Medusa sent a quantity storedesk cannot read (${String(value)})`);
  return Math.round(n);
}

// ---------------------------------------------------------------------------------------------
// storedesk's records in the order's metadata

/** One action storedesk started on the order, by idempotency key. */
export interface ActionRecord {
  action: string;
  state: 'pending' | 'done';
  at: string;
  /** For discount codes: the code chosen before creating it. */
  code?: string;
  /** The outcome to answer a repeat with. */
  outcome?: { summary: string; storeReference: string | null; amount: number | null; currency: string | null; details: Record<string, unknown> };
}

/** Which lines and how much shipping a refund storedesk made was for. */
export interface RefundRecord {
  lines: { lineId: string; quantity: number; amount: number }[];
  shipping: number;
}

/** A note an agent added. */
export interface NoteRecord {
  body: string;
  author: string | null;
  at: string;
}

/** Metadata keys storedesk writes (Medusa merges metadata by top-level key). */
export const META_ACTIONS = 'storedesk_actions';
export const META_REFUNDS = 'storedesk_refunds';
export const META_NOTES = 'storedesk_notes';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The action records on an order. */
export function actionRecords(order: MedusaOrder): Record<string, ActionRecord> {
  const raw = order.metadata?.[META_ACTIONS];
  if (!isObject(raw)) return {};
  const out: Record<string, ActionRecord> = {};
  for (const [key, v] of Object.entries(raw)) {
    if (!isObject(v) || typeof v.action !== 'string' || (v.state !== 'pending' && v.state !== 'done')) continue;
    const rec: ActionRecord = { action: v.action, state: v.state, at: typeof v.at === 'string' ? v.at : '' };
    if (typeof v.code === 'string') rec.code = v.code;
    if (isObject(v.outcome) && typeof v.outcome.summary === 'string') {
      const o = v.outcome;
      rec.outcome = {
        summary: String(o.summary),
        storeReference: typeof o.storeReference === 'string' ? o.storeReference : null,
        amount: typeof o.amount === 'number' ? o.amount : null,
        currency: typeof o.currency === 'string' ? o.currency : null,
        details: isObject(o.details) ? o.details : {},
      };
    }
    out[key] = rec;
  }
  return out;
}

/** The refund records on an order, by Medusa refund id. */
export function refundRecords(order: MedusaOrder): Record<string, RefundRecord> {
  const raw = order.metadata?.[META_REFUNDS];
  if (!isObject(raw)) return {};
  const out: Record<string, RefundRecord> = {};
  for (const [id, v] of Object.entries(raw)) {
    if (!isObject(v)) continue;
    const lines = Array.isArray(v.lines)
      ? v.lines.flatMap((l) => (isObject(l) && typeof l.lineId === 'string' && typeof l.quantity === 'number' && typeof l.amount === 'number' ? [{ lineId: l.lineId, quantity: l.quantity, amount: l.amount }] : []))
      : [];
    out[id] = { lines, shipping: typeof v.shipping === 'number' ? v.shipping : 0 };
  }
  return out;
}

/** The notes agents added through storedesk. */
export function noteRecords(order: MedusaOrder): NoteRecord[] {
  const raw = order.metadata?.[META_NOTES];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((n) => (isObject(n) && typeof n.body === 'string' ? [{ body: n.body, author: typeof n.author === 'string' ? n.author : null, at: typeof n.at === 'string' ? n.at : '' }] : []));
}

/** The tag storedesk puts in what it creates (refund notes), to find it again after a lost answer. */
export function idempotencyTag(key: string): string {
  return `[storedesk ${key}]`;
}

/** A refund note without storedesk's tag. */
function withoutTag(note: string | null | undefined): string | null {
  if (!note) return null;
  const text = note.replace(/\s*\[storedesk [^\]]*\]\s*$/, '').trim();
  return text || null;
}

// ---------------------------------------------------------------------------------------------
// Orders

/** What the mapping needs besides the order. */
export interface MedusaMappingContext {
  /** Order numbers are `<prefix><display_id>`; "#" when the store names none. */
  orderNumberPrefix: string;
  /** The server's base URL, for links to the order in Medusa's admin. */
  baseUrl: string;
}

/** The number customers quote for an order. */
export function orderNumberOf(order: Pick<MedusaOrder, 'display_id' | 'custom_display_id'>, prefix: string): string {
  return order.custom_display_id?.trim() || `${prefix}${order.display_id}`;
}

/** The display_id an order number means, or null when it names no Medusa order number. */
export function displayIdOf(orderNumber: string, prefix: string): number | null {
  let s = orderNumber.trim();
  if (prefix && s.toUpperCase().startsWith(prefix.toUpperCase())) s = s.slice(prefix.length);
  s = s.replace(/^#/, '').trim();
  if (!/^\d{1,12}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

const CARRIER_NAMES: readonly [RegExp, string][] = [
  [/postnl/i, 'PostNL'], [/dhl/i, 'DHL'], [/\bups\b|ups\.com/i, 'UPS'], [/\bdpd\b|dpd\./i, 'DPD'], [/\bgls\b|gls-group/i, 'GLS'],
  [/fedex/i, 'FedEx'], [/usps/i, 'USPS'], [/royal ?mail/i, 'Royal Mail'], [/bpost/i, 'bpost'],
];

/** The carrier of a parcel: what the fulfillment says, else a known carrier named by the shipping method or the tracking link. */
export function carrierOf(explicit: unknown, ...hints: (string | null | undefined)[]): string | null {
  if (typeof explicit === 'string' && explicit.trim()) return explicit.trim();
  for (const hint of hints) {
    if (!hint) continue;
    for (const [re, name] of CARRIER_NAMES) if (re.test(hint)) return name;
  }
  return null;
}

/** How a payment provider is named for agents. */
function paymentMethodOf(providerId: string | null | undefined): { method: string; detail: string | null } {
  const id = (providerId ?? '').toLowerCase();
  if (id.includes('stripe')) return { method: 'card', detail: null };
  if (id.includes('paypal')) return { method: 'paypal', detail: 'PayPal' };
  if (id.includes('klarna')) return { method: 'klarna', detail: 'Klarna' };
  if (id === 'pp_system_default' || id.includes('system')) return { method: 'manual', detail: 'Manual payment' };
  return { method: id.replace(/^pp_/, '') || 'unknown', detail: null };
}

const date = (s: string) => new Date(s);
const dateOrNull = (s: string | null | undefined) => (s ? new Date(s) : null);

/** Maps an order read with ORDER_FIELDS to storedesk's order. */
export function toStoreOrder(o: MedusaOrder, mc: MedusaMappingContext): StoreOrder {
  const currency = o.currency_code.toUpperCase();
  const m = (value: Amount | null | undefined, raw?: Raw) => medusaMinor(value, raw, currency);
  const number = orderNumberOf(o, mc.orderNumberPrefix);
  const items = o.items ?? [];
  const lines = items.map((i) => {
    const quantity = quantityOf(i.quantity);
    const unitPrice = m(i.unit_price, i.raw_unit_price);
    return {
      id: i.id,
      productId: i.product_id ?? null,
      variantId: i.variant_id ?? null,
      productTitle: i.product_title ?? i.title ?? 'Item',
      variantTitle: i.variant_title ?? i.subtitle ?? null,
      sku: i.variant_sku ?? null,
      quantity,
      unitPrice,
      linePrice: unitPrice * quantity,
      discount: m(i.discount_total, i.raw_discount_total),
      tax: m(i.tax_total, i.raw_tax_total),
      total: i.total === undefined ? unitPrice * quantity : m(i.total, i.raw_total),
    };
  });
  const shippingMethods = o.shipping_methods ?? [];
  const shippingTotal = shippingMethods.reduce((s, sm) => s + m(sm.total ?? sm.amount, sm.total === undefined ? undefined : sm.raw_total), 0);

  const refundRecs = refundRecords(o);
  const payments: StorePayment[] = [];
  const refunds: StoreRefund[] = [];
  for (const pc of o.payment_collections ?? []) {
    for (const p of pc.payments ?? []) {
      const captured = (p.captures ?? []).reduce((s, c) => s + m(c.amount, c.raw_amount), 0);
      const amount = m(p.amount, p.raw_amount);
      let status: PaymentStatus = 'authorized';
      if (p.captured_at || captured > 0) status = 'captured';
      else if (p.canceled_at) status = 'voided';
      const { method, detail } = paymentMethodOf(p.provider_id);
      payments.push({ id: p.id, method, methodDetail: detail, amount: status === 'captured' && captured > 0 ? captured : amount, status, createdAt: date(p.created_at) });
      for (const r of p.refunds ?? []) {
        const rec = refundRecs[r.id];
        refunds.push({
          id: r.id, amount: m(r.amount, r.raw_amount), shipping: rec?.shipping ?? 0, lines: rec?.lines ?? [], destination: 'original_payment',
          reason: r.refund_reason?.label ?? withoutTag(r.note), createdAt: date(r.created_at),
        });
      }
    }
  }
  refunds.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

  const address = o.shipping_address;
  const shippingName = shippingMethods[0]?.name ?? null;
  const fulfillments: StoreFulfillment[] = (o.fulfillments ?? [])
    .filter((f) => !f.canceled_at)
    .map((f) => {
      const label = (f.labels ?? []).find((l) => l.tracking_number) ?? null;
      const trackingNumber = label?.tracking_number ?? null;
      const method = shippingMethods.find((sm) => sm.shipping_option_id && sm.shipping_option_id === f.shipping_option_id)?.name ?? shippingName;
      const carrier = carrierOf(f.metadata?.carrier, method, label?.tracking_url, f.provider_id);
      const labelUrl = label?.tracking_url && /^https?:\/\//.test(label.tracking_url) ? label.tracking_url : null;
      let status: ShipmentStatus = 'pending';
      if (f.delivered_at) status = 'delivered';
      else if (f.shipped_at) status = 'in_transit';
      return {
        id: f.id, kind: 'shipment', status, carrier, service: method, trackingNumber,
        trackingUrl: trackingUrlFor(carrier, trackingNumber, address?.postal_code ?? null, address?.country_code?.toUpperCase() ?? null) ?? labelUrl,
        shippedAt: dateOrNull(f.shipped_at), estimatedDeliveryAt: null, deliveredAt: dateOrNull(f.delivered_at),
        lines: (f.items ?? []).map((fi) => {
          const line = lines.find((l) => l.id === fi.line_item_id);
          return { lineId: line ? line.id : null, sku: fi.sku || line?.sku || null, title: line ? line.productTitle : fi.title ?? 'Item', quantity: quantityOf(fi.quantity) };
        }),
      };
    });

  const returns: StoreReturn[] = (o.returns ?? [])
    .filter((r) => r.status !== 'open')
    .map((r) => {
      let status: StoreReturn['status'] = 'requested';
      if (r.status === 'received' || r.status === 'partially_received') status = 'received';
      else if (r.status === 'canceled') status = 'cancelled';
      const reasons = (r.items ?? []).map((i) => i.reason?.label ?? i.note ?? null);
      return {
        id: r.id, number: r.display_id ? `${number}-R${r.display_id}` : r.id, kind: 'return', status,
        reason: reasons.find((x) => x) ?? null, createdAt: date(r.created_at), receivedAt: dateOrNull(r.received_at),
        lines: (r.items ?? []).map((i) => ({ lineId: i.item_id, quantity: quantityOf(i.quantity), reason: i.reason?.label ?? i.note ?? null, replacementSku: null })),
      };
    });

  const codes = new Set<string>();
  for (const a of [...items.flatMap((i) => i.adjustments ?? []), ...shippingMethods.flatMap((s) => s.adjustments ?? [])]) if (a.code) codes.add(a.code);

  const captured = payments.filter((p) => p.status === 'captured').reduce((s, p) => s + p.amount, 0);
  const refunded = refunds.reduce((s, r) => s + r.amount, 0);
  let financialStatus: FinancialStatus = 'pending';
  if (captured > 0) financialStatus = refunded >= captured ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
  else if (payments.some((p) => p.status === 'authorized')) financialStatus = 'authorized';
  else if (payments.length > 0 && payments.every((p) => p.status === 'voided')) financialStatus = 'voided';

  const customerName = [o.customer?.first_name, o.customer?.last_name].filter(Boolean).join(' ') || null;
  const addressName = address ? [address.first_name, address.last_name].filter(Boolean).join(' ') : '';
  const order: StoreOrder = {
    number,
    externalId: o.id,
    customer: { externalId: o.customer_id ?? o.customer?.id ?? null, email: o.email ?? o.customer?.email ?? null, name: customerName ?? (addressName || null) },
    currency,
    placedAt: date(o.created_at),
    cancelledAt: o.status === 'canceled' || o.canceled_at ? dateOrNull(o.canceled_at ?? o.updated_at) : null,
    cancelReason: null,
    financialStatus,
    fulfillmentStatus: 'unfulfilled',
    taxesIncluded: items.some((i) => i.is_tax_inclusive === true),
    subtotal: lines.reduce((s, l) => s + l.linePrice, 0),
    discountTotal: m(o.discount_total, o.raw_discount_total),
    shippingTotal,
    taxTotal: m(o.tax_total, o.raw_tax_total),
    total: lines.reduce((s, l) => s + l.total, 0) + shippingTotal,
    discountCodes: [...codes],
    shippingMethod: shippingName,
    shippingAddress: address
      ? {
          name: addressName || customerName || '', line1: address.address_1 ?? '', line2: address.address_2 || null, postalCode: address.postal_code ?? '',
          city: address.city ?? '', region: address.province || null, country: (address.country_code ?? '').toUpperCase(), phone: address.phone || null,
        }
      : null,
    expectedDeliveryAt: null,
    lines,
    payments,
    refunds,
    fulfillments,
    returns,
    notes: noteRecords(o).map((n) => ({ body: n.body, author: n.author, createdAt: n.at ? new Date(n.at) : date(o.updated_at) })),
    adminUrl: `${mc.baseUrl}/app/orders/${encodeURIComponent(o.id)}`,
  };
  return { ...order, fulfillmentStatus: fulfillmentStatusOf(order) };
}

/**
 * The change-feed events an order's current state implies, each with a source id that stays the
 * same however often the order is read (the feed drops repeats by it).
 */
export function orderChangeEvents(o: MedusaOrder, order: StoreOrder): OrderChangeEvent[] {
  const events: OrderChangeEvent[] = [];
  const add = (sourceId: string, type: OrderChangeEvent['type'], at: Date, data: Record<string, unknown>) =>
    events.push({ sourceId: `medusa:${sourceId}`, type, orderNumber: order.number, customerEmail: order.customer.email, occurredAt: at, data });
  add(`order:${o.id}:created`, 'order.created', order.placedAt, { total: order.total, currency: order.currency });
  for (const pc of o.payment_collections ?? []) {
    for (const p of pc.payments ?? []) {
      const mapped = order.payments.find((x) => x.id === p.id);
      if (mapped?.status !== 'captured') continue;
      const at = p.captured_at ?? p.captures?.[0]?.created_at ?? p.created_at;
      add(`payment:${p.id}:captured`, 'order.paid', date(at), { amount: mapped.amount, currency: order.currency, method: mapped.methodDetail ?? mapped.method });
    }
  }
  for (const f of order.fulfillments) {
    const parcel = { carrier: f.carrier, tracking_number: f.trackingNumber, tracking_url: f.trackingUrl };
    if (f.shippedAt) add(`fulfillment:${f.id}:shipped`, 'order.shipped', f.shippedAt, parcel);
    if (f.deliveredAt) add(`fulfillment:${f.id}:delivered`, 'order.delivered', f.deliveredAt, parcel);
  }
  for (const r of order.refunds) add(`refund:${r.id}`, 'order.refunded', r.createdAt, { amount: r.amount, currency: order.currency, reason: r.reason, shipping: r.shipping });
  for (const r of order.returns) if (r.status === 'received' && r.receivedAt) add(`return:${r.id}:received`, 'order.returned', r.receivedAt, { rma: r.number });
  if (order.cancelledAt) add(`order:${o.id}:canceled`, 'order.cancelled', order.cancelledAt, {});
  return events;
}
