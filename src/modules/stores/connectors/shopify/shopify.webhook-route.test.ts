/**
 * Shopify webhooks end to end: a store connected through the API with its secrets (encrypted at
 * rest, opened by the registry), deliveries signed by the fake shop exactly as Shopify signs
 * them, POSTed to the public route. A good delivery is recorded and shows on the customer's
 * timeline; a repeat is recorded once; a bad signature is 401 problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../../../test/harness.ts';
import { startFakeShopify, type FakeShopify } from './testing/fake-shopify.ts';

let t: TestApp;
let admin: TestAgent;
let fake: FakeShopify;
let storeId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin');
  fake = await startFakeShopify();
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/stores', headers: admin.headers,
    payload: {
      name: 'Harbour Goods (Shopify)', currency: 'EUR', timezone: 'Europe/Amsterdam', platform: 'shopify', order_number_prefix: '#',
      settings: { shop_domain: fake.shopDomain }, credentials: { access_token: fake.accessToken, webhook_secret: fake.webhookSecret },
    },
  });
  if (res.statusCode !== 201) throw new Error(`connecting failed: ${res.statusCode} ${res.body}`);
  storeId = res.json<{ id: string }>().id;
});

afterAll(async () => {
  await fake?.close();
  await t?.close();
});

async function post(delivery: { headers: Record<string, string>; rawBody: Buffer }) {
  return t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/webhooks`, headers: delivery.headers, payload: delivery.rawBody });
}

describe('POST /api/v1/stores/:storeId/webhooks with Shopify deliveries', () => {
  it('records a signed orders/create once, however often Shopify delivers it', async () => {
    const customer = fake.seedCustomer({ email: 'sam.harbour@example.com', firstName: 'Sam', lastName: 'Harbour' });
    const order = fake.seedOrder({ customerId: customer.id, currency: 'EUR', lines: [{ title: 'Rope', sku: 'ROPE', quantity: 1, price: 2_000 }], shipping: { title: 'Standard', price: 495 } });
    const delivery = fake.webhook('orders/create', fake.orderPayload(order.id), { webhookId: 'route-wh-1' });
    const first = await post(delivery);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 1, recorded: 1 });
    const again = await post(delivery);
    expect(again.json()).toEqual({ received: 1, recorded: 0 });
    const rows = await t.database.db.selectFrom('store_order_events').select(['order_number', 'type', 'customer_email']).where('store_id', '=', storeId).execute();
    expect(rows).toEqual([{ order_number: order.name, type: 'order.created', customer_email: 'sam.harbour@example.com' }]);
  });

  it('a delivery signed with another secret is 401 problem+json and records nothing', async () => {
    const customer = fake.seedCustomer({ email: 'lee@example.com', firstName: 'Lee', lastName: 'Harbour' });
    const order = fake.seedOrder({ customerId: customer.id, currency: 'EUR', lines: [{ title: 'Rope', sku: 'ROPE', quantity: 1, price: 2_000 }] });
    const res = await post(fake.webhook('orders/paid', fake.orderPayload(order.id), { secret: 'not-the-app-secret' }));
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const rows = await t.database.db.selectFrom('store_order_events').select('id').where('store_id', '=', storeId).where('order_number', '=', order.name).execute();
    expect(rows).toHaveLength(0);
    fake.assertNoSurprises();
  });
});
