/**
 * The store connector contract, run against the built-in store on the database under test.
 * The fixture is pushed in through the built-in store's own service, as an integration would;
 * outages are simulated by the connector's transport (refusing, or dropping the answer after
 * the work, which must roll back).
 */
import { createTestDatabase } from '../../../../../test/harness.ts';
import { LiveBus } from '../../../../shared/live-bus.ts';
import { systemContext } from '../../../../shared/context.ts';
import { insertStore, upsertStoreConnection } from '../../stores.queries.ts';
import { loadStoreInfo } from '../connector-registry.ts';
import { CONTRACT_FIXTURE, describeConnectorContract, type ContractHarness, type ContractOrderRole, type SeededFixture } from '../contract/connector-contract.ts';
import { createBuiltinConnector, createSimulatedTransport } from './builtin.connector.ts';
import { pushOrder, upsertProducts } from './builtin.service.ts';

const DAY = 24 * 3600_000;

async function builtinHarness(): Promise<ContractHarness> {
  const database = await createTestDatabase();
  const ctx = systemContext(database.db, new LiveBus(), 'contract');
  const row = await insertStore(ctx.db, { name: 'Contract Outfitters', slug: 'contract', currency: 'EUR', timezone: 'Europe/Amsterdam' });
  await upsertStoreConnection(ctx.db, { storeId: row.id, platform: 'builtin', orderNumberPrefix: 'CT-', orderNumberPattern: null, settings: { tax_rate_bp: 2100 } });
  const store = await loadStoreInfo(ctx, row.id);
  const byTitle = new Map<string, { sku: string; title: string; price: number }[]>();
  for (const p of CONTRACT_FIXTURE.products) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), { sku: p.sku, title: p.variant, price: p.price }]);
  await upsertProducts(ctx, store.id, [...byTitle.entries()].map(([title, variants]) => ({ handle: title.toLowerCase().replace(/\s+/g, '-'), title, variants })));

  const now = Date.now();
  const c = CONTRACT_FIXTURE.customer;
  const address = { name: c.name, line1: 'Keizersgracht 1', postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL' };
  const seeded: Partial<SeededFixture['orders']> = {};
  const roles: ContractOrderRole[] = ['delivered', 'shipped', 'refundable', 'cancellable'];
  for (const [i, role] of roles.entries()) {
    const spec = CONTRACT_FIXTURE.orders[role];
    const placedAt = new Date(now - (10 - i) * DAY);
    const tracking = role === 'shipped' ? '3SCTRA1234567' : role === 'delivered' ? 'JVGL0123456789' : null;
    const created = await pushOrder(ctx, store.id, {
      placedAt, customer: { email: c.email, name: c.name, phone: c.phone }, lines: spec.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      shipping: { method: 'Standard', amount: spec.shipping, address }, payment: { method: 'card', methodDetail: 'Visa •••• 4242', status: 'captured' },
      expectedDeliveryAt: new Date(placedAt.getTime() + 30 * DAY),
      fulfillments: tracking
        ? [{ carrier: role === 'shipped' ? 'PostNL' : 'DHL', trackingNumber: tracking, shippedAt: new Date(placedAt.getTime() + DAY), deliveredAt: role === 'delivered' ? new Date(placedAt.getTime() + 3 * DAY) : null }]
        : undefined,
    });
    const total = spec.lines.reduce((s, l) => s + (CONTRACT_FIXTURE.products.find((p) => p.sku === l.sku)?.price ?? 0) * l.quantity, 0) + spec.shipping;
    seeded[role] = { number: created.number, total, currency: 'EUR', trackingNumber: tracking };
  }
  const customer = await ctx.db.selectFrom('shop_customers').select('id').where('store_id', '=', store.id).where('email', '=', c.email).executeTakeFirstOrThrow();
  const transport = createSimulatedTransport();
  const direct = createBuiltinConnector(store);
  const orders = seeded as SeededFixture['orders'];
  return {
    connector: createBuiltinConnector(store, { transport }),
    ctx,
    store,
    seeded: { customerExternalId: customer.id, orders },
    failureModes: ['down', 'drop_after_write'],
    setUnreachable(mode) {
      if (mode === 'rate_limited') throw new Error('the built-in store has no rate limiting to simulate');
      transport.mode = mode === false ? 'up' : mode;
    },
    readOrder: (number) => direct.getOrder(ctx, number),
    close: () => database.close(),
  };
}

describeConnectorContract('built-in store', builtinHarness);
