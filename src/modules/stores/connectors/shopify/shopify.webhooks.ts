/**
 * Shopify's webhook deliveries: the signature check and the topics storedesk turns into order
 * events. Shopify signs the raw request body with HMAC-SHA256 and the app's client secret and
 * sends it base64-encoded in X-Shopify-Hmac-Sha256; X-Shopify-Topic names what happened and
 * X-Shopify-Webhook-Id is the same on every retry of one delivery, so it is the event's source
 * id and a repeat is recorded once. Payloads are Shopify's REST-shaped JSON (snake_case, decimal
 * strings).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { toMinorUnits } from '../../money.ts';
import type { OrderChangeEvent } from '../connector.ts';

/** Topics storedesk subscribes to. */
export const SHOPIFY_WEBHOOK_TOPICS = ['orders/create', 'orders/paid', 'orders/fulfilled', 'orders/cancelled', 'refunds/create', 'fulfillments/update'] as const;

/** Request headers as Node gives them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted) continue;
    const value = Array.isArray(v) ? v[0] : v;
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** The base64 HMAC-SHA256 Shopify sends for a body. */
export function signShopifyBody(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** True when the delivery carries a valid signature for this secret (constant-time comparison). */
export function verifyShopifySignature(secret: string, rawBody: Buffer, signature: string | null): boolean {
  if (!secret || !signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A verified delivery, before it becomes events. */
export interface ShopifyDelivery {
  topic: string;
  webhookId: string;
  shopDomain: string | null;
  triggeredAt: Date | null;
  payload: Record<string, unknown>;
}

/** Verifies and parses a delivery; null when the signature (or the shop) is wrong or the body is not JSON. */
export function readShopifyDelivery(secret: string, expectedShop: string | null, request: { headers: WebhookHeaders; rawBody: Buffer }): ShopifyDelivery | null {
  if (!verifyShopifySignature(secret, request.rawBody, header(request.headers, 'x-shopify-hmac-sha256'))) return null;
  const shopDomain = header(request.headers, 'x-shopify-shop-domain');
  if (expectedShop && shopDomain && shopDomain.toLowerCase() !== expectedShop.toLowerCase()) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const record: Record<string, unknown> = { ...payload };
  const topic = (header(request.headers, 'x-shopify-topic') ?? '').toLowerCase();
  const triggered = header(request.headers, 'x-shopify-triggered-at');
  const webhookId = header(request.headers, 'x-shopify-webhook-id') ?? header(request.headers, 'x-shopify-event-id') ?? `${topic}:${str(record.id) ?? ''}:${str(record.updated_at) ?? ''}`;
  return { topic, webhookId, shopDomain, triggeredAt: triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null, payload: record };
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return null;
}

function date(v: unknown, fallback: Date): Date {
  const s = str(v);
  return s && !Number.isNaN(Date.parse(s)) ? new Date(s) : fallback;
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}

function customerEmail(p: Record<string, unknown>): string | null {
  const customer = records([p.customer])[0];
  return str(p.email) || str(p.contact_email) || (customer ? str(customer.email) : null) || null;
}

function minor(amount: unknown, currency: string | null): number | null {
  const a = str(amount);
  if (a === null || !currency) return null;
  try {
    return toMinorUnits(a, currency);
  } catch {
    return null;
  }
}

/** The order a delivery is about, when the payload names it only by id. */
export interface OrderRef {
  number: string;
  email: string | null;
}

/** What an event needs that a payload may lack: looked up by the order's numeric id. */
export type OrderLookup = (orderId: string) => Promise<OrderRef | null>;

/** Turns a verified delivery into order events (none for topics storedesk does not follow). */
export async function deliveryEvents(d: ShopifyDelivery, lookup: OrderLookup): Promise<OrderChangeEvent[]> {
  const p = d.payload;
  const now = d.triggeredAt ?? new Date();
  const sourceId = `shopify:${d.webhookId}`;
  const currency = str(p.presentment_currency) ?? str(p.currency);
  const orderEvent = (type: OrderChangeEvent['type'], occurredAt: Date, data: Record<string, unknown>): OrderChangeEvent[] => {
    const number = str(p.name);
    return number ? [{ sourceId, type, orderNumber: number, customerEmail: customerEmail(p), occurredAt, data }] : [];
  };
  switch (d.topic) {
    case 'orders/create':
      return orderEvent('order.created', date(p.created_at, now), { amount: minor(p.total_price, currency), currency, shopify_order_id: str(p.id) });
    case 'orders/paid':
      return orderEvent('order.paid', date(p.processed_at, now), { amount: minor(p.total_price, currency), currency, gateway: Array.isArray(p.payment_gateway_names) ? str(p.payment_gateway_names[0]) : null });
    case 'orders/fulfilled': {
      const parcels = records(p.fulfillments);
      const last = parcels[parcels.length - 1];
      return orderEvent('order.shipped', date(last?.created_at ?? p.updated_at, now), {
        carrier: last ? str(last.tracking_company) : null, tracking_number: last ? str(last.tracking_number) : null, tracking_url: last ? str(last.tracking_url) : null,
      });
    }
    case 'orders/cancelled':
      return orderEvent('order.cancelled', date(p.cancelled_at, now), { reason: str(p.cancel_reason), currency });
    case 'refunds/create': {
      const orderId = str(p.order_id);
      if (!orderId) return [];
      const txs = records(p.transactions).filter((t) => str(t.kind) === 'refund' && str(t.status) === 'success');
      const txCurrency = txs.map((t) => str(t.currency)).find((c) => c) ?? null;
      const amount = txs.reduce((s, t) => s + (minor(t.amount, txCurrency) ?? 0), 0);
      const ref = await lookup(orderId);
      if (!ref) return [];
      return [{ sourceId, type: 'order.refunded', orderNumber: ref.number, customerEmail: ref.email, occurredAt: date(p.created_at, now), data: { amount, currency: txCurrency, note: str(p.note), shopify_refund_id: str(p.id) } }];
    }
    case 'fulfillments/update':
    case 'fulfillments/create': {
      if (str(p.shipment_status) !== 'delivered') return [];
      const name = str(p.name);
      let number = name ? name.replace(/\.\d+$/, '') : null;
      let email = str(p.email);
      if (!number || !email) {
        const orderId = str(p.order_id);
        const ref = orderId ? await lookup(orderId) : null;
        number = ref?.number ?? number;
        email = email ?? ref?.email ?? null;
      }
      if (!number) return [];
      return [{
        sourceId, type: 'order.delivered', orderNumber: number, customerEmail: email, occurredAt: date(p.updated_at, now),
        data: { carrier: str(p.tracking_company), tracking_number: str(p.tracking_number), tracking_url: str(p.tracking_url) },
      }];
    }
    default:
      return [];
  }
}
