import { describe, expect, it } from 'vitest';
import { lineStates, orderGlance, refundableAmount, refundableShipping } from '../order-math.ts';
import { hasMarker, idempotencyMarker, orderChangeEvents, stripMarkers, toStoreOrder, variantTitleOf, type VendureMappingContext } from './vendure.mapping.ts';
import type { VendureHistoryEntry, VendureOrder, VendureRefund } from './vendure.schema.ts';

const included: VendureMappingContext = { taxesIncluded: true, paymentMethodNames: new Map([['test-card', 'Test card']]) };

type Line = VendureOrder['lines'][number];

/** A Vendure order line as the Admin API answers it: 21 % VAT included in `priceWithTax`. */
function buildLine(id: string, sku: string, priceWithTax: number, quantity: number, over: Partial<Line> = {}): Line {
  const unitPrice = Math.round(priceWithTax / 1.21);
  const lineWithTax = priceWithTax * quantity;
  return {
    id, quantity, orderPlacedQuantity: quantity, unitPrice, unitPriceWithTax: priceWithTax, proratedUnitPriceWithTax: priceWithTax,
    linePriceWithTax: lineWithTax, proratedLinePriceWithTax: lineWithTax, lineTax: lineWithTax - Math.round(lineWithTax / 1.21), taxRate: 21,
    productVariant: { id: `v${id}`, sku, name: `Trail Jacket ${sku.slice(-1)}`, product: { id: 'p1', name: 'Trail Jacket' } },
    ...over,
  };
}

let historyId = 100;
function entry(type: string, data: Record<string, unknown>, createdAt: string): VendureHistoryEntry {
  historyId++;
  return { id: String(historyId), type, createdAt, isPublic: false, data, administrator: null };
}

function refund(id: string, total: number, over: Partial<VendureRefund> = {}): VendureRefund {
  return { id, total, shipping: 0, adjustment: 0, state: 'Pending', reason: null, createdAt: `2026-03-0${id}T10:00:00.000Z`, lines: [], ...over };
}

/** A placed, paid order with two lines and €4.95 shipping. */
function buildOrder(over: Partial<VendureOrder> = {}): VendureOrder {
  const lines = over.lines ?? [buildLine('1', 'TJ-M', 12_900, 1), buildLine('2', 'SOCK-1', 1_450, 2)];
  const lineTotal = lines.reduce((s, l) => s + l.proratedLinePriceWithTax, 0);
  return {
    id: '7', code: 'ABC123', state: 'PaymentSettled', active: false, orderPlacedAt: '2026-03-01T09:00:00.000Z', createdAt: '2026-03-01T08:55:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z', currencyCode: 'EUR', total: Math.round((lineTotal + 495) / 1.21), totalWithTax: lineTotal + 495, couponCodes: [],
    customer: { id: '3', emailAddress: 'casey@example.com', firstName: 'Casey', lastName: 'Contract', phoneNumber: null },
    shippingAddress: { fullName: 'Casey Contract', company: null, streetLine1: 'Keizersgracht 1', streetLine2: null, city: 'Amsterdam', province: null, postalCode: '1015 CJ', countryCode: 'NL', phoneNumber: null },
    lines,
    shippingLines: [{ priceWithTax: 495, discountedPrice: 409, discountedPriceWithTax: 495, shippingMethod: { code: 'standard', name: 'Standard (PostNL)' }, discounts: [] }],
    discounts: [],
    payments: [{ id: '9', method: 'test-card', amount: lineTotal + 495, state: 'Settled', transactionId: 'tx', createdAt: '2026-03-01T09:00:00.000Z', refunds: [] }],
    fulfillments: [],
    history: { items: [], totalItems: 0 },
    ...over,
  };
}

describe('Vendure order mapping', () => {
  it('shows prices with tax when the channel includes tax, and the totals add up to what was paid', () => {
    const order = toStoreOrder(buildOrder(), included);
    const jacket = order.lines.find((l) => l.sku === 'TJ-M');
    expect(jacket).toMatchObject({ unitPrice: 12_900, linePrice: 12_900, total: 12_900, productTitle: 'Trail Jacket', variantTitle: 'M', discount: 0 });
    expect(order.total).toBe(12_900 + 2_900 + 495);
    expect(order.lines.reduce((s, l) => s + l.total, 0) + order.shippingTotal).toBe(order.total);
    expect(order.payments[0]).toMatchObject({ status: 'captured', methodDetail: 'Test card', amount: order.total });
    expect(order).toMatchObject({ financialStatus: 'paid', fulfillmentStatus: 'unfulfilled', taxesIncluded: true, shippingMethod: 'Standard (PostNL)' });
    expect(order.taxTotal).toBe(order.lines.reduce((s, l) => s + l.tax, 0) + 86);
    expect(orderGlance(order, new Date('2026-03-02')).state).toBe('paid');
  });

  it('shows prices before tax for a channel that adds tax, while line totals stay what the customer paid', () => {
    const order = toStoreOrder(buildOrder(), { ...included, taxesIncluded: false });
    const jacket = order.lines.find((l) => l.sku === 'TJ-M');
    expect(jacket).toMatchObject({ unitPrice: 10_661, linePrice: 10_661, total: 12_900 });
    expect(order.subtotal).toBe(10_661 + 2 * 1_198);
    expect(order.taxesIncluded).toBe(false);
  });

  it('splits partial refunds over the units they name, the odd cent going to the last unit', () => {
    const lines = [buildLine('1', 'TJ-M', 12_900, 1), buildLine('2', 'SOCK-1', 1_450, 2, { proratedLinePriceWithTax: 2_901, linePriceWithTax: 2_901 })];
    const raw = buildOrder({ lines });
    const payment = raw.payments?.[0];
    if (!payment) throw new Error('no payment');
    payment.refunds = [
      refund('1', 1_450, { lines: [{ orderLineId: '2', quantity: 1 }], reason: 'torn [storedesk:key-1]' }),
      refund('2', 1_451 + 495, { lines: [{ orderLineId: '2', quantity: 1 }], shipping: 495 }),
      refund('3', 100, { state: 'Failed' }),
    ];
    const order = toStoreOrder(raw, included);
    expect(order.refunds.map((r) => r.lines)).toEqual([[{ lineId: '2', quantity: 1, amount: 1_450 }], [{ lineId: '2', quantity: 1, amount: 1_451 }]]);
    expect(order.refunds[0]?.reason).toBe('torn');
    expect(order.refunds[1]?.shipping).toBe(495);
    expect(order.financialStatus).toBe('partially_refunded');
    expect(lineStates(order).find((s) => s.line.id === '2')).toMatchObject({ refunded: 2, refundableQuantity: 0 });
    expect(refundableShipping(order)).toBe(0);
    expect(refundableAmount(order)).toBe(12_900);
  });

  it('a refund for less than its lines are worth gives the lines no more than the refund', () => {
    const raw = buildOrder();
    const payment = raw.payments?.[0];
    if (!payment) throw new Error('no payment');
    payment.refunds = [refund('1', 1_000, { lines: [{ orderLineId: '1', quantity: 1 }, { orderLineId: '2', quantity: 2 }] })];
    const order = toStoreOrder(raw, included);
    expect(order.refunds[0]?.lines).toEqual([{ lineId: '1', quantity: 1, amount: 1_000 }, { lineId: '2', quantity: 2, amount: 0 }]);
  });

  it('a cancelled order still shows what was bought and charged, with the reason without storedesk’s marker', () => {
    const lines = [buildLine('1', 'TJ-M', 12_900, 1), buildLine('2', 'SOCK-1', 1_450, 2)].map((l) => ({
      ...l, quantity: 0, linePriceWithTax: 0, proratedLinePriceWithTax: 0, lineTax: 0,
    }));
    const raw = buildOrder({
      state: 'Cancelled', lines, totalWithTax: 0,
      shippingLines: [{ priceWithTax: 495, discountedPrice: 0, discountedPriceWithTax: 0, shippingMethod: { code: 'standard', name: 'Standard' }, discounts: [{ adjustmentSource: 'CANCEL_ORDER:7', amountWithTax: -495, description: 'shipping cancellation' }] }],
      discounts: [{ adjustmentSource: 'CANCEL_ORDER:7', amountWithTax: -495, description: 'shipping cancellation' }],
      history: {
        totalItems: 2,
        items: [
          entry('ORDER_CANCELLATION', { reason: 'changed mind — Agent via storedesk [storedesk:k1]', shippingCancelled: true }, '2026-03-02T10:00:00.000Z'),
          entry('ORDER_STATE_TRANSITION', { from: 'PaymentSettled', to: 'Cancelled' }, '2026-03-02T10:00:00.000Z'),
        ],
      },
    });
    const order = toStoreOrder(raw, included);
    expect(order.lines.map((l) => [l.quantity, l.total])).toEqual([[1, 12_900], [2, 2_900]]);
    expect(order.shippingTotal).toBe(495);
    expect(order.discountTotal).toBe(0);
    expect(order.total).toBe(16_295);
    expect(order.cancelledAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(order.cancelReason).toBe('changed mind — Agent via storedesk');
    expect(orderGlance(order, new Date()).state).toBe('cancelled');
  });

  it('parcels carry the carrier, a tracking link and the dates from the history; a cancelled parcel is left out', () => {
    const raw = buildOrder({
      state: 'PartiallyDelivered',
      fulfillments: [
        { id: '11', state: 'Delivered', method: 'PostNL', trackingCode: '3SABCD1234567', createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-04T12:00:00.000Z', lines: [{ orderLineId: '1', quantity: 1 }] },
        { id: '12', state: 'Cancelled', method: 'DHL', trackingCode: 'JVGL00001', createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T13:00:00.000Z', lines: [{ orderLineId: '2', quantity: 2 }] },
      ],
      history: {
        totalItems: 2,
        items: [
          entry('ORDER_FULFILLMENT_TRANSITION', { fulfillmentId: 11, from: 'Pending', to: 'Shipped' }, '2026-03-02T08:00:00.000Z'),
          entry('ORDER_FULFILLMENT_TRANSITION', { fulfillmentId: 11, from: 'Shipped', to: 'Delivered' }, '2026-03-03T15:00:00.000Z'),
        ],
      },
    });
    const order = toStoreOrder(raw, included);
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0]).toMatchObject({
      carrier: 'PostNL', trackingNumber: '3SABCD1234567', status: 'delivered', shippedAt: new Date('2026-03-02T08:00:00.000Z'), deliveredAt: new Date('2026-03-03T15:00:00.000Z'),
      lines: [{ lineId: '1', sku: 'TJ-M', title: 'Trail Jacket (M)', quantity: 1 }],
    });
    expect(order.fulfillments[0]?.trackingUrl).toBe('https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1015CJ');
    expect(order.fulfillmentStatus).toBe('partially_fulfilled');

    const events = orderChangeEvents(raw, order);
    expect(events.map((e) => e.type)).toEqual(['order.created', 'order.shipped', 'order.delivered']);
    expect(events[1]).toMatchObject({ orderNumber: 'ABC123', customerEmail: 'casey@example.com', data: { carrier: 'PostNL', tracking_number: '3SABCD1234567' } });
    // The same history gives the same source ids, so overlapping polls are dropped as repeats.
    expect(orderChangeEvents(raw, order).map((e) => e.sourceId)).toEqual(events.map((e) => e.sourceId));
  });

  it('notes are shown without storedesk’s marker, and refunds become refunded events', () => {
    const raw = buildOrder({ history: { totalItems: 1, items: [entry('ORDER_NOTE', { note: 'Called the customer\n\n— Agent via storedesk [storedesk:n1]' }, '2026-03-02T10:00:00.000Z')] } });
    const payment = raw.payments?.[0];
    if (!payment) throw new Error('no payment');
    payment.refunds = [refund('4', 495, { shipping: 495 })];
    const order = toStoreOrder(raw, included);
    expect(order.notes).toEqual([{ body: 'Called the customer\n\n— Agent via storedesk', author: null, createdAt: new Date('2026-03-02T10:00:00.000Z') }]);
    expect(orderChangeEvents(raw, order).find((e) => e.type === 'order.refunded')).toMatchObject({ sourceId: 'vendure:refund:4', data: { amount: 495, shipping: 495 } });
  });
});

describe('idempotency markers', () => {
  it('carry readable keys as they are and hash keys with other characters', () => {
    expect(idempotencyMarker('act_01HX-2')).toBe('[storedesk:act_01HX-2]');
    const odd = idempotencyMarker('a key with spaces ]');
    expect(odd).toMatch(/^\[storedesk:h-[A-Za-z0-9_-]{32}\]$/);
    expect(hasMarker(`refund ${odd}`, 'a key with spaces ]')).toBe(true);
    expect(hasMarker('refund [storedesk:act_01HX-2]', 'act_01HX')).toBe(false);
    expect(stripMarkers(`Late parcel — Agent via storedesk ${odd}`)).toBe('Late parcel — Agent via storedesk');
  });
});

describe('variant titles', () => {
  it('drop the product name Vendure repeats in variant names', () => {
    expect(variantTitleOf('Trail Jacket M', 'Trail Jacket')).toBe('M');
    expect(variantTitleOf('Trail Jacket', 'Trail Jacket')).toBeNull();
    expect(variantTitleOf('Navy / L', 'Trail Jacket')).toBe('Navy / L');
  });
});
