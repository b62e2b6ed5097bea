/**
 * Seeds the connector contract's fixture into a fake Shopify shop through the fake's own
 * seeding API (the merchant's admin), and builds the StoreInfo and connector that reach it.
 */
import { CONTRACT_FIXTURE, type ContractOrderRole, type SeededFixture } from '../../contract/connector-contract.ts';
import type { StoreConnector, StoreInfo } from '../../connector.ts';
import { createShopifyConnector } from '../shopify.connector.ts';
import type { FakeShopify } from './fake-shopify.ts';

const DAY = 24 * 3600_000;

/** A Shopify store row as the registry would build it for the fake. */
export function fakeStoreInfo(fake: FakeShopify, overrides: Partial<StoreInfo> = {}): StoreInfo {
  return {
    id: '00000000-0000-4000-8000-00000000cafe', name: 'Contract Outfitters (Shopify)', currency: 'EUR', timezone: 'Europe/Amsterdam', platform: 'shopify',
    orderNumberPrefix: '#', orderNumberPattern: null, settings: { shop_domain: fake.shopDomain, api_version: fake.apiVersion }, ...overrides,
  };
}

/** The connector for the fake, with its credentials. */
export function fakeConnector(fake: FakeShopify, store: StoreInfo = fakeStoreInfo(fake)): StoreConnector {
  return createShopifyConnector(store, { access_token: fake.accessToken, webhook_secret: fake.webhookSecret }, { baseUrl: fake.baseUrl, jobPollMs: 10, timeoutMs: 5_000 });
}

/** VAT contained in a tax-included price (21%), as Shopify would split it. */
const vat = (gross: number) => Math.round((gross * 21) / 121);

/** Places the contract's customer and orders (oldest first) in the fake shop. */
export function seedContractFixture(fake: FakeShopify): SeededFixture {
  const c = CONTRACT_FIXTURE.customer;
  const [firstName = '', ...last] = c.name.split(' ');
  const customer = fake.seedCustomer({ email: c.email, firstName, lastName: last.join(' '), phone: c.phone, createdAt: new Date(Date.now() - 400 * DAY) });
  const address = { name: c.name, address1: 'Keizersgracht 1', zip: '1015 CJ', city: 'Amsterdam', countryCode: 'NL' };
  const roles: ContractOrderRole[] = ['delivered', 'shipped', 'refundable', 'cancellable'];
  const orders: Partial<SeededFixture['orders']> = {};
  const now = Date.now();
  for (const [i, role] of roles.entries()) {
    const spec = CONTRACT_FIXTURE.orders[role];
    const placedAt = new Date(now - (10 - i) * DAY);
    const placed = fake.seedOrder({
      customerId: customer.id, currency: 'EUR', taxesIncluded: true, createdAt: placedAt, address,
      lines: spec.lines.map((l) => {
        const p = CONTRACT_FIXTURE.products.find((x) => x.sku === l.sku);
        if (!p) throw new Error(`no product ${l.sku}`);
        return { title: p.title, variantTitle: p.variant, sku: p.sku, quantity: l.quantity, price: p.price, tax: vat(p.price * l.quantity) };
      }),
      shipping: { title: 'Standard', price: spec.shipping, tax: vat(spec.shipping) },
    });
    let trackingNumber: string | null = null;
    if (role === 'shipped') {
      trackingNumber = '3SCTRA1234567';
      fake.fulfill(placed.id, { company: 'PostNL', number: trackingNumber, at: new Date(placedAt.getTime() + DAY) });
    } else if (role === 'delivered') {
      trackingNumber = 'JVGL0123456789';
      fake.fulfill(placed.id, { company: 'DHL', number: trackingNumber, url: `https://www.dhl.com/track?tracking-id=${trackingNumber}`, at: new Date(placedAt.getTime() + DAY), deliveredAt: new Date(placedAt.getTime() + 3 * DAY) });
    }
    orders[role] = { number: placed.name, total: placed.total, currency: 'EUR', trackingNumber };
  }
  const complete = (o: Partial<SeededFixture['orders']>): o is SeededFixture['orders'] => roles.every((r) => o[r] !== undefined);
  if (!complete(orders)) throw new Error('contract fixture incomplete');
  return { customerExternalId: customer.id, orders };
}
