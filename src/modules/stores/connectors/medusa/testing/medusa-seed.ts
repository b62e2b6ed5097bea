/**
 * Seeds the connector contract's fixture into a real Medusa v2 server through Medusa's own APIs,
 * as a shop would come to have it: an EU region in EUR with 21% VAT included in prices, a sales
 * channel, a warehouse that ships to the Netherlands (PostNL Standard €4.95 and free shipping), the
 * fixture's products, and a customer (email and phone unique per run: the server is shared by
 * every run) whose orders go through the storefront's cart and checkout with Medusa's system
 * payment provider, are captured, and, for the shipped and delivered roles, fulfilled, shipped
 * with a tracking number, and marked delivered. The catalogue and setup are reused when they
 * exist already. For tests only.
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CONTRACT_FIXTURE, type ContractOrderRole, type SeededFixture } from '../../contract/connector-contract.ts';
import { createMedusaClient, type MedusaClient } from '../medusa.client.ts';

const Id = Type.Object({ id: Type.String() });

const REGION = 'Storedesk Contract EU';
const CHANNEL = 'Storedesk Contract';
const WAREHOUSE = 'Storedesk Contract Warehouse';
const KEY_TITLE = 'Storedesk Contract storefront';

/** What a seeding run made, beside the contract's view of it. */
export interface MedusaSeed {
  seeded: SeededFixture;
  /** A secret API key made for this run (for the connector under test). */
  secretApiKey: string;
  /** Medusa's order id per role. */
  orderIds: Record<ContractOrderRole, string>;
}

/** Reads a value out of an answer, failing the seed with what was there instead. */
function pick<S extends TSchema>(schema: S, value: unknown, what: string): Static<S> {
  if (!Value.Check(schema, value)) throw new Error(`Medusa answered ${what} unexpectedly: ${JSON.stringify(value).slice(0, 400)}`);
  return value;
}

/** The member `key` of an answer. */
function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}

/** The ids listed under `key` in an answer. */
function idsOf(value: unknown, key: string): { id: string }[] {
  return pick(Type.Array(Id), member(value, key), key);
}

/** The id of the thing under `key` in an answer. */
function idOf(value: unknown, key: string): { id: string } {
  return pick(Id, member(value, key), key);
}

/** Seeds the fixture; `prefix` is the order number prefix of the storedesk store. */
export async function seedMedusa(options: { url: string; email: string; password: string; prefix: string }): Promise<MedusaSeed> {
  const admin = createMedusaClient({ apiUrl: options.url, auth: { kind: 'password', email: options.email, password: options.password }, timeoutMs: 60_000 });
  const any = Type.Unknown();
  const get = async (path: string, query: Record<string, string | number | string[]>) => admin.get(path, query, any);
  const post = async (path: string, body: Record<string, unknown>) => admin.post(path, body, any);

  // Taxes included in EUR prices (Medusa's default EUR preference excludes them).
  const prefs = pick(Type.Object({ price_preferences: Type.Array(Type.Object({ id: Type.String(), is_tax_inclusive: Type.Boolean() })) }),
    await get('/admin/price-preferences', { attribute: 'currency_code', value: 'eur' }), 'price preferences');
  const eurPref = prefs.price_preferences[0];
  if (!eurPref) await post('/admin/price-preferences', { attribute: 'currency_code', value: 'eur', is_tax_inclusive: true });
  else if (!eurPref.is_tax_inclusive) await post(`/admin/price-preferences/${eurPref.id}`, { is_tax_inclusive: true });

  let region = idsOf(await get('/admin/regions', { name: REGION }), 'regions')[0];
  region ??= idOf(await post('/admin/regions', {
    name: REGION, currency_code: 'eur', countries: ['nl'], automatic_taxes: true, is_tax_inclusive: true, payment_providers: ['pp_system_default'],
  }), 'region');
  if (!idsOf(await get('/admin/tax-regions', { country_code: 'nl' }), 'tax_regions').length) {
    await post('/admin/tax-regions', { country_code: 'nl', provider_id: 'tp_system', default_tax_rate: { rate: 21, code: 'NL-VAT', name: 'BTW 21%' } });
  }

  let channel = idsOf(await get('/admin/sales-channels', { name: CHANNEL }), 'sales_channels')[0];
  channel ??= idOf(await post('/admin/sales-channels', { name: CHANNEL }), 'sales_channel');

  const Location = Type.Object({ id: Type.String(), fulfillment_sets: Type.Optional(Type.Array(Type.Object({ id: Type.String(), service_zones: Type.Optional(Type.Array(Id)) }))) });
  const locationFields = 'id,name,*fulfillment_sets,*fulfillment_sets.service_zones';
  let location = pick(Type.Object({ stock_locations: Type.Array(Location) }), await get('/admin/stock-locations', { name: WAREHOUSE, fields: locationFields }), 'stock locations').stock_locations[0];
  if (!location) {
    const made = idOf(await post('/admin/stock-locations', { name: WAREHOUSE, address: { address_1: 'Havenweg 1', city: 'Amsterdam', postal_code: '1000 AA', country_code: 'nl' } }), 'stock_location');
    await post(`/admin/stock-locations/${made.id}/sales-channels`, { add: [channel.id] });
    await post(`/admin/stock-locations/${made.id}/fulfillment-providers`, { add: ['manual_manual'] });
    await post(`/admin/stock-locations/${made.id}/fulfillment-sets`, { name: `${WAREHOUSE} shipping`, type: 'shipping' });
    location = pick(Type.Object({ stock_location: Location }), await get(`/admin/stock-locations/${made.id}`, { fields: locationFields }), 'stock location').stock_location;
  }
  const fulfillmentSet = location.fulfillment_sets?.[0];
  if (!fulfillmentSet) throw new Error(`${WAREHOUSE} has no fulfillment set`);
  let zone = fulfillmentSet.service_zones?.[0];
  if (!zone) {
    const set = pick(Type.Object({ fulfillment_set: Type.Object({ service_zones: Type.Array(Id) }) }),
      await post(`/admin/fulfillment-sets/${fulfillmentSet.id}/service-zones`, { name: 'Netherlands', geo_zones: [{ type: 'country', country_code: 'nl' }] }), 'service zone');
    zone = set.fulfillment_set.service_zones[0];
  }
  if (!zone) throw new Error('no service zone');
  const profile = idsOf(await get('/admin/shipping-profiles', { type: 'default' }), 'shipping_profiles')[0];
  if (!profile) throw new Error('Medusa has no default shipping profile');
  const Named = Type.Object({ shipping_options: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) });
  const existingOptions = pick(Named, await get('/admin/shipping-options', { service_zone_id: zone.id, limit: 50 }), 'shipping options').shipping_options;
  const shippingOptions: Record<string, string> = {};
  for (const [name, amount, code, isReturn] of [['PostNL Standard', 4.95, 'postnl-standard', false], ['Free shipping', 0, 'free-shipping', false], ['PostNL Return', 0, 'postnl-return', true]] as const) {
    const existing = existingOptions.find((o) => o.name === name);
    shippingOptions[name] = existing?.id ?? idOf(await post('/admin/shipping-options', {
      name, service_zone_id: zone.id, shipping_profile_id: profile.id, provider_id: 'manual_manual', price_type: 'flat', type: { label: name, description: name, code },
      prices: [{ currency_code: 'eur', amount }, { region_id: region.id, amount }],
      rules: [{ attribute: 'enabled_in_store', value: 'true', operator: 'eq' }, { attribute: 'is_return', value: String(isReturn), operator: 'eq' }],
    }), 'shipping_option').id;
  }

  // The catalogue: one product per title, a variant per SKU, prices in EUR (tax included).
  const Variants = Type.Object({ variants: Type.Array(Type.Object({ id: Type.String(), sku: Type.Union([Type.String(), Type.Null()]) })) });
  const variantIds = async () => new Map(pick(Variants, await get('/admin/product-variants', { sku: CONTRACT_FIXTURE.products.map((p) => p.sku), fields: 'id,sku', limit: 50 }), 'variants').variants.map((v) => [v.sku ?? '', v.id]));
  let variants = await variantIds();
  const byTitle = new Map<string, (typeof CONTRACT_FIXTURE.products)[number][]>();
  for (const p of CONTRACT_FIXTURE.products) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p]);
  for (const [title, list] of byTitle) {
    if (list.every((p) => variants.has(p.sku))) continue;
    await post('/admin/products', {
      title, status: 'published', shipping_profile_id: profile.id, sales_channels: [{ id: channel.id }],
      options: [{ title: 'Size', values: list.map((p) => p.variant) }],
      variants: list.map((p) => ({ title: p.variant, sku: p.sku, manage_inventory: false, options: { Size: p.variant }, prices: [{ currency_code: 'eur', amount: p.price / 100 }] })),
    });
  }
  variants = await variantIds();

  // The storefront's publishable key, for the store API's cart and checkout.
  const Keys = Type.Object({ api_keys: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), token: Type.String(), revoked_at: Type.Optional(Type.Union([Type.String(), Type.Null()])) })) });
  let publishable = pick(Keys, await get('/admin/api-keys', { type: 'publishable', limit: 100 }), 'api keys').api_keys.find((k) => k.title === KEY_TITLE && !k.revoked_at);
  if (!publishable) {
    const made = pick(Type.Object({ api_key: Type.Object({ id: Type.String(), title: Type.String(), token: Type.String() }) }), await post('/admin/api-keys', { title: KEY_TITLE, type: 'publishable' }), 'api key').api_key;
    await post(`/admin/api-keys/${made.id}/sales-channels`, { add: [channel.id] });
    publishable = made;
  }
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const secret = pick(Type.Object({ api_key: Type.Object({ token: Type.String() }) }), await post('/admin/api-keys', { title: `storedesk contract ${run}`, type: 'secret' }), 'secret key').api_key.token;

  // The customer, unique to this run.
  const c = CONTRACT_FIXTURE.customer;
  const [local, domain] = c.email.split('@');
  const email = `${local}+${run}@${domain}`;
  const phone = `+3161${String(Date.now()).slice(-7)}`;
  const [firstName, ...rest] = c.name.split(' ');
  const customer = idOf(await post('/admin/customers', { email, first_name: firstName, last_name: rest.join(' '), phone }), 'customer');

  const storeApi = async (path: string, body: Record<string, unknown> | null): Promise<unknown> => {
    const res = await fetch(`${admin.baseUrl}${path}`, {
      method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json', 'x-publishable-api-key': publishable.token }, body: body ? JSON.stringify(body) : null, signal: AbortSignal.timeout(60_000),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`Medusa store API ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 400)}`);
    return json;
  };
  const address = { first_name: firstName, last_name: rest.join(' '), address_1: 'Keizersgracht 1', postal_code: '1015 CJ', city: 'Amsterdam', country_code: 'nl', phone };

  const OrderFacts = Type.Object({
    order: Type.Object({
      id: Type.String(), display_id: Type.Number(), total: Type.Number(),
      items: Type.Array(Type.Object({ id: Type.String(), quantity: Type.Number() })),
      payment_collections: Type.Array(Type.Object({ payments: Type.Array(Id) })),
    }),
  });
  const seeded: Partial<SeededFixture['orders']> = {};
  const orderIds: Partial<Record<ContractOrderRole, string>> = {};
  const roles: ContractOrderRole[] = ['delivered', 'shipped', 'refundable', 'cancellable'];
  for (const role of roles) {
    const spec = CONTRACT_FIXTURE.orders[role];
    const cart = idOf(await storeApi('/store/carts', {
      region_id: region.id, sales_channel_id: channel.id, email, shipping_address: address, billing_address: address,
      items: spec.lines.map((l) => ({ variant_id: variants.get(l.sku), quantity: l.quantity })),
    }), 'cart');
    await storeApi(`/store/carts/${cart.id}/shipping-methods`, { option_id: shippingOptions[spec.shipping > 0 ? 'PostNL Standard' : 'Free shipping'] });
    const collection = idOf(await storeApi('/store/payment-collections', { cart_id: cart.id }), 'payment_collection');
    await storeApi(`/store/payment-collections/${collection.id}/payment-sessions`, { provider_id: 'pp_system_default' });
    const completed = pick(Type.Object({ type: Type.Literal('order'), order: Id }), await storeApi(`/store/carts/${cart.id}/complete`, {}), 'cart completion');
    const order = pick(OrderFacts, await get(`/admin/orders/${completed.order.id}`, { fields: 'id,display_id,total,*items,*payment_collections,*payment_collections.payments' }), 'order').order;
    for (const pc of order.payment_collections) for (const p of pc.payments) await post(`/admin/payments/${p.id}/capture`, {});

    let trackingNumber: string | null = null;
    if (spec.state === 'shipped' || spec.state === 'delivered') {
      const carrier = role === 'shipped' ? 'PostNL' : 'DHL';
      trackingNumber = role === 'shipped' ? `3SCTRA${String(Date.now()).slice(-7)}` : `JVGL${String(Date.now()).slice(-10)}`;
      const items = order.items.map((i) => ({ id: i.id, quantity: i.quantity }));
      await post(`/admin/orders/${order.id}/fulfillments`, { items, location_id: location.id, metadata: { carrier } });
      const withParcel = pick(Type.Object({ order: Type.Object({ fulfillments: Type.Array(Id) }) }), await get(`/admin/orders/${order.id}`, { fields: 'id,*fulfillments' }), 'fulfillments').order;
      const fulfillment = withParcel.fulfillments[0];
      if (!fulfillment) throw new Error(`Medusa made no fulfillment for order ${order.display_id}`);
      const trackingUrl = carrier === 'PostNL'
        ? `https://jouw.postnl.nl/track-and-trace/${trackingNumber}-NL-1015CJ`
        : `https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=${trackingNumber}`;
      await post(`/admin/orders/${order.id}/fulfillments/${fulfillment.id}/shipments`, { items, labels: [{ tracking_number: trackingNumber, tracking_url: trackingUrl, label_url: trackingUrl }] });
      if (spec.state === 'delivered') await post(`/admin/orders/${order.id}/fulfillments/${fulfillment.id}/mark-as-delivered`, {});
    }
    const total = spec.lines.reduce((s, l) => s + (CONTRACT_FIXTURE.products.find((p) => p.sku === l.sku)?.price ?? 0) * l.quantity, 0) + spec.shipping;
    seeded[role] = { number: `${options.prefix}${order.display_id}`, total, currency: 'EUR', trackingNumber };
    orderIds[role] = order.id;
  }
  const complete = (x: Partial<SeededFixture['orders']>): x is SeededFixture['orders'] => roles.every((r) => x[r] !== undefined);
  const completeIds = (x: Partial<Record<ContractOrderRole, string>>): x is Record<ContractOrderRole, string> => roles.every((r) => typeof x[r] === 'string');
  if (!complete(seeded) || !completeIds(orderIds)) throw new Error('not every order was seeded');
  return { seeded: { customerExternalId: customer.id, customerEmail: email, customerPhone: phone, orders: seeded }, secretApiKey: secret, orderIds };
}

/** A client on the same server with the admin's password (for tests that read around the connector). */
export function adminClient(url: string, email: string, password: string): MedusaClient {
  return createMedusaClient({ apiUrl: url, auth: { kind: 'password', email, password }, timeoutMs: 60_000 });
}
