/**
 * From Vendure's order to storedesk's: lines with the price the customer paid (Vendure's
 * prorated prices, tax included), shipping, payments, refunds split over the lines they name,
 * parcels with the dates their history records, and the change-feed events an order's history
 * tells. Pure functions over the Admin API's answers.
 *
 * Vendure zeroes a cancelled line's quantity and prices; storedesk shows what was bought and
 * paid, so cancelled units are counted back from `orderPlacedQuantity` and the unit prices.
 * Idempotency keys travel in the texts Vendure keeps (refund reasons, cancellation reasons,
 * notes, promotion names) as a marker that is stripped before anything is shown.
 */
import { createHash } from 'node:crypto';
import { trackingUrlFor } from '../carriers.ts';
import type {
  FinancialStatus, OrderChangeEvent, PaymentStatus, ShipmentStatus, StoreFulfillment, StoreOrder, StoreOrderLine, StorePayment, StoreRefund,
} from '../connector.ts';
import { fulfillmentStatusOf, lineAmountFor } from '../order-math.ts';
import type { VendureHistoryEntry, VendureOrder } from './vendure.schema.ts';

/** What mapping needs from the channel besides the order. */
export interface VendureMappingContext {
  /** The channel's prices include tax (Vendure's Channel.pricesIncludeTax). */
  taxesIncluded: boolean;
  /** Payment method names by code ("test-card" → "Test card"). */
  paymentMethodNames: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Idempotency markers

const MARKER = /\s*\[storedesk:[A-Za-z0-9._:-]{1,100}\]/g;

/** The marker that records an idempotency key in a text Vendure keeps: ` [storedesk:KEY]`. */
export function idempotencyMarker(key: string): string {
  const safe = /^[A-Za-z0-9._:-]{1,100}$/.test(key) ? key : `h-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
  return `[storedesk:${safe}]`;
}

/** Whether a text carries the marker of this key. */
export function hasMarker(text: string | null | undefined, key: string): boolean {
  return typeof text === 'string' && text.includes(idempotencyMarker(key));
}

/** The text without storedesk's markers, for people. */
export function stripMarkers(text: string): string {
  return text.replace(MARKER, '').trim();
}

// ---------------------------------------------------------------------------------------------
// History

/** A field of a history entry's data, as a string (Vendure stores ids as numbers there). */
function dataField(entry: VendureHistoryEntry, field: string): string | null {
  const data = entry.data;
  if (!data || typeof data !== 'object' || !(field in data)) return null;
  const value: unknown = Reflect.get(data, field);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/**
 * The order's history, oldest first. Storedesk asks for the newest entries (newest first), so an
 * order with a very long history still shows its latest changes and idempotency markers.
 */
export function historyOf(order: VendureOrder): VendureHistoryEntry[] {
  return [...order.history.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
}

function entriesOf(order: VendureOrder, type: string): VendureHistoryEntry[] {
  return historyOf(order).filter((e) => e.type === type);
}

/** When a fulfilment reached a state, from the order's history. */
function fulfillmentReached(order: VendureOrder, fulfillmentId: string, state: string): Date | null {
  const entry = entriesOf(order, 'ORDER_FULFILLMENT_TRANSITION').find((e) => dataField(e, 'fulfillmentId') === fulfillmentId && dataField(e, 'to') === state);
  return entry ? new Date(entry.createdAt) : null;
}

// ---------------------------------------------------------------------------------------------
// Orders

const PAYMENT_STATES: Record<string, PaymentStatus> = {
  Created: 'pending', Authorized: 'authorized', Settled: 'captured', Declined: 'failed', Error: 'failed', Cancelled: 'voided',
};

/** Shipping charged, tax included, with what a cancellation took off added back. */
function shippingCharged(order: VendureOrder): { total: number; tax: number } {
  let total = 0;
  let tax = 0;
  for (const s of order.shippingLines) {
    const cancelled = s.discounts.filter((d) => d.adjustmentSource.startsWith('CANCEL_ORDER')).reduce((sum, d) => sum + d.amountWithTax, 0);
    total += s.discountedPriceWithTax - cancelled;
    tax += s.discountedPriceWithTax - s.discountedPrice;
  }
  return { total, tax };
}

/**
 * What tells a variant apart from its product: Vendure names variants in full ("Trail Jacket M"),
 * storedesk shows "Trail Jacket (M)". Null when the variant is named like its product.
 */
export function variantTitleOf(variantName: string, productName: string): string | null {
  const name = variantName.trim();
  const product = productName.trim();
  if (!name || name === product) return null;
  if (product && name.toLowerCase().startsWith(`${product.toLowerCase()} `)) return name.slice(product.length).replace(/^[\s\-–—/:]+/, '').trim() || null;
  return name;
}

/** The order's lines as bought (cancelled units counted back in). */
export function mapLines(order: VendureOrder, taxesIncluded: boolean): StoreOrderLine[] {
  return order.lines.map((l) => {
    const quantity = Math.max(l.quantity, l.orderPlacedQuantity);
    const cancelledUnits = quantity - l.quantity;
    const total = cancelledUnits > 0 ? l.proratedUnitPriceWithTax * quantity : l.proratedLinePriceWithTax;
    const tax = cancelledUnits > 0 ? total - Math.round(total / (1 + l.taxRate / 100)) : l.lineTax;
    const unitPrice = taxesIncluded ? l.unitPriceWithTax : l.unitPrice;
    const variant = l.productVariant;
    const variantTitle = variantTitleOf(variant.name, variant.product.name);
    return {
      id: l.id,
      productId: variant.product.id,
      variantId: variant.id,
      productTitle: variant.product.name,
      variantTitle,
      sku: variant.sku || null,
      quantity,
      unitPrice,
      linePrice: unitPrice * quantity,
      discount: Math.max(0, l.unitPriceWithTax * quantity - total),
      tax,
      total,
    };
  });
}

/** Refunds that count (not failed), oldest first, with their money split over the lines they name. */
export function mapRefunds(order: VendureOrder, lines: readonly StoreOrderLine[]): StoreRefund[] {
  const all = (order.payments ?? []).flatMap((p) => p.refunds).filter((r) => r.state !== 'Failed');
  all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
  const refundedUnits = new Map<string, number>();
  return all.map((r) => {
    let budget = Math.max(0, r.total - r.shipping);
    const refundLines: StoreRefund['lines'] = [];
    for (const rl of r.lines) {
      const line = lines.find((l) => l.id === rl.orderLineId);
      if (!line || rl.quantity <= 0) continue;
      const before = refundedUnits.get(line.id) ?? 0;
      const quantity = Math.min(rl.quantity, Math.max(0, line.quantity - before));
      const amount = Math.min(budget, lineAmountFor(line, before, quantity));
      budget -= amount;
      refundedUnits.set(line.id, before + quantity);
      if (quantity > 0) refundLines.push({ lineId: line.id, quantity, amount });
    }
    return {
      id: r.id,
      amount: r.total,
      shipping: Math.min(r.shipping, r.total),
      lines: refundLines,
      destination: 'original_payment',
      reason: r.reason ? stripMarkers(r.reason) || null : null,
      createdAt: new Date(r.createdAt),
    };
  });
}

/** Parcels (cancelled fulfilments left out), with shipped and delivered dates from the history. */
export function mapFulfillments(order: VendureOrder, lines: readonly StoreOrderLine[]): StoreFulfillment[] {
  const address = order.shippingAddress;
  return (order.fulfillments ?? []).filter((f) => f.state !== 'Cancelled').map((f) => {
    const delivered = f.state === 'Delivered';
    const left = delivered || f.state === 'Shipped';
    const deliveredAt = delivered ? fulfillmentReached(order, f.id, 'Delivered') ?? new Date(f.updatedAt) : null;
    const shippedAt = left ? fulfillmentReached(order, f.id, 'Shipped') ?? deliveredAt ?? new Date(f.updatedAt) : null;
    const status: ShipmentStatus = delivered ? 'delivered' : left ? 'in_transit' : 'pending';
    const carrier = f.method.trim() || null;
    const trackingNumber = f.trackingCode?.trim() || null;
    return {
      id: f.id,
      kind: 'shipment',
      status,
      carrier,
      service: null,
      trackingNumber,
      trackingUrl: trackingUrlFor(carrier, trackingNumber, address?.postalCode ?? null, address?.countryCode ?? null),
      shippedAt,
      estimatedDeliveryAt: null,
      deliveredAt,
      lines: f.lines.map((fl) => {
        const line = lines.find((l) => l.id === fl.orderLineId);
        return { lineId: fl.orderLineId, sku: line?.sku ?? null, title: line ? (line.variantTitle ? `${line.productTitle} (${line.variantTitle})` : line.productTitle) : 'Item', quantity: fl.quantity };
      }),
    };
  });
}

/** Maps a placed Vendure order to storedesk's order. */
export function toStoreOrder(order: VendureOrder, mc: VendureMappingContext): StoreOrder {
  const lines = mapLines(order, mc.taxesIncluded);
  const shipping = shippingCharged(order);
  const payments: StorePayment[] = (order.payments ?? []).map((p) => ({
    id: p.id,
    method: p.method,
    methodDetail: mc.paymentMethodNames.get(p.method) ?? null,
    amount: p.amount,
    status: PAYMENT_STATES[p.state] ?? 'pending',
    createdAt: new Date(p.createdAt),
  }));
  const refunds = mapRefunds(order, lines);
  const fulfillments = mapFulfillments(order, lines);
  const captured = payments.filter((p) => p.status === 'captured').reduce((s, p) => s + p.amount, 0);
  const refunded = refunds.reduce((s, r) => s + r.amount, 0);
  let financialStatus: FinancialStatus = 'pending';
  if (captured > 0) financialStatus = refunded >= captured ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'paid';
  else if (payments.some((p) => p.status === 'authorized')) financialStatus = 'authorized';
  else if (payments.length > 0 && payments.every((p) => p.status === 'voided')) financialStatus = 'voided';

  const cancelled = order.state === 'Cancelled';
  const cancelEntry = entriesOf(order, 'ORDER_STATE_TRANSITION').filter((e) => dataField(e, 'to') === 'Cancelled').at(-1);
  const cancellation = entriesOf(order, 'ORDER_CANCELLATION').at(-1);
  const cancelReason = cancellation ? dataField(cancellation, 'reason') : null;
  const customer = order.customer;
  const customerName = customer ? `${customer.firstName} ${customer.lastName}`.trim() || null : null;
  const a = order.shippingAddress;
  const shippingAddress = a && (a.streetLine1 || a.city)
    ? {
      name: a.fullName?.trim() || customerName || '', line1: a.streetLine1 ?? '', line2: a.streetLine2 || null, postalCode: a.postalCode ?? '',
      city: a.city ?? '', region: a.province || null, country: (a.countryCode ?? '').toUpperCase(), phone: a.phoneNumber || null,
    }
    : null;
  const lineTotals = lines.reduce((s, l) => s + l.total, 0);

  const mapped: StoreOrder = {
    number: order.code,
    externalId: order.id,
    customer: { externalId: customer?.id ?? null, email: customer?.emailAddress ?? null, name: customerName },
    currency: order.currencyCode,
    placedAt: new Date(order.orderPlacedAt ?? order.createdAt),
    cancelledAt: cancelled ? new Date(cancelEntry?.createdAt ?? order.updatedAt) : null,
    cancelReason: cancelled && cancelReason ? stripMarkers(cancelReason) || null : null,
    financialStatus,
    fulfillmentStatus: 'unfulfilled',
    taxesIncluded: mc.taxesIncluded,
    subtotal: lines.reduce((s, l) => s + l.linePrice, 0),
    // Vendure's discounts are negative adjustments; a cancellation's adjustment is no discount.
    discountTotal: Math.max(0, -order.discounts.filter((d) => !d.adjustmentSource.startsWith('CANCEL_ORDER')).reduce((s, d) => s + d.amountWithTax, 0)),
    shippingTotal: shipping.total,
    taxTotal: lines.reduce((s, l) => s + l.tax, 0) + shipping.tax,
    total: lineTotals + shipping.total,
    discountCodes: order.couponCodes,
    shippingMethod: order.shippingLines.map((s) => s.shippingMethod.name).join(', ') || null,
    shippingAddress,
    expectedDeliveryAt: null,
    lines,
    payments,
    refunds,
    fulfillments,
    returns: [],
    notes: entriesOf(order, 'ORDER_NOTE').flatMap((e) => {
      const body = stripMarkers(dataField(e, 'note') ?? '');
      if (!body) return [];
      const author = e.administrator ? `${e.administrator.firstName} ${e.administrator.lastName}`.trim() || null : null;
      return [{ body, author, createdAt: new Date(e.createdAt) }];
    }),
    adminUrl: null,
  };
  return { ...mapped, fulfillmentStatus: fulfillmentStatusOf(mapped) };
}

// ---------------------------------------------------------------------------------------------
// Change feed

/**
 * What an order's history says happened, as change-feed events with stable source ids (the
 * history entry's or the refund's id), so overlapping polls give the same events again.
 */
export function orderChangeEvents(order: VendureOrder, mapped: StoreOrder): OrderChangeEvent[] {
  const events: OrderChangeEvent[] = [];
  const push = (sourceId: string, type: OrderChangeEvent['type'], at: string | Date, data: Record<string, unknown>) =>
    events.push({ sourceId: `vendure:${sourceId}`, type, orderNumber: order.code, customerEmail: mapped.customer.email, occurredAt: new Date(at), data });
  if (order.orderPlacedAt) push(`order:${order.id}:placed`, 'order.created', order.orderPlacedAt, { total: mapped.total, currency: mapped.currency, items: mapped.lines.reduce((s, l) => s + l.quantity, 0) });
  for (const e of historyOf(order)) {
    const to = dataField(e, 'to');
    if (e.type === 'ORDER_PAYMENT_TRANSITION' && to === 'Settled') {
      const payment = mapped.payments.find((p) => p.id === dataField(e, 'paymentId'));
      push(`history:${e.id}`, 'order.paid', e.createdAt, { amount: payment?.amount ?? null, currency: mapped.currency, method: payment?.methodDetail ?? payment?.method ?? null });
    } else if (e.type === 'ORDER_FULFILLMENT_TRANSITION' && (to === 'Shipped' || to === 'Delivered')) {
      const parcel = mapped.fulfillments.find((f) => f.id === dataField(e, 'fulfillmentId'));
      const data = { carrier: parcel?.carrier ?? null, tracking_number: parcel?.trackingNumber ?? null, tracking_url: parcel?.trackingUrl ?? null, fulfillment_id: dataField(e, 'fulfillmentId') };
      push(`history:${e.id}`, to === 'Shipped' ? 'order.shipped' : 'order.delivered', e.createdAt, data);
    } else if (e.type === 'ORDER_STATE_TRANSITION' && to === 'Cancelled') {
      push(`history:${e.id}`, 'order.cancelled', e.createdAt, { reason: mapped.cancelReason, currency: mapped.currency });
    }
  }
  for (const r of mapped.refunds) {
    push(`refund:${r.id}`, 'order.refunded', r.createdAt, { amount: r.amount, currency: mapped.currency, shipping: r.shipping, reason: r.reason });
  }
  return events;
}
