/**
 * Northwind Outfitters' store policy, as a demo store would really have it: 30-day returns from
 * delivery with a holiday extension, final-sale trekking poles, hygiene rules for socks, a 60-day
 * trial on packs, a restocking fee on equipment, paid return shipping below €100, a 12-month
 * warranty on footwear, price protection and returns without a receipt as store credit.
 */
import type { PolicyDocument } from '../policies/policy-document.ts';

/** The demo store's policy document. */
export function demoStorePolicy(): PolicyDocument {
  return {
    format: 1,
    stages: {
      cancel: ['placed', 'paid'],
      refund: ['placed', 'paid', 'shipped', 'delivered'],
      create_return: ['delivered'],
      exchange: ['delivered'],
      reship: ['shipped', 'delivered'],
      discount_code: ['placed', 'paid', 'shipped', 'delivered'],
      store_credit: ['placed', 'paid', 'shipped', 'delivered'],
    },
    returns: {
      enabled: true,
      window_days: 30,
      from: 'delivery',
      seasonal: [{ name: 'Holiday returns', placed_from: '11-01', placed_until: '12-24', return_until: '01-31' }],
      restocking_fee: { percent: 0, categories: [{ category: 'Equipment', percent: 15 }], waived_for: ['defective', 'damaged', 'wrong_item'] },
      return_shipping: { paid_by: 'customer', fee: 595, free_for: ['defective', 'damaged', 'wrong_item'], free_above: 10_000 },
    },
    exchanges: { enabled: true, window_days: 30, from: 'delivery', same_product_only: true, max_value: 'equal_or_lower' },
    refunds: { destination: 'customer_choice', require_return_after_delivery: false },
    exceptions: [
      { id: 'final-sale', name: 'Clearance items', match: { tags: ['final-sale'] }, effect: 'final_sale' },
      { id: 'hygiene', name: 'Socks and other hygiene items', match: { tags: ['hygiene'] }, effect: 'no_returns' },
      { id: 'pack-trial', name: 'Packs on 60-day trial', match: { categories: ['Packs'] }, effect: 'extended_window', window_days: 60, from: 'delivery' },
    ],
    warranty: { months: 24, categories: [{ category: 'Footwear', months: 12 }] },
    price_protection: { enabled: true, days: 14 },
    no_receipt: { enabled: true, lookback_days: 365 },
  };
}
