import { describe, expect, it } from 'vitest';
import { planAction } from './action-planner.ts';
import { BUILTIN_CAPABILITIES } from './builtin/builtin.connector.ts';
import type { ConnectorCapabilities, OrderActionRequest, StoreOrder } from './connector.ts';
import { lineAmountFor, orderGlance, refundableAmount } from './order-math.ts';

const placedAt = new Date('2026-11-01T10:00:00Z');

/** A small order: 3 × socks (line total €10.00, to show rounding), 1 × jacket, €4.95 shipping, paid by card. */
function buildOrder(patch: Partial<StoreOrder> = {}): StoreOrder {
  return {
    number: 'NW-10001', externalId: 'o1', customer: { externalId: 'c1', email: 'lena@example.com', name: 'Lena' }, currency: 'EUR',
    placedAt, cancelledAt: null, cancelReason: null, financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', taxesIncluded: true,
    subtotal: 13_900, discountTotal: 0, shippingTotal: 495, taxTotal: 0, total: 14_395, discountCodes: [], shippingMethod: 'DHL',
    shippingAddress: { name: 'Lena', line1: 'Prinsengracht 1', line2: null, postalCode: '1016 GV', city: 'Amsterdam', region: null, country: 'NL', phone: null },
    expectedDeliveryAt: new Date('2026-11-05T10:00:00Z'),
    lines: [
      { id: 'socks', productId: null, variantId: null, productTitle: 'Socks', variantTitle: null, sku: 'S', quantity: 3, unitPrice: 333, linePrice: 1_000, discount: 0, tax: 0, total: 1_000 },
      { id: 'jacket', productId: null, variantId: null, productTitle: 'Jacket', variantTitle: 'M', sku: 'J', quantity: 1, unitPrice: 12_900, linePrice: 12_900, discount: 0, tax: 0, total: 12_900 },
    ],
    payments: [{ id: 'p1', method: 'card', methodDetail: 'Visa •••• 4242', amount: 14_395, status: 'captured', createdAt: placedAt }],
    refunds: [], fulfillments: [], returns: [], notes: [], adminUrl: null,
    ...patch,
  };
}

const pc = { platform: 'builtin' as const, capabilities: BUILTIN_CAPABILITIES };
const plan = (order: StoreOrder, request: OrderActionRequest, caps: ConnectorCapabilities = BUILTIN_CAPABILITIES) => planAction(order, request, { ...pc, capabilities: caps });
const shipped = (at = new Date('2026-11-02T10:00:00Z'), deliveredAt: Date | null = null): Partial<StoreOrder> => ({
  fulfillmentStatus: 'fulfilled',
  fulfillments: [{
    id: 'f1', kind: 'shipment', status: deliveredAt ? 'delivered' : 'in_transit', carrier: 'DHL', service: null, trackingNumber: 'JVGL1234567890', trackingUrl: null,
    shippedAt: at, estimatedDeliveryAt: null, deliveredAt, lines: [{ lineId: 'socks', sku: 'S', title: 'Socks', quantity: 3 }, { lineId: 'jacket', sku: 'J', title: 'Jacket', quantity: 1 }],
  }],
});

describe('refund plans', () => {
  it('splits a line total over its units so that the parts add up exactly', () => {
    const line = buildOrder().lines[0];
    if (!line) throw new Error('no line');
    expect([lineAmountFor(line, 0, 1), lineAmountFor(line, 1, 1), lineAmountFor(line, 2, 1)]).toEqual([333, 333, 334]);
    expect(lineAmountFor(line, 0, 3)).toBe(1_000);
  });

  it('refunds lines with shipping, and says what will remain', () => {
    const r = plan(buildOrder(), { action: 'refund', scope: 'lines', lines: [{ lineId: 'socks', quantity: 2 }], includeShipping: true });
    expect(r).toMatchObject({ ok: true, plan: { amount: 666 + 495, shipping: 495, refundableMax: 14_395, lines: [{ lineId: 'socks', quantity: 2, amount: 666 }] } });
    if (r.ok) expect(r.plan.effects).toContain('€132.34 will remain refundable.');
  });

  it('counts what was refunded before: units, shipping and the overall maximum', () => {
    const order = buildOrder({ refunds: [{ id: 'r1', amount: 495 + 333, shipping: 495, lines: [{ lineId: 'socks', quantity: 1, amount: 333 }], destination: 'original_payment', reason: null, createdAt: placedAt }] });
    expect(refundableAmount(order)).toBe(14_395 - 828);
    expect(plan(order, { action: 'refund', scope: 'shipping' })).toMatchObject({ ok: false, refusal: { code: 'nothing_to_refund' } });
    expect(plan(order, { action: 'refund', scope: 'lines', lines: [{ lineId: 'socks', quantity: 3 }] })).toMatchObject({
      ok: false, refusal: { code: 'exceeds_quantity', message: 'Only 2 of Socks can still be refunded (3 bought, 1 refunded).' },
    });
    expect(plan(order, { action: 'refund', scope: 'lines', lines: [{ lineId: 'socks', quantity: 2 }] })).toMatchObject({ ok: true, plan: { amount: 667 } });
    expect(plan(order, { action: 'refund', scope: 'order' })).toMatchObject({ ok: true, plan: { amount: 14_395 - 828, shipping: 0 } });
  });

  it('refuses more than the refundable maximum, naming it', () => {
    expect(plan(buildOrder(), { action: 'refund', scope: 'amount', amount: 14_396 })).toEqual({
      ok: false,
      refusal: {
        code: 'exceeds_refundable', limit: { amount: 14_395, currency: 'EUR' },
        message: 'You can refund at most €143.95 on NW-10001 (€143.95 paid, €0.00 refunded already); this refund would be €143.96.',
      },
    });
  });

  it('refuses to refund a payment that was only authorized', () => {
    const order = buildOrder({ payments: [{ id: 'p1', method: 'klarna', methodDetail: null, amount: 14_395, status: 'authorized', createdAt: placedAt }] });
    expect(plan(order, { action: 'refund', scope: 'order' })).toMatchObject({ ok: false, refusal: { code: 'not_paid', message: expect.stringContaining('cancel the order') } });
  });

  it('refuses what the platform does not support', () => {
    const caps = { ...BUILTIN_CAPABILITIES, refundScopes: ['order', 'lines'] as const, refundToStoreCredit: false, actions: { ...BUILTIN_CAPABILITIES.actions, store_credit: false } };
    expect(plan(buildOrder(), { action: 'refund', scope: 'amount', amount: 100 }, caps)).toMatchObject({ ok: false, refusal: { code: 'unsupported' } });
    expect(plan(buildOrder(), { action: 'refund', scope: 'order', destination: 'store_credit' }, caps)).toMatchObject({ ok: false, refusal: { code: 'unsupported' } });
    expect(plan(buildOrder(), { action: 'store_credit', amount: 500 }, caps)).toMatchObject({ ok: false, refusal: { code: 'unsupported', message: 'The built-in store cannot give store credit through storedesk.' } });
  });
});

describe('other plans', () => {
  it('cancels an unshipped order with a full refund, and refuses once it shipped', () => {
    expect(plan(buildOrder(), { action: 'cancel' })).toMatchObject({ ok: true, plan: { refundAmount: 14_395, summary: 'Cancel NW-10001 and refund €143.95 to Visa •••• 4242' } });
    expect(plan(buildOrder(shipped()), { action: 'cancel' })).toMatchObject({ ok: false, refusal: { code: 'already_shipped', message: expect.stringContaining('with DHL (JVGL1234567890)') } });
  });

  it('returns and reships only what shipped', () => {
    expect(plan(buildOrder(), { action: 'create_return', lines: [{ lineId: 'jacket', quantity: 1 }] })).toMatchObject({ ok: false, refusal: { code: 'not_shipped' } });
    expect(plan(buildOrder(shipped()), { action: 'create_return', lines: [{ lineId: 'jacket', quantity: 1 }] })).toMatchObject({ ok: true, plan: { amount: 0 } });
    expect(plan(buildOrder(shipped()), { action: 'reship', lines: [{ lineId: 'socks', quantity: 4 }] })).toMatchObject({ ok: false, refusal: { code: 'exceeds_quantity' } });
    expect(plan(buildOrder(shipped()), { action: 'reship', lines: [{ lineId: 'socks', quantity: 1 }] })).toMatchObject({ ok: true, plan: { amount: 333 } });
  });

  it('exchanges for a variant in stock, stating the price difference', () => {
    const variant = { id: 'v2', sku: 'J-L', productTitle: 'Jacket', variantTitle: 'L', price: 13_900, currency: 'EUR', available: 2 };
    const r = planAction(buildOrder(shipped()), { action: 'exchange', lines: [{ lineId: 'jacket', quantity: 1, replacementSku: 'J-L' }] }, { ...pc, variants: [variant] });
    expect(r).toMatchObject({ ok: true, plan: { priceDifference: 1_000, amount: 1_000 } });
    const none = planAction(buildOrder(shipped()), { action: 'exchange', lines: [{ lineId: 'jacket', quantity: 1, replacementSku: 'J-L' }] }, { ...pc, variants: [{ ...variant, available: 0 }] });
    expect(none).toMatchObject({ ok: false, refusal: { code: 'out_of_stock' } });
  });

  it('checks discount codes and store credit', () => {
    expect(plan(buildOrder(), { action: 'discount_code', discountType: 'percentage', value: 120 })).toMatchObject({ ok: false, refusal: { code: 'invalid_request' } });
    expect(plan(buildOrder(), { action: 'discount_code', discountType: 'percentage', value: 15, code: 'sorry-lena' })).toMatchObject({ ok: true, plan: { code: 'SORRY-LENA', amount: 0 } });
    expect(plan(buildOrder({ customer: { externalId: null, email: null, name: null } }), { action: 'store_credit', amount: 500 })).toMatchObject({ ok: false, refusal: { code: 'invalid_request' } });
  });
});

describe('an order at a glance', () => {
  const now = new Date('2026-11-10T10:00:00Z');
  it('is late when paid, not delivered and past the promised date', () => {
    expect(orderGlance(buildOrder(shipped()), now, 'Europe/Amsterdam')).toMatchObject({ state: 'late', label: 'Late — expected 5 Nov', tracking: { number: 'JVGL1234567890' } });
    expect(orderGlance(buildOrder(shipped()), new Date('2026-11-03T10:00:00Z'))).toMatchObject({ state: 'shipped', label: 'Shipped 2 Nov · DHL' });
    expect(orderGlance(buildOrder(shipped(undefined, new Date('2026-11-04T09:00:00Z'))), now)).toMatchObject({ state: 'delivered', label: 'Delivered 4 Nov' });
    expect(orderGlance(buildOrder(), new Date('2026-11-02T10:00:00Z'))).toMatchObject({ state: 'paid' });
    expect(orderGlance(buildOrder({ payments: [] }), now)).toMatchObject({ state: 'placed' });
    expect(orderGlance(buildOrder({ cancelledAt: new Date('2026-11-01T12:00:00Z') }), now)).toMatchObject({ state: 'cancelled', label: 'Cancelled 1 Nov' });
  });
});
