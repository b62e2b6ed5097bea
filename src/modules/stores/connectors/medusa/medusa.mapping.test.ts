/**
 * Medusa's decimal amounts become exact minor units, and its orders storedesk's orders: the
 * shapes below are trimmed from what Medusa 2.21 answers (EUR, 21% VAT included).
 */
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../connector.ts';
import { refundedAmount, lineStates, orderGlance } from '../order-math.ts';
import { carrierOf, displayIdOf, medusaMinor, orderChangeEvents, toStoreOrder } from './medusa.mapping.ts';
import { SAMPLE_ORDER as ORDER } from './testing/sample-order.ts';

describe('Medusa amounts to minor units', () => {
  it('takes the exact raw decimal over the float beside it', () => {
    expect(medusaMinor(5.033057851239669, { value: '5.0330578512396694215' }, 'EUR')).toBe(503);
    expect(medusaMinor(0.8590909090909091, { value: '0.85909090909090909091' }, 'EUR')).toBe(86);
    expect(medusaMinor(162.95, { value: '162.95' }, 'EUR')).toBe(16295);
  });

  it('rounds a float without drift: 0.1 + 0.2 is 30 cents, 1.005 is 101 cents, 134.6694214876033 is 13467', () => {
    expect(medusaMinor(0.1 + 0.2, null, 'EUR')).toBe(30);
    expect(medusaMinor(134.6694214876033, null, 'EUR')).toBe(13467);
    expect(medusaMinor(129, null, 'EUR')).toBe(12900);
    expect(medusaMinor(14.5, undefined, 'EUR')).toBe(1450);
    expect(medusaMinor('1.005', null, 'EUR')).toBe(101);
  });

  it('follows the currency’s exponent: yen have none, dinars three', () => {
    expect(medusaMinor(1500, { value: '1500' }, 'JPY')).toBe(1500);
    expect(medusaMinor(1.2345, { value: '1.2345' }, 'KWD')).toBe(1235);
  });

  it('reads negatives and exponent notation (a rounding residue is zero, not minus zero)', () => {
    expect(medusaMinor(-14.5, { value: '-14.5' }, 'EUR')).toBe(-1450);
    expect(Object.is(medusaMinor(0, { value: '-4.8e-21' }, 'EUR'), 0)).toBe(true);
    expect(medusaMinor('2.5e1', null, 'EUR')).toBe(2500);
  });

  it('treats garbage as a store that answered wrongly, and a missing amount as zero', () => {
    expect(() => medusaMinor('twelve', null, 'EUR')).toThrow(StoreUnavailableError);
    expect(medusaMinor(undefined, null, 'EUR')).toBe(0);
  });
});

describe('Medusa order numbers', () => {
  it('reads the display id behind the number customers quote', () => {
    expect(displayIdOf('#1001', '#')).toBe(1001);
    expect(displayIdOf('1001', '#')).toBe(1001);
    expect(displayIdOf('MS-1001', 'MS-')).toBe(1001);
    expect(displayIdOf('ms-1001', 'MS-')).toBe(1001);
    expect(displayIdOf('NO-SUCH-ORDER-99999', '#')).toBeNull();
    expect(displayIdOf('#0', '#')).toBeNull();
  });

  it('names a parcel’s carrier from the fulfillment, else from the shipping method or tracking link', () => {
    expect(carrierOf('DHL', 'PostNL Standard')).toBe('DHL');
    expect(carrierOf(undefined, 'PostNL Standard')).toBe('PostNL');
    expect(carrierOf(null, null, 'https://www.ups.com/track?tracknum=1Z')).toBe('UPS');
    expect(carrierOf(null, 'Standard shipping', 'manual_manual')).toBeNull();
  });
});

describe('Medusa orders as storedesk reads them', () => {
  const order = toStoreOrder(ORDER, { orderNumberPrefix: '#', baseUrl: 'https://medusa.example.com' });

  it('maps lines, totals and tax in minor units, lines and shipping adding up to the total', () => {
    expect(order.number).toBe('#42');
    expect(order.currency).toBe('EUR');
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice, l.linePrice, l.tax, l.total])).toEqual([
      ['CT-JACKET-M', 1, 12900, 12900, 2239, 12900],
      ['CT-SOCKS', 2, 1450, 2900, 503, 2900],
    ]);
    expect(order).toMatchObject({ subtotal: 15800, shippingTotal: 495, taxTotal: 2828, total: 16295, taxesIncluded: true, discountCodes: ['WELCOME10'], shippingMethod: 'PostNL Standard' });
    expect(order.adminUrl).toBe('https://medusa.example.com/app/orders/order_1');
  });

  it('reads payments with captures and refunds, and which lines storedesk’s refunds were for', () => {
    expect(order.payments).toEqual([expect.objectContaining({ id: 'pay_1', method: 'manual', amount: 16295, status: 'captured' })]);
    expect(order.refunds).toEqual([expect.objectContaining({ id: 'ref_1', amount: 1450, reason: 'one pair torn (by Ann via storedesk)', lines: [{ lineId: 'ordli_socks', quantity: 1, amount: 1450 }] })]);
    expect(refundedAmount(order)).toBe(1450);
    expect(order.financialStatus).toBe('partially_refunded');
    expect(lineStates(order).find((s) => s.line.sku === 'CT-SOCKS')?.refunded).toBe(1);
  });

  it('reads parcels with the carrier’s own tracking link, leaves cancelled ones out, and requested returns as RMAs', () => {
    expect(order.fulfillments).toHaveLength(1);
    expect(order.fulfillments[0]).toMatchObject({ carrier: 'PostNL', trackingNumber: '3SCTRA1234567', status: 'in_transit', trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SCTRA1234567-NL-1015CJ' });
    expect(order.fulfillmentStatus).toBe('fulfilled');
    expect(order.returns).toEqual([expect.objectContaining({ number: '#42-R7', status: 'requested', reason: 'Too small', lines: [{ lineId: 'ordli_socks', quantity: 1, reason: 'Too small', replacementSku: null }] })]);
    expect(orderGlance(order, new Date('2026-11-23T00:00:00Z')).state).toBe('return_requested');
    expect(order.notes).toEqual([{ body: 'Called the customer', author: 'Ann', createdAt: new Date('2026-11-22T09:00:00.000Z') }]);
  });

  it('gives each change one stable source id', () => {
    const events = orderChangeEvents(ORDER, order);
    expect(events.map((e) => `${e.type} ${e.sourceId}`)).toEqual([
      'order.created medusa:order:order_1:created',
      'order.paid medusa:payment:pay_1:captured',
      'order.shipped medusa:fulfillment:ful_1:shipped',
      'order.refunded medusa:refund:ref_1',
    ]);
    expect(orderChangeEvents(ORDER, order)).toEqual(events);
  });

  it('uses a custom display id as the number when the store set one', () => {
    expect(toStoreOrder({ ...ORDER, custom_display_id: 'WEB-2026-0042' }, { orderNumberPrefix: '#', baseUrl: '' }).number).toBe('WEB-2026-0042');
  });
});
