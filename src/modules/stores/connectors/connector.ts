/**
 * The store connector: one strategy per store platform (built-in, Vendure, Medusa, Shopify),
 * each declaring what it can do. storedesk reads customers and orders through it, acts on orders
 * through it, and hears about order changes through it; nothing outside src/modules/stores knows
 * which platform a store runs on.
 *
 * Every amount is integer minor units of the order's (or the request's) currency. Business
 * refusals ("already shipped", "more than is left to refund") are results, never exceptions;
 * a store that cannot be reached throws StoreUnavailableError and has done nothing.
 */
import type { OrderEventType, StorePlatform } from '../../../db/schema.ts';
import type { Ctx } from '../../../shared/context.ts';
import type { Money } from '../money.ts';

export type { StorePlatform, OrderEventType };

// ---------------------------------------------------------------------------------------------
// The store, as a connector is built for it

/** A connected store and how to reach its platform. Credentials never travel in here. */
export interface StoreInfo {
  id: string;
  name: string;
  /** The store's default currency (ISO 4217). */
  currency: string;
  /** IANA time zone for business days and windows. */
  timezone: string;
  platform: StorePlatform;
  /** Order numbers look like `<prefix><digits>` (NW-10234); `#10234` means the same order. */
  orderNumberPrefix: string | null;
  /** A regular expression for other number shapes; wins over the prefix when set. */
  orderNumberPattern: string | null;
  /** Non-secret platform settings (API URL, channel token, …). */
  settings: Record<string, unknown>;
  /**
   * The connection's secrets, still encrypted (src/shared/secrets.ts). Only the registry opens
   * them, to hand them to the platform's factory; nothing else reads or presents this field.
   */
  encryptedCredentials?: string | null | undefined;
}

/** A platform's secrets (API token, password, webhook signing secret), decrypted, by key. */
export type StoreCredentials = Readonly<Record<string, string>>;

/** One field an admin fills in to connect a store of a platform. */
export interface ConnectionField {
  /** The key in settings (non-secret) or credentials (secret). */
  key: string;
  label: string;
  kind: 'url' | 'text' | 'secret';
  required: boolean;
  /** One line of help shown under the field. */
  help?: string | undefined;
}

/** What a platform needs to be connected: shown by the workspace, checked by the API. */
export interface PlatformDescriptor {
  platform: StorePlatform;
  /** For people: "Vendure", "Medusa", "Shopify". */
  name: string;
  /** Non-secret settings, stored as they are (API URL, shop domain, API version, …). */
  settings: readonly ConnectionField[];
  /** Secrets, stored encrypted and never returned. */
  credentials: readonly ConnectionField[];
}

// ---------------------------------------------------------------------------------------------
// Read side

/** How to find a customer's account in the store. */
export type CustomerLookup = { by: 'email'; email: string } | { by: 'phone'; phone: string } | { by: 'external_id'; externalId: string };

/** A customer's account in the store. */
export interface StoreCustomer {
  /** The platform's id for the account. */
  externalId: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  createdAt: Date | null;
  /** Order statistics when the platform keeps them; null means count from the orders. */
  stats: CustomerOrderStats | null;
  /** Store credit balance where the platform has store credit. */
  storeCreditBalance: Money | null;
}

/** What a customer has bought over time. */
export interface CustomerOrderStats {
  /** Orders placed, cancelled ones included. */
  orderCount: number;
  /** Paid minus refunded over all orders, in the store's currency. */
  lifetimeValue: Money;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/** A page of orders, newest first. */
export interface OrderPage {
  orders: StoreOrder[];
  /** Opaque; pass back for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** How a payment stands. */
export type PaymentStatus = 'pending' | 'authorized' | 'captured' | 'voided' | 'failed';

/** The order's money position, as platforms commonly name it. */
export type FinancialStatus = 'pending' | 'authorized' | 'paid' | 'partially_refunded' | 'refunded' | 'voided';

/** How much of the order has left the warehouse. */
export type FulfillmentStatus = 'unfulfilled' | 'partially_fulfilled' | 'fulfilled';

/** Where a parcel is. */
export type ShipmentStatus = 'pending' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception' | 'returned_to_sender';

/** A postal address. */
export interface PostalAddress {
  name: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  city: string;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone: string | null;
}

/** One line of an order. Amounts are minor units of the order's currency. */
export interface StoreOrderLine {
  id: string;
  productId: string | null;
  variantId: string | null;
  productTitle: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  /** Price of one unit as sold (tax included when the order's taxes are included). */
  unitPrice: number;
  /** unitPrice × quantity, before discounts. */
  linePrice: number;
  /** Discounts allocated to this line. */
  discount: number;
  /** Tax on this line (contained in total either way). */
  tax: number;
  /** What the customer paid for this line, tax included: the most a line refund can return. */
  total: number;
}

/** A payment on an order. */
export interface StorePayment {
  id: string;
  /** card, paypal, klarna, ideal, store_credit, gift_card, … */
  method: string;
  /** For people: "Visa •••• 4242". */
  methodDetail: string | null;
  amount: number;
  status: PaymentStatus;
  createdAt: Date;
}

/** Money that went back to the customer. */
export interface StoreRefund {
  id: string;
  amount: number;
  /** The part of amount that refunded shipping. */
  shipping: number;
  lines: { lineId: string; quantity: number; amount: number }[];
  destination: 'original_payment' | 'store_credit';
  reason: string | null;
  createdAt: Date;
}

/** A parcel: the first shipment, a free reship or an exchange's replacement. */
export interface StoreFulfillment {
  id: string;
  kind: 'shipment' | 'reship' | 'exchange';
  status: ShipmentStatus;
  carrier: string | null;
  service: string | null;
  trackingNumber: string | null;
  /** The carrier's tracking page. */
  trackingUrl: string | null;
  shippedAt: Date | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  /** lineId is null for items that were not on the order (an exchange's replacement). */
  lines: { lineId: string | null; sku: string | null; title: string; quantity: number }[];
}

/** A return (RMA), possibly part of an exchange. */
export interface StoreReturn {
  id: string;
  /** The RMA number customers and warehouses quote. */
  number: string;
  kind: 'return' | 'exchange';
  status: 'requested' | 'in_transit' | 'received' | 'closed' | 'cancelled';
  reason: string | null;
  createdAt: Date;
  receivedAt: Date | null;
  lines: { lineId: string; quantity: number; reason: string | null; replacementSku: string | null }[];
}

/** An order with everything an agent needs to answer about it. */
export interface StoreOrder {
  /** The number customers see and quote (NW-10234, #1001, AB12CD). */
  number: string;
  /** The platform's id for the order. */
  externalId: string;
  customer: { externalId: string | null; email: string | null; name: string | null };
  /** Every amount of this order is in this currency. */
  currency: string;
  placedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  /** Whether line and shipping prices contain tax (EU) or tax is added (US). */
  taxesIncluded: boolean;
  /** Σ linePrice. */
  subtotal: number;
  discountTotal: number;
  /** Shipping charged, tax included. */
  shippingTotal: number;
  taxTotal: number;
  /** What the order cost the customer: Σ line totals + shipping total. */
  total: number;
  discountCodes: string[];
  shippingMethod: string | null;
  shippingAddress: PostalAddress | null;
  /** The delivery date promised at checkout; undelivered after it means late. */
  expectedDeliveryAt: Date | null;
  lines: StoreOrderLine[];
  payments: StorePayment[];
  refunds: StoreRefund[];
  fulfillments: StoreFulfillment[];
  returns: StoreReturn[];
  notes: { body: string; author: string | null; createdAt: Date }[];
  /** Link to the order in the platform's own admin, when it has one. */
  adminUrl: string | null;
}

/** A product variant the store sells (for exchanges and replacements). */
export interface StoreVariant {
  id: string;
  sku: string;
  productTitle: string;
  variantTitle: string | null;
  /** Current price in the store's currency, minor units. */
  price: number;
  currency: string;
  /** Units available; null when the store does not track stock. */
  available: number | null;
}

/** An order found through a tracking number. */
export interface TrackingMatch {
  trackingNumber: string;
  orderNumber: string;
  carrier: string | null;
}

// ---------------------------------------------------------------------------------------------
// Act side

/** Everything an agent can do to an order. */
export type OrderActionKind = 'refund' | 'cancel' | 'create_return' | 'exchange' | 'reship' | 'discount_code' | 'store_credit' | 'add_note';

/** Every action kind, in the order the workspace offers them. */
export const ORDER_ACTION_KINDS: readonly OrderActionKind[] = ['refund', 'cancel', 'create_return', 'exchange', 'reship', 'discount_code', 'store_credit', 'add_note'];

/** What a refund covers: everything left, some lines, the shipping charge, or an amount. */
export type RefundScope = 'order' | 'lines' | 'shipping' | 'amount';

/** Some units of one order line. */
export interface LineSelection {
  lineId: string;
  quantity: number;
  reason?: string | undefined;
}

/** What an agent asks the store to do, before it is checked against the order. */
export type OrderActionRequest =
  | {
      action: 'refund';
      scope: RefundScope;
      /** For scope 'lines'. */
      lines?: LineSelection[] | undefined;
      /** For scope 'lines': refund what is left of the shipping charge too. */
      includeShipping?: boolean | undefined;
      /** For scope 'amount': minor units of the order's currency. */
      amount?: number | undefined;
      destination?: 'original_payment' | 'store_credit' | undefined;
      reason?: string | undefined;
    }
  | { action: 'cancel'; reason?: string | undefined; refundPayment?: boolean | undefined; restock?: boolean | undefined }
  | { action: 'create_return'; lines: LineSelection[]; reason?: string | undefined }
  | { action: 'exchange'; lines: (LineSelection & { replacementSku: string })[]; reason?: string | undefined }
  | { action: 'reship'; lines: LineSelection[]; reason?: string | undefined }
  | {
      action: 'discount_code';
      discountType: 'percentage' | 'fixed_amount' | 'free_shipping';
      /** Percent (1–100) for percentage, minor units for fixed_amount, 0 for free shipping. */
      value: number;
      code?: string | undefined;
      expiresAt?: Date | null | undefined;
      reason?: string | undefined;
    }
  | { action: 'store_credit'; amount: number; expiresAt?: Date | null | undefined; reason?: string | undefined }
  | { action: 'add_note'; note: string };

/** One line of a planned action with the money it moves. */
export interface PlannedLine {
  lineId: string;
  title: string;
  sku: string | null;
  quantity: number;
  /** Refund lines: the amount for these units. Other actions: their value at the price paid. */
  amount: number;
  reason: string | null;
}

/**
 * An action checked against the order: exactly what will happen. Previews show it, policies
 * judge it, connectors execute it. `amount` is the money the action gives away or returns.
 */
export type ActionPlan = {
  orderNumber: string;
  currency: string;
  /** Money the action returns or gives (refund, credit, reship value, fixed discount); 0 for none. */
  amount: number;
  /** One sentence for the agent: "Refund €4.95 (shipping) to Visa •••• 4242". */
  summary: string;
  /** What changes, one point each, for the confirmation dialog. */
  effects: string[];
  /** The request as the agent made it; connectors re-plan from it against fresh state. */
  request: OrderActionRequest;
} & (
  | {
      action: 'refund';
      lines: PlannedLine[];
      shipping: number;
      destination: 'original_payment' | 'store_credit';
      reason: string | null;
      /** The most that could be refunded on this order before this refund. */
      refundableMax: number;
    }
  | { action: 'cancel'; refundAmount: number; voidAmount: number; restock: boolean; reason: string | null }
  | { action: 'create_return'; lines: PlannedLine[]; reason: string | null }
  | {
      action: 'exchange';
      lines: (PlannedLine & { replacement: StoreVariant })[];
      /** Σ replacement price − Σ returned price; the customer is not charged or refunded for it. */
      priceDifference: number;
      reason: string | null;
    }
  | { action: 'reship'; lines: PlannedLine[]; reason: string | null }
  | { action: 'discount_code'; discountType: 'percentage' | 'fixed_amount' | 'free_shipping'; value: number; code: string | null; expiresAt: Date | null; reason: string | null }
  | { action: 'store_credit'; expiresAt: Date | null; reason: string | null }
  | { action: 'add_note'; note: string }
);

/** Stable reasons a store or the planner says no. */
export type RefusalCode =
  | 'unsupported'
  | 'invalid_request'
  | 'order_cancelled'
  | 'already_shipped'
  | 'not_shipped'
  | 'not_paid'
  | 'nothing_to_refund'
  | 'exceeds_refundable'
  | 'exceeds_quantity'
  | 'out_of_stock'
  | 'unknown_variant'
  | 'order_changed'
  | 'code_taken'
  | 'policy'
  | 'store_refused';

/** A refusal in words an agent can act on, with the limit that was hit when there is one. */
export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The most that is possible (for exceeds_* refusals). */
  limit?: Money | undefined;
}

/** What the store did, in its own terms. */
export interface ActionSuccess {
  ok: true;
  action: OrderActionKind;
  /** One sentence for the timeline: "Refunded €4.95 (shipping) to Visa •••• 4242". */
  summary: string;
  /** The store's id for what it created: refund id, RMA number, discount code, … */
  storeReference: string | null;
  /** Money returned or given; null for actions without an amount. */
  amount: Money | null;
  /** Platform-specific facts worth keeping in the audit log. */
  details: Record<string, unknown>;
}

/** The store's answer to an action: done, or refused with a reason. */
export type ActionOutcome = ActionSuccess | { ok: false; refusal: Refusal };

/** Who asked, passed to the store for its own records (order notes, refund "created by"). */
export interface ActionOptions {
  /** Unique per intended action; a repeat with the same key must not act twice. */
  idempotencyKey: string;
  actorName: string;
}

// ---------------------------------------------------------------------------------------------
// Change feed

/** Something that happened to an order, from the platform's webhook, poll or push. */
export interface OrderChangeEvent {
  /** The platform's id of this event (or a stable composite); repeats are dropped by it. */
  sourceId: string;
  type: OrderEventType;
  orderNumber: string;
  customerEmail: string | null;
  occurredAt: Date;
  /** Facts for the timeline: amount, carrier, tracking number, reason. */
  data: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The strategy

/** What a platform supports; the workspace hides what is not there, the pipeline refuses it. */
export interface ConnectorCapabilities {
  customerLookup: readonly CustomerLookup['by'][];
  actions: Readonly<Record<OrderActionKind, boolean>>;
  refundScopes: readonly RefundScope[];
  /** Refunds can go to store credit instead of the original payment. */
  refundToStoreCredit: boolean;
  /** findOrdersByTracking works. */
  trackingLookup: boolean;
  /** How order changes reach storedesk. */
  changeFeed: 'push' | 'webhook' | 'poll' | 'none';
  /**
   * How repeats are prevented: 'native' when the platform honours idempotency keys itself,
   * 'emulated' when the connector records keys on the order (metadata, notes) and checks first.
   */
  idempotency: 'native' | 'emulated';
}

/** One store platform. Methods take the request context first; reads may be cached by callers. */
export interface StoreConnector {
  readonly platform: StorePlatform;
  readonly capabilities: ConnectorCapabilities;
  /** A customer's account, or null when the store does not know them. */
  findCustomer(ctx: Ctx, lookup: CustomerLookup): Promise<StoreCustomer | null>;
  /** A customer's orders, newest first, one page at a time. */
  listCustomerOrders(ctx: Ctx, customerExternalId: string, page: { cursor?: string | undefined; limit: number }): Promise<OrderPage>;
  /** One order by the number customers quote, or null. */
  getOrder(ctx: Ctx, orderNumber: string): Promise<StoreOrder | null>;
  /** Orders shipped with these tracking numbers (unknown ones are left out). */
  findOrdersByTracking(ctx: Ctx, trackingNumbers: readonly string[]): Promise<TrackingMatch[]>;
  /** Variants by SKU (unknown ones are left out), for exchanges. */
  findVariants(ctx: Ctx, skus: readonly string[]): Promise<StoreVariant[]>;
  /**
   * Executes a planned action. The connector re-checks the plan against the store's current
   * state and refuses (as a result) when it no longer holds. Idempotent by options.idempotencyKey.
   * Throws StoreUnavailableError when the store cannot be reached; the action was then not done.
   */
  perform(ctx: Ctx, order: StoreOrder, plan: ActionPlan, options: ActionOptions): Promise<ActionOutcome>;
  /** For poll-fed platforms: changes since the cursor, and the cursor to poll from next. */
  pollChanges?(ctx: Ctx, cursor: string | null): Promise<{ events: OrderChangeEvent[]; cursor: string | null }>;
  /**
   * For webhook-fed platforms: verifies a delivery's signature (with the store's credentials) and
   * reads its events; null when the signature is wrong. Deliveries the connector does not care
   * about (other topics) verify and give no events. May answer asynchronously when a delivery
   * lacks facts the event needs (Shopify's refunds/create names the order only by id, so the
   * connector asks the store for its number); a StoreUnavailableError then means "not now":
   * the route answers 503 and the platform delivers again later.
   */
  readWebhook?(request: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer }): OrderChangeEvent[] | null | Promise<OrderChangeEvent[] | null>;
  /**
   * Checks that the store answers with these settings and credentials: a short description of
   * what was reached ("Vendure 3.7.3, channel default-channel"), or StoreUnavailableError with
   * what is wrong (unreachable, credentials refused). Used by "Test connection".
   */
  checkConnection?(ctx: Ctx): Promise<string>;
}

/** Builds the connector of one store from its settings and decrypted credentials. */
export type ConnectorFactory = (store: StoreInfo, credentials: StoreCredentials) => StoreConnector;

/**
 * The store could not be reached or answered garbage. Nothing was done; the caller may retry
 * with the same idempotency key.
 */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'StoreUnavailableError';
  }
}

/** A refusal result. */
export function refuse(code: RefusalCode, message: string, limit?: Money): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: limit ? { code, message, limit } : { code, message } };
}
