/**
 * What follows from an order's facts, the same for every platform: how much is paid and left to
 * refund, which units shipped, were refunded or returned, and the one-word state an agent sees
 * at a glance ("late", "delivered"). Pure functions over StoreOrder; one source of truth.
 */
import { allocatedShare, formatMoney } from '../money.ts';
import type { FulfillmentStatus, StoreFulfillment, StoreOrder, StoreOrderLine } from './connector.ts';

/** Per-line quantities and money after everything that happened to the order. */
export interface LineState {
  line: StoreOrderLine;
  /** Units that left in an original shipment. */
  shipped: number;
  /** Units refunded (by line refunds). */
  refunded: number;
  /** Money refunded against this line. */
  refundedAmount: number;
  /** Units in returns that were not cancelled. */
  returned: number;
  /** Units still refundable by line, and their money. */
  refundableQuantity: number;
  refundableAmount: number;
  /** Units that can still be returned (shipped and not yet returned). */
  returnableQuantity: number;
}

/** Money captured from the customer. */
export function paidAmount(order: StoreOrder): number {
  return order.payments.filter((p) => p.status === 'captured').reduce((sum, p) => sum + p.amount, 0);
}

/** Money authorized but not captured (released by a cancel). */
export function authorizedAmount(order: StoreOrder): number {
  return order.payments.filter((p) => p.status === 'authorized').reduce((sum, p) => sum + p.amount, 0);
}

/** Money refunded so far. */
export function refundedAmount(order: StoreOrder): number {
  return order.refunds.reduce((sum, r) => sum + r.amount, 0);
}

/** The most that can still be refunded: captured minus refunded. */
export function refundableAmount(order: StoreOrder): number {
  return Math.max(0, paidAmount(order) - refundedAmount(order));
}

/** What is left of the shipping charge to refund, within what is left overall. */
export function refundableShipping(order: StoreOrder): number {
  const done = order.refunds.reduce((sum, r) => sum + r.shipping, 0);
  return Math.max(0, Math.min(order.shippingTotal - done, refundableAmount(order)));
}

/** Whether a fulfillment has left the warehouse. */
export function hasShipped(f: StoreFulfillment): boolean {
  return f.shippedAt !== null || f.status === 'in_transit' || f.status === 'out_for_delivery' || f.status === 'delivered';
}

/** The state of every line. */
export function lineStates(order: StoreOrder): LineState[] {
  return order.lines.map((line) => {
    let shipped = 0;
    for (const f of order.fulfillments) {
      if (f.kind !== 'shipment' || !hasShipped(f)) continue;
      for (const fl of f.lines) if (fl.lineId === line.id) shipped += fl.quantity;
    }
    let refunded = 0;
    let refundedAmt = 0;
    for (const r of order.refunds) {
      for (const rl of r.lines) {
        if (rl.lineId !== line.id) continue;
        refunded += rl.quantity;
        refundedAmt += rl.amount;
      }
    }
    let returned = 0;
    for (const ret of order.returns) {
      if (ret.status === 'cancelled') continue;
      for (const rl of ret.lines) if (rl.lineId === line.id) returned += rl.quantity;
    }
    const refundableQuantity = Math.max(0, line.quantity - refunded);
    return {
      line,
      shipped: Math.min(shipped, line.quantity),
      refunded,
      refundedAmount: refundedAmt,
      returned,
      refundableQuantity,
      refundableAmount: Math.max(0, line.total - refundedAmt),
      returnableQuantity: Math.max(0, Math.min(shipped, line.quantity) - returned),
    };
  });
}

/** How much of the order left in shipments: none, some or all of its units (ignores the status the order carries). */
export function fulfillmentStatusOf(order: StoreOrder): FulfillmentStatus {
  const states = lineStates(order);
  const shipped = states.reduce((s, x) => s + x.shipped, 0);
  const ordered = states.reduce((s, x) => s + x.line.quantity, 0);
  return shipped === 0 ? 'unfulfilled' : shipped >= ordered ? 'fulfilled' : 'partially_fulfilled';
}

/**
 * The money for `quantity` more units of a line, given how many were refunded before: shares
 * of the line total that add up to it exactly, so the last unit takes the rounding remainder.
 */
export function lineAmountFor(line: StoreOrderLine, alreadyRefunded: number, quantity: number): number {
  return allocatedShare(line.total, line.quantity, alreadyRefunded + quantity) - allocatedShare(line.total, line.quantity, alreadyRefunded);
}

/** An order's state at a glance, as the customer panel shows it. */
export type OrderGlanceState = 'placed' | 'paid' | 'shipped' | 'late' | 'delivered' | 'return_requested' | 'returned' | 'refunded' | 'cancelled';

/** The state, a short label with its date, and flags for what else is true. */
export interface OrderGlance {
  state: OrderGlanceState;
  /** "Delivered 12 Nov", "Late — expected 8 Nov", "Shipped 3 Nov · DHL". */
  label: string;
  partiallyRefunded: boolean;
  partiallyShipped: boolean;
  /** The parcel to follow: the latest one with a tracking number. */
  tracking: { carrier: string | null; number: string; url: string | null; status: StoreFulfillment['status'] } | null;
  deliveredAt: Date | null;
}

/** Formats a date as the store's people say it ("3 Nov"), in the store's time zone. */
export function shortDate(d: Date, timeZone = 'UTC'): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
  }
}

/** Derives the state at a glance. `now` decides lateness; the time zone only the label. */
export function orderGlance(order: StoreOrder, now: Date, timeZone = 'UTC'): OrderGlance {
  const paid = paidAmount(order);
  const refunded = refundedAmount(order);
  const parcels = order.fulfillments.filter(hasShipped);
  const shipments = parcels.filter((f) => f.kind === 'shipment');
  const tracked = [...parcels].reverse().find((f) => f.trackingNumber);
  const tracking = tracked?.trackingNumber
    ? { carrier: tracked.carrier, number: tracked.trackingNumber, url: tracked.trackingUrl, status: tracked.status }
    : null;
  const allShipped = order.fulfillmentStatus === 'fulfilled';
  const undelivered = parcels.filter((f) => f.status !== 'delivered');
  const deliveredDates = parcels.map((f) => f.deliveredAt).filter((d): d is Date => d !== null);
  const deliveredAt = deliveredDates.length ? new Date(Math.max(...deliveredDates.map((d) => d.getTime()))) : null;
  const partiallyRefunded = refunded > 0 && refunded < paid;
  const base = { partiallyRefunded, partiallyShipped: order.fulfillmentStatus === 'partially_fulfilled', tracking, deliveredAt };
  const d = (x: Date) => shortDate(x, timeZone);

  if (order.cancelledAt) return { ...base, state: 'cancelled', label: `Cancelled ${d(order.cancelledAt)}` };
  const fullyRefunded = paid > 0 && refunded >= paid;
  const openReturns = order.returns.filter((r) => r.status === 'requested' || r.status === 'in_transit');
  const doneReturns = order.returns.filter((r) => r.status === 'received' || r.status === 'closed');
  if (openReturns.length && !fullyRefunded) {
    const r = openReturns[openReturns.length - 1];
    return { ...base, state: 'return_requested', label: r ? `Return ${r.number} ${r.status === 'in_transit' ? 'on its way back' : 'requested'}` : 'Return requested' };
  }
  if (doneReturns.length) {
    const r = doneReturns[doneReturns.length - 1];
    const refundedNote = fullyRefunded ? ' · refunded' : refunded > 0 ? ' · partly refunded' : '';
    return { ...base, state: 'returned', label: `${r?.receivedAt ? `Returned ${d(r.receivedAt)}` : 'Returned'}${refundedNote}` };
  }
  if (fullyRefunded) {
    const last = order.refunds[order.refunds.length - 1];
    return { ...base, state: 'refunded', label: last ? `Refunded ${d(last.createdAt)}` : 'Refunded' };
  }
  const promised = [order.expectedDeliveryAt, ...undelivered.map((f) => f.estimatedDeliveryAt)].filter((x): x is Date => x !== null);
  const latestPromise = promised.length ? new Date(Math.max(...promised.map((x) => x.getTime()))) : null;
  const delivered = shipments.length > 0 && allShipped && undelivered.length === 0;
  if (delivered && deliveredAt) return { ...base, state: 'delivered', label: `Delivered ${d(deliveredAt)}` };
  const expected = order.expectedDeliveryAt ?? latestPromise;
  if (!delivered && expected && now.getTime() > expected.getTime() && paid > 0) {
    return { ...base, state: 'late', label: `Late — expected ${d(expected)}` };
  }
  if (shipments.length) {
    const first = shipments[0];
    const when = first?.shippedAt ? ` ${d(first.shippedAt)}` : '';
    const via = first?.carrier ? ` · ${first.carrier}` : '';
    return { ...base, state: 'shipped', label: `${allShipped ? 'Shipped' : 'Partly shipped'}${when}${via}` };
  }
  if (paid > 0) return { ...base, state: 'paid', label: `Paid ${d(order.placedAt)} — not shipped yet` };
  return { ...base, state: 'placed', label: `Placed ${d(order.placedAt)} — awaiting payment` };
}

/** "€129.95" for an amount of this order. */
export function orderMoney(order: StoreOrder, amount: number): string {
  return formatMoney(amount, order.currency);
}

/** How the customer paid, for people: "Visa •••• 4242", "PayPal", or "the original payment". */
export function paymentLabel(order: StoreOrder): string {
  const p = order.payments.find((x) => x.status === 'captured') ?? order.payments[0];
  if (!p) return 'the original payment';
  return p.methodDetail ?? p.method.replace(/_/g, ' ');
}

/** "Trail Jacket (M / Navy)". */
export function lineTitle(line: StoreOrderLine): string {
  return line.variantTitle ? `${line.productTitle} (${line.variantTitle})` : line.productTitle;
}

/** What can still be refunded, in total, for shipping and per line: the maxima the refund dialog shows. */
export interface RefundableSummary {
  /** Paid minus refunded. */
  total: number;
  shipping: number;
  lines: { lineId: string; quantity: number; amount: number }[];
  paid: number;
  refunded: number;
}

/** The refundable maxima of an order. */
export function refundableSummary(order: StoreOrder): RefundableSummary {
  const total = refundableAmount(order);
  return {
    total,
    shipping: refundableShipping(order),
    lines: lineStates(order).map((s) => ({ lineId: s.line.id, quantity: s.refundableQuantity, amount: Math.min(s.refundableAmount, total) })),
    paid: paidAmount(order),
    refunded: refundedAmount(order),
  };
}
