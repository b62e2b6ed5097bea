/**
 * What the Vendure connector does beyond the shared contract, against the real Vendure of
 * .ci/setup-vendure.sh: notes and discount codes made once per key, the change feed polled
 * from Vendure's order history, "Test connection", a wrong password, an API key with only the
 * permissions storedesk needs, and the platform's registration.
 */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../../test/harness.ts';
import { systemContext, type Ctx } from '../../../../shared/context.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { planAction } from '../action-planner.ts';
import { paidAmount, refundedAmount } from '../order-math.ts';
import { listPlatforms } from '../connector-registry.ts';
import { StoreUnavailableError, type ActionPlan, type OrderActionRequest, type OrderChangeEvent, type StoreConnector, type StoreOrder } from '../connector.ts';
import { createVendureClient, type VendureClient } from './vendure.client.ts';
import { VENDURE_CAPABILITIES, createVendureConnector } from './vendure.connector.ts';
import { startOutageProxy } from './testing/outage-proxy.ts';
import { ensureContractProducts, placeOrder, placeShopOrder, shipOrder, vendureTestStore } from './testing/vendure-seed.ts';

const env = {
  url: process.env.STOREDESK_TEST_VENDURE_URL ?? '',
  user: process.env.STOREDESK_TEST_VENDURE_USER ?? '',
  pass: process.env.STOREDESK_TEST_VENDURE_PASS ?? '',
};
if (process.env.CI && !env.url) throw new Error('CI must run .ci/setup-vendure.sh: STOREDESK_TEST_VENDURE_URL is not set');

describe.runIf(Boolean(env.url))('Vendure connector against a real Vendure', () => {
  let ctx: Ctx;
  let close: () => Promise<void> = async () => {};
  let admin: VendureClient;
  let connector: StoreConnector;
  let paid: string;
  let delivered: string;
  let second: string;
  let authorized: string;
  let beanieId: string;
  let customerEmail: string;
  const since = new Date(Date.now() - 5_000).toISOString();

  beforeAll(async () => {
    const database = await createTestDatabase();
    close = () => database.close();
    ctx = systemContext(database.db, new LiveBus(), 'vendure-test');
    admin = createVendureClient({ apiUrl: env.url, auth: { kind: 'password', username: env.user, password: env.pass } });
    connector = createVendureConnector(vendureTestStore(env.url), { username: env.user, password: env.pass });
    const variants = await ensureContractProducts(admin);
    customerEmail = `robin.connector+${Date.now().toString(36)}${randomBytes(2).toString('hex')}@example.com`;
    const created = await admin.request(`mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { ... on Customer { id } } }`,
      { i: { emailAddress: customerEmail, firstName: 'Robin', lastName: 'Connector' } }, Type.Object({ createCustomer: Type.Object({ id: Type.String() }) }));
    const address = { fullName: 'Robin Connector', streetLine1: 'Coolsingel 40', city: 'Rotterdam', postalCode: '3011 AD', countryCode: 'NL' };
    const customerId = created.createCustomer.id;
    paid = (await placeOrder(admin, { customerId, address, shippingMethodCode: 'standard', lines: [{ variantId: variants.get('CT-BEANIE') ?? '', quantity: 1 }] })).code;
    const shipped = await placeOrder(admin, { customerId, address, shippingMethodCode: 'free', lines: [{ variantId: variants.get('CT-SOCKS') ?? '', quantity: 3 }] });
    await shipOrder(admin, shipped.id, 'DHL', `JVGL${Date.now()}`, true);
    delivered = shipped.code;
    beanieId = variants.get('CT-BEANIE') ?? '';
    second = (await placeOrder(admin, { customerId, address, shippingMethodCode: 'standard', lines: [{ variantId: beanieId, quantity: 2 }] })).code;
    const shopper = `alex.shopper+${Date.now().toString(36)}${randomBytes(2).toString('hex')}@example.com`;
    const placed = await placeShopOrder(env.url, { email: shopper, variantId: beanieId, quantity: 1, paymentMethod: 'test-card-authorize', shippingMethodCode: 'standard' });
    expect(placed.state).toBe('PaymentAuthorized');
    authorized = placed.code;
  }, 300_000);
  afterAll(() => close());

  async function order(number: string): Promise<StoreOrder> {
    const found = await connector.getOrder(ctx, number);
    if (!found) throw new Error(`no order ${number}`);
    return found;
  }

  function plan(o: StoreOrder, request: OrderActionRequest): ActionPlan {
    const result = planAction(o, request, { platform: 'vendure', capabilities: VENDURE_CAPABILITIES });
    if (!result.ok) throw new Error(result.refusal.message);
    return result.plan;
  }

  it('“Test connection” names the channel it reached', async () => {
    await expect(connector.checkConnection?.(ctx)).resolves.toMatch(/^Vendure at 127\.0\.0\.1:\d+, channel \S+ \(EUR, prices include tax\)$/);
  });

  it('a wrong password fails clearly, and so does a store with no credentials', async () => {
    const wrong = createVendureConnector(vendureTestStore(env.url), { username: env.user, password: 'not-the-password' });
    const err = await wrong.getOrder(ctx, paid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(String(err)).toMatch(/refused the username or password/);
    const none = createVendureConnector(vendureTestStore(env.url), {});
    await expect(none.checkConnection?.(ctx)).rejects.toThrow(/no Vendure username and password \(or API key\)/);
  });

  it('an API key with only the order, customer, catalogue and promotion permissions reads orders', async () => {
    const Roles = Type.Object({ roles: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })) }) });
    let roleId = (await admin.request(`{ roles(options: { filter: { code: { eq: "storedesk-connector" } } }) { items { id code } } }`, {}, Roles)).roles.items[0]?.id;
    if (!roleId) {
      roleId = (await admin.request(`mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
        i: {
          code: 'storedesk-connector', description: 'storedesk connector',
          permissions: ['ReadOrder', 'UpdateOrder', 'ReadCustomer', 'ReadCatalog', 'ReadPromotion', 'CreatePromotion', 'ReadSettings', 'ReadPaymentMethod'],
        },
      }, Type.Object({ createRole: Type.Object({ id: Type.String() }) }))).createRole.id;
    }
    const key = await admin.request(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey entityId } }`,
      { i: { roleIds: [roleId], translations: [{ languageCode: 'en', name: `storedesk test ${Date.now()}` }] } },
      Type.Object({ createApiKey: Type.Object({ apiKey: Type.String(), entityId: Type.String() }) }));
    const viaKey = createVendureConnector(vendureTestStore(env.url), { api_key: key.createApiKey.apiKey });
    await expect(viaKey.checkConnection?.(ctx)).resolves.toMatch(/^Vendure at /);
    expect((await viaKey.getOrder(ctx, paid))?.number).toBe(paid);
    expect((await viaKey.findCustomer(ctx, { by: 'email', email: customerEmail }))?.name).toBe('Robin Connector');
  });

  it('adds a note once per key, shown to agents without storedesk’s marker', async () => {
    const before = await order(paid);
    const note = plan(before, { action: 'add_note', note: 'Customer asked to leave the parcel with the neighbours.' });
    const key = `note-${randomBytes(4).toString('hex')}`;
    const first = await connector.perform(ctx, before, note, { idempotencyKey: key, actorName: 'Sam Agent' });
    const again = await connector.perform(ctx, before, note, { idempotencyKey: key, actorName: 'Sam Agent' });
    expect(first).toMatchObject({ ok: true, summary: `Note added to ${paid}` });
    expect(again).toMatchObject({ ok: true, details: { replayed: true } });
    const notes = (await order(paid)).notes;
    expect(notes.filter((n) => n.body.startsWith('Customer asked to leave the parcel'))).toHaveLength(1);
    expect(notes[notes.length - 1]?.body).toBe('Customer asked to leave the parcel with the neighbours.\n\n— Sam Agent via storedesk');
  });

  it('creates a single-use discount code once per key, and refuses a code that exists', async () => {
    const o = await order(paid);
    const code = `SORRY${randomBytes(3).toString('hex').toUpperCase()}`;
    const discount = plan(o, { action: 'discount_code', discountType: 'percentage', value: 15, code, reason: 'late parcel' });
    const key = `discount-${randomBytes(4).toString('hex')}`;
    const first = await connector.perform(ctx, o, discount, { idempotencyKey: key, actorName: 'Sam Agent' });
    expect(first).toMatchObject({ ok: true, storeReference: code, summary: `Discount code ${code} created: 15% off, single use` });
    expect(await connector.perform(ctx, o, discount, { idempotencyKey: key, actorName: 'Sam Agent' })).toMatchObject({ ok: true, storeReference: code, details: { replayed: true } });
    const Promotions = Type.Object({ promotions: Type.Object({ items: Type.Array(Type.Object({ couponCode: Type.String(), usageLimit: Type.Union([Type.Integer(), Type.Null()]), enabled: Type.Boolean() })) }) });
    const made = await admin.request(`query($c: String!) { promotions(options: { filter: { couponCode: { eq: $c } } }) { items { couponCode usageLimit enabled } } }`, { c: code }, Promotions);
    expect(made.promotions.items).toEqual([{ couponCode: code, usageLimit: 1, enabled: true }]);
    const taken = await connector.perform(ctx, o, discount, { idempotencyKey: `${key}-other`, actorName: 'Sam Agent' });
    expect(taken).toMatchObject({ ok: false, refusal: { code: 'code_taken' } });
    const generated = await connector.perform(ctx, o, plan(o, { action: 'discount_code', discountType: 'fixed_amount', value: 500 }), { idempotencyKey: `${key}-gen`, actorName: 'Sam Agent' });
    expect(generated).toMatchObject({ ok: true, storeReference: expect.stringMatching(/^SORRY-[A-Z2-9]{6}$/), amount: { amount: 500, currency: 'EUR' } });
  });

  it('refuses what Vendure cannot do, before calling it', async () => {
    const o = await order(delivered);
    const line = o.lines[0];
    if (!line) throw new Error('no line');
    expect(planAction(o, { action: 'create_return', lines: [{ lineId: line.id, quantity: 1 }] }, { platform: 'vendure', capabilities: VENDURE_CAPABILITIES }))
      .toMatchObject({ ok: false, refusal: { code: 'unsupported', message: 'Vendure cannot create returns through storedesk.' } });
    expect(planAction(o, { action: 'refund', scope: 'shipping', destination: 'store_credit' }, { platform: 'vendure', capabilities: VENDURE_CAPABILITIES }))
      .toMatchObject({ ok: false, refusal: { code: 'unsupported' } });
  });

  it('a cancel whose answer was lost is finished by the retry: the refund follows once', async () => {
    const proxy = await startOutageProxy(env.url);
    try {
      const viaProxy = createVendureConnector(vendureTestStore(proxy.url), { username: env.user, password: env.pass });
      const before = await order(second);
      const cancel = plan(before, { action: 'cancel', reason: 'customer changed their mind' });
      const key = `cancel-drop-${randomBytes(4).toString('hex')}`;
      proxy.mode = 'drop_after_write';
      await expect(viaProxy.perform(ctx, before, cancel, { idempotencyKey: key, actorName: 'Sam Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
      proxy.mode = 'up';
      expect(proxy.dropped).toEqual(['StoredeskCancel']);
      const half = await order(second);
      expect(half.cancelledAt).toBeInstanceOf(Date);
      expect(refundedAmount(half)).toBe(0);
      const retried = await viaProxy.perform(ctx, before, cancel, { idempotencyKey: key, actorName: 'Sam Agent' });
      expect(retried).toMatchObject({ ok: true, summary: expect.stringMatching(/^Cancelled .* and refunded €/) });
      expect(await viaProxy.perform(ctx, before, cancel, { idempotencyKey: key, actorName: 'Sam Agent' })).toMatchObject({ ok: true, details: { replayed: true } });
      const after = await order(second);
      expect(refundedAmount(after)).toBe(paidAmount(before));
      expect(after.cancelReason).toBe('customer changed their mind — Sam Agent via storedesk');
    } finally {
      await proxy.close();
    }
  });

  it('cancelling an order whose payment is only authorized releases the authorization', async () => {
    const before = await order(authorized);
    expect(before.financialStatus).toBe('authorized');
    const cancel = plan(before, { action: 'cancel' });
    if (cancel.action !== 'cancel') throw new Error('not a cancel plan');
    expect(cancel).toMatchObject({ refundAmount: 0, voidAmount: before.total });
    expect(await connector.perform(ctx, before, cancel, { idempotencyKey: `void-${randomBytes(4).toString('hex')}`, actorName: 'Sam Agent' })).toMatchObject({ ok: true });
    const after = await order(authorized);
    expect(after.payments.map((p) => p.status)).toEqual(['voided']);
    expect(after.financialStatus).toBe('voided');
    expect(after.cancelledAt).toBeInstanceOf(Date);
  });

  it('finds variants by SKU with their price and stock, leaving unknown SKUs out', async () => {
    const variants = await connector.findVariants(ctx, ['CT-JACKET-L', 'NO-SUCH-SKU']);
    expect(variants).toHaveLength(1);
    expect(variants[0]).toMatchObject({ sku: 'CT-JACKET-L', productTitle: 'Contract Jacket', variantTitle: 'L', price: 12_900, currency: 'EUR' });
    expect(variants[0]?.available).toBeGreaterThan(0);
  });

  it('polls the change feed from Vendure’s history: placed, paid, shipped, delivered, refunded, cancelled, with stable ids', async () => {
    const o = await order(paid);
    const refunded = await connector.perform(ctx, o, plan(o, { action: 'refund', scope: 'shipping' }), { idempotencyKey: `poll-${randomBytes(4).toString('hex')}`, actorName: 'Sam Agent' });
    expect(refunded.ok).toBe(true);
    const afterRefund = await order(paid);
    expect(await connector.perform(ctx, afterRefund, plan(afterRefund, { action: 'cancel' }), { idempotencyKey: `poll-c-${randomBytes(4).toString('hex')}`, actorName: 'Sam Agent' })).toMatchObject({ ok: true });

    const ours = new Set([paid, delivered]);
    async function pollAll(): Promise<OrderChangeEvent[]> {
      const events: OrderChangeEvent[] = [];
      let cursor: string | null = since;
      for (let page = 0; page < 50; page++) {
        const result: { events: OrderChangeEvent[]; cursor: string | null } | undefined = await connector.pollChanges?.(ctx, cursor);
        if (!result) throw new Error('pollChanges is missing');
        events.push(...result.events.filter((e) => ours.has(e.orderNumber)));
        if (result.cursor === cursor) break;
        cursor = result.cursor;
        if (result.events.length === 0) break;
      }
      return events;
    }
    const events = await pollAll();
    const types = (number: string) => [...new Set(events.filter((e) => e.orderNumber === number).map((e) => e.type))].sort();
    expect(types(paid)).toEqual(['order.cancelled', 'order.created', 'order.paid', 'order.refunded']);
    expect(types(delivered)).toEqual(['order.created', 'order.delivered', 'order.paid', 'order.shipped']);
    expect(events.find((e) => e.type === 'order.shipped')).toMatchObject({ customerEmail, data: { carrier: 'DHL', tracking_url: expect.stringMatching(/^https:\/\/www\.dhl\.com\//) } });
    const refunds = events.filter((e) => e.orderNumber === paid && e.type === 'order.refunded').map((e) => e.data.amount);
    expect(refunds).toContain(495);
    // Polling again gives the same ids: the feed drops them as repeats.
    const again = new Set((await pollAll()).map((e) => e.sourceId));
    for (const e of events) expect(again.has(e.sourceId)).toBe(true);
  });

  it('is registered as a platform with the fields an admin fills in', () => {
    const vendure = listPlatforms().find((p) => p.platform === 'vendure');
    expect(vendure?.name).toBe('Vendure');
    expect(vendure?.settings.map((f) => f.key)).toEqual(['api_url', 'channel_token']);
    expect(vendure?.credentials.map((f) => [f.key, f.kind])).toEqual([['username', 'text'], ['password', 'secret'], ['api_key', 'secret']]);
  });
});
