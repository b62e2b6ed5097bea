/**
 * Turns what an agent asks for into exactly what will happen to the order: which units, how
 * much money, to where, and why not when it cannot be done. The same plan is shown in the
 * preview, judged by the policy check, executed by the connector and written to the audit log.
 * Pure: the order, the request, the connector's capabilities, and variants for exchanges.
 */
import { formatMoney } from '../money.ts';
import {
  refuse, type ActionPlan, type ConnectorCapabilities, type LineSelection, type OrderActionRequest, type PlannedLine,
  type Refusal, type StoreOrder, type StorePlatform, type StoreVariant,
} from './connector.ts';
import {
  authorizedAmount, hasShipped, lineAmountFor, lineStates, lineTitle, paidAmount, paymentLabel, refundableAmount,
  refundableShipping, refundedAmount, shortDate, type LineState,
} from './order-math.ts';

/** A plan, or the reason there is none. */
export type PlanResult = { ok: true; plan: ActionPlan } | { ok: false; refusal: Refusal };

/** What the planner needs besides the order and the request. */
export interface PlanContext {
  platform: StorePlatform;
  capabilities: ConnectorCapabilities;
  /** Variants named by an exchange's replacement SKUs. */
  variants?: readonly StoreVariant[];
  /** For dates in sentences. */
  timeZone?: string;
}

const PLATFORM_NAMES: Record<StorePlatform, string> = { builtin: 'the built-in store', vendure: 'Vendure', medusa: 'Medusa', shopify: 'Shopify' };

const ACTION_VERBS: Record<OrderActionRequest['action'], string> = {
  refund: 'refund orders',
  cancel: 'cancel orders',
  create_return: 'create returns',
  exchange: 'exchange items',
  reship: 'reship items at no charge',
  discount_code: 'create discount codes',
  store_credit: 'give store credit',
  add_note: 'add notes to orders',
};

/** The platform's name for sentences ("the built-in store", "Shopify"). */
export function platformName(platform: StorePlatform): string {
  return PLATFORM_NAMES[platform];
}

/** The platform's name at the start of a sentence. */
function sentencePlatformName(platform: StorePlatform): string {
  const name = PLATFORM_NAMES[platform];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Plans an action on an order, or says why it cannot be done. */
export function planAction(order: StoreOrder, request: OrderActionRequest, pc: PlanContext): PlanResult {
  if (!pc.capabilities.actions[request.action]) {
    return refuse('unsupported', `${sentencePlatformName(pc.platform)} cannot ${ACTION_VERBS[request.action]} through storedesk.`);
  }
  switch (request.action) {
    case 'refund':
      return planRefund(order, request, pc);
    case 'cancel':
      return planCancel(order, request, pc);
    case 'create_return':
      return planReturn(order, request, pc);
    case 'exchange':
      return planExchange(order, request, pc);
    case 'reship':
      return planReship(order, request, pc);
    case 'discount_code':
      return planDiscount(order, request);
    case 'store_credit':
      return planStoreCredit(order, request);
    case 'add_note':
      return planNote(order, request);
  }
}

const money = (order: StoreOrder, amount: number) => formatMoney(amount, order.currency);

/** Merges repeated lines, checks they exist and are positive; refusals name the line. */
function selectLines(order: StoreOrder, lines: readonly LineSelection[] | undefined): { ok: true; picked: { state: LineState; quantity: number; reason: string | null }[] } | { ok: false; refusal: Refusal } {
  if (!lines || lines.length === 0) return refuse('invalid_request', 'Choose at least one line of the order.');
  const states = lineStates(order);
  const picked = new Map<string, { state: LineState; quantity: number; reason: string | null }>();
  for (const sel of lines) {
    const state = states.find((s) => s.line.id === sel.lineId);
    if (!state) return refuse('invalid_request', `Order ${order.number} has no line ${sel.lineId}.`);
    if (!Number.isInteger(sel.quantity) || sel.quantity < 1) return refuse('invalid_request', `The quantity for ${lineTitle(state.line)} must be a whole number of at least 1.`);
    const prev = picked.get(sel.lineId);
    picked.set(sel.lineId, { state, quantity: (prev?.quantity ?? 0) + sel.quantity, reason: sel.reason ?? prev?.reason ?? null });
  }
  return { ok: true, picked: [...picked.values()] };
}

function planRefund(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'refund' }>, pc: PlanContext): PlanResult {
  if (!pc.capabilities.refundScopes.includes(r.scope)) {
    return refuse('unsupported', `${sentencePlatformName(pc.platform)} cannot refund ${r.scope === 'amount' ? 'a free amount' : r.scope === 'lines' ? 'single lines' : r.scope === 'shipping' ? 'shipping on its own' : 'whole orders'} through storedesk.`);
  }
  const destination = r.destination ?? 'original_payment';
  if (destination === 'store_credit' && !pc.capabilities.refundToStoreCredit) {
    return refuse('unsupported', `${sentencePlatformName(pc.platform)} cannot refund to store credit; refund to the original payment instead.`);
  }
  if (destination === 'store_credit' && !order.customer.externalId) {
    return refuse('invalid_request', `Order ${order.number} was placed without a customer account, so there is nowhere to put store credit.`);
  }
  const paid = paidAmount(order);
  const refunded = refundedAmount(order);
  const max = refundableAmount(order);
  const limit = { amount: max, currency: order.currency };
  if (paid === 0) {
    return refuse('not_paid', authorizedAmount(order) > 0
      ? `The payment for ${order.number} is only authorized, not captured; cancel the order to release it instead of refunding.`
      : `Nothing has been paid for ${order.number} yet, so there is nothing to refund.`);
  }
  if (max === 0) return refuse('nothing_to_refund', `${order.number} has been refunded in full already (${money(order, refunded)} of ${money(order, paid)}).`, limit);

  const states = lineStates(order);
  let lines: PlannedLine[] = [];
  let shipping = 0;
  let amount = 0;
  let what = '';
  switch (r.scope) {
    case 'order': {
      let budget = max;
      for (const s of states) {
        if (s.refundableQuantity === 0 || budget === 0) continue;
        const lineAmount = Math.min(budget, lineAmountFor(s.line, s.refunded, s.refundableQuantity));
        budget -= lineAmount;
        lines.push({ lineId: s.line.id, title: lineTitle(s.line), sku: s.line.sku, quantity: s.refundableQuantity, amount: lineAmount, reason: null });
      }
      shipping = Math.min(budget, refundableShipping(order));
      amount = max;
      what = 'everything left on the order';
      break;
    }
    case 'lines': {
      const sel = selectLines(order, r.lines);
      if (!sel.ok) return sel;
      for (const { state: s, quantity, reason } of sel.picked) {
        if (quantity > s.refundableQuantity) {
          return refuse('exceeds_quantity', s.refundableQuantity === 0
            ? `${lineTitle(s.line)} has been refunded in full already.`
            : `Only ${s.refundableQuantity} of ${lineTitle(s.line)} can still be refunded (${s.line.quantity} bought, ${s.refunded} refunded).`);
        }
        lines.push({ lineId: s.line.id, title: lineTitle(s.line), sku: s.line.sku, quantity, amount: lineAmountFor(s.line, s.refunded, quantity), reason });
      }
      shipping = r.includeShipping ? refundableShipping(order) : 0;
      amount = lines.reduce((sum, l) => sum + l.amount, 0) + shipping;
      what = lines.map((l) => `${l.quantity} × ${l.title}`).join(', ') + (shipping ? ' and shipping' : '');
      break;
    }
    case 'shipping': {
      shipping = refundableShipping(order);
      if (shipping === 0) {
        return refuse('nothing_to_refund', order.shippingTotal === 0 ? `${order.number} had free shipping; there is no shipping charge to refund.` : `The shipping charge of ${order.number} has been refunded already.`);
      }
      amount = shipping;
      what = 'shipping';
      break;
    }
    case 'amount': {
      if (r.amount === undefined || !Number.isInteger(r.amount) || r.amount < 1) return refuse('invalid_request', 'Give the amount to refund in minor units (cents), at least 1.');
      amount = r.amount;
      what = 'a partial amount';
      break;
    }
  }
  if (amount > max) {
    return refuse('exceeds_refundable', `You can refund at most ${money(order, max)} on ${order.number} (${money(order, paid)} paid, ${money(order, refunded)} refunded already); this refund would be ${money(order, amount)}.`, limit);
  }
  if (amount === 0) return refuse('nothing_to_refund', `There is nothing left to refund for ${what} on ${order.number}.`, limit);
  const to = destination === 'store_credit' ? 'store credit' : paymentLabel(order);
  const effects = [
    `${money(order, amount)} goes back to ${to}.`,
    ...lines.map((l) => `${l.quantity} × ${l.title}: ${money(order, l.amount)}`),
    ...(shipping ? [`Shipping: ${money(order, shipping)}`] : []),
    `Refunded on ${order.number}: ${money(order, refunded)} → ${money(order, refunded + amount)} of ${money(order, paid)} paid.`,
    ...(amount === max ? [`Nothing will be left to refund on ${order.number}.`] : [`${money(order, max - amount)} will remain refundable.`]),
  ];
  lines = lines.filter((l) => l.quantity > 0);
  return {
    ok: true,
    plan: {
      action: 'refund', orderNumber: order.number, currency: order.currency, amount, request: r, lines, shipping, destination,
      reason: r.reason ?? null, refundableMax: max,
      summary: `Refund ${money(order, amount)} (${what}) to ${to}`,
      effects,
    },
  };
}

function planCancel(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'cancel' }>, pc: PlanContext): PlanResult {
  const tz = pc.timeZone ?? 'UTC';
  if (order.cancelledAt) return refuse('order_cancelled', `${order.number} was cancelled already on ${shortDate(order.cancelledAt, tz)}.`);
  const shipped = order.fulfillments.find((f) => f.kind === 'shipment' && hasShipped(f));
  if (shipped) {
    const when = shipped.shippedAt ? ` on ${shortDate(shipped.shippedAt, tz)}` : '';
    const via = shipped.carrier ? ` with ${shipped.carrier}${shipped.trackingNumber ? ` (${shipped.trackingNumber})` : ''}` : '';
    return refuse('already_shipped', `${order.number} has already shipped${when}${via}, so it can no longer be cancelled. Create a return instead.`);
  }
  const refundPayment = r.refundPayment ?? true;
  const refundAmount = refundPayment ? refundableAmount(order) : 0;
  const voidAmount = authorizedAmount(order);
  const restock = r.restock ?? true;
  const effects = [
    `${order.number} is cancelled and will not ship.`,
    ...(refundAmount ? [`${money(order, refundAmount)} goes back to ${paymentLabel(order)}.`] : []),
    ...(voidAmount ? [`The authorization of ${money(order, voidAmount)} is released.`] : []),
    ...(!refundPayment && refundableAmount(order) > 0 ? [`The ${money(order, refundableAmount(order))} paid is kept (no refund).`] : []),
    restock ? 'The items go back into stock.' : 'Stock is left as it is.',
  ];
  return {
    ok: true,
    plan: {
      action: 'cancel', orderNumber: order.number, currency: order.currency, amount: refundAmount, request: r, refundAmount, voidAmount, restock,
      reason: r.reason ?? null,
      summary: refundAmount ? `Cancel ${order.number} and refund ${money(order, refundAmount)} to ${paymentLabel(order)}` : `Cancel ${order.number}`,
      effects,
    },
  };
}

/** Lines that must have shipped (returns, exchanges, reships), within what can still go back. */
function pickShippedLines(order: StoreOrder, lines: readonly LineSelection[], verb: string): { ok: true; planned: PlannedLine[] } | { ok: false; refusal: Refusal } {
  const sel = selectLines(order, lines);
  if (!sel.ok) return sel;
  const planned: PlannedLine[] = [];
  for (const { state: s, quantity, reason } of sel.picked) {
    if (s.shipped === 0) return refuse('not_shipped', `${lineTitle(s.line)} has not shipped yet, so it cannot be ${verb}; refund or cancel instead.`);
    if (quantity > s.returnableQuantity) {
      return refuse('exceeds_quantity', s.returnableQuantity === 0
        ? `${lineTitle(s.line)} has been returned already.`
        : `Only ${s.returnableQuantity} of ${lineTitle(s.line)} can be ${verb} (${s.shipped} shipped, ${s.returned} in returns).`);
    }
    planned.push({ lineId: s.line.id, title: lineTitle(s.line), sku: s.line.sku, quantity, amount: lineAmountFor(s.line, 0, quantity), reason });
  }
  return { ok: true, planned };
}

function planReturn(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'create_return' }>, _pc: PlanContext): PlanResult {
  if (order.cancelledAt) return refuse('order_cancelled', `${order.number} was cancelled; there is nothing to return.`);
  const picked = pickShippedLines(order, r.lines, 'returned');
  if (!picked.ok) return picked;
  const value = picked.planned.reduce((sum, l) => sum + l.amount, 0);
  return {
    ok: true,
    plan: {
      action: 'create_return', orderNumber: order.number, currency: order.currency, amount: 0, request: r, lines: picked.planned, reason: r.reason ?? null,
      summary: `Create a return for ${picked.planned.map((l) => `${l.quantity} × ${l.title}`).join(', ')}`,
      effects: [
        `A return (RMA) is opened on ${order.number} for ${picked.planned.map((l) => `${l.quantity} × ${l.title}`).join(', ')} (paid ${money(order, value)}).`,
        'No money moves now; refund the lines when the parcel comes back.',
      ],
    },
  };
}

function planExchange(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'exchange' }>, pc: PlanContext): PlanResult {
  if (order.cancelledAt) return refuse('order_cancelled', `${order.number} was cancelled; there is nothing to exchange.`);
  const picked = pickShippedLines(order, r.lines, 'exchanged');
  if (!picked.ok) return picked;
  const lines: (PlannedLine & { replacement: StoreVariant })[] = [];
  let difference = 0;
  for (const l of picked.planned) {
    const sku = r.lines.find((x) => x.lineId === l.lineId)?.replacementSku ?? '';
    const replacement = pc.variants?.find((v) => v.sku === sku);
    if (!replacement) return refuse('unknown_variant', `The store has no product with SKU ${sku || '(none given)'}.`);
    if (replacement.currency !== order.currency) return refuse('invalid_request', `${replacement.sku} is priced in ${replacement.currency}, the order in ${order.currency}.`);
    if (replacement.available !== null && replacement.available < l.quantity) {
      return refuse('out_of_stock', `${replacement.productTitle}${replacement.variantTitle ? ` (${replacement.variantTitle})` : ''} is out of stock (${replacement.available} left).`);
    }
    difference += replacement.price * l.quantity - l.amount;
    lines.push({ ...l, replacement });
  }
  const names = lines.map((l) => `${l.quantity} × ${l.title} → ${l.replacement.productTitle}${l.replacement.variantTitle ? ` (${l.replacement.variantTitle})` : ''}`);
  return {
    ok: true,
    plan: {
      action: 'exchange', orderNumber: order.number, currency: order.currency, amount: Math.max(0, difference), request: r, lines, priceDifference: difference,
      reason: r.reason ?? null,
      summary: `Exchange ${names.join(', ')}`,
      effects: [
        `A return (RMA) is opened for the items sent back: ${lines.map((l) => `${l.quantity} × ${l.title}`).join(', ')}.`,
        `A replacement ships at no charge: ${lines.map((l) => `${l.quantity} × ${l.replacement.sku}`).join(', ')}.`,
        difference > 0 ? `The replacement costs ${money(order, difference)} more; the customer is not charged the difference.`
          : difference < 0 ? `The replacement costs ${money(order, -difference)} less; nothing is refunded automatically.`
            : 'The replacement costs the same.',
      ],
    },
  };
}

function planReship(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'reship' }>, _pc: PlanContext): PlanResult {
  if (order.cancelledAt) return refuse('order_cancelled', `${order.number} was cancelled; there is nothing to reship.`);
  const sel = selectLines(order, r.lines);
  if (!sel.ok) return sel;
  const planned: PlannedLine[] = [];
  for (const { state: s, quantity, reason } of sel.picked) {
    if (s.shipped === 0) return refuse('not_shipped', `${lineTitle(s.line)} has not shipped yet; there is nothing to replace.`);
    if (quantity > s.shipped) return refuse('exceeds_quantity', `Only ${s.shipped} of ${lineTitle(s.line)} shipped, so at most ${s.shipped} can be reshipped.`);
    planned.push({ lineId: s.line.id, title: lineTitle(s.line), sku: s.line.sku, quantity, amount: lineAmountFor(s.line, 0, quantity), reason });
  }
  const value = planned.reduce((sum, l) => sum + l.amount, 0);
  const address = order.shippingAddress ? `${order.shippingAddress.name}, ${order.shippingAddress.line1}, ${order.shippingAddress.postalCode} ${order.shippingAddress.city}` : 'the order’s shipping address';
  return {
    ok: true,
    plan: {
      action: 'reship', orderNumber: order.number, currency: order.currency, amount: value, request: r, lines: planned, reason: r.reason ?? null,
      summary: `Reship ${planned.map((l) => `${l.quantity} × ${l.title}`).join(', ')} at no charge`,
      effects: [
        `A new parcel with ${planned.map((l) => `${l.quantity} × ${l.title}`).join(', ')} ships to ${address}.`,
        `The customer is not charged (value ${money(order, value)}).`,
      ],
    },
  };
}

function planDiscount(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'discount_code' }>): PlanResult {
  if (r.discountType === 'percentage' && (!Number.isInteger(r.value) || r.value < 1 || r.value > 100)) return refuse('invalid_request', 'A percentage discount must be a whole number from 1 to 100.');
  if (r.discountType === 'fixed_amount' && (!Number.isInteger(r.value) || r.value < 1)) return refuse('invalid_request', 'A fixed discount must be at least 1 minor unit (cent).');
  const code = r.code ? r.code.trim().toUpperCase() : null;
  if (code !== null && !/^[A-Z0-9][A-Z0-9_-]{3,31}$/.test(code)) return refuse('invalid_request', 'A discount code is 4 to 32 letters, digits, dashes or underscores.');
  const value = r.discountType === 'free_shipping' ? 0 : r.value;
  const what = r.discountType === 'percentage' ? `${value}% off` : r.discountType === 'fixed_amount' ? `${money(order, value)} off` : 'free shipping';
  const until = r.expiresAt ? `, valid until ${shortDate(r.expiresAt)}` : '';
  const who = order.customer.email ?? order.customer.name ?? 'the customer';
  return {
    ok: true,
    plan: {
      action: 'discount_code', orderNumber: order.number, currency: order.currency, amount: r.discountType === 'fixed_amount' ? value : 0, request: r,
      discountType: r.discountType, value, code, expiresAt: r.expiresAt ?? null, reason: r.reason ?? null,
      summary: `Create discount code ${code ?? '(generated)'}: ${what} for ${who}${until}`,
      effects: [`A single-use code${code ? ` ${code}` : ''} for ${what} on a next order, for ${who}${until}.`],
    },
  };
}

function planStoreCredit(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'store_credit' }>): PlanResult {
  if (!Number.isInteger(r.amount) || r.amount < 1) return refuse('invalid_request', 'Store credit must be at least 1 minor unit (cent).');
  if (!order.customer.externalId) return refuse('invalid_request', `Order ${order.number} was placed without a customer account, so there is nowhere to put store credit.`);
  const who = order.customer.name ?? order.customer.email ?? 'the customer';
  const until = r.expiresAt ? `, valid until ${shortDate(r.expiresAt)}` : '';
  return {
    ok: true,
    plan: {
      action: 'store_credit', orderNumber: order.number, currency: order.currency, amount: r.amount, request: r, expiresAt: r.expiresAt ?? null, reason: r.reason ?? null,
      summary: `Give ${money(order, r.amount)} store credit to ${who}`,
      effects: [`${money(order, r.amount)} is added to ${who}'s store credit${until}; it pays for future orders.`],
    },
  };
}

function planNote(order: StoreOrder, r: Extract<OrderActionRequest, { action: 'add_note' }>): PlanResult {
  const note = r.note.trim();
  if (!note) return refuse('invalid_request', 'The note is empty.');
  if (note.length > 5000) return refuse('invalid_request', 'A note is at most 5000 characters.');
  return {
    ok: true,
    plan: {
      action: 'add_note', orderNumber: order.number, currency: order.currency, amount: 0, request: { action: 'add_note', note }, note,
      summary: `Add a note to ${order.number}`,
      effects: [`The note is added to ${order.number} in the store: “${note.length > 120 ? `${note.slice(0, 117)}…` : note}”`],
    },
  };
}
