/**
 * Which playbook fits a ticket and its order: the problem (chosen by the agent, or read from the
 * ticket's tags and subject, or — for late parcels — from the order itself) and the playbook's
 * conditions checked against the order's facts, each with a sentence saying why. Pure: no I/O.
 */
import type { StoreOrder } from '../stores/connectors/connector.ts';
import { hasShipped, lineStates, orderGlance, paidAmount, refundableAmount, refundedAmount, shortDate } from '../stores/connectors/order-math.ts';
import { formatMoney } from '../stores/money.ts';

const DAY = 24 * 3600_000;

/** The kinds of problem the default playbooks cover; stores may add their own. */
export const PROBLEM_KINDS = ['late_delivery', 'damaged_in_transit', 'wrong_item', 'missing_item', 'defective_warranty', 'price_drop'] as const;

/** When a playbook applies to an order (all given conditions must hold). */
export interface PlaybookConditions {
  /** Not delivered, and the promised date passed more than this many days ago. */
  min_days_late?: number | undefined;
  /** The order has (true) or has not (false) been delivered. */
  delivered?: boolean | undefined;
  /** The order's total is at most this (minor units of its currency). */
  max_order_value?: number | undefined;
  /** Delivered at most this many days ago (e.g. a warranty). */
  within_days_of_delivery?: number | undefined;
  /** Placed at most this many days ago (e.g. price protection). */
  within_days_of_purchase?: number | undefined;
}

/** One standard remedy of a playbook, with what to pre-fill in the action dialog. */
export interface PlaybookRemedy {
  action: 'refund' | 'reship' | 'exchange' | 'create_return' | 'discount_code' | 'store_credit' | 'cancel';
  /** For people: "Reship the items, no return needed". */
  label: string;
  /** refund: what it covers. */
  scope?: 'order' | 'lines' | 'shipping' | 'amount' | undefined;
  /** discount_code: percentage off. */
  percentage?: number | undefined;
  /** refund (scope amount), store_credit, fixed discount: minor units. */
  amount?: number | undefined;
}

/** A playbook as matching sees it. */
export interface PlaybookLike {
  id: string;
  problemKind: string;
  name: string;
  keywords: string[];
  conditions: PlaybookConditions;
  remedies: PlaybookRemedy[];
  returnRequired: boolean;
}

/** Facts about an order that conditions look at. */
export interface OrderFacts {
  delivered: boolean;
  deliveredAt: Date | null;
  /** Whole days past the promised date while undelivered; 0 when not late. */
  daysLate: number;
  total: number;
  currency: string;
  placedAt: Date;
}

/** Reads the facts playbooks look at from an order. */
export function orderFacts(order: StoreOrder, now: Date, timeZone: string): OrderFacts {
  const glance = orderGlance(order, now, timeZone);
  const delivered = glance.deliveredAt !== null && order.fulfillments.filter((f) => f.kind === 'shipment').every((f) => f.status === 'delivered');
  const late = !delivered && order.expectedDeliveryAt && !order.cancelledAt ? Math.floor((now.getTime() - order.expectedDeliveryAt.getTime()) / DAY) : 0;
  return { delivered, deliveredAt: glance.deliveredAt, daysLate: Math.max(0, late), total: order.total, currency: order.currency, placedAt: order.placedAt };
}

/** How each condition of a playbook stands against an order. */
export function checkConditions(c: PlaybookConditions, facts: OrderFacts, now: Date, timeZone: string): { fits: boolean; met: string[]; unmet: string[] } {
  const met: string[] = [];
  const unmet: string[] = [];
  const add = (ok: boolean, yes: string, no: string) => (ok ? met : unmet).push(ok ? yes : no);
  const money = (n: number) => formatMoney(n, facts.currency);
  if (c.min_days_late !== undefined) {
    add(facts.daysLate > c.min_days_late, `Not delivered, ${facts.daysLate} days past the promised date (more than ${c.min_days_late}).`,
      facts.delivered ? 'The order has been delivered.' : `${facts.daysLate} days past the promised date; the playbook applies after ${c.min_days_late}.`);
  }
  if (c.delivered !== undefined) {
    add(facts.delivered === c.delivered, c.delivered ? `Delivered${facts.deliveredAt ? ` ${shortDate(facts.deliveredAt, timeZone)}` : ''}.` : 'Not delivered yet.',
      c.delivered ? 'The order has not been delivered yet.' : 'The order has been delivered.');
  }
  if (c.max_order_value !== undefined) {
    add(facts.total <= c.max_order_value, `Order value ${money(facts.total)}, at most ${money(c.max_order_value)}.`, `Order value ${money(facts.total)} is above ${money(c.max_order_value)}.`);
  }
  if (c.within_days_of_delivery !== undefined) {
    const days = facts.deliveredAt ? Math.floor((now.getTime() - facts.deliveredAt.getTime()) / DAY) : null;
    add(days !== null && days <= c.within_days_of_delivery, `Delivered ${days} days ago (within ${c.within_days_of_delivery}).`,
      days === null ? 'Not delivered yet.' : `Delivered ${days} days ago, more than ${c.within_days_of_delivery}.`);
  }
  if (c.within_days_of_purchase !== undefined) {
    const days = Math.floor((now.getTime() - facts.placedAt.getTime()) / DAY);
    add(days <= c.within_days_of_purchase, `Bought ${days} days ago (within ${c.within_days_of_purchase}).`, `Bought ${days} days ago, more than ${c.within_days_of_purchase}.`);
  }
  return { fits: unmet.length === 0, met, unmet };
}

/** How a problem was found. */
export type ProblemSource = 'chosen' | 'tag' | 'subject' | 'order';

/**
 * The problems a ticket is about, best first: the agent's choice, else playbooks whose kind or
 * keywords are among the ticket's tags, then whose keywords appear in its subject, then (with
 * no words at all) a late order points at late delivery.
 */
export function detectProblems(
  playbooks: readonly PlaybookLike[],
  ticket: { tags: readonly string[]; subject: string },
  facts: OrderFacts | null,
  chosen?: string | undefined,
): { kind: string; source: ProblemSource }[] {
  if (chosen) return [{ kind: chosen, source: 'chosen' }];
  const found = new Map<string, ProblemSource>();
  // Tags are stored with dashes for spaces; compare them with kinds and keywords the same way.
  const norm = (w: string) => w.trim().toLowerCase().replace(/[\s_-]+/g, '-');
  const tags = ticket.tags.map(norm);
  const subject = ticket.subject.toLowerCase();
  for (const p of playbooks) {
    const words = p.keywords.map(norm).filter((k) => k.length > 0);
    if (tags.includes(norm(p.problemKind)) || words.some((w) => tags.includes(w))) found.set(p.problemKind, found.get(p.problemKind) ?? 'tag');
  }
  for (const p of playbooks) {
    const words = p.keywords.map((k) => k.toLowerCase()).filter((k) => k.length > 0);
    if (!found.has(p.problemKind) && words.some((w) => subject.includes(w))) found.set(p.problemKind, 'subject');
  }
  if (found.size === 0 && facts && facts.daysLate > 0 && playbooks.some((p) => p.problemKind === 'late_delivery')) found.set('late_delivery', 'order');
  return [...found].map(([kind, source]) => ({ kind, source }));
}

/** The action dialog's parameters for a remedy on an order (all units of every line for line actions). */
export function prefillFor(remedy: PlaybookRemedy, order: StoreOrder): { action: PlaybookRemedy['action']; params: Record<string, unknown> } {
  const lines = order.lines.filter((l) => l.quantity > 0).map((l) => ({ line_id: l.id, quantity: l.quantity }));
  switch (remedy.action) {
    case 'refund': {
      const scope = remedy.scope ?? 'order';
      return { action: 'refund', params: { scope, ...(scope === 'lines' ? { lines } : {}), ...(scope === 'amount' && remedy.amount ? { amount: remedy.amount } : {}) } };
    }
    case 'reship':
    case 'create_return':
      return { action: remedy.action, params: { lines } };
    case 'exchange':
      return { action: 'exchange', params: { lines } };
    case 'discount_code':
      return remedy.percentage
        ? { action: 'discount_code', params: { discount_type: 'percentage', percentage: remedy.percentage } }
        : { action: 'discount_code', params: { discount_type: 'fixed_amount', ...(remedy.amount ? { amount: remedy.amount } : {}) } };
    case 'store_credit':
      return { action: 'store_credit', params: remedy.amount ? { amount: remedy.amount } : {} };
    case 'cancel':
      return { action: 'cancel', params: {} };
  }
}

/** An action storedesk already took (or asked a manager for) on the order, from order_actions. */
export interface PastOrderAction {
  action: string;
  /** The request as recorded (scope, includeShipping, …). */
  params: Record<string, unknown>;
  status: 'succeeded' | 'awaiting_approval';
  actorName: string | null;
  at: Date;
}

/** Whether a standard remedy can still be given on an order, and what to offer instead. */
export interface RemedyStanding {
  /**
   * available: as the playbook says; partial: part of it was given, the prefill offers what is
   * left; given: already given on this order; awaiting_approval: asked for, a manager decides;
   * unavailable: cannot be given on this order (cancelled, nothing shipped, free shipping, …).
   */
  state: 'available' | 'partial' | 'given' | 'awaiting_approval' | 'unavailable';
  /** One sentence for the agent when the state is not simply available. */
  note: string | null;
  /** Who gave (or asked for) it and when, when storedesk recorded it. */
  by: { name: string | null; at: Date } | null;
  /** The action dialog's parameters for what can still be given. */
  prefill: { action: PlaybookRemedy['action']; params: Record<string, unknown> };
}

/** True when a recorded action gave (part of) this remedy. */
function actionGives(remedy: PlaybookRemedy, a: PastOrderAction): boolean {
  if (remedy.action === 'refund' && a.action === 'refund') {
    const scope = typeof a.params.scope === 'string' ? a.params.scope : 'order';
    const want = remedy.scope ?? 'order';
    if (want === 'shipping') return scope === 'shipping' || scope === 'order' || (scope === 'lines' && a.params.includeShipping === true);
    if (want === 'order') return scope === 'order';
    return scope === want;
  }
  // A replacement parcel, however it was sent, is the reship; an exchange's return is a return.
  if (remedy.action === 'reship') return a.action === 'reship';
  if (remedy.action === 'create_return') return a.action === 'create_return' || a.action === 'exchange';
  return remedy.action === a.action;
}

/**
 * How a standard remedy stands on an order: what it already had (from the order itself, and who
 * gave it from storedesk's records), so a playbook never suggests refunding a shipping charge that
 * was refunded, reshipping a cancelled order or cancelling one that shipped.
 */
export function remedyStanding(remedy: PlaybookRemedy, order: StoreOrder, past: readonly PastOrderAction[], timeZone: string): RemedyStanding {
  const d = (x: Date) => shortDate(x, timeZone);
  const money = (n: number) => formatMoney(n, order.currency);
  const base = prefillFor(remedy, order);
  const matching = past.filter((a) => actionGives(remedy, a));
  const done = [...matching].reverse().find((a) => a.status === 'succeeded') ?? null;
  const asked = [...matching].reverse().find((a) => a.status === 'awaiting_approval') ?? null;
  const byOf = (a: PastOrderAction | null) => (a ? { name: a.actorName, at: a.at } : null);
  const byText = (a: PastOrderAction | null, fallback: Date | null) =>
    a ? ` by ${a.actorName ?? 'storedesk'} on ${d(a.at)}` : fallback ? ` on ${d(fallback)}` : '';
  const result = (state: RemedyStanding['state'], note: string | null, by: PastOrderAction | null, prefill = base): RemedyStanding => ({ state, note, by: byOf(by), prefill });
  if (asked) return result('awaiting_approval', `Asked for${byText(asked, null)}; waiting for a manager’s approval.`, asked);

  const states = lineStates(order);
  const cancelled = order.cancelledAt ? `${order.number} was cancelled on ${d(order.cancelledAt)}` : null;
  const linesWith = (qty: (s: (typeof states)[number]) => number) =>
    states.map((s) => ({ line_id: s.line.id, quantity: qty(s) })).filter((l) => l.quantity > 0);
  const fullQuantity = (lines: { line_id: string; quantity: number }[]) => lines.every((l) => order.lines.find((x) => x.id === l.line_id)?.quantity === l.quantity) && lines.length === order.lines.filter((l) => l.quantity > 0).length;

  switch (remedy.action) {
    case 'refund': {
      const paid = paidAmount(order);
      const refunded = refundedAmount(order);
      const left = refundableAmount(order);
      const scope = remedy.scope ?? 'order';
      // Any refund explains what is no longer refundable, whichever scope it had.
      const anyRefund = [...past].reverse().find((a) => a.action === 'refund' && a.status === 'succeeded') ?? null;
      const lastRefundAt = order.refunds[order.refunds.length - 1]?.createdAt ?? null;
      if (paid === 0) return result('unavailable', `Nothing was paid on ${order.number}, so there is nothing to refund.`, null);
      if (scope === 'shipping') {
        if (order.shippingTotal === 0) return result('unavailable', `${order.number} had free shipping; there is no shipping charge to refund.`, null);
        const shippingDone = order.refunds.reduce((sum, r) => sum + r.shipping, 0);
        const lastShippingRefund = [...order.refunds].reverse().find((r) => r.shipping > 0)?.createdAt ?? null;
        if (shippingDone >= order.shippingTotal) {
          return result('given', `The shipping (${money(order.shippingTotal)}) was refunded already${byText(done, lastShippingRefund)}.`, done);
        }
        if (left === 0) return result('unavailable', `${order.number} has been refunded in full already (${money(refunded)})${byText(anyRefund, lastRefundAt)}; nothing is left to refund.`, anyRefund);
        if (shippingDone > 0) {
          return result('partial', `${money(shippingDone)} of the shipping was refunded already${byText(done, lastShippingRefund)}; ${money(Math.min(order.shippingTotal - shippingDone, left))} is left.`, done);
        }
        return result('available', null, null);
      }
      if (left === 0) {
        return result(scope === 'amount' && !done ? 'unavailable' : 'given', `${order.number} has been refunded in full already (${money(refunded)})${byText(anyRefund, lastRefundAt)}; nothing is left to refund.`, anyRefund);
      }
      if (scope === 'lines') {
        const lines = linesWith((s) => s.refundableQuantity);
        if (lines.length === 0) return result('given', `Every item of ${order.number} was refunded already${byText(anyRefund, lastRefundAt)}.`, anyRefund);
        if (!fullQuantity(lines)) {
          return result('partial', `Some items were refunded already${byText(anyRefund, lastRefundAt)}; the dialog offers the ${lines.reduce((n, l) => n + l.quantity, 0)} left.`, anyRefund, { action: 'refund', params: { scope: 'lines', lines } });
        }
        return result('available', null, null);
      }
      if (scope === 'amount' && done) return result('given', `A partial refund was given already${byText(done, null)} (${money(refunded)} refunded so far, ${money(left)} left).`, done);
      if (scope === 'order' && refunded > 0) return result('partial', `${money(refunded)} was refunded already${byText(anyRefund, lastRefundAt)}; this refunds the ${money(left)} left.`, anyRefund);
      return result('available', null, null);
    }
    case 'cancel': {
      if (order.cancelledAt) return result('given', `${cancelled}${done ? ` by ${done.actorName ?? 'storedesk'}` : ''}.`, done);
      const shipped = order.fulfillments.find((f) => f.kind === 'shipment' && hasShipped(f));
      if (shipped) return result('unavailable', `${order.number} has already shipped${shipped.shippedAt ? ` (${d(shipped.shippedAt)})` : ''}, so it can no longer be cancelled.`, null);
      return result('available', null, null);
    }
    case 'reship': {
      if (cancelled) return result('unavailable', `${cancelled}; there is nothing to reship.`, null);
      const parcel = [...order.fulfillments].reverse().find((f) => f.kind === 'reship') ?? null;
      if (parcel || done) {
        const when = parcel?.shippedAt ?? null;
        return result('given', `A replacement was sent already${byText(done, when)}${parcel?.trackingNumber ? ` (${parcel.carrier ? `${parcel.carrier} ` : ''}${parcel.trackingNumber})` : ''}.`, done);
      }
      const lines = linesWith((s) => s.shipped);
      if (lines.length === 0) return result('unavailable', `Nothing of ${order.number} has shipped yet; there is nothing to replace.`, null);
      return result(fullQuantity(lines) ? 'available' : 'partial', fullQuantity(lines) ? null : 'Only part of the order shipped; the dialog offers what shipped.', null, { action: 'reship', params: { lines } });
    }
    case 'create_return':
    case 'exchange': {
      const noun = remedy.action === 'exchange' ? 'exchange' : 'return';
      if (cancelled) return result('unavailable', `${cancelled}; there is nothing to ${noun}.`, null);
      const existing = [...order.returns].reverse().find((r) => r.status !== 'cancelled' && (remedy.action === 'create_return' || r.kind === 'exchange')) ?? null;
      const lines = linesWith((s) => s.returnableQuantity);
      if ((existing || done) && lines.length === 0) {
        return result('given', `${existing ? `Return ${existing.number}` : `A ${noun}`} was created already${byText(done, existing?.createdAt ?? null)}.`, done);
      }
      if (lines.length === 0) return result('unavailable', `Nothing of ${order.number} has shipped yet, so there is nothing to ${noun}.`, null);
      if (existing || done) {
        return result('partial', `${existing ? `Return ${existing.number}` : `A ${noun}`} was created already${byText(done, existing?.createdAt ?? null)}; the dialog offers the items not in it.`, done, { action: remedy.action, params: { lines } });
      }
      if (!fullQuantity(lines)) return result('partial', 'Only part of the order shipped; the dialog offers what shipped.', null, { action: remedy.action, params: { lines } });
      return result('available', null, null);
    }
    case 'discount_code':
    case 'store_credit': {
      if (done) {
        const what = remedy.action === 'discount_code' ? 'A discount code' : 'Store credit';
        return result('given', `${what} was given for ${order.number} already${byText(done, null)}.`, done);
      }
      return result('available', null, null);
    }
  }
}

/** True when an action is one of the playbook's standard remedies. */
export function isStandardRemedy(playbook: Pick<PlaybookLike, 'remedies'>, action: string): boolean {
  return playbook.remedies.some((r) => r.action === action);
}

/** Default playbooks for a new store (amounts in minor units of its currency). */
export function defaultPlaybooks(): (Omit<PlaybookLike, 'id'> & { description: string })[] {
  return [
    {
      problemKind: 'late_delivery', name: 'Late delivery (more than 5 days)',
      description: 'The parcel is more than 5 days past the promised date and not delivered: refund the shipping, or offer 10% off the next order.',
      keywords: ['late', 'where is', 'not arrived', 'has not arrived', 'not received', 'delayed', 'delay'],
      conditions: { min_days_late: 5 }, returnRequired: false,
      remedies: [{ action: 'refund', scope: 'shipping', label: 'Refund the shipping' }, { action: 'discount_code', percentage: 10, label: '10% off the next order' }],
    },
    {
      problemKind: 'damaged_in_transit', name: 'Damaged in transit (under 50)',
      description: 'Arrived damaged and worth under 50: reship or refund, no return needed (ask for a photo).',
      keywords: ['damaged', 'broken', 'smashed', 'crushed', 'dented'],
      conditions: { delivered: true, max_order_value: 5000 }, returnRequired: false,
      remedies: [{ action: 'reship', label: 'Reship the items, no return needed' }, { action: 'refund', scope: 'order', label: 'Refund the order, no return needed' }],
    },
    {
      problemKind: 'wrong_item', name: 'Wrong item sent',
      description: 'We sent the wrong item: send the right one at once and create a free return for the wrong one.',
      keywords: ['wrong item', 'wrong size', 'wrong colour', 'wrong color', 'not what i ordered'],
      conditions: { delivered: true }, returnRequired: true,
      remedies: [{ action: 'reship', label: 'Send the right item' }, { action: 'create_return', label: 'Free return of the wrong item' }],
    },
    {
      problemKind: 'missing_item', name: 'Item missing from the parcel',
      description: 'Something was missing from a delivered parcel: reship the missing item or refund it.',
      keywords: ['missing', 'not in the box', 'incomplete', 'only received'],
      conditions: { delivered: true }, returnRequired: false,
      remedies: [{ action: 'reship', label: 'Reship the missing item' }, { action: 'refund', scope: 'lines', label: 'Refund the missing item' }],
    },
    {
      problemKind: 'defective_warranty', name: 'Defective within warranty (2 years)',
      description: 'Stopped working within two years of delivery: exchange for the same product, or return and refund.',
      keywords: ['defective', 'faulty', 'stopped working', 'broke', 'warranty', 'does not work'],
      conditions: { delivered: true, within_days_of_delivery: 730 }, returnRequired: true,
      remedies: [{ action: 'exchange', label: 'Exchange for the same product' }, { action: 'create_return', label: 'Return for a refund' }],
    },
    {
      problemKind: 'price_drop', name: 'Price dropped after purchase (14 days)',
      description: 'The price dropped within 14 days of purchase: refund the difference, or give it as store credit.',
      keywords: ['price drop', 'price dropped', 'cheaper', 'price match', 'lower price', 'on sale'],
      conditions: { within_days_of_purchase: 14 }, returnRequired: false,
      remedies: [{ action: 'refund', scope: 'amount', label: 'Refund the difference' }, { action: 'store_credit', label: 'The difference as store credit' }],
    },
  ];
}
