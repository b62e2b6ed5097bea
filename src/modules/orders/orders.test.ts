import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { insertStore } from '../stores/stores.queries.ts';
import { createBuiltinConnector, createSimulatedTransport } from '../stores/connectors/builtin/builtin.connector.ts';
import { loadStoreInfo, overrideStoreConnector } from '../stores/connectors/connector-registry.ts';
import { storeReadCache } from '../stores/connectors/read-cache.ts';
import { AppError } from '../../shared/errors.ts';
import type { Ctx } from '../../shared/context.ts';
import { runOrderAction } from './order-actions.service.ts';
import { linkOrderReferences } from './order-links.service.ts';

const DAY = 24 * 3600_000;
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['agent']>>;
let agent: Awaited<ReturnType<TestApp['agent']>>;
let storeId = '';
let ticket: { id: string; number: number; customerId: string };
let keyCounter = 0;
const key = () => `test-key-${Date.now()}-${++keyCounter}`;

const address = { name: 'Lena Vos', line1: 'Prinsengracht 263', postal_code: '1016 GV', city: 'Amsterdam', country: 'NL' };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin', 'Alex Admin');
  agent = await t.agent('agent', 'Sam Rivera');
  const store = await insertStore(t.ctx.db, { name: 'Northwind Outfitters', slug: 'northwind-test', currency: 'EUR', timezone: 'Europe/Amsterdam' });
  storeId = store.id;
  const conn = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers, payload: { order_number_prefix: 'NW-', tax_rate_bp: 2100 } });
  expect(conn.statusCode).toBe(200);
  const products = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${storeId}/products`, headers: admin.headers,
    payload: {
      products: [
        { handle: 'trail-jacket', title: 'Trail Jacket', category: 'Jackets', tags: ['waterproof'], variants: [{ sku: 'TJ-M', title: 'M / Navy', price: 12_900, inventory: 10 }, { sku: 'TJ-L', title: 'L / Navy', price: 12_900, inventory: 0 }] },
        { handle: 'merino-socks', title: 'Merino Socks', category: 'Accessories', variants: [{ sku: 'MS-1', title: 'One size', price: 1_450 }] },
      ],
    },
  });
  expect(products.json()).toEqual({ products: 2, variants: 3 });
  const now = Date.now();
  const late = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: admin.headers,
    payload: {
      number: 'NW-10234', placed_at: new Date(now - 10 * DAY).toISOString(), customer: { email: 'lena@example.com', name: 'Lena Vos' },
      lines: [{ sku: 'TJ-M', quantity: 1 }, { sku: 'MS-1', quantity: 2 }], shipping: { method: 'DHL Parcel', amount: 495, address },
      expected_delivery_at: new Date(now - 4 * DAY).toISOString(), payment: { method: 'card', method_detail: 'Visa •••• 4242' },
      fulfillments: [{ carrier: 'DHL', tracking_number: 'JVGL05512345678', shipped_at: new Date(now - 9 * DAY).toISOString() }],
    },
  });
  expect(late.statusCode).toBe(201);
  const delivered = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: admin.headers,
    payload: {
      number: 'NW-10101', placed_at: new Date(now - 60 * DAY).toISOString(), customer: { email: 'lena@example.com' }, lines: [{ sku: 'MS-1', quantity: 1 }],
      shipping: { amount: 0, address }, payment: { method: 'paypal', method_detail: 'PayPal' },
      fulfillments: [{ carrier: 'PostNL', tracking_number: '3SNWTR0000001', shipped_at: new Date(now - 59 * DAY).toISOString(), delivered_at: new Date(now - 57 * DAY).toISOString() }],
    },
  });
  expect(delivered.statusCode).toBe(201);
  ticket = await t.ticket({ storeId, subject: 'Where is my parcel?', customer: { email: 'lena@example.com', name: 'Lena Vos' }, message: { body: 'My jacket has not arrived.' } });
});

afterAll(async () => {
  overrideStoreConnector(storeId, null);
  await t?.close();
});

const refundedOf = async (number: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/${number}`, headers: agent.headers });
  return res.json().order.refunded.amount as number;
};

describe('the built-in store API', () => {
  it('lets an admin or an integration token push orders, not an agent in the workspace', async () => {
    const payload = { customer: { email: 'x@example.com' }, lines: [{ sku: 'MS-1', quantity: 1 }] };
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: { cookie: agent.cookie }, payload });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    const adminSession = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: { cookie: admin.cookie }, payload });
    expect(adminSession.statusCode).toBe(201);
    expect(adminSession.json().number).toBe('NW-10235');
  });

  it('refuses an order for a SKU that is not in the catalogue, naming the line', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/orders`, headers: admin.headers, payload: { customer: { email: 'x@example.com' }, lines: [{ sku: 'NOPE', quantity: 1 }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'lines[0].sku' }] });
  });

  it('lists stores with their platform and order number format; only admins change the format', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/stores', headers: agent.headers });
    expect(list.json().items.find((s: { id: string }) => s.id === storeId)).toMatchObject({ platform: 'builtin', order_number_prefix: 'NW-', tax_rate_bp: 2100, actions: expect.arrayContaining(['refund', 'reship']) });
    const denied = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeId}/connection`, headers: agent.headers, payload: { order_number_prefix: 'XX-' } });
    expect(denied.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/stores/${storeId}/connection`, headers: admin.headers, payload: { order_number_pattern: '(' } });
    expect(bad.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'order_number_pattern' }] });
  });

  it('documents every order and store route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/customers/{id}/orders', '/api/v1/orders/lookup', '/api/v1/orders/{storeId}/{number}', '/api/v1/tickets/{id}/order-actions', '/api/v1/stores/{storeId}/orders']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('imports CSV all or nothing', async () => {
    const bad = 'number,email,sku,quantity\nNW-20001,ann@example.com,MS-1,1\nNW-20002,not-an-email,MS-1,1\n';
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/import`, headers: admin.headers, payload: { orders_csv: bad } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('orders_csv.rows[3].email');
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/NW-20001`, headers: agent.headers });
    expect(missing.statusCode).toBe(404);
    const good = 'handle,title,sku,variant_title,price,tags\nwool-beanie,Wool Beanie,WB-1,One size,24.95,"knit, winter"\n';
    const orders = 'number,email,name,sku,quantity,shipping,payment_method,carrier,tracking_number,shipped_at\nNW-20001,ann@example.com,Ann,WB-1,2,4.95,ideal,UPS,1Z999AA10123456784,2026-11-01T10:00:00Z\nNW-20001,ann@example.com,Ann,MS-1,1,,,,,\n';
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/import`, headers: admin.headers, payload: { products_csv: good, orders_csv: orders } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ products: 1, variants: 1, orders: 1 });
    const order = (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/NW-20001`, headers: agent.headers })).json().order;
    expect(order.total).toEqual({ amount: 2 * 2495 + 1450 + 495, currency: 'EUR' });
    expect(order.fulfillments[0].tracking_url).toBe('https://www.ups.com/track?tracknum=1Z999AA10123456784');
  });
});

describe('orders beside the conversation', () => {
  it('shows the customer’s orders with their state at a glance and lifetime figures', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ticket.customerId}/orders`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.store).toMatchObject({ name: 'Northwind Outfitters', platform: 'builtin', currency: 'EUR' });
    expect(body.capabilities.actions).toContain('refund');
    expect(body.items.map((o: { number: string }) => o.number)).toEqual(['NW-10234', 'NW-10101']);
    const [late, delivered] = body.items;
    expect(late).toMatchObject({ status: 'late', total: { amount: 12_900 + 2 * 1_450 + 495, currency: 'EUR' }, item_count: 3 });
    expect(late.status_label).toMatch(/^Late — expected/);
    expect(late.tracking).toMatchObject({ carrier: 'DHL', number: 'JVGL05512345678' });
    expect(late.tracking.url).toContain('JVGL05512345678');
    expect(late.lines[0]).toMatchObject({ sku: 'TJ-M', product_title: 'Trail Jacket', variant_title: 'M / Navy', quantity: 1, unit_price: { amount: 12_900 } });
    expect(late.tax_total.amount).toBeGreaterThan(0);
    expect(delivered).toMatchObject({ status: 'delivered', status_label: expect.stringMatching(/^Delivered /) });
    expect(body.stats).toMatchObject({ order_count: 2, lifetime_value: { amount: 16_295 + 1_450, currency: 'EUR' }, source: 'store' });
    expect(new Date(body.stats.first_order_at).getTime()).toBeLessThan(new Date(body.stats.last_order_at).getTime());
  });

  it('opens an order however its number is typed, and says when there is none', async () => {
    for (const typed of ['NW-10234', 'nw-10234', '%2310234', '10234']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/${typed}`, headers: agent.headers });
      expect(res.statusCode).toBe(200);
      expect(res.json().order.number).toBe('NW-10234');
    }
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/NW-10234`, headers: agent.headers })).json();
    expect(detail.customer.id).toBe(ticket.customerId);
    expect(detail.refundable).toMatchObject({ total: { amount: 16_295 }, shipping: { amount: 495 } });
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${storeId}/NW-99999`, headers: agent.headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toContain('NW-99999');
  });

  it('finds an order and its customer from an order number or a tracking number typed in search', async () => {
    for (const q of ['NW-10234', 'JVGL05512345678']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/orders/lookup?q=${encodeURIComponent(q)}`, headers: agent.headers });
      expect(res.statusCode).toBe(200);
      const match = res.json().matches.find((m: { store: { id: string } }) => m.store.id === storeId);
      expect(match).toMatchObject({ order: { number: 'NW-10234' }, customer: { id: ticket.customerId, email: 'lena@example.com' } });
    }
  });

  it('links order and tracking numbers found in a message to the ticket', async () => {
    const other = await t.ticket({ storeId, customer: { email: 'lena@example.com' }, message: { body: 'x' } });
    const result = await linkOrderReferences(t.ctx, other.id, 'Hi! About order #10101 and my parcel JVGL05512345678. Also #99999 (typo).');
    expect(result.linked.sort()).toEqual(['NW-10101', 'NW-10234']);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${other.id}`, headers: agent.headers });
    expect(res.json().ticket.order_numbers.sort()).toEqual(['NW-10101', 'NW-10234']);
    expect(res.json().events.map((e: { type: string }) => e.type)).toContain('orders.linked');
    expect((await linkOrderReferences(t.ctx, other.id, 'again NW-10234')).linked).toEqual([]);
  });
});

describe('actions on orders from a ticket', () => {
  const act = (payload: Record<string, unknown>, headers = agent.headers) =>
    t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/order-actions`, headers, payload });

  it('previews exactly what refunding the shipping will do, with the refundable maximum, and changes nothing', async () => {
    const res = await act({ order_number: 'NW-10234', action: 'refund', params: { scope: 'shipping' }, dry_run: true });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ dry_run: true, ok: true, plan: { action: 'refund', amount: { amount: 495, currency: 'EUR' }, refundable_max: { amount: 16_295 } }, policy: { outcome: 'allow' } });
    expect(body.plan.summary).toBe('Refund €4.95 (shipping) to Visa •••• 4242');
    expect(body.plan.effects.join(' ')).toContain('€158.00 will remain refundable');
    expect(await refundedOf('NW-10234')).toBe(0);
  });

  it('refunds the shipping once, however often it is sent, and puts it on the ticket’s timeline', async () => {
    const k = key();
    const first = await act({ order_number: 'nw-10234', action: 'refund', params: { scope: 'shipping', reason: 'Late parcel' }, idempotency_key: k });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'succeeded', action: 'refund', order_number: 'NW-10234', amount: { amount: 495, currency: 'EUR' }, replayed: false,
      summary: 'Refunded €4.95 (shipping) to Visa •••• 4242', actor: { type: 'integration', name: 'Sam Rivera' }, outcome: { ok: true },
    });
    const second = await act({ order_number: 'nw-10234', action: 'refund', params: { scope: 'shipping', reason: 'Late parcel' }, idempotency_key: k });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, status: 'succeeded', replayed: true });
    expect(await refundedOf('NW-10234')).toBe(495);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })).json();
    const refunded = detail.events.filter((e: { type: string }) => e.type === 'order.refunded');
    expect(refunded).toHaveLength(1);
    expect(refunded[0]).toMatchObject({ actor: { name: 'Sam Rivera' }, data: { order_number: 'NW-10234', amount: 495, currency: 'EUR', summary: 'Refunded €4.95 (shipping) to Visa •••• 4242' } });
    expect(detail.ticket.order_numbers).toContain('NW-10234');
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.number}/order-actions`, headers: agent.headers })).json();
    expect(list.items.filter((a: { idempotency_key: string }) => a.idempotency_key === k)).toHaveLength(1);
    expect(list.items[0].effects.length).toBeGreaterThan(0);
  });

  it('two identical requests at the same instant act once', async () => {
    const k = key();
    const payload = { order_number: 'NW-10234', action: 'refund', params: { scope: 'amount', amount: 250, reason: 'Double click' }, idempotency_key: k };
    const before = await refundedOf('NW-10234');
    const answers = await Promise.all([act(payload), act(payload), act(payload)]);
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    for (const r of answers.filter((x) => x.statusCode !== 201)) {
      expect([200, 409]).toContain(r.statusCode);
      if (r.statusCode === 200) expect(r.json().replayed).toBe(true);
    }
    expect(await refundedOf('NW-10234')).toBe(before + 250);
  });

  it('refuses an idempotency key reused for a different request', async () => {
    const k = key();
    expect((await act({ order_number: 'NW-10234', action: 'add_note', params: { note: 'Customer called' }, idempotency_key: k })).statusCode).toBe(201);
    const res = await act({ order_number: 'NW-10234', action: 'add_note', params: { note: 'Something else' }, idempotency_key: k });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'idempotency_key' }] });
  });

  it('answers a refund above the refundable maximum with a refusal that names the limit', async () => {
    const res = await act({ order_number: 'NW-10234', action: 'refund', params: { scope: 'amount', amount: 999_999, currency: 'EUR' }, idempotency_key: key() });
    expect(res.statusCode).toBe(200);
    const refunded = await refundedOf('NW-10234');
    expect(res.json()).toMatchObject({ status: 'refused', outcome: { ok: false, refusal: { code: 'exceeds_refundable', limit: { amount: 16_295 - refunded, currency: 'EUR' } } } });
    expect(res.json().outcome.refusal.message).toContain(`at most €${((16_295 - refunded) / 100).toFixed(2)}`);
    expect(await refundedOf('NW-10234')).toBe(refunded);
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.headers })).json().events;
    expect(events.map((e: { type: string }) => e.type)).toContain('order.action_refused');
  });

  it('refuses to cancel a shipped order, in words an agent can act on', async () => {
    const res = await act({ order_number: 'NW-10234', action: 'cancel', idempotency_key: key() });
    expect(res.json().status).toBe('refused');
    expect(res.json().outcome.refusal.message).toMatch(/already shipped .* with DHL \(JVGL05512345678\).*Create a return instead/);
  });

  it('a store that is down answers 503 naming the store and does nothing; a retry with the same key acts once', async () => {
    const store = await loadStoreInfo(t.ctx, storeId);
    const transport = createSimulatedTransport({ mode: 'down' });
    overrideStoreConnector(storeId, createBuiltinConnector(store, { transport }));
    storeReadCache.invalidateStore(storeId);
    const k = key();
    const payload = { order_number: 'NW-10234', action: 'store_credit', params: { amount: 1_000, reason: 'Sorry for the wait' }, idempotency_key: k };
    try {
      const down = await act(payload);
      expect(down.statusCode).toBe(503);
      expect(down.headers['content-type']).toContain('application/problem+json');
      expect(down.json()).toMatchObject({ code: 'service_unavailable', store_id: storeId });
      expect(down.json().detail).toContain('Northwind Outfitters');
      expect(down.json().detail).toContain('was not done');
      transport.mode = 'drop_after_write';
      expect((await act(payload)).statusCode).toBe(503);
      const panel = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ticket.customerId}/orders`, headers: agent.headers });
      expect(panel.statusCode).toBe(503);
    } finally {
      overrideStoreConnector(storeId, null);
    }
    const credits = async () => Number((await t.ctx.db.selectFrom('shop_store_credits').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await credits()).toBe(0);
    const failed = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/order-actions`, headers: agent.headers })).json().items.find((a: { idempotency_key: string }) => a.idempotency_key === k);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    const retried = await act(payload);
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ status: 'succeeded', attempts: 3, amount: { amount: 1_000 } });
    expect((await act(payload)).json().replayed).toBe(true);
    expect(await credits()).toBe(1);
  });

  it('refuses parameters that do not apply to the action, naming the field', async () => {
    const wrong = await act({ order_number: 'NW-10234', action: 'refund', params: { scope: 'shipping', percentage: 10 }, idempotency_key: key() });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'params.percentage' }] });
    const noKey = await act({ order_number: 'NW-10234', action: 'refund', params: { scope: 'shipping' } });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].field).toBe('idempotency_key');
    const currency = await act({ order_number: 'NW-10234', action: 'refund', params: { scope: 'amount', amount: 100, currency: 'USD' }, dry_run: true });
    expect(currency.json().errors[0].field).toBe('params.currency');
  });

  it('refuses to act without an idempotency key, whoever calls the service, before anything is recorded', async () => {
    const asAgent: Ctx = { ...t.ctx, actor: { type: 'agent', agentId: agent.id, role: 'agent', name: 'Sam Rivera' } };
    const recorded = async () => Number((await t.ctx.db.selectFrom('order_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await recorded();
    for (const [ctx, idempotencyKey] of [[asAgent, undefined], [t.ctx, undefined], [asAgent, '']] as const) {
      const refused = await runOrderAction(ctx, { ticketId: ticket.id, orderNumber: 'NW-10234', request: { action: 'add_note', note: 'Called the customer' }, idempotencyKey })
        .then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'validation_failed', status: 400, errors: [{ field: 'idempotency_key', message: 'is required unless dry_run is true' }] });
    }
    const short = await runOrderAction(asAgent, { ticketId: ticket.id, orderNumber: 'NW-10234', request: { action: 'add_note', note: 'Called the customer' }, idempotencyKey: ' short ' })
      .then(() => null, (e: unknown) => e);
    expect(short).toMatchObject({ code: 'validation_failed', errors: [{ field: 'idempotency_key', message: 'must be 8 to 200 visible characters' }] });
    expect(await recorded()).toBe(before);

    // The API answers the service's problem unchanged.
    const res = await act({ order_number: 'NW-10234', action: 'add_note', params: { note: 'Called the customer' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'idempotency_key' }] });
    expect(await recorded()).toBe(before);
  });

  it('puts what happened to the customer’s orders on their timeline', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${ticket.customerId}/order-timeline?limit=50`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const types = res.json().items.filter((e: { order_number: string }) => e.order_number === 'NW-10234').map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.created', 'order.paid', 'order.shipped', 'order.refunded']));
    const older = res.json().items.filter((e: { order_number: string }) => e.order_number === 'NW-10101').map((e: { type: string }) => e.type);
    expect(older).toContain('order.delivered');
  });
});
