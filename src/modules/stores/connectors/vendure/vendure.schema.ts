/**
 * What storedesk asks Vendure's Admin API for, and the shape of the answers (TypeBox, checked at
 * the connector's edge). Field names are Vendure's; amounts are already integer minor units.
 * Written against Vendure 3.7; only fields that exist since Vendure 2.2 are used.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** An ErrorResult member of a mutation's result union (Vendure's business refusals). */
export const VendureErrorResult = Type.Object({ errorCode: Type.String(), message: Type.String() });

const HistoryEntry = Type.Object({
  id: Type.String(),
  type: Type.String(),
  createdAt: Type.String(),
  isPublic: Type.Boolean(),
  data: Type.Unknown(),
  administrator: Nullable(Type.Object({ firstName: Type.String(), lastName: Type.String() })),
});
/** One entry of an order's history (state changes, payments, fulfilments, cancellations, notes). */
export type VendureHistoryEntry = Static<typeof HistoryEntry>;

const Refund = Type.Object({
  id: Type.String(),
  total: Type.Integer(),
  shipping: Type.Integer(),
  adjustment: Type.Integer(),
  state: Type.String(),
  reason: Nullable(Type.String()),
  createdAt: Type.String(),
  lines: Type.Array(Type.Object({ orderLineId: Type.String(), quantity: Type.Integer() })),
});
/** A refund as Vendure keeps it: attached to one payment. */
export type VendureRefund = Static<typeof Refund>;

const Discount = Type.Object({ adjustmentSource: Type.String(), amountWithTax: Type.Integer(), description: Type.String() });

/** An order with everything the connector maps. */
export const VendureOrder = Type.Object({
  id: Type.String(),
  code: Type.String(),
  state: Type.String(),
  active: Type.Boolean(),
  orderPlacedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  currencyCode: Type.String(),
  total: Type.Integer(),
  totalWithTax: Type.Integer(),
  couponCodes: Type.Array(Type.String()),
  customer: Nullable(Type.Object({ id: Type.String(), emailAddress: Type.String(), firstName: Type.String(), lastName: Type.String(), phoneNumber: Nullable(Type.String()) })),
  shippingAddress: Nullable(Type.Object({
    fullName: Nullable(Type.String()), company: Nullable(Type.String()), streetLine1: Nullable(Type.String()), streetLine2: Nullable(Type.String()),
    city: Nullable(Type.String()), province: Nullable(Type.String()), postalCode: Nullable(Type.String()), countryCode: Nullable(Type.String()), phoneNumber: Nullable(Type.String()),
  })),
  lines: Type.Array(Type.Object({
    id: Type.String(),
    quantity: Type.Integer(),
    orderPlacedQuantity: Type.Integer(),
    unitPrice: Type.Integer(),
    unitPriceWithTax: Type.Integer(),
    proratedUnitPriceWithTax: Type.Integer(),
    linePriceWithTax: Type.Integer(),
    proratedLinePriceWithTax: Type.Integer(),
    lineTax: Type.Integer(),
    taxRate: Type.Number(),
    productVariant: Type.Object({ id: Type.String(), sku: Type.String(), name: Type.String(), product: Type.Object({ id: Type.String(), name: Type.String() }) }),
  })),
  shippingLines: Type.Array(Type.Object({
    priceWithTax: Type.Integer(),
    discountedPrice: Type.Integer(),
    discountedPriceWithTax: Type.Integer(),
    shippingMethod: Type.Object({ code: Type.String(), name: Type.String() }),
    discounts: Type.Array(Discount),
  })),
  discounts: Type.Array(Discount),
  payments: Nullable(Type.Array(Type.Object({
    id: Type.String(),
    method: Type.String(),
    amount: Type.Integer(),
    state: Type.String(),
    transactionId: Nullable(Type.String()),
    createdAt: Type.String(),
    refunds: Type.Array(Refund),
  }))),
  fulfillments: Nullable(Type.Array(Type.Object({
    id: Type.String(),
    state: Type.String(),
    method: Type.String(),
    trackingCode: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    lines: Type.Array(Type.Object({ orderLineId: Type.String(), quantity: Type.Integer() })),
  }))),
  history: Type.Object({ items: Type.Array(HistoryEntry), totalItems: Type.Integer() }),
});
/** A Vendure order as the Admin API answers ORDER_FIELDS. */
export type VendureOrder = Static<typeof VendureOrder>;

/** The order fields every read asks for. */
export const ORDER_FIELDS = `
  id code state active orderPlacedAt createdAt updatedAt currencyCode total totalWithTax couponCodes
  customer { id emailAddress firstName lastName phoneNumber }
  shippingAddress { fullName company streetLine1 streetLine2 city province postalCode countryCode phoneNumber }
  lines {
    id quantity orderPlacedQuantity unitPrice unitPriceWithTax proratedUnitPriceWithTax linePriceWithTax proratedLinePriceWithTax lineTax taxRate
    productVariant { id sku name product { id name } }
  }
  shippingLines { priceWithTax discountedPrice discountedPriceWithTax shippingMethod { code name } discounts { adjustmentSource amountWithTax description } }
  discounts { adjustmentSource amountWithTax description }
  payments {
    id method amount state transactionId createdAt
    refunds { id total shipping adjustment state reason createdAt lines { orderLineId quantity } }
  }
  fulfillments { id state method trackingCode createdAt updatedAt lines { orderLineId quantity } }
  history(options: { take: 250, sort: { createdAt: DESC } }) { totalItems items { id type createdAt isPublic data administrator { firstName lastName } } }
`;

/** A page of orders. */
export const VendureOrderList = Type.Object({ items: Type.Array(VendureOrder), totalItems: Type.Integer() });

/** A customer account. */
export const VendureCustomer = Type.Object({
  id: Type.String(),
  emailAddress: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  phoneNumber: Nullable(Type.String()),
  createdAt: Type.String(),
});
/** A Vendure customer as the connector reads it. */
export type VendureCustomer = Static<typeof VendureCustomer>;

/** The customer fields every read asks for. */
export const CUSTOMER_FIELDS = 'id emailAddress firstName lastName phoneNumber createdAt';

/** A product variant, for exchanges and replacements. */
export const VendureVariant = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  name: Type.String(),
  price: Type.Integer(),
  priceWithTax: Type.Integer(),
  currencyCode: Type.String(),
  trackInventory: Type.String(),
  stockOnHand: Type.Integer(),
  stockAllocated: Type.Integer(),
  product: Type.Object({ id: Type.String(), name: Type.String() }),
});

/** What the connector needs to know about the channel it works in. */
export const VendureChannelFacts = Type.Object({
  activeChannel: Type.Object({ id: Type.String(), code: Type.String(), pricesIncludeTax: Type.Boolean(), defaultCurrencyCode: Type.String() }),
  globalSettings: Type.Object({ trackInventory: Type.Boolean() }),
  paymentMethods: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }),
});
/** The channel's settings as the connector keeps them. */
export type VendureChannelFacts = Static<typeof VendureChannelFacts>;

/** The query for VendureChannelFacts. */
export const CHANNEL_FACTS_QUERY = `query StoredeskChannel {
  activeChannel { id code pricesIncludeTax defaultCurrencyCode }
  globalSettings { trackInventory }
  paymentMethods(options: { take: 100 }) { items { code name } }
}`;
