/**
 * The store connector contract, run against a real Medusa v2 server (started by
 * .ci/setup-medusa.sh) seeded through Medusa's own APIs, then what only Medusa's connector does:
 * the admin sign-in, returns, discount codes, notes and the polled change feed. 'down' points the
 * connector at a closed port; 'drop_after_write' puts a loopback proxy in front of Medusa that
 * lets writes through and cuts the connection before their answers come back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../../test/harness.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { systemContext, type Ctx } from '../../../../shared/context.ts';
import { planAction } from '../action-planner.ts';
import { StoreUnavailableError, type ActionPlan, type OrderActionRequest, type OrderChangeEvent, type StoreConnector, type StoreCredentials, type StoreInfo } from '../connector.ts';
import { describeConnectorContract, type ContractHarness } from '../contract/connector-contract.ts';
import { lineStates, orderGlance, refundedAmount } from '../order-math.ts';
import { createMedusaConnector } from './medusa.connector.ts';
import { closedPort, startOutageProxy } from './testing/outage-proxy.ts';
import { seedMedusa, type MedusaSeed } from './testing/medusa-seed.ts';

const env = {
  url: process.env.STOREDESK_TEST_MEDUSA_URL,
  email: process.env.STOREDESK_TEST_MEDUSA_EMAIL ?? 'admin@storedesk.test',
  password: process.env.STOREDESK_TEST_MEDUSA_PASSWORD ?? '',
};
if (process.env.CI && !env.url) throw new Error('CI must run .ci/setup-medusa.sh: STOREDESK_TEST_MEDUSA_URL is not set');

const PREFIX = '#';

function storeInfo(apiUrl: string): StoreInfo {
  return {
    id: randomUUID(), name: 'Contract Outfitters (Medusa)', currency: 'EUR', timezone: 'Europe/Amsterdam', platform: 'medusa',
    orderNumberPrefix: PREFIX, orderNumberPattern: null, settings: { api_url: apiUrl },
  };
}

/** A connector that forwards to whichever connector the harness has switched to. */
function switchable(initial: StoreConnector): { connector: StoreConnector; use(c: StoreConnector): void } {
  let current = initial;
  const connector: StoreConnector = {
    platform: initial.platform,
    capabilities: initial.capabilities,
    findCustomer: (ctx, lookup) => current.findCustomer(ctx, lookup),
    listCustomerOrders: (ctx, id, page) => current.listCustomerOrders(ctx, id, page),
    getOrder: (ctx, number) => current.getOrder(ctx, number),
    findOrdersByTracking: (ctx, numbers) => current.findOrdersByTracking(ctx, numbers),
    findVariants: (ctx, skus) => current.findVariants(ctx, skus),
    perform: (ctx, order, plan, options) => current.perform(ctx, order, plan, options),
  };
  return { connector, use: (c) => (current = c) };
}

let seeding: Promise<MedusaSeed> | null = null;
/** One seeding per test file: the contract's orders, read again by the Medusa-only tests. */
function seedOnce(): Promise<MedusaSeed> {
  seeding ??= seedMedusa({ url: env.url ?? '', email: env.email, password: env.password, prefix: PREFIX });
  return seeding;
}

async function medusaHarness(): Promise<ContractHarness> {
  const url = env.url ?? '';
  const database = await createTestDatabase();
  const ctx = systemContext(database.db, new LiveBus(), 'contract');
  const seed = await seedOnce();
  const credentials: StoreCredentials = { api_key: seed.secretApiKey };
  const direct = createMedusaConnector(storeInfo(url), credentials);
  const proxy = await startOutageProxy(url);
  const viaProxy = createMedusaConnector(storeInfo(proxy.url), credentials);
  const down = createMedusaConnector(storeInfo(`http://127.0.0.1:${await closedPort()}`), credentials, { timeoutMs: 5_000 });
  const sw = switchable(viaProxy);
  const store = storeInfo(url);
  return {
    connector: sw.connector,
    ctx,
    store,
    seeded: seed.seeded,
    failureModes: ['down', 'drop_after_write', 'rate_limited'],
    setUnreachable(mode) {
      proxy.mode = mode === 'drop_after_write' || mode === 'rate_limited' ? mode : 'up';
      sw.use(mode === 'down' ? down : viaProxy);
    },
    readOrder: (number) => direct.getOrder(ctx, number),
    async close() {
      await proxy.close();
      await database.close();
    },
  };
}

describe.runIf(Boolean(env.url))('Medusa v2 (real server)', () => {
  describeConnectorContract('Medusa v2', medusaHarness);

  describe('what only the Medusa connector does', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let ctx: Ctx;
    let seed: MedusaSeed;
    let connector: StoreConnector;

    beforeAll(async () => {
      database = await createTestDatabase();
      ctx = systemContext(database.db, new LiveBus(), 'medusa');
      seed = await seedOnce();
      // The admin's email and password (a JWT) instead of the secret key the contract used.
      connector = createMedusaConnector(storeInfo(env.url ?? ''), { email: env.email, password: env.password });
    }, 300_000);
    afterAll(async () => {
      await database?.close();
    });

    const plan = async (number: string, request: OrderActionRequest): Promise<ActionPlan> => {
      const order = await connector.getOrder(ctx, number);
      if (!order) throw new Error(`no order ${number}`);
      const result = planAction(order, request, { platform: 'medusa', capabilities: connector.capabilities });
      if (!result.ok) throw new Error(`${result.refusal.code}: ${result.refusal.message}`);
      return result.plan;
    };

    it('tests the connection with the admin sign-in, and says what it reached', async () => {
      const said = await connector.checkConnection?.(ctx);
      expect(said).toMatch(/^Medusa at 127\.0\.0\.1:\d+.*admin user/);
      const wrong = createMedusaConnector(storeInfo(env.url ?? ''), { email: env.email, password: 'not-the-password' });
      await expect(wrong.checkConnection?.(ctx)).rejects.toThrow(/refused the email or password/);
    });

    it('reads amounts to the cent: 21% VAT included, shipping taxed, lines adding up to the order', async () => {
      const order = await connector.getOrder(ctx, seed.seeded.orders.shipped.number);
      expect(order?.taxesIncluded).toBe(true);
      expect(order?.lines[0]).toMatchObject({ sku: 'CT-BEANIE', unitPrice: 2495, linePrice: 2495, total: 2495, tax: 433 });
      expect(order?.shippingTotal).toBe(495);
      expect(order?.total).toBe(2990);
      expect(order?.taxTotal).toBe(433 + 86);
      expect(order?.number).toBe(seed.seeded.orders.shipped.number);
      expect(await connector.getOrder(ctx, seed.seeded.orders.shipped.number.replace('#', ''))).toMatchObject({ number: seed.seeded.orders.shipped.number });
      expect(await connector.findVariants(ctx, ['CT-SOCKS', 'NO-SUCH-SKU'])).toEqual([
        expect.objectContaining({ sku: 'CT-SOCKS', productTitle: 'Contract Socks', variantTitle: 'One size', price: 1450, currency: 'EUR', available: null }),
      ]);
    });

    it('opens a return (RMA) on a delivered order, once per key', async () => {
      const number = seed.seeded.orders.delivered.number;
      const before = await connector.getOrder(ctx, number);
      const socks = before?.lines.find((l) => l.sku === 'CT-SOCKS');
      if (!before || !socks) throw new Error('no socks');
      const p = await plan(number, { action: 'create_return', lines: [{ lineId: socks.id, quantity: 1, reason: 'too small' }], reason: 'contract: wrong size' });
      const key = `medusa-return-${Date.now()}`;
      const first = await connector.perform(ctx, before, p, { idempotencyKey: key, actorName: 'Contract Agent' });
      const again = await connector.perform(ctx, before, p, { idempotencyKey: key, actorName: 'Contract Agent' });
      expect(first).toMatchObject({ ok: true, action: 'create_return' });
      if (!first.ok || !again.ok) throw new Error('return refused');
      expect(again.storeReference).toBe(first.storeReference);
      const after = await connector.getOrder(ctx, number);
      expect(after?.returns).toHaveLength(1);
      expect(after?.returns[0]).toMatchObject({ number: first.storeReference, status: 'requested', lines: [{ lineId: socks.id, quantity: 1 }] });
      expect(lineStates(after ?? before).find((s) => s.line.id === socks.id)?.returned).toBe(1);
      if (after) expect(orderGlance(after, new Date()).state).toBe('return_requested');
    });

    it('adds a note to the order and creates a single-use discount code, each once per key', async () => {
      const number = seed.seeded.orders.shipped.number;
      const order = await connector.getOrder(ctx, number);
      if (!order) throw new Error('no order');
      const noteKey = `medusa-note-${Date.now()}`;
      const note = await plan(number, { action: 'add_note', note: 'Customer called about the parcel; told them it is on its way.' });
      expect(await connector.perform(ctx, order, note, { idempotencyKey: noteKey, actorName: 'Contract Agent' })).toMatchObject({ ok: true });
      expect(await connector.perform(ctx, order, note, { idempotencyKey: noteKey, actorName: 'Contract Agent' })).toMatchObject({ ok: true });
      const noted = await connector.getOrder(ctx, number);
      expect(noted?.notes.filter((n) => n.body.startsWith('Customer called'))).toEqual([expect.objectContaining({ author: 'Contract Agent' })]);

      const discount = await plan(number, { action: 'discount_code', discountType: 'fixed_amount', value: 500, reason: 'contract: late parcel' });
      const key = `medusa-discount-${Date.now()}`;
      const first = await connector.perform(ctx, order, discount, { idempotencyKey: key, actorName: 'Contract Agent' });
      const again = await connector.perform(ctx, order, discount, { idempotencyKey: key, actorName: 'Contract Agent' });
      expect(first).toMatchObject({ ok: true, amount: { amount: 500, currency: 'EUR' } });
      if (!first.ok || !again.ok) throw new Error('discount refused');
      expect(first.storeReference).toMatch(/^SORRY-[A-Z2-9]{6}$/);
      expect(again.storeReference).toBe(first.storeReference);
      const taken = await plan(number, { action: 'discount_code', discountType: 'percentage', value: 10, code: first.storeReference ?? '' });
      expect(await connector.perform(ctx, order, taken, { idempotencyKey: `${key}-taken`, actorName: 'Contract Agent' })).toMatchObject({ ok: false, refusal: { code: 'code_taken' } });
    });

    it('a refund whose answer was lost is found again by its tag: the retry does not refund twice', async () => {
      const proxy = await startOutageProxy(env.url ?? '');
      try {
        const viaProxy = createMedusaConnector(storeInfo(proxy.url), { email: env.email, password: env.password });
        const number = seed.seeded.orders.refundable.number;
        const before = await connector.getOrder(ctx, number);
        if (!before) throw new Error('no order');
        const p = await plan(number, { action: 'refund', scope: 'amount', amount: 125, reason: 'contract: lost answer' });
        const key = `medusa-lost-${Date.now()}`;
        proxy.mode = 'drop_after_write';
        proxy.dropOnly = /\/refund$/;
        await expect(viaProxy.perform(ctx, before, p, { idempotencyKey: key, actorName: 'Contract Agent' })).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(proxy.dropped).toEqual([expect.stringMatching(/^POST \/admin\/payments\/.+\/refund$/)]);
        // Medusa did refund; the agent was told it could not be reached and retries with the key.
        expect(refundedAmount((await connector.getOrder(ctx, number)) ?? before)).toBe(refundedAmount(before) + 125);
        proxy.mode = 'up';
        const retried = await viaProxy.perform(ctx, before, p, { idempotencyKey: key, actorName: 'Contract Agent' });
        expect(retried).toMatchObject({ ok: true, amount: { amount: 125 } });
        const after = await connector.getOrder(ctx, number);
        expect(refundedAmount(after ?? before)).toBe(refundedAmount(before) + 125);
        expect(after?.refunds.filter((r) => r.reason === 'contract: lost answer (by Contract Agent via storedesk)')).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });

    it('refuses what Medusa cannot do through storedesk, in words', async () => {
      const order = await connector.getOrder(ctx, seed.seeded.orders.shipped.number);
      if (!order) throw new Error('no order');
      const line = order.lines[0];
      const refused = planAction(order, { action: 'reship', lines: [{ lineId: line?.id ?? '', quantity: 1 }] }, { platform: 'medusa', capabilities: connector.capabilities });
      expect(refused).toMatchObject({ ok: false, refusal: { code: 'unsupported', message: 'Medusa cannot reship items at no charge through storedesk.' } });
    });

    it('polls the change feed: every state change once, with stable source ids', async () => {
      // The shared Medusa keeps every run's orders: follow the cursor page by page until it is caught up.
      async function pollAll(from: string | null): Promise<{ events: OrderChangeEvent[]; cursor: string | null }> {
        const events: OrderChangeEvent[] = [];
        let cursor = from;
        for (let page = 0; page < 200; page++) {
          const result = await connector.pollChanges?.(ctx, cursor);
          if (!result) throw new Error('no change feed');
          events.push(...result.events);
          if (result.cursor === cursor) return { events, cursor: result.cursor };
          cursor = result.cursor;
        }
        throw new Error('the change feed did not catch up within 200 pages');
      }
      const first = await pollAll(null);
      const mine = first.events.filter((e) => Object.values(seed.seeded.orders).some((o) => o.number === e.orderNumber));
      const types = (number: string) => mine.filter((e) => e.orderNumber === number).map((e) => e.type).sort();
      expect(types(seed.seeded.orders.delivered.number)).toEqual(['order.created', 'order.delivered', 'order.paid', 'order.shipped']);
      expect(types(seed.seeded.orders.cancellable.number)).toEqual(expect.arrayContaining(['order.created', 'order.paid', 'order.cancelled', 'order.refunded']));
      const shipped = mine.find((e) => e.type === 'order.shipped' && e.orderNumber === seed.seeded.orders.shipped.number);
      expect(shipped?.data).toMatchObject({ carrier: 'PostNL', tracking_number: seed.seeded.orders.shipped.trackingNumber });
      // Nothing new since: the next poll brings no event of these orders again.
      const next = await pollAll(first.cursor);
      const repeated = next.events.filter((e) => mine.some((m) => m.sourceId === e.sourceId));
      expect(repeated).toEqual([]);
      // A new refund shows up once, by its refund id.
      const number = seed.seeded.orders.refundable.number;
      const order = await connector.getOrder(ctx, number);
      if (!order) throw new Error('no order');
      const p = await plan(number, { action: 'refund', scope: 'amount', amount: 50, reason: 'contract: feed' });
      const done = await connector.perform(ctx, order, p, { idempotencyKey: `medusa-feed-${Date.now()}`, actorName: 'Contract Agent' });
      if (!done.ok) throw new Error(done.refusal.message);
      const after = await pollAll(next.cursor);
      expect(after.events.filter((e) => e.type === 'order.refunded' && e.sourceId === `medusa:refund:${done.storeReference}`)).toHaveLength(1);
    });
  });
});
