/**
 * Seeds a real Vendure with the connector contract's fixture through Vendure's own Admin API, as
 * a merchant's staff would: products and variants (reused when their SKUs exist), a customer
 * whose email and phone are unique per run, and orders placed with Vendure's draft-order flow,
 * paid with the CI server's test card (Vendure's dummy handler), then shipped with a tracking
 * code and delivered where the fixture asks. For tests and benchmarks only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CONTRACT_FIXTURE, type ContractOrderRole, type SeededFixture } from '../../contract/connector-contract.ts';
import type { StoreInfo } from '../../connector.ts';
import type { VendureClient } from '../vendure.client.ts';

const Err = Type.Object({ errorCode: Type.String(), message: Type.String() });
const IdOnly = Type.Object({ id: Type.String() });

/** Runs a mutation whose result may be an ErrorResult, failing the seed on one. */
async function must<S extends TSchema>(client: VendureClient, document: string, variables: Record<string, unknown>, field: string, success: S): Promise<Static<S>> {
  const data = await client.request(document, variables, Type.Record(Type.String(), Type.Unknown()));
  const result = data[field];
  if (Value.Check(Err, result)) throw new Error(`${field}: ${result.errorCode} ${result.message}`);
  if (!Value.Check(success, result)) throw new Error(`${field}: unexpected answer ${JSON.stringify(result)}`);
  return result;
}

/** Makes sure the fixture's products exist with their prices and plenty of stock; variant ids by SKU. */
export async function ensureContractProducts(client: VendureClient): Promise<Map<string, string>> {
  const skus = CONTRACT_FIXTURE.products.map((p) => p.sku);
  const found = await client.request(`query($skus: [String!]!) { productVariants(options: { filter: { sku: { in: $skus } } }) { items { id sku price priceWithTax stockOnHand } } }`,
    { skus }, Type.Object({ productVariants: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), sku: Type.String(), price: Type.Integer(), priceWithTax: Type.Integer(), stockOnHand: Type.Integer() })) }) }));
  const ids = new Map(found.productVariants.items.map((v) => [v.sku, v.id]));
  // Top up stock so reruns never run out.
  const low = found.productVariants.items.filter((v) => v.stockOnHand < 1000);
  if (low.length) {
    await client.request(`mutation($input: [UpdateProductVariantInput!]!) { updateProductVariants(input: $input) { id } }`,
      { input: low.map((v) => ({ id: v.id, stockOnHand: 100_000 })) }, Type.Object({ updateProductVariants: Type.Array(Type.Union([IdOnly, Type.Null()])) }));
  }
  const missing = CONTRACT_FIXTURE.products.filter((p) => !ids.has(p.sku));
  const byTitle = new Map<string, (typeof CONTRACT_FIXTURE.products)[number][]>();
  for (const p of missing) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p]);
  for (const [title, variants] of byTitle) {
    const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`;
    const product = await client.request(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      { input: { enabled: true, translations: [{ languageCode: 'en', name: title, slug, description: 'Seeded by storedesk’s connector contract.' }] } },
      Type.Object({ createProduct: IdOnly }));
    // Variants of one product differ by an option (Vendure refuses two variants without one).
    const optionIds = new Map<string, string>();
    if (variants.length > 1) {
      const group = await client.request(`mutation($input: CreateProductOptionGroupInput!) { createProductOptionGroup(input: $input) { id options { id code } } }`, {
        input: {
          code: `${slug}-size`, translations: [{ languageCode: 'en', name: 'Size' }],
          options: variants.map((v) => ({ code: v.variant.toLowerCase().replace(/[^a-z0-9]+/g, '-'), translations: [{ languageCode: 'en', name: v.variant }] })),
        },
      }, Type.Object({ createProductOptionGroup: Type.Object({ id: Type.String(), options: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })) }) }));
      await client.request(`mutation($p: ID!, $g: ID!) { addOptionGroupToProduct(productId: $p, optionGroupId: $g) { id } }`,
        { p: product.createProduct.id, g: group.createProductOptionGroup.id }, Type.Object({ addOptionGroupToProduct: IdOnly }));
      for (const o of group.createProductOptionGroup.options) optionIds.set(o.code, o.id);
    }
    const created = await client.request(`mutation($input: [CreateProductVariantInput!]!) { createProductVariants(input: $input) { id sku } }`, {
      input: variants.map((v) => {
        const option = optionIds.get(v.variant.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
        return {
          productId: product.createProduct.id, sku: v.sku, price: v.price, stockOnHand: 100_000, ...(option ? { optionIds: [option] } : {}),
          translations: [{ languageCode: 'en', name: `${title} ${v.variant}` }],
        };
      }),
    }, Type.Object({ createProductVariants: Type.Array(Type.Union([Type.Object({ id: Type.String(), sku: Type.String() }), Type.Null()])) }));
    for (const v of created.createProductVariants) if (v) ids.set(v.sku, v.id);
  }
  for (const sku of skus) if (!ids.has(sku)) throw new Error(`could not create the variant ${sku} in Vendure`);
  return ids;
}

/** Places one paid order for a customer with Vendure's draft-order flow; its id and code. */
export async function placeOrder(
  client: VendureClient,
  input: { customerId: string; lines: { variantId: string; quantity: number }[]; shippingMethodCode: string; address: Record<string, string> },
): Promise<{ id: string; code: string; totalWithTax: number; currencyCode: string }> {
  const draft = await client.request(`mutation { createDraftOrder { id } }`, {}, Type.Object({ createDraftOrder: IdOnly }));
  const orderId = draft.createDraftOrder.id;
  for (const l of input.lines) {
    await must(client, `mutation($o: ID!, $v: ID!, $q: Int!) { addItemToDraftOrder(orderId: $o, input: { productVariantId: $v, quantity: $q }) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
      { o: orderId, v: l.variantId, q: l.quantity }, 'addItemToDraftOrder', IdOnly);
  }
  await must(client, `mutation($o: ID!, $c: ID!) { setCustomerForDraftOrder(orderId: $o, customerId: $c) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
    { o: orderId, c: input.customerId }, 'setCustomerForDraftOrder', IdOnly);
  await client.request(`mutation($o: ID!, $a: CreateAddressInput!) { setDraftOrderShippingAddress(orderId: $o, input: $a) { id } setDraftOrderBillingAddress(orderId: $o, input: $a) { id } }`,
    { o: orderId, a: input.address }, Type.Object({ setDraftOrderShippingAddress: IdOnly, setDraftOrderBillingAddress: IdOnly }));
  const methods = await client.request(`query($o: ID!) { eligibleShippingMethodsForDraftOrder(orderId: $o) { id code } }`, { o: orderId },
    Type.Object({ eligibleShippingMethodsForDraftOrder: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })) }));
  const method = methods.eligibleShippingMethodsForDraftOrder.find((m) => m.code === input.shippingMethodCode);
  if (!method) throw new Error(`Vendure has no eligible shipping method ${input.shippingMethodCode} (run .ci/setup-vendure.sh)`);
  await must(client, `mutation($o: ID!, $m: ID!) { setDraftOrderShippingMethod(orderId: $o, shippingMethodId: $m) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
    { o: orderId, m: method.id }, 'setDraftOrderShippingMethod', IdOnly);
  await must(client, `mutation($o: ID!) { transitionOrderToState(id: $o, state: "ArrangingPayment") { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
    { o: orderId }, 'transitionOrderToState', IdOnly);
  const paid = await must(client, `mutation($i: ManualPaymentInput!) { addManualPaymentToOrder(input: $i) { ... on Order { id code state totalWithTax currencyCode } ... on ErrorResult { errorCode message } } }`,
    { i: { orderId, method: 'test-card', transactionId: `ct-${randomBytes(6).toString('hex')}`, metadata: { card: 'Visa •••• 4242' } } }, 'addManualPaymentToOrder',
    Type.Object({ id: Type.String(), code: Type.String(), state: Type.String(), totalWithTax: Type.Integer(), currencyCode: Type.String() }));
  if (paid.state !== 'PaymentSettled') throw new Error(`order ${paid.code} is ${paid.state} after payment, expected PaymentSettled`);
  return paid;
}

/** Ships every line of an order with a carrier and tracking code, and marks it delivered when asked. */
export async function shipOrder(client: VendureClient, orderId: string, carrier: string, trackingCode: string, delivered: boolean): Promise<void> {
  const order = await client.request(`query($id: ID!) { order(id: $id) { lines { id quantity } } }`, { id: orderId },
    Type.Object({ order: Type.Object({ lines: Type.Array(Type.Object({ id: Type.String(), quantity: Type.Integer() })) }) }));
  const fulfillment = await must(client, `mutation($i: FulfillOrderInput!) { addFulfillmentToOrder(input: $i) { ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`, {
    i: {
      lines: order.order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })),
      handler: { code: 'manual-fulfillment', arguments: [{ name: 'method', value: carrier }, { name: 'trackingCode', value: trackingCode }] },
    },
  }, 'addFulfillmentToOrder', IdOnly);
  for (const state of delivered ? ['Shipped', 'Delivered'] : ['Shipped']) {
    await must(client, `mutation($id: ID!, $s: String!) { transitionFulfillmentToState(id: $id, state: $s) { ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`,
      { id: fulfillment.id, s: state }, 'transitionFulfillmentToState', IdOnly);
  }
}

/** Seeds the whole contract fixture; what Vendure assigned. */
export async function seedContractFixture(client: VendureClient): Promise<SeededFixture> {
  const variants = await ensureContractProducts(client);
  const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const c = CONTRACT_FIXTURE.customer;
  const [local, domain] = c.email.split('@');
  const email = `${local}+${tag}@${domain}`;
  const phone = `+316${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const [firstName, ...rest] = c.name.split(' ');
  const customer = await must(client, `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { ... on Customer { id } ... on ErrorResult { errorCode message } } }`,
    { i: { emailAddress: email, firstName: firstName ?? c.name, lastName: rest.join(' ') || '-', phoneNumber: phone } }, 'createCustomer', IdOnly);
  const address = { fullName: c.name, streetLine1: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', countryCode: 'NL', phoneNumber: phone };
  const roles: ContractOrderRole[] = ['delivered', 'shipped', 'refundable', 'cancellable'];
  const orders: Partial<SeededFixture['orders']> = {};
  for (const role of roles) {
    const spec = CONTRACT_FIXTURE.orders[role];
    const placed = await placeOrder(client, {
      customerId: customer.id, address, shippingMethodCode: spec.shipping === 0 ? 'free' : 'standard',
      lines: spec.lines.map((l) => ({ variantId: variants.get(l.sku) ?? '', quantity: l.quantity })),
    });
    let trackingNumber: string | null = null;
    if (spec.state === 'shipped' || spec.state === 'delivered') {
      const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
      trackingNumber = spec.state === 'shipped' ? `3SCTRA${digits}` : `JVGL${digits}0`;
      await shipOrder(client, placed.id, spec.state === 'shipped' ? 'PostNL' : 'DHL', trackingNumber, spec.state === 'delivered');
    }
    orders[role] = { number: placed.code, total: placed.totalWithTax, currency: placed.currencyCode, trackingNumber };
  }
  const { delivered, shipped, refundable, cancellable } = orders;
  if (!delivered || !shipped || !refundable || !cancellable) throw new Error('not every fixture order was placed');
  return { customerExternalId: customer.id, customerEmail: email, customerPhone: phone, orders: { delivered, shipped, refundable, cancellable } };
}

/** A store connected to a test Vendure through `apiUrl`. */
export function vendureTestStore(apiUrl: string): StoreInfo {
  return {
    id: randomUUID(), name: 'Contract Vendure', currency: 'EUR', timezone: 'Europe/Amsterdam', platform: 'vendure',
    orderNumberPrefix: null, orderNumberPattern: null, settings: { api_url: apiUrl }, encryptedCredentials: null,
  };
}

/**
 * Places an order as a guest shopper through Vendure's Shop API (cart, address, shipping,
 * checkout, payment), for payment methods that only authorize. The Shop API sits beside the
 * Admin API (…/shop-api).
 */
export async function placeShopOrder(
  adminApiUrl: string,
  input: { email: string; variantId: string; quantity: number; paymentMethod: string; shippingMethodCode: string },
): Promise<{ code: string; state: string }> {
  const shopUrl = adminApiUrl.replace(/\/admin-api\/?$/, '/shop-api');
  let token = '';
  async function shop(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const res = await fetch(shopUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }),
    });
    token = res.headers.get('vendure-auth-token') ?? token;
    const body: unknown = await res.json();
    const data = body && typeof body === 'object' && 'data' in body && body.data && typeof body.data === 'object' ? body.data : null;
    if (!data) throw new Error(`Shop API: ${JSON.stringify(body)}`);
    for (const value of Object.values(data)) if (Value.Check(Err, value)) throw new Error(`Shop API: ${value.errorCode} ${value.message}`);
    return Object.fromEntries(Object.entries(data));
  }
  await shop(`mutation($v: ID!, $q: Int!) { addItemToOrder(productVariantId: $v, quantity: $q) { ... on Order { id } ... on ErrorResult { errorCode message } } }`, { v: input.variantId, q: input.quantity });
  await shop(`mutation($i: CreateCustomerInput!) { setCustomerForOrder(input: $i) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
    { i: { emailAddress: input.email, firstName: 'Alex', lastName: 'Shopper' } });
  await shop(`mutation($a: CreateAddressInput!) { setOrderShippingAddress(input: $a) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
    { a: { fullName: 'Alex Shopper', streetLine1: 'Oudegracht 10', city: 'Utrecht', postalCode: '3511 AL', countryCode: 'NL' } });
  const methods = await shop(`{ eligibleShippingMethods { id code } }`);
  const list = Value.Check(Type.Array(Type.Object({ id: Type.String(), code: Type.String() })), methods.eligibleShippingMethods) ? methods.eligibleShippingMethods : [];
  const method = list.find((m) => m.code === input.shippingMethodCode);
  if (!method) throw new Error(`no eligible shipping method ${input.shippingMethodCode}`);
  await shop(`mutation($m: [ID!]!) { setOrderShippingMethod(shippingMethodId: $m) { ... on Order { id } ... on ErrorResult { errorCode message } } }`, { m: [method.id] });
  await shop(`mutation { transitionOrderToState(state: "ArrangingPayment") { ... on Order { id } ... on ErrorResult { errorCode message } } }`);
  const paid = await shop(`mutation($i: PaymentInput!) { addPaymentToOrder(input: $i) { ... on Order { code state } ... on ErrorResult { errorCode message } } }`,
    { i: { method: input.paymentMethod, metadata: {} } });
  const order = paid.addPaymentToOrder;
  if (!Value.Check(Type.Object({ code: Type.String(), state: Type.String() }), order)) throw new Error('Shop API: no order after payment');
  return order;
}
