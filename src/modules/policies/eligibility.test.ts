/**
 * The eligibility engine with reason codes, pure: orders built by hand, plans from the planner,
 * no database and no clock. Each code is checked for the rules that depend on the reason (the
 * warranty instead of the return window, the restocking fee waived, free return shipping, price
 * protection), and the free text is shown to be only the agent's note once a code is given.
 */
import { describe, expect, it } from 'vitest';
import { planAction } from '../stores/connectors/action-planner.ts';
import { BUILTIN_CAPABILITIES } from '../stores/connectors/builtin/builtin.connector.ts';
import type { ActionPlan, OrderActionRequest, StoreOrder, StoreOrderLine } from '../stores/connectors/connector.ts';
import { decideEligibility, lineReason, type Eligibility, type ProductFacts, type ReasonCodes } from './eligibility.ts';
import { defaultPolicy, type PolicyDocument, type ReasonCode } from './policy-document.ts';

const DAY = 86_400_000;
const TZ = 'Europe/Amsterdam';
const NOW = new Date('2026-06-01T10:00:00Z');

/** 30-day returns from delivery; fee and paid return shipping, both waived or free for the store's faults; 24-month warranty. */
function policy(): PolicyDocument {
  return {
    ...defaultPolicy(),
    returns: {
      ...defaultPolicy().returns,
      enabled: true,
      window_days: 30,
      from: 'delivery',
      seasonal: [],
      restocking_fee: { percent: 10, categories: [], waived_for: ['defective', 'damaged', 'wrong_item'] },
      return_shipping: { paid_by: 'customer', fee: 500, free_for: ['defective', 'damaged', 'wrong_item', 'not_as_described'], free_above: null },
    },
    refunds: { destination: 'customer_choice', require_return_after_delivery: true },
    warranty: { months: 24, categories: [] },
    price_protection: { enabled: true, days: 14 },
  };
}

function line(id: string, sku: string, price: number): StoreOrderLine {
  return { id, productId: `p-${sku}`, variantId: `v-${sku}`, productTitle: 'Trail Jacket', variantTitle: sku, sku, quantity: 1, unitPrice: price, linePrice: price, discount: 0, tax: 0, total: price };
}

/** A paid order delivered `daysAgo` days before NOW (placed two days before that). */
function order(daysAgo: number, lines = [line('l1', 'TJ-M', 10_000)]): StoreOrder {
  const delivered = new Date(NOW.getTime() - daysAgo * DAY);
  const placed = new Date(delivered.getTime() - 2 * DAY);
  const total = lines.reduce((s, l) => s + l.total, 0);
  return {
    number: 'T-1', externalId: 'o1', customer: { externalId: 'c1', email: 'casey@example.com', name: 'Casey' }, currency: 'EUR',
    placedAt: placed, cancelledAt: null, cancelReason: null, financialStatus: 'paid', fulfillmentStatus: 'fulfilled', taxesIncluded: true,
    subtotal: total, discountTotal: 0, shippingTotal: 0, taxTotal: 0, total, discountCodes: [], shippingMethod: 'Standard', shippingAddress: null,
    expectedDeliveryAt: null, lines,
    payments: [{ id: 'pay1', method: 'card', methodDetail: null, amount: total, status: 'captured', createdAt: placed }],
    refunds: [],
    fulfillments: [{
      id: 'f1', kind: 'shipment', status: 'delivered', carrier: 'DHL', service: null, trackingNumber: 'X1', trackingUrl: null,
      shippedAt: new Date(placed.getTime() + DAY), estimatedDeliveryAt: null, deliveredAt: delivered,
      lines: lines.map((l) => ({ lineId: l.id, sku: l.sku, title: l.productTitle, quantity: l.quantity })),
    }],
    returns: [], notes: [], adminUrl: null,
  };
}

function plan(o: StoreOrder, request: OrderActionRequest): ActionPlan {
  const planned = planAction(o, request, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES, timeZone: TZ });
  if (!planned.ok) throw new Error(planned.refusal.message);
  return planned.plan;
}

const products = new Map<string, ProductFacts>([['TJ-M', { productId: 'p-TJ-M', category: 'Jackets', tags: [] }], ['TJ-L', { productId: 'p-TJ-L', category: 'Jackets', tags: [] }]]);

function decide(o: StoreOrder, request: OrderActionRequest, codes?: ReasonCodes, currentPrices?: Map<string, number>): Eligibility {
  return decideEligibility({ policy: policy(), order: o, plan: plan(o, request), products, currentPrices, at: NOW, timeZone: TZ, reasonCodes: codes });
}

const code = (action: ReasonCode | null, lines: [string, ReasonCode][] = []): ReasonCodes => ({ action, lines: new Map(lines) });
const returnOf = (reason?: string): OrderActionRequest => ({ action: 'create_return', lines: [{ lineId: 'l1', quantity: 1 }], reason });
const clauses = (e: Eligibility) => e.reasons.map((r) => `${r.ok ? '+' : '-'}${r.clause}`);

describe('reason codes in the eligibility engine', () => {
  it('defective: the warranty applies after the window, no restocking fee, free return shipping — whatever the language of the note', () => {
    const e = decide(order(100), returnOf('Das Gerät geht nicht mehr an'), code('defective'));
    expect(e.allowed).toBe(true);
    expect(e.reasons.map((r) => r.text)).toContain('Defective items are covered by a 24-month warranty; Trail Jacket (TJ-M) was delivered 100 days ago.');
    expect(e.fees).toEqual({ restocking: 0, returnShipping: 0 });
    expect(e.allowedAmount).toBe(10_000);
  });

  it('without a code the German note is not understood (the deprecated text path): the window refuses', () => {
    const e = decide(order(100), returnOf('Das Gerät geht nicht mehr an'));
    expect(e.allowed).toBe(false);
    expect(clauses(e)[0]).toBe('-returns.window');
  });

  it('damaged: covered as arrived damaged, fees waived', () => {
    const e = decide(order(100), returnOf(), code('damaged'));
    expect(e.allowed).toBe(true);
    expect(e.reasons.find((r) => r.clause === 'warranty')?.text).toMatch(/^Items that arrived damaged are covered by a 24-month warranty/);
    expect(e.fees).toEqual({ restocking: 0, returnShipping: 0 });
  });

  it('wrong_item: covered as a wrong item, fees waived', () => {
    const e = decide(order(100), returnOf(), code('wrong_item'));
    expect(e.allowed).toBe(true);
    expect(e.reasons.find((r) => r.clause === 'warranty')?.text).toMatch(/^Wrong items are covered/);
    expect(e.fees).toEqual({ restocking: 0, returnShipping: 0 });
  });

  it('not_as_described: the return window applies (no warranty); return shipping free as the policy says, the restocking fee is not waived', () => {
    expect(decide(order(100), returnOf(), code('not_as_described')).allowed).toBe(false);
    const e = decide(order(10), returnOf(), code('not_as_described'));
    expect(e.allowed).toBe(true);
    expect(e.fees).toEqual({ restocking: 1_000, returnShipping: 0 });
    expect(e.reasons.map((r) => r.text)).toContain('Return shipping is free: the item is not as described.');
  });

  it('changed_mind: the window applies and the customer pays both fees, even when the note says “defective”', () => {
    expect(clauses(decide(order(100), returnOf('defective'), code('changed_mind')))[0]).toBe('-returns.window');
    const e = decide(order(10), returnOf('defective'), code('changed_mind'));
    expect(e.allowed).toBe(true);
    expect(e.fees).toEqual({ restocking: 1_000, returnShipping: 500 });
    expect(e.allowedAmount).toBe(8_500);
  });

  it.each(['late_delivery', 'other'] as const)('%s: no reason-dependent rule, even with an English fault word in the note', (c) => {
    expect(clauses(decide(order(100), returnOf('arrived damaged'), code(c)))[0]).toBe('-returns.window');
    expect(decide(order(10), returnOf('arrived damaged'), code(c)).fees).toEqual({ restocking: 1_000, returnShipping: 500 });
  });

  it('a line’s own code wins over the action’s', () => {
    const o = order(100, [line('l1', 'TJ-M', 10_000), line('l2', 'TJ-L', 10_000)]);
    const request: OrderActionRequest = { action: 'create_return', lines: [{ lineId: 'l1', quantity: 1 }, { lineId: 'l2', quantity: 1 }] };
    const e = decide(o, request, code('changed_mind', [['l1', 'defective']]));
    expect(e.allowed).toBe(false);
    expect(e.reasons.filter((r) => r.clause === 'warranty' && r.ok)).toHaveLength(1);
    expect(lineReason(code('changed_mind', [['l1', 'defective']]), 'l2', 'defective')).toBe('changed_mind');
  });

  it('refund of a delivered item: defective is refunded under the warranty, changed_mind needs a return first', () => {
    const refund: OrderActionRequest = { action: 'refund', scope: 'lines', lines: [{ lineId: 'l1', quantity: 1 }], destination: 'original_payment', reason: 'kaputt' };
    expect(decide(order(100), refund, code('defective'))).toMatchObject({ allowed: true, allowedAmount: 10_000 });
    expect(clauses(decide(order(10), refund, code('changed_mind')))[0]).toBe('-refunds.require_return');
  });

  it('price_drop asks for price protection; another code never does, whatever the note says', () => {
    const o = order(0);
    o.placedAt = new Date(NOW.getTime() - 5 * DAY);
    const refund: OrderActionRequest = { action: 'refund', scope: 'amount', amount: 2_000, destination: 'original_payment', reason: 'Preis gesunken' };
    const prices = new Map([['TJ-M', 8_000]]);
    const e = decide(o, refund, code('price_drop'), prices);
    expect(e).toMatchObject({ allowed: true, allowedAmount: 2_000 });
    expect(clauses(e)).toEqual(['+price_protection']);
    const goodwill = decide(o, { ...refund, reason: 'price drop' }, code('other'), prices);
    expect(clauses(goodwill)).not.toContain('+price_protection');
  });
});
