/**
 * A built-in store with a catalogue and helpers for tests of authority, approvals, budgets,
 * playbooks and reports: push real orders, open tickets, act on orders through the API.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp, TestAgent } from './harness.ts';
import { insertStore } from '../src/modules/stores/stores.queries.ts';

const DAY = 24 * 3600_000;
const address = { name: 'Lena Vos', line1: 'Prinsengracht 263', postal_code: '1016 GV', city: 'Amsterdam', country: 'NL' };

/** The store and helpers bound to it. */
export interface GoodwillStore {
  storeId: string;
  /** Pushes a paid order: `jackets` × €129.00 plus €4.95 shipping; delivered `deliveredDaysAgo` ago, or late by `daysLate`. */
  order(o: { number: string; email: string; jackets?: number; deliveredDaysAgo?: number; daysLate?: number; placedDaysAgo?: number }): Promise<void>;
  /** Opens a ticket for a customer in the store. */
  ticket(o: { email: string; subject?: string; tags?: string[] }): Promise<{ id: string; number: number; customerId: string }>;
  /** POST /tickets/:id/order-actions as someone. */
  act(who: TestAgent, ticketId: string, payload: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** What has been refunded on an order, minor units. */
  refunded(number: string, who: TestAgent): Promise<number>;
  /** A fresh idempotency key. */
  key(): string;
}

let keys = 0;

/** Creates the store (EUR, Amsterdam) with a jacket and socks in the catalogue. */
export async function createGoodwillStore(t: TestApp, admin: TestAgent, slug: string): Promise<GoodwillStore> {
  const store = await insertStore(t.ctx.db, { name: 'Northwind Outfitters', slug, currency: 'EUR', timezone: 'Europe/Amsterdam' });
  const storeId = store.id;
  const conn = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers, payload: { order_number_prefix: 'NW-', tax_rate_bp: 2100 } });
  expect(conn.statusCode).toBe(200);
  const products = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${storeId}/products`, headers: admin.headers,
    payload: {
      products: [
        { handle: 'trail-jacket', title: 'Trail Jacket', category: 'Jackets', variants: [{ sku: 'TJ-M', title: 'M / Navy', price: 12_900, inventory: 100 }] },
        { handle: 'merino-socks', title: 'Merino Socks', category: 'Accessories', variants: [{ sku: 'MS-1', title: 'One size', price: 1_450, inventory: 100 }] },
      ],
    },
  });
  expect(products.statusCode).toBe(200);
  return {
    storeId,
    async order(o) {
      const now = Date.now();
      const placed = now - (o.placedDaysAgo ?? 12) * DAY;
      const shipped = placed + DAY;
      const fulfillment = o.deliveredDaysAgo !== undefined
        ? { carrier: 'PostNL', tracking_number: `3S${o.number.replace(/\D/g, '')}`, shipped_at: new Date(shipped).toISOString(), delivered_at: new Date(now - o.deliveredDaysAgo * DAY).toISOString() }
        : { carrier: 'DHL', tracking_number: `JVGL${o.number.replace(/\D/g, '')}`, shipped_at: new Date(shipped).toISOString() };
      const res = await t.app.inject({
        method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: admin.headers,
        payload: {
          number: o.number, placed_at: new Date(placed).toISOString(), customer: { email: o.email, name: 'Lena Vos' },
          lines: [{ sku: 'TJ-M', quantity: o.jackets ?? 2 }], shipping: { method: 'DHL Parcel', amount: 495, address },
          ...(o.daysLate !== undefined ? { expected_delivery_at: new Date(now - o.daysLate * DAY).toISOString() } : {}),
          payment: { method: 'card', method_detail: 'Visa •••• 4242' }, fulfillments: [fulfillment],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    },
    async ticket(o) {
      return t.ticket({ storeId, subject: o.subject ?? 'About my order', tags: o.tags, customer: { email: o.email, name: 'Lena Vos' }, message: { body: 'Hello, about my order.' } });
    },
    act(who, ticketId, payload) {
      return t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/order-actions`, headers: who.headers, payload });
    },
    async refunded(number, who) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/${number}`, headers: who.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().order.refunded.amount as number;
    },
    key() {
      return `goodwill-key-${Date.now()}-${++keys}`;
    },
  };
}
