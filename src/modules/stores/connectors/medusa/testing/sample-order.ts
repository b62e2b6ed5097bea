/**
 * An order as Medusa 2.21 answers it with ORDER_FIELDS, trimmed (EUR, 21% VAT included): two
 * lines, PostNL shipping, a captured payment with one refund storedesk made, a shipped parcel and
 * a cancelled one, a requested return and an unconfirmed one. For tests only.
 */
import type { MedusaOrder } from '../medusa.schema.ts';

/** The sample order. */
export const SAMPLE_ORDER: MedusaOrder = {
  id: 'order_1', display_id: 42, custom_display_id: null, status: 'pending', email: 'casey@example.com', currency_code: 'eur',
  created_at: '2026-11-20T10:00:00.000Z', updated_at: '2026-11-22T10:00:00.000Z', canceled_at: null, customer_id: 'cus_1',
  customer: { id: 'cus_1', email: 'casey@example.com', first_name: 'Casey', last_name: 'Contract' },
  metadata: {
    storedesk_refunds: { ref_1: { lines: [{ lineId: 'ordli_socks', quantity: 1, amount: 1450 }], shipping: 0 } },
    storedesk_notes: [{ body: 'Called the customer', author: 'Ann', at: '2026-11-22T09:00:00.000Z' }],
  },
  total: 162.95, raw_total: { value: '162.95' }, tax_total: 28.280578512396694, raw_tax_total: { value: '28.280578512396694215' }, discount_total: 0,
  items: [
    {
      id: 'ordli_jacket', title: 'Contract Jacket', subtitle: 'M', product_id: 'prod_1', product_title: 'Contract Jacket', variant_id: 'variant_1', variant_title: 'M', variant_sku: 'CT-JACKET-M',
      quantity: 1, unit_price: 129, raw_unit_price: { value: '129' }, total: 129, tax_total: 22.388429752066116, raw_tax_total: { value: '22.38842975206611570248' }, discount_total: 0, is_tax_inclusive: true, adjustments: [],
    },
    {
      id: 'ordli_socks', title: 'Contract Socks', subtitle: 'One size', product_id: 'prod_2', product_title: 'Contract Socks', variant_id: 'variant_2', variant_title: 'One size', variant_sku: 'CT-SOCKS',
      quantity: 2, unit_price: 14.5, raw_unit_price: { value: '14.5' }, total: 29, tax_total: 5.033057851239669, raw_tax_total: { value: '5.0330578512396694215' }, discount_total: 0, is_tax_inclusive: true,
      adjustments: [{ code: 'WELCOME10', amount: 0 }],
    },
  ],
  shipping_methods: [{ id: 'ordsm_1', name: 'PostNL Standard', shipping_option_id: 'so_1', amount: 4.95, total: 4.95, raw_total: { value: '4.95' }, tax_total: 0.8590909090909091, is_tax_inclusive: true, adjustments: [] }],
  shipping_address: { first_name: 'Casey', last_name: 'Contract', address_1: 'Keizersgracht 1', address_2: '', city: 'Amsterdam', province: null, postal_code: '1015 CJ', country_code: 'nl', phone: null },
  payment_collections: [{
    id: 'pay_col_1',
    payments: [{
      id: 'pay_1', provider_id: 'pp_system_default', amount: 162.95, raw_amount: { value: '162.95' }, currency_code: 'eur', captured_at: '2026-11-20T10:01:00.000Z', canceled_at: null,
      created_at: '2026-11-20T10:00:30.000Z', data: {},
      captures: [{ id: 'capt_1', amount: 162.95, raw_amount: { value: '162.95' }, created_at: '2026-11-20T10:01:00.000Z' }],
      refunds: [{ id: 'ref_1', amount: 14.5, raw_amount: { value: '14.5' }, note: 'one pair torn (by Ann via storedesk) [storedesk k-1]', refund_reason: null, created_at: '2026-11-21T10:00:00.000Z' }],
    }],
  }],
  fulfillments: [
    {
      id: 'ful_1', packed_at: '2026-11-20T12:00:00.000Z', shipped_at: '2026-11-20T13:00:00.000Z', delivered_at: null, canceled_at: null, created_at: '2026-11-20T12:00:00.000Z',
      provider_id: 'manual_manual', shipping_option_id: 'so_1', metadata: null, data: {},
      items: [{ line_item_id: 'ordli_jacket', title: 'M', sku: 'CT-JACKET-M', quantity: 1 }, { line_item_id: 'ordli_socks', title: 'One size', sku: 'CT-SOCKS', quantity: 2 }],
      labels: [{ tracking_number: '3SCTRA1234567', tracking_url: 'https://example.com/t' }],
    },
    { id: 'ful_0', shipped_at: null, delivered_at: null, canceled_at: '2026-11-20T11:00:00.000Z', created_at: '2026-11-20T11:00:00.000Z', items: [], labels: [] },
  ],
  returns: [
    { id: 'return_1', display_id: 7, status: 'requested', created_at: '2026-11-22T08:00:00.000Z', received_at: null, items: [{ item_id: 'ordli_socks', quantity: 1, note: null, reason: { label: 'Too small' } }] },
    { id: 'return_2', display_id: 8, status: 'open', created_at: '2026-11-22T08:30:00.000Z', items: [] },
  ],
};
