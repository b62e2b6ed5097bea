/**
 * What storedesk reads from Medusa v2's Admin API, as TypeBox schemas: only the fields it asks
 * for (`fields=`), permissive about everything else. Medusa sends amounts as JSON numbers in the
 * currency's main unit (129.95) and, beside most of them, the exact decimal as `raw_<name>`
 * ({ value: "129.95" }); the mapping prefers the raw decimal.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Opt = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));

/** An amount in the main unit, as a number or a decimal string. */
export const MedusaAmount = Type.Union([Type.Number(), Type.String()]);
/** Medusa's exact decimal beside an amount. */
export const MedusaRawAmount = Type.Object({ value: Type.Union([Type.String(), Type.Number()]) });
const Metadata = Opt(Type.Record(Type.String(), Type.Unknown()));

export const MedusaAddress = Type.Object({
  first_name: Opt(Type.String()),
  last_name: Opt(Type.String()),
  company: Opt(Type.String()),
  address_1: Opt(Type.String()),
  address_2: Opt(Type.String()),
  city: Opt(Type.String()),
  province: Opt(Type.String()),
  postal_code: Opt(Type.String()),
  country_code: Opt(Type.String()),
  phone: Opt(Type.String()),
});

const Adjustment = Type.Object({ code: Opt(Type.String()), amount: Type.Optional(MedusaAmount) });

export const MedusaLineItem = Type.Object({
  id: Type.String(),
  title: Opt(Type.String()),
  subtitle: Opt(Type.String()),
  product_id: Opt(Type.String()),
  product_title: Opt(Type.String()),
  variant_id: Opt(Type.String()),
  variant_title: Opt(Type.String()),
  variant_sku: Opt(Type.String()),
  quantity: MedusaAmount,
  unit_price: MedusaAmount,
  raw_unit_price: Opt(MedusaRawAmount),
  total: Type.Optional(MedusaAmount),
  raw_total: Opt(MedusaRawAmount),
  tax_total: Type.Optional(MedusaAmount),
  raw_tax_total: Opt(MedusaRawAmount),
  discount_total: Type.Optional(MedusaAmount),
  raw_discount_total: Opt(MedusaRawAmount),
  is_tax_inclusive: Type.Optional(Type.Boolean()),
  adjustments: Opt(Type.Array(Adjustment)),
});

export const MedusaShippingMethod = Type.Object({
  id: Type.String(),
  name: Opt(Type.String()),
  shipping_option_id: Opt(Type.String()),
  amount: Type.Optional(MedusaAmount),
  total: Type.Optional(MedusaAmount),
  raw_total: Opt(MedusaRawAmount),
  tax_total: Type.Optional(MedusaAmount),
  raw_tax_total: Opt(MedusaRawAmount),
  is_tax_inclusive: Type.Optional(Type.Boolean()),
  adjustments: Opt(Type.Array(Adjustment)),
});

export const MedusaRefund = Type.Object({
  id: Type.String(),
  amount: MedusaAmount,
  raw_amount: Opt(MedusaRawAmount),
  note: Opt(Type.String()),
  refund_reason: Opt(Type.Object({ label: Opt(Type.String()) })),
  created_at: Type.String(),
});

export const MedusaPayment = Type.Object({
  id: Type.String(),
  provider_id: Opt(Type.String()),
  amount: MedusaAmount,
  raw_amount: Opt(MedusaRawAmount),
  currency_code: Opt(Type.String()),
  captured_at: Opt(Type.String()),
  canceled_at: Opt(Type.String()),
  created_at: Type.String(),
  data: Metadata,
  captures: Opt(Type.Array(Type.Object({ id: Type.String(), amount: MedusaAmount, raw_amount: Opt(MedusaRawAmount), created_at: Opt(Type.String()) }))),
  refunds: Opt(Type.Array(MedusaRefund)),
});

export const MedusaFulfillment = Type.Object({
  id: Type.String(),
  packed_at: Opt(Type.String()),
  shipped_at: Opt(Type.String()),
  delivered_at: Opt(Type.String()),
  canceled_at: Opt(Type.String()),
  created_at: Type.String(),
  provider_id: Opt(Type.String()),
  shipping_option_id: Opt(Type.String()),
  metadata: Metadata,
  data: Metadata,
  items: Opt(Type.Array(Type.Object({ line_item_id: Opt(Type.String()), title: Opt(Type.String()), sku: Opt(Type.String()), quantity: MedusaAmount }))),
  labels: Opt(Type.Array(Type.Object({ tracking_number: Opt(Type.String()), tracking_url: Opt(Type.String()) }))),
});

export const MedusaReturn = Type.Object({
  id: Type.String(),
  display_id: Opt(Type.Number()),
  status: Type.String(),
  created_at: Type.String(),
  received_at: Opt(Type.String()),
  canceled_at: Opt(Type.String()),
  metadata: Metadata,
  items: Opt(Type.Array(Type.Object({
    item_id: Type.String(),
    quantity: MedusaAmount,
    note: Opt(Type.String()),
    reason: Opt(Type.Object({ label: Opt(Type.String()) })),
  }))),
});

export const MedusaOrder = Type.Object({
  id: Type.String(),
  display_id: Type.Number(),
  custom_display_id: Opt(Type.String()),
  status: Type.String(),
  email: Opt(Type.String()),
  currency_code: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  canceled_at: Opt(Type.String()),
  metadata: Metadata,
  customer_id: Opt(Type.String()),
  customer: Opt(Type.Object({ id: Type.String(), email: Opt(Type.String()), first_name: Opt(Type.String()), last_name: Opt(Type.String()) })),
  total: MedusaAmount,
  raw_total: Opt(MedusaRawAmount),
  tax_total: Type.Optional(MedusaAmount),
  raw_tax_total: Opt(MedusaRawAmount),
  discount_total: Type.Optional(MedusaAmount),
  raw_discount_total: Opt(MedusaRawAmount),
  items: Opt(Type.Array(MedusaLineItem)),
  shipping_methods: Opt(Type.Array(MedusaShippingMethod)),
  shipping_address: Opt(MedusaAddress),
  payment_collections: Opt(Type.Array(Type.Object({ id: Type.String(), payments: Opt(Type.Array(MedusaPayment)) }))),
  fulfillments: Opt(Type.Array(MedusaFulfillment)),
  returns: Opt(Type.Array(MedusaReturn)),
});
export type MedusaOrder = Static<typeof MedusaOrder>;

/** Everything an order is read with: lines, money, payments with refunds, parcels, returns. */
export const ORDER_FIELDS = [
  'id', 'display_id', 'custom_display_id', 'status', 'email', 'currency_code', 'created_at', 'updated_at', 'canceled_at', 'metadata', 'customer_id',
  'total', 'tax_total', 'discount_total',
  '*customer', '*items', '*items.adjustments', '*shipping_address', '*shipping_methods', '*shipping_methods.adjustments',
  '*payment_collections', '*payment_collections.payments', '*payment_collections.payments.captures',
  '*payment_collections.payments.refunds', '*payment_collections.payments.refunds.refund_reason',
  '*fulfillments', '*fulfillments.items', '*fulfillments.labels', '*returns', '*returns.items', '*returns.items.reason',
].join(',');

export const MedusaOrderList = Type.Object({ orders: Type.Array(MedusaOrder), count: Type.Number(), offset: Type.Optional(Type.Number()), limit: Type.Optional(Type.Number()) });
export const MedusaOrderOne = Type.Object({ order: MedusaOrder });
/** A search's hits, before the exact order is read. */
export const MedusaOrderHits = Type.Object({
  orders: Type.Array(Type.Object({ id: Type.String(), display_id: Type.Number(), custom_display_id: Opt(Type.String()) })),
  count: Type.Number(),
});

export const MedusaCustomer = Type.Object({
  id: Type.String(),
  email: Opt(Type.String()),
  phone: Opt(Type.String()),
  first_name: Opt(Type.String()),
  last_name: Opt(Type.String()),
  company_name: Opt(Type.String()),
  has_account: Type.Optional(Type.Boolean()),
  created_at: Type.String(),
});
export type MedusaCustomer = Static<typeof MedusaCustomer>;
export const CUSTOMER_FIELDS = 'id,email,phone,first_name,last_name,company_name,has_account,created_at';
export const MedusaCustomerList = Type.Object({ customers: Type.Array(MedusaCustomer) });
export const MedusaCustomerOne = Type.Object({ customer: MedusaCustomer });

export const MedusaVariantList = Type.Object({
  variants: Type.Array(Type.Object({
    id: Type.String(),
    sku: Opt(Type.String()),
    title: Opt(Type.String()),
    manage_inventory: Type.Optional(Type.Boolean()),
    inventory_quantity: Opt(Type.Number()),
    product: Opt(Type.Object({ title: Opt(Type.String()) })),
    prices: Opt(Type.Array(Type.Object({ currency_code: Opt(Type.String()), amount: MedusaAmount, raw_amount: Opt(MedusaRawAmount), rules_count: Opt(Type.Number()) }))),
  })),
});

/** Returns of an order, as the idempotency check reads them. */
export const MedusaReturnHits = Type.Object({
  returns: Type.Array(Type.Object({ id: Type.String(), status: Type.String(), display_id: Opt(Type.Number()), metadata: Metadata, items: Opt(Type.Array(Type.Unknown())) })),
});
export const MedusaPromotionList = Type.Object({ promotions: Type.Array(Type.Object({ id: Type.String(), code: Opt(Type.String()) })) });
export const MedusaPromotionOne = Type.Object({ promotion: Type.Object({ id: Type.String(), code: Opt(Type.String()) }) });
export const MedusaReturnOne = Type.Object({ return: Type.Object({ id: Type.String(), display_id: Opt(Type.Number()), status: Opt(Type.String()) }) });
/** Any JSON object (answers whose content storedesk does not read). */
export const AnyObject = Type.Object({});
export const MedusaStoreList = Type.Object({
  stores: Type.Array(Type.Object({
    id: Type.String(),
    name: Opt(Type.String()),
    supported_currencies: Opt(Type.Array(Type.Object({ currency_code: Type.String(), is_default: Type.Optional(Type.Boolean()) }))),
  })),
});
