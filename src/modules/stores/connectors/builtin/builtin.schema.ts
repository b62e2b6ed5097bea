/**
 * API shapes for feeding the built-in store (products, orders, parcels, payments, returns,
 * imports) and their mapping to the service's inputs. Amounts are integer minor units of the
 * store's currency; prices include tax unless the order says taxes_included: false.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FulfillmentInput, OrderInput, ProductInput } from './builtin.service.ts';

const DateTime = Type.String({ format: 'date-time' });
const Minor = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000, description });
/** Where a parcel is. */
export const ShipmentStatus = Type.Union([
  Type.Literal('pending'), Type.Literal('in_transit'), Type.Literal('out_for_delivery'), Type.Literal('delivered'), Type.Literal('exception'), Type.Literal('returned_to_sender'),
]);

/** Where a return is. */
export const ReturnStatus = Type.Union([Type.Literal('requested'), Type.Literal('in_transit'), Type.Literal('received'), Type.Literal('closed'), Type.Literal('cancelled')]);

export const ProductBody = Type.Object(
  {
    handle: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9-_]*$', description: 'Stable id of the product in the store (trail-jacket)' }),
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    category: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, description: 'Policies match products by tag (final-sale, hygiene, …)' })),
    variants: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 100 }),
          title: Type.String({ minLength: 1, maxLength: 200, description: 'e.g. "M / Navy"' }),
          options: Type.Optional(Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 100 }))),
          price: Minor('Price in minor units, tax included for EU stores'),
          inventory: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Units in stock; null or absent: not tracked' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

const Address = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 300 }),
    line2: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    postal_code: Type.String({ maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 200 }),
    region: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const FulfillmentBody = Type.Object(
  {
    carrier: Type.Optional(Type.String({ maxLength: 100, description: 'DHL, PostNL, UPS, DPD, GLS, … (known carriers get a tracking link)' })),
    service: Type.Optional(Type.String({ maxLength: 100 })),
    tracking_number: Type.Optional(Type.String({ minLength: 4, maxLength: 64 })),
    tracking_url: Type.Optional(Type.String({ format: 'uri', maxLength: 1000 })),
    status: Type.Optional(ShipmentStatus),
    shipped_at: Type.Optional(DateTime),
    estimated_delivery_at: Type.Optional(DateTime),
    delivered_at: Type.Optional(DateTime),
    lines: Type.Optional(Type.Array(
      Type.Object(
        { sku: Type.Optional(Type.String({ maxLength: 100 })), line: Type.Optional(Type.Integer({ minimum: 1, description: '1-based line position' })), quantity: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200, description: 'Absent: every unit not shipped yet' },
    )),
  },
  { additionalProperties: false },
);

export const OrderBody = Type.Object(
  {
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Absent: the next number in the store’s sequence' })),
    placed_at: Type.Optional(DateTime),
    customer: Type.Object(
      { email: Type.String({ format: 'email', maxLength: 320 }), name: Type.Optional(Type.String({ maxLength: 200 })), phone: Type.Optional(Type.String({ maxLength: 40 })) },
      { additionalProperties: false },
    ),
    currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
    taxes_included: Type.Optional(Type.Boolean({ description: 'Prices include tax (default true)' })),
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.Optional(Type.String({ maxLength: 100, description: 'A catalogue SKU; title and price come from it' })),
          title: Type.Optional(Type.String({ maxLength: 300 })),
          variant_title: Type.Optional(Type.String({ maxLength: 200 })),
          quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
          unit_price: Type.Optional(Minor('Overrides the catalogue price')),
          tax_rate_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points: 2100 = 21%' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    discount: Type.Optional(Minor('Order discount, spread over the lines')),
    discount_codes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 })),
    shipping: Type.Optional(Type.Object(
      {
        method: Type.Optional(Type.String({ maxLength: 200 })),
        amount: Type.Optional(Minor('Shipping charged')),
        tax_rate_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
        address: Type.Optional(Address),
      },
      { additionalProperties: false },
    )),
    expected_delivery_at: Type.Optional(DateTime),
    payment: Type.Optional(Type.Object(
      {
        method: Type.String({ minLength: 1, maxLength: 50, description: 'card, paypal, klarna, ideal, …' }),
        method_detail: Type.Optional(Type.String({ maxLength: 100, description: 'For people: "Visa •••• 4242"' })),
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('authorized'), Type.Literal('captured')], { description: 'Default captured' })),
        amount: Type.Optional(Minor('Default: the order total')),
      },
      { additionalProperties: false },
    )),
    fulfillments: Type.Optional(Type.Array(FulfillmentBody, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const ImportBody = Type.Object(
  {
    products: Type.Optional(Type.Array(ProductBody, { maxItems: 2000 })),
    orders: Type.Optional(Type.Array(OrderBody, { maxItems: 2000 })),
    products_csv: Type.Optional(Type.String({ maxLength: 900_000, description: 'handle,title,sku,variant_title,price[,category,tags,description,inventory,option_*]; prices as decimals' })),
    orders_csv: Type.Optional(Type.String({ maxLength: 900_000, description: 'One row per line: number,email,sku,quantity[,placed_at,name,unit_price,shipping,payment_method,carrier,tracking_number,shipped_at,delivered_at,…]' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const opt = <T>(v: T | undefined) => v;
const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));

/** Maps a product body to the service input. */
export function toProductInput(b: Static<typeof ProductBody>): ProductInput {
  return { handle: b.handle, title: b.title, description: opt(b.description), category: opt(b.category), tags: b.tags, variants: b.variants.map((v) => ({ sku: v.sku, title: v.title, options: v.options, price: v.price, inventory: v.inventory })) };
}

/** Maps a parcel body to the service input. */
export function toFulfillmentInput(b: Static<typeof FulfillmentBody>): FulfillmentInput {
  return {
    carrier: b.carrier, service: b.service, trackingNumber: b.tracking_number, trackingUrl: b.tracking_url, status: b.status,
    shippedAt: date(b.shipped_at), estimatedDeliveryAt: date(b.estimated_delivery_at), deliveredAt: date(b.delivered_at), lines: b.lines,
  };
}

/** Maps an order body to the service input. */
export function toOrderInput(b: Static<typeof OrderBody>): OrderInput {
  const a = b.shipping?.address;
  return {
    number: b.number,
    placedAt: date(b.placed_at),
    customer: b.customer,
    currency: b.currency,
    taxesIncluded: b.taxes_included,
    lines: b.lines.map((l) => ({ sku: l.sku, title: l.title, variantTitle: l.variant_title, quantity: l.quantity, unitPrice: l.unit_price, taxRateBp: l.tax_rate_bp })),
    discount: b.discount,
    discountCodes: b.discount_codes,
    shipping: b.shipping
      ? {
          method: b.shipping.method, amount: b.shipping.amount, taxRateBp: b.shipping.tax_rate_bp,
          address: a ? { name: a.name, line1: a.line1, line2: a.line2 ?? null, postal_code: a.postal_code, city: a.city, region: a.region ?? null, country: a.country.toUpperCase(), phone: a.phone ?? null } : null,
        }
      : undefined,
    expectedDeliveryAt: date(b.expected_delivery_at),
    payment: b.payment ? { method: b.payment.method, methodDetail: b.payment.method_detail, status: b.payment.status, amount: b.payment.amount } : undefined,
    fulfillments: b.fulfillments?.map(toFulfillmentInput),
  };
}
