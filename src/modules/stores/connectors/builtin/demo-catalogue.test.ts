import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../../test/harness.ts';
import { findOrCreateCustomerByEmail } from '../../../customers/customers.service.ts';
import { insertStore } from '../../stores.queries.ts';
import { connectorForStore } from '../connector-registry.ts';
import { orderGlance } from '../order-math.ts';
import { DEMO_ORDER_STATES, seedDemoCatalogue, type DemoCatalogue, type DemoToldOrder } from './demo-catalogue.ts';

let t: TestApp;
let storeId = '';
let seeded: DemoCatalogue;
const now = new Date('2026-11-20T12:00:00Z');
const customers: { id: string; email: string; name: string | null }[] = [];
const ago = (days: number) => new Date(now.getTime() - days * 24 * 3600_000);
/** A conversation's order: a wrong colour sent, reshipped by express, the wrong one returned and refunded. */
const told: DemoToldOrder[] = [{
  number: 'NW-10003', customer: { email: 'told@example.com', name: 'Told Customer' }, placedAt: ago(20),
  items: [{ product: 'Alpine Fleece Hoodie', size: 'L', colour: 'Forest' }, { product: 'Wool Hiking Socks (3-pack)' }],
  address: { name: 'Told Customer', line1: 'Linnégatan 12', postal_code: '413 04', city: 'Göteborg', country: 'SE' }, carrier: 'UPS',
  payment: { method: 'klarna', detail: 'Klarna Pay later' }, expectedDeliveryAt: ago(16),
  parcels: [
    { kind: 'shipment', carrier: 'UPS', trackingNumber: '1ZAB12CD6812345678', shippedAt: ago(19), estimatedDeliveryAt: ago(16), status: 'delivered', deliveredAt: ago(16) },
    { kind: 'reship', items: [0], carrier: 'UPS', trackingNumber: '1ZAB12CD6887654321', express: true, shippedAt: ago(14), estimatedDeliveryAt: ago(13), status: 'delivered', deliveredAt: ago(13) },
  ],
  returns: [{ kind: 'return', at: ago(12), status: 'received', receivedAt: ago(9), items: [1], reason: 'Not needed' }],
  refunds: [{ at: ago(8), what: { items: [1] }, reason: 'Returned', by: 'Sam Rivera' }],
  notes: [{ at: ago(14), body: 'Sent in Heather Grey instead of Forest.', author: 'Sam Rivera' }],
}];

beforeAll(async () => {
  t = await createTestApp();
  storeId = (await insertStore(t.ctx.db, { name: 'Northwind Outfitters', slug: 'demo-catalogue', currency: 'EUR', timezone: 'Europe/Amsterdam' })).id;
  for (const [i, name] of ['Lena Vos', 'Jonas Becker', 'Amira Haddad', 'Pieter de Wit', 'Sofia Rossi', 'Noah Peeters', 'Emma Jansen', 'Liam Müller', 'Mila Claes', 'Daan Smit'].entries()) {
    const email = `${name.split(' ')[0]?.toLowerCase()}${i}@example.com`;
    const c = await findOrCreateCustomerByEmail(t.ctx, storeId, email, name);
    customers.push({ id: c.id, email, name });
  }
  seeded = await seedDemoCatalogue(t.ctx, { storeId, customers, now, told });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the demo catalogue', () => {
  it('has orders in every state, numbered NW-10xxx, with carriers and tracking links', () => {
    expect(seeded.products).toBeGreaterThan(10);
    expect(seeded.variants).toBeGreaterThan(50);
    expect(new Set(seeded.orders.map((o) => o.state))).toEqual(new Set(DEMO_ORDER_STATES));
    for (const o of seeded.orders) {
      expect(o.number).toMatch(/^NW-10\d{3}$/);
      expect(o.total.currency).toBe('EUR');
      if (['shipped', 'late', 'delivered', 'returned', 'refunded'].includes(o.state)) {
        expect(o.trackingNumber).toBeTruthy();
        expect(o.trackingUrl).toMatch(/^https:\/\//);
      }
    }
    const numbers = seeded.orders.map((o) => o.number);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('each order looks, through the connector, like the state it was made in', async () => {
    const { store, connector } = await connectorForStore(t.ctx, storeId);
    expect(store.orderNumberPrefix).toBe('NW-');
    const expected: Record<string, string> = {
      placed: 'placed', paid: 'paid', shipped: 'shipped', delivered: 'delivered', late: 'late', cancelled: 'cancelled', refunded: 'refunded', returned: 'returned',
    };
    for (const o of seeded.orders) {
      const order = await connector.getOrder(t.ctx, o.number);
      if (!order) throw new Error(`${o.number} missing`);
      expect(orderGlance(order, now, store.timezone).state, `${o.number} (${o.state})`).toBe(expected[o.state]);
      expect(order.lines.reduce((s, l) => s + l.total, 0) + order.shippingTotal).toBe(order.total);
      expect(order.taxTotal).toBeGreaterThan(0);
    }
  });

  it('has late parcels that paid for their shipping, so the late-parcel story can refund it', async () => {
    const { connector } = await connectorForStore(t.ctx, storeId);
    const late = seeded.orders.filter((o) => o.state === 'late');
    expect(late.length).toBeGreaterThan(0);
    for (const o of late) {
      const order = await connector.getOrder(t.ctx, o.number);
      expect(order?.shippingTotal, o.number).toBeGreaterThan(0);
    }
  });

  it('shows a customer’s orders and lifetime value in the panel', async () => {
    const agent = await t.agent('agent');
    const late = seeded.orders.find((o) => o.state === 'late');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${late?.customerId}/orders`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((o: { number: string }) => o.number)).toContain(late?.number);
    expect(body.stats.order_count).toBe(seeded.orders.filter((o) => o.customerId === late?.customerId).length);
  });

  it('writes an order a conversation tells exactly: number, items and size, parcels, return, refund, notes', async () => {
    const { store, connector } = await connectorForStore(t.ctx, storeId);
    expect(seeded.told).toEqual(['NW-10003']);
    const order = await connector.getOrder(t.ctx, 'NW-10003');
    if (!order) throw new Error('NW-10003 missing');
    expect(order.lines.map((l) => `${l.productTitle} (${l.variantTitle ?? ''})`)).toEqual([expect.stringMatching(/^Alpine Fleece Hoodie \(L \/ Forest\)$/), expect.stringMatching(/^Wool Hiking Socks/)]);
    expect(order.shippingTotal).toBe(0);
    expect(order.shippingAddress?.city).toBe('Göteborg');
    expect(order.fulfillments.map((f) => [f.kind, f.carrier, f.trackingNumber, f.status])).toEqual([
      ['shipment', 'UPS', '1ZAB12CD6812345678', 'delivered'], ['reship', 'UPS', '1ZAB12CD6887654321', 'delivered'],
    ]);
    expect(order.fulfillments[0]?.trackingUrl).toMatch(/^https:\/\/www\.ups\.com\//);
    expect(order.refunds.map((r) => r.amount)).toEqual([order.lines[1]?.total]);
    expect(orderGlance(order, now, store.timezone).state).toBe('returned');
    // The history is numbered around it.
    expect(seeded.orders.map((o) => o.number)).not.toContain('NW-10003');
  });

  it('is the same every time for the same customers and moment', async () => {
    const again = await createTestApp();
    try {
      const sid = (await insertStore(again.ctx.db, { name: 'Northwind Outfitters', slug: 'demo-catalogue-2', currency: 'EUR', timezone: 'Europe/Amsterdam' })).id;
      const second = await seedDemoCatalogue(again.ctx, { storeId: sid, customers, now, told });
      const shape = (c: DemoCatalogue) => c.orders.map((o) => [o.number, o.email, o.state, o.total.amount, o.items.join('|'), o.trackingNumber]);
      expect(shape(second)).toEqual(shape(seeded));
    } finally {
      await again.close();
    }
  }, 120_000);
});
