/**
 * Northwind Outfitters' store policy, as a demo store would really have it: 30-day returns from
 * delivery with a holiday extension, final-sale trekking poles, hygiene rules for socks, a 60-day
 * trial on packs, a restocking fee on equipment, paid return shipping below €100, a 12-month
 * warranty on footwear, price protection and returns without a receipt as store credit.
 */
import { defaultPolicy, type PolicyDocument } from '../policies/policy-document.ts';

/** The demo store's policy document: the default policy with the clauses Northwind changed. */
export function demoStorePolicy(): PolicyDocument {
  const base = defaultPolicy();
  return {
    ...base,
    returns: {
      ...base.returns,
      seasonal: [{ name: 'Holiday returns', placed_from: '11-01', placed_until: '12-24', return_until: '01-31' }],
      restocking_fee: { ...base.returns.restocking_fee, categories: [{ category: 'Equipment', percent: 15 }] },
      return_shipping: { ...base.returns.return_shipping, fee: 595, free_above: 10_000 },
    },
    exchanges: { ...base.exchanges, same_product_only: true, max_value: 'equal_or_lower' },
    exceptions: [
      { id: 'final-sale', name: 'Clearance items', match: { tags: ['final-sale'] }, effect: 'final_sale' },
      { id: 'hygiene', name: 'Socks and other hygiene items', match: { tags: ['hygiene'] }, effect: 'no_returns' },
      { id: 'pack-trial', name: 'Packs on 60-day trial', match: { categories: ['Packs'] }, effect: 'extended_window', window_days: 60, from: 'delivery' },
    ],
    warranty: { ...base.warranty, categories: [{ category: 'Footwear', months: 12 }] },
    price_protection: { ...base.price_protection, enabled: true },
    no_receipt: { ...base.no_receipt, enabled: true },
  };
}
