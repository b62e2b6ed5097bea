/**
 * The Shopify connector beyond the shared contract: the fake really enforces Shopify's schema,
 * outages and rate limits reach the agent as StoreUnavailableError with the wait, money keeps
 * its precision in zero- and three-decimal currencies, order numbers are matched exactly,
 * every action kind works once per key, and signed webhooks become order events (once).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../../test/harness.ts';
import type { Database } from '../../../../db/database.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { systemContext, type Ctx } from '../../../../shared/context.ts';
import { recordOrderEvents } from '../../order-feed.service.ts';
import { insertStore } from '../../stores.queries.ts';
import { planAction } from '../action-planner.ts';
import { StoreUnavailableError, type ActionPlan, type OrderActionRequest, type StoreConnector, type StoreOrder } from '../connector.ts';
import { refundedAmount } from '../order-math.ts';
import { createShopifyClient } from './shopify.client.ts';
import { SHOPIFY_CAPABILITIES, createShopifyConnector } from './shopify.connector.ts';
import { startFakeShopify, type FakeShopify } from './testing/fake-shopify.ts';
import { fakeConnector, fakeStoreInfo } from './testing/seed-contract.ts';

const DAY = 24 * 3600_000;
let fake: FakeShopify;
let database: Database;
let ctx: Ctx;
let connector: StoreConnector;
let customerId: string;
let keyCounter = 0;
const key = (label: string) => `test-${label}-${++keyCounter}-${Date.now().toString(36)}`;

beforeAll(async () => {
  database = await createTestDatabase();
  ctx = systemContext(database.db, new LiveBus(), 'shopify-test');
  fake = await startFakeShopify();
  connector = fakeConnector(fake);
  customerId = fake.seedCustomer({ email: 'robin@example.com', firstName: 'Robin', lastName: 'Shop', phone: '+31687654321' }).id;
});

afterAll(async () => {
  await fake?.close();
  await database?.close();
});

afterEach(() => {
  fake.mode = 'up';
  fake.dropOnly = null;
  fake.assertNoSurprises();
});

function seedPaid(input: { currency?: string; lines?: { sku: string; price: number; quantity: number }[]; shipping?: number; fulfilled?: boolean } = {}) {
  const currency = input.currency ?? 'EUR';
  const placed = fake.seedOrder({
    customerId, currency, createdAt: new Date(Date.now() - 5 * DAY),
    address: { name: 'Robin Shop', address1: 'Damrak 1', zip: '1012 LG', city: 'Amsterdam', countryCode: 'NL' },
    lines: (input.lines ?? [{ sku: 'MUG-1', price: 1_250, quantity: 2 }]).map((l) => ({ title: `Item ${l.sku}`, sku: l.sku, quantity: l.quantity, price: l.price })),
    shipping: { title: 'Standard', price: input.shipping ?? 495 },
  });
  if (input.fulfilled) fake.fulfill(placed.id, { company: 'DHL', number: `JVGL${Math.floor(Math.random() * 1e10)}`, at: new Date(Date.now() - 4 * DAY) });
  return placed;
}

async function read(number: string): Promise<StoreOrder> {
  const order = await connector.getOrder(ctx, number);
  if (!order) throw new Error(`no order ${number}`);
  return order;
}

function plan(order: StoreOrder, request: OrderActionRequest): ActionPlan {
  const result = planAction(order, request, { platform: 'shopify', capabilities: SHOPIFY_CAPABILITIES });
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result.plan;
}

describe('the fake enforces Shopify’s published schema', () => {
  it('a query asking for a field Shopify does not have fails, and the fake records the surprise', async () => {
    const client = createShopifyClient({ shopDomain: fake.shopDomain, apiVersion: fake.apiVersion, accessToken: fake.accessToken, baseUrl: fake.baseUrl });
    await expect(client.request({ query: '{ shop { name trackingNumberOfEverything } }' })).rejects.toThrow(/Shopify rejected the request: Cannot query field "trackingNumberOfEverything"/);
    await expect(client.request({ query: 'mutation { orderUpdate(input: { id: "gid://shopify/Order/1" }) @idempotent(key: "k") { userErrors { message } } }' })).rejects.toThrow(/idempotent directive is not supported/);
    await expect(client.request({ query: '{ orders(first: 1, tracking: "X") { nodes { id } } }' })).rejects.toThrow(/Unknown argument "tracking"/);
    expect(fake.surprises).toHaveLength(3);
    fake.clearLog();
  });

  it('an unknown path is a 404 and a surprise; a wrong token is Shopify’s 401', async () => {
    const res = await fetch(`${fake.baseUrl}/admin/api/2019-01/orders.json`);
    expect(res.status).toBe(404);
    expect(fake.surprises[0]).toMatch(/unexpected GET/);
    fake.clearLog();
    const wrong = createShopifyConnector(fakeStoreInfo(fake), { access_token: 'shpat_wrong', webhook_secret: 'x' }, { baseUrl: fake.baseUrl });
    await expect(wrong.checkConnection?.(ctx)).rejects.toThrow(/refused the access token/);
  });

  it('checkConnection names the shop and the API version', async () => {
    await expect(connector.checkConnection?.(ctx)).resolves.toBe(`Shopify store “Contract Outfitters” (${fake.shopDomain}), Admin API 2026-01`);
  });
});

describe('Shopify that cannot answer', () => {
  it('HTTP 429 becomes StoreUnavailableError with Retry-After’s seconds', async () => {
    fake.mode = 'throttled';
    fake.retryAfterSeconds = 7;
    const err: unknown = await connector.findCustomer(ctx, { by: 'email', email: 'robin@example.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    if (err instanceof StoreUnavailableError) {
      expect(err.options.retryAfterSeconds).toBe(7);
      expect(err.message).toMatch(/rate limiting/);
    }
  });

  it('a THROTTLED GraphQL answer waits until the bucket refills enough for the query', async () => {
    fake.mode = 'throttled_graphql';
    const err: unknown = await connector.getOrder(ctx, '#1001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    // requestedQueryCost 302, currentlyAvailable 2, restoreRate 100 → 3 s.
    if (err instanceof StoreUnavailableError) expect(err.options.retryAfterSeconds).toBe(3);
  });

  it('a 503 and a refused connection are StoreUnavailableError', async () => {
    fake.mode = 'error_503';
    await expect(connector.getOrder(ctx, '#1001')).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.mode = 'down';
    await expect(connector.getOrder(ctx, '#1001')).rejects.toThrow(/Shopify at .+ cannot be reached: the connection was cut/);
  });
});

describe('reading', () => {
  it('an order number is matched exactly although Shopify’s search matches prefixes; "1002" finds "#1002"', async () => {
    for (let i = 0; i < 3; i++) seedPaid();
    const names = [...Array(3).keys()].map((i) => `#${1001 + i}`);
    expect(await connector.getOrder(ctx, '#100')).toBeNull();
    expect((await connector.getOrder(ctx, '1002'))?.number).toBe(names[1]);
  });

  it('JPY (no decimals) and KWD (three decimals) amounts arrive as exact minor units and go back in the right precision', async () => {
    const jpy = seedPaid({ currency: 'JPY', lines: [{ sku: 'TEA', price: 1_500, quantity: 3 }], shipping: 800 });
    const order = await read(jpy.name);
    expect(order.currency).toBe('JPY');
    expect(order.lines[0]?.unitPrice).toBe(1_500);
    expect(order.total).toBe(5_300);
    expect(order.shippingTotal).toBe(800);
    const outcome = await connector.perform(ctx, order, plan(order, { action: 'refund', scope: 'amount', amount: 501 }), { idempotencyKey: key('jpy'), actorName: 'Agent' });
    expect(outcome).toMatchObject({ ok: true, amount: { amount: 501, currency: 'JPY' } });
    const sent = fake.requests.find((r) => r.fields.includes('refundCreate'));
    expect(JSON.stringify(sent?.variables)).toContain('"amount":"501"');
    expect(refundedAmount(await read(jpy.name))).toBe(501);

    const kwd = seedPaid({ currency: 'KWD', lines: [{ sku: 'DATES', price: 12_345, quantity: 1 }], shipping: 1_500 });
    const kOrder = await read(kwd.name);
    expect(kOrder.lines[0]?.unitPrice).toBe(12_345);
    expect(kOrder.total).toBe(13_845);
    fake.clearLog();
    const refunded = await connector.perform(ctx, kOrder, plan(kOrder, { action: 'refund', scope: 'shipping' }), { idempotencyKey: key('kwd'), actorName: 'Agent' });
    expect(refunded).toMatchObject({ ok: true, amount: { amount: 1_500, currency: 'KWD' } });
    expect(JSON.stringify(fake.requests.find((r) => r.fields.includes('refundCreate'))?.variables)).toContain('"amount":"1.500"');
    const after = await read(kwd.name);
    expect(after.refunds[0]?.shipping).toBe(1_500);
  });
});

describe('acting', () => {
  it('a refund whose answer was lost is found on retry by its key: Shopify refunds once', async () => {
    const placed = seedPaid();
    const order = await read(placed.name);
    const p = plan(order, { action: 'refund', scope: 'shipping', reason: 'late parcel' });
    const k = key('drop');
    fake.mode = 'drop_after_write';
    await expect(connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.mode = 'up';
    expect(fake.orderState(placed.id).refunds).toHaveLength(1);
    const retried = await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' });
    expect(retried).toMatchObject({ ok: true, amount: { amount: 495 } });
    expect(fake.orderState(placed.id).refunds).toHaveLength(1);
    expect((await read(placed.name)).refunds[0]?.reason).toBe('late parcel (by Agent via storedesk)');
  });

  it('a return whose answer was lost is found again by the marker in its reason note: the retry does not open a second return', async () => {
    const placed = seedPaid({ fulfilled: true });
    const order = await read(placed.name);
    const line = order.lines[0];
    if (!line) throw new Error('no line');
    const p = plan(order, { action: 'create_return', lines: [{ lineId: line.id, quantity: 1, reason: 'too small' }] });
    const k = key('return-drop');
    fake.mode = 'drop_after_write';
    fake.dropOnly = 'returnCreate';
    await expect(connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.mode = 'up';
    expect(fake.orderState(placed.id).returns).toHaveLength(1);
    const retried = await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' });
    expect(retried).toMatchObject({ ok: true, storeReference: `${placed.name}-R1`, details: { replayed: true } });
    expect(await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).toMatchObject({ ok: true, storeReference: `${placed.name}-R1` });
    expect(fake.orderState(placed.id).returns).toHaveLength(1);
    // The marker is Shopify's record of the key; agents see the reason without it.
    expect((await read(placed.name)).returns).toMatchObject([{ number: `${placed.name}-R1`, reason: 'too small', lines: [{ quantity: 1, reason: 'too small' }] }]);
    // A new request for the other unit opens a second return.
    const second = await connector.perform(ctx, order, p, { idempotencyKey: key('return-2'), actorName: 'Agent' });
    expect(second).toMatchObject({ ok: true, storeReference: `${placed.name}-R2` });
  });

  it('store credit whose answer was lost is found again in the account’s history: the retry does not credit twice', async () => {
    const customer = fake.seedCustomer({ email: 'sam.credit@example.com', firstName: 'Sam', lastName: 'Credit' }).id;
    const placed = fake.seedOrder({ customerId: customer, currency: 'EUR', createdAt: new Date(Date.now() - 5 * DAY), lines: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, price: 2_500 }] });
    const order = await read(placed.name);
    const balance = async () => (await connector.findCustomer(ctx, { by: 'external_id', externalId: customer }))?.storeCreditBalance?.amount ?? 0;
    const p = plan(order, { action: 'store_credit', amount: 700, reason: 'goodwill' });
    const k = key('credit-drop');

    fake.mode = 'drop_after_write';
    fake.dropOnly = 'storeCreditAccountCredit';
    await expect(connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.dropOnly = null;
    fake.mode = 'up';
    expect(await balance()).toBe(700);

    // When Shopify cannot be asked whether the credit was given, nothing is given.
    fake.mode = 'error_503';
    await expect(connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.mode = 'up';
    expect(await balance()).toBe(700);

    const retried = await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' });
    expect(retried).toMatchObject({ ok: true, amount: { amount: 700, currency: 'EUR' }, details: { replayed: true, balance: { amount: 700 } } });
    expect(await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).toMatchObject({ ok: true, storeReference: retried.ok ? retried.storeReference : '' });
    expect(await balance()).toBe(700);

    // Another request for the same amount is a new credit, not mistaken for the first.
    expect(await connector.perform(ctx, order, p, { idempotencyKey: key('credit-2'), actorName: 'Agent' })).toMatchObject({ ok: true, details: { balance: { amount: 1_400 } } });
    expect(await balance()).toBe(1_400);
  });

  it('store credit announced on the order but never given (its announcement’s answer was lost) is given once by the retry', async () => {
    const customer = fake.seedCustomer({ email: 'kim.credit@example.com', firstName: 'Kim', lastName: 'Credit' }).id;
    const placed = fake.seedOrder({ customerId: customer, currency: 'EUR', createdAt: new Date(Date.now() - 5 * DAY), lines: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, price: 2_500 }] });
    const order = await read(placed.name);
    const balance = async () => (await connector.findCustomer(ctx, { by: 'external_id', externalId: customer }))?.storeCreditBalance?.amount ?? 0;
    const p = plan(order, { action: 'store_credit', amount: 450, reason: 'goodwill' });
    const k = key('credit-intent-drop');
    fake.mode = 'drop_after_write';
    fake.dropOnly = 'orderUpdate';
    await expect(connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
    fake.dropOnly = null;
    fake.mode = 'up';
    expect(await balance()).toBe(0);
    expect(await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).toMatchObject({ ok: true, amount: { amount: 450 } });
    expect(await connector.perform(ctx, order, p, { idempotencyKey: k, actorName: 'Agent' })).toMatchObject({ ok: true, details: { replayed: true } });
    expect(await balance()).toBe(450);
  });

  it('refundCreate carries Shopify’s @idempotent key; a repeat of the same mutation returns the first refund', async () => {
    const placed = seedPaid();
    const order = await read(placed.name);
    fake.clearLog();
    await connector.perform(ctx, order, plan(order, { action: 'refund', scope: 'amount', amount: 300 }), { idempotencyKey: key('native'), actorName: 'Agent' });
    const sent = fake.requests.find((r) => r.fields.includes('refundCreate'));
    expect(sent?.query).toMatch(/refundCreate\(input: \$input\) @idempotent\(key: \$key\)/);
    const res = await fetch(`${fake.baseUrl}/admin/api/${fake.apiVersion}/graphql.json`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': fake.accessToken }, body: JSON.stringify({ query: sent?.query, variables: sent?.variables }),
    });
    const again = (await res.json()) as { data: { refundCreate: { refund: { id: string } } } };
    expect(again.data.refundCreate.refund.id).toBe((await read(placed.name)).refunds[0]?.id);
    expect(fake.orderState(placed.id).refunds).toHaveLength(1);
  });

  it('a return, a discount code, store credit and a note each act once per key', async () => {
    const placed = seedPaid({ fulfilled: true });
    const order = await read(placed.name);
    const line = order.lines[0];
    if (!line) throw new Error('no line');

    const ret = plan(order, { action: 'create_return', lines: [{ lineId: line.id, quantity: 1, reason: 'too small' }] });
    const k1 = key('return');
    const r1 = await connector.perform(ctx, order, ret, { idempotencyKey: k1, actorName: 'Agent' });
    expect(r1).toMatchObject({ ok: true, storeReference: `${placed.name}-R1` });
    expect(await connector.perform(ctx, order, ret, { idempotencyKey: k1, actorName: 'Agent' })).toMatchObject({ ok: true, storeReference: `${placed.name}-R1`, details: { replayed: true } });
    expect((await read(placed.name)).returns).toMatchObject([{ number: `${placed.name}-R1`, status: 'requested', lines: [{ lineId: line.id, quantity: 1, reason: 'too small' }] }]);

    const disc = plan(order, { action: 'discount_code', discountType: 'percentage', value: 15, reason: 'sorry' });
    const k2 = key('discount');
    const d1 = await connector.perform(ctx, order, disc, { idempotencyKey: k2, actorName: 'Agent' });
    expect(d1.ok && d1.storeReference).toMatch(/^SORRY-[A-Z2-9]{8}$/);
    expect(await connector.perform(ctx, order, disc, { idempotencyKey: k2, actorName: 'Agent' })).toMatchObject({ ok: true, storeReference: d1.ok ? d1.storeReference : '' });
    const sentDiscount = fake.requests.find((r) => r.fields.includes('discountCodeBasicCreate'));
    expect(JSON.stringify(sentDiscount?.variables)).toContain(`"customers":{"add":["${customerId}"]}`);
    expect(JSON.stringify(sentDiscount?.variables)).toContain('"percentage":0.15');
    const taken = plan(order, { action: 'discount_code', discountType: 'fixed_amount', value: 500, code: d1.ok ? d1.storeReference ?? '' : '' });
    expect(await connector.perform(ctx, order, taken, { idempotencyKey: key('taken'), actorName: 'Agent' })).toMatchObject({ ok: false, refusal: { code: 'code_taken' } });

    const credit = plan(order, { action: 'store_credit', amount: 1_000, reason: 'goodwill' });
    const k3 = key('credit');
    expect(await connector.perform(ctx, order, credit, { idempotencyKey: k3, actorName: 'Agent' })).toMatchObject({ ok: true, amount: { amount: 1_000, currency: 'EUR' } });
    await connector.perform(ctx, order, credit, { idempotencyKey: k3, actorName: 'Agent' });
    expect((await connector.findCustomer(ctx, { by: 'external_id', externalId: customerId }))?.storeCreditBalance).toEqual({ amount: 1_000, currency: 'EUR' });

    const note = plan(order, { action: 'add_note', note: 'Customer called about sizing.' });
    const k4 = key('note');
    await connector.perform(ctx, order, note, { idempotencyKey: k4, actorName: 'Agent' });
    await connector.perform(ctx, order, note, { idempotencyKey: k4, actorName: 'Agent' });
    const notes = (await read(placed.name)).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body.match(/Customer called about sizing/g)).toHaveLength(1);
  });

  it('a fulfilled order is not cancelled: the connector re-checks it, and Shopify refuses it too', async () => {
    const placed = seedPaid({ fulfilled: true });
    const order = await read(placed.name);
    const forged: ActionPlan = {
      action: 'cancel', orderNumber: order.number, currency: order.currency, amount: 0, request: { action: 'cancel', refundPayment: false },
      refundAmount: 0, voidAmount: 0, restock: false, reason: null, summary: 'forged', effects: [],
    };
    const outcome = await connector.perform(ctx, order, forged, { idempotencyKey: key('cancel'), actorName: 'Agent' });
    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'already_shipped' } });
    // And past the connector's own check, the shop refuses as Shopify does: a userError, nothing cancelled.
    const client = createShopifyClient({ shopDomain: fake.shopDomain, apiVersion: fake.apiVersion, accessToken: fake.accessToken, baseUrl: fake.baseUrl });
    const direct = await client.request<{ orderCancel: { orderCancelUserErrors: { code: string; message: string }[] } }>({
      query: 'mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: false) { orderCancelUserErrors { code message } } }', variables: { id: placed.id },
    });
    expect(direct.orderCancel.orderCancelUserErrors).toMatchObject([{ code: 'INVALID', message: expect.stringMatching(/fulfillments/) }]);
    expect(fake.orderState(placed.id).cancelledAt).toBeNull();
  });

  it('exchange and reship are declared unsupported and the planner says so', async () => {
    const order = await read(seedPaid({ fulfilled: true }).name);
    const line = order.lines[0];
    const refused = planAction(order, { action: 'reship', lines: [{ lineId: line?.id ?? '', quantity: 1 }] }, { platform: 'shopify', capabilities: SHOPIFY_CAPABILITIES });
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'unsupported', message: 'Shopify cannot reship items at no charge through storedesk.' } });
  });
});

describe('webhooks', () => {
  it('a correctly signed orders/create becomes an order.created event with the webhook id as source', async () => {
    const placed = seedPaid();
    const delivery = fake.webhook('orders/create', fake.orderPayload(placed.id), { webhookId: 'wh-create-1' });
    const events = await connector.readWebhook?.(delivery);
    expect(events).toEqual([expect.objectContaining({ sourceId: 'shopify:wh-create-1', type: 'order.created', orderNumber: placed.name, customerEmail: 'robin@example.com', data: expect.objectContaining({ amount: placed.total, currency: 'EUR' }) })]);
  });

  it('a wrong, absent or other shop’s signature is null', async () => {
    const placed = seedPaid();
    const payload = fake.orderPayload(placed.id);
    expect(await connector.readWebhook?.(fake.webhook('orders/paid', payload, { secret: 'someone-else' }))).toBeNull();
    const unsigned = fake.webhook('orders/paid', payload);
    delete unsigned.headers['x-shopify-hmac-sha256'];
    expect(await connector.readWebhook?.(unsigned)).toBeNull();
    const tampered = fake.webhook('orders/paid', payload);
    expect(await connector.readWebhook?.({ headers: tampered.headers, rawBody: Buffer.from(tampered.rawBody.toString().replace('EUR', 'USD')) })).toBeNull();
    expect(await connector.readWebhook?.(fake.webhook('orders/paid', payload, { shopDomain: 'other-shop.myshopify.com' }))).toBeNull();
  });

  it('refunds/create names the order by id only; the connector asks Shopify for its number', async () => {
    const placed = seedPaid();
    const order = await read(placed.name);
    const done = await connector.perform(ctx, order, plan(order, { action: 'refund', scope: 'shipping' }), { idempotencyKey: key('wh-refund'), actorName: 'Agent' });
    if (!done.ok || !done.storeReference) throw new Error('refund failed');
    const events = await connector.readWebhook?.(fake.webhook('refunds/create', fake.refundPayload(done.storeReference)));
    expect(events).toMatchObject([{ type: 'order.refunded', orderNumber: placed.name, customerEmail: 'robin@example.com', data: { amount: 495, currency: 'EUR' } }]);
  });

  it('fulfillments/update with shipment_status delivered is order.delivered; other statuses and topics give no events', async () => {
    const placed = seedPaid();
    const parcel = fake.fulfill(placed.id, { company: 'DHL', number: 'JVGL555', at: new Date() });
    expect(await connector.readWebhook?.(fake.webhook('fulfillments/update', fake.fulfillmentPayload(parcel.id)))).toEqual([]);
    fake.markDelivered(parcel.id, new Date());
    expect(await connector.readWebhook?.(fake.webhook('fulfillments/update', fake.fulfillmentPayload(parcel.id)))).toMatchObject([
      { type: 'order.delivered', orderNumber: placed.name, data: { carrier: 'DHL', tracking_number: 'JVGL555' } },
    ]);
    expect(await connector.readWebhook?.(fake.webhook('products/update', { id: 1 }))).toEqual([]);
    expect(await connector.readWebhook?.(fake.webhook('orders/fulfilled', fake.orderPayload(placed.id)))).toMatchObject([{ type: 'order.shipped', data: { tracking_number: 'JVGL555' } }]);
  });

  it('the same delivery twice (same X-Shopify-Webhook-Id) is recorded once', async () => {
    const storeRow = await insertStore(ctx.db, { name: 'Webhook shop', slug: `wh-${Date.now().toString(36)}`, currency: 'EUR' });
    const placed = seedPaid();
    const delivery = fake.webhook('orders/cancelled', { ...fake.orderPayload(placed.id), cancelled_at: new Date().toISOString(), cancel_reason: 'customer' }, { webhookId: 'wh-dup-1' });
    const first = (await connector.readWebhook?.(delivery)) ?? [];
    const again = (await connector.readWebhook?.(delivery)) ?? [];
    expect(await recordOrderEvents(ctx, storeRow.id, first)).toBe(1);
    expect(await recordOrderEvents(ctx, storeRow.id, again)).toBe(0);
  });
});
