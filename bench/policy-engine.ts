/**
 * How fast the store policy's eligibility engine decides: the pure engine (no database, no
 * store) on a realistic policy (the demo store's: holiday extension, final sale, hygiene, a
 * trial window, restocking fee, paid return shipping, warranty per category, exchange limits,
 * price protection) and realistic orders (1–4 lines, placed 0–400 days ago, delivered or in
 * transit or unshipped), over a mix of actions like the one agents take: returns, line refunds,
 * exchanges, price-protection refunds, cancellations and store credit. Plans are made first
 * (the planner is not measured); each decision is timed on its own, then a second pass without
 * per-call timers gives the throughput.
 *
 *   npm run bench:policy -- [--decisions 100000] [--orders 2000] [--seed 7]
 */
import { parseArgs } from 'node:util';
import { demoStorePolicy } from '../src/modules/demo/demo-policy.ts';
import { decideEligibility, type EligibilityInput, type ProductFacts } from '../src/modules/policies/eligibility.ts';
import { planAction } from '../src/modules/stores/connectors/action-planner.ts';
import type { ConnectorCapabilities, OrderActionRequest, StoreOrder, StoreOrderLine, StoreVariant } from '../src/modules/stores/connectors/connector.ts';
import { machineLine, num, percentile, printTable } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    decisions: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '7' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run bench:policy -- [--decisions 100000] [--orders 2000] [--seed 7]');
  process.exit(0);
}
const DECISIONS = Number(values.decisions);
const ORDERS = Number(values.orders);
const DAY = 86_400_000;
const TZ = 'Europe/Amsterdam';
const NOW = new Date('2026-11-23T10:00:00Z');

/** A small seeded PRNG (mulberry32), so the same flags give the same orders. */
let state = Number(values.seed) >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let x = state;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** The demo catalogue's shape: product, category, tags, SKUs and price. */
const CATALOGUE = [
  { product: 'p-sl3', title: 'Stormline 3L Jacket', category: 'Jackets', tags: ['waterproof'], skus: ['SL3-NAV-M', 'SL3-NAV-L', 'SL3-MOS-M'], price: 24_900 },
  { product: 'p-tsj', title: 'Trail Softshell Jacket', category: 'Jackets', tags: [], skus: ['TSJ-BLA-M', 'TSJ-RUS-L'], price: 14_900 },
  { product: 'p-rfp', title: 'Ridge Fleece Pullover', category: 'Fleece & mid-layers', tags: ['recycled'], skus: ['RFP-HEA-M', 'RFP-FOR-S'], price: 7_995 },
  { product: 'p-m15', title: 'Merino 150 Base Tee', category: 'Base layers', tags: ['merino'], skus: ['M15-CHA-M', 'M15-SKY-L'], price: 5_995 },
  { product: 'p-cgb', title: 'Canyon GTX Hiking Boots', category: 'Footwear', tags: ['boots'], skus: ['CGB-BRO-42', 'CGB-BRO-43'], price: 18_995 },
  { product: 'p-mhs', title: 'Merino Hiking Socks (2-pack)', category: 'Accessories', tags: ['merino', 'hygiene'], skus: ['MHS-GRE-3942'], price: 2_495 },
  { product: 'p-dp28', title: 'Daypack 28L', category: 'Packs', tags: ['bags'], skus: ['DP28-BLA-ONESIZE'], price: 8_995 },
  { product: 'p-ctp', title: 'Carbon Trekking Poles (pair)', category: 'Equipment', tags: ['final-sale'], skus: ['CTP-BLA-ONESIZE'], price: 11_995 },
  { product: 'p-ib75', title: 'Insulated Bottle 750 ml', category: 'Equipment', tags: ['gift'], skus: ['IB75-STE-ONESIZE'], price: 3_495 },
];
const products = new Map<string, ProductFacts>();
const variants: StoreVariant[] = [];
const currentPrices = new Map<string, number>();
for (const p of CATALOGUE) {
  for (const sku of p.skus) {
    products.set(sku, { productId: p.product, category: p.category, tags: p.tags });
    variants.push({ id: `v-${sku}`, sku, productTitle: p.title, variantTitle: sku.split('-').slice(1).join(' / '), price: p.price, currency: 'EUR', available: null });
    // A quarter of the catalogue is on sale now (price protection finds a difference).
    currentPrices.set(sku, rand() < 0.25 ? Math.round(p.price * 0.8) : p.price);
  }
}

function makeOrder(i: number): StoreOrder {
  const placedAt = new Date(NOW.getTime() - Math.floor(rand() * 400) * DAY - Math.floor(rand() * DAY));
  const lineCount = 1 + Math.floor(rand() * 4);
  const lines: StoreOrderLine[] = [];
  for (let l = 0; l < lineCount; l++) {
    const p = pick(CATALOGUE);
    const sku = pick(p.skus);
    const quantity = rand() < 0.85 ? 1 : 2;
    lines.push({
      id: `o${i}-l${l}`, productId: p.product, variantId: `v-${sku}`, productTitle: p.title, variantTitle: sku.split('-').slice(1).join(' / '), sku, quantity,
      unitPrice: p.price, linePrice: p.price * quantity, discount: 0, tax: Math.round((p.price * quantity * 21) / 121), total: p.price * quantity,
    });
  }
  const shipping = 495;
  const total = lines.reduce((s, l) => s + l.total, 0) + shipping;
  const fate = rand();
  const shipped = fate > 0.1;
  const delivered = fate > 0.2;
  const shippedAt = shipped ? new Date(placedAt.getTime() + DAY) : null;
  const deliveredAt = delivered ? new Date(placedAt.getTime() + (2 + Math.floor(rand() * 4)) * DAY) : null;
  return {
    number: `NW-${10_000 + i}`, externalId: `o${i}`, customer: { externalId: `c${i % 500}`, email: `c${i % 500}@example.com`, name: 'Customer' },
    currency: 'EUR', placedAt, cancelledAt: null, cancelReason: null, financialStatus: 'paid', fulfillmentStatus: shipped ? 'fulfilled' : 'unfulfilled',
    taxesIncluded: true, subtotal: total - shipping, discountTotal: 0, shippingTotal: shipping, taxTotal: lines.reduce((s, l) => s + l.tax, 0), total,
    discountCodes: [], shippingMethod: 'Standard', shippingAddress: null, expectedDeliveryAt: null, lines,
    payments: [{ id: `pay${i}`, method: 'card', methodDetail: 'Visa •••• 4242', amount: total, status: 'captured', createdAt: placedAt }],
    refunds: [],
    fulfillments: shipped
      ? [{
          id: `f${i}`, kind: 'shipment', status: delivered ? 'delivered' : 'in_transit', carrier: 'DHL', service: null, trackingNumber: `JVGL${i}`, trackingUrl: null,
          shippedAt, estimatedDeliveryAt: null, deliveredAt, lines: lines.map((l) => ({ lineId: l.id, sku: l.sku, title: l.productTitle, quantity: l.quantity })),
        }]
      : [],
    returns: [], notes: [], adminUrl: null,
  };
}

const REASONS = [undefined, undefined, 'changed my mind', 'too small', 'defective', 'arrived damaged'];

function makeRequest(order: StoreOrder): OrderActionRequest {
  const r = rand();
  const line = pick(order.lines);
  if (r < 0.4) return { action: 'create_return', lines: [{ lineId: line.id, quantity: 1, reason: pick(REASONS) }] };
  if (r < 0.6) return { action: 'refund', scope: 'lines', lines: [{ lineId: line.id, quantity: 1, reason: pick(REASONS) }] };
  if (r < 0.75) {
    const p = CATALOGUE.find((c) => c.product === line.productId);
    return { action: 'exchange', lines: [{ lineId: line.id, quantity: 1, replacementSku: rand() < 0.7 && p ? pick(p.skus) : pick(variants).sku }] };
  }
  if (r < 0.85) return { action: 'refund', scope: 'amount', amount: 1 + Math.floor(rand() * 3_000), reason: 'price_protection' };
  if (r < 0.95) return { action: 'cancel' };
  return { action: 'store_credit', amount: 1_000, reason: 'Sorry for the wait' };
}

/** A platform that can do everything (the built-in store's capabilities). */
const CAPABILITIES: ConnectorCapabilities = {
  customerLookup: ['email'],
  actions: { refund: true, cancel: true, create_return: true, exchange: true, reship: true, discount_code: true, store_credit: true, add_note: true },
  refundScopes: ['order', 'lines', 'shipping', 'amount'],
  refundToStoreCredit: true,
  trackingLookup: true,
  changeFeed: 'push',
  idempotency: 'native',
};

const policy = demoStorePolicy();
const inputs: EligibilityInput[] = [];
const ordersList = Array.from({ length: ORDERS }, (_, i) => makeOrder(i));
let attempts = 0;
while (inputs.length < Math.min(DECISIONS, 20_000) && attempts < DECISIONS * 10) {
  attempts++;
  const order = pick(ordersList);
  const request = makeRequest(order);
  const planned = planAction(order, request, { platform: 'builtin', capabilities: CAPABILITIES, variants, timeZone: TZ });
  if (!planned.ok) continue;
  inputs.push({ policy, order, plan: planned.plan, products, currentPrices, at: NOW, timeZone: TZ });
}

console.log(machineLine());
console.log(`${num(inputs.length)} distinct planned requests over ${num(ORDERS)} orders, cycled to ${num(DECISIONS)} decisions; store time zone ${TZ}`);

// Warm up (JIT, Intl formatters).
for (let i = 0; i < 5_000; i++) decideEligibility(inputs[i % inputs.length] as EligibilityInput);

const samples = new Float64Array(DECISIONS);
const byAction = new Map<string, { n: number; allowed: number }>();
for (let i = 0; i < DECISIONS; i++) {
  const input = inputs[i % inputs.length] as EligibilityInput;
  const t0 = process.hrtime.bigint();
  const e = decideEligibility(input);
  samples[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  const s = byAction.get(e.action) ?? { n: 0, allowed: 0 };
  s.n++;
  if (e.allowed) s.allowed++;
  byAction.set(e.action, s);
}

let sink = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < DECISIONS; i++) sink += decideEligibility(inputs[i % inputs.length] as EligibilityInput).reasons.length;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const all = Array.from(samples);
const us = (v: number) => `${v.toFixed(1)} µs`;
printTable(['decisions', 'decisions/s', 'p50', 'p90', 'p99', 'p99.9', 'max'], [[
  num(DECISIONS), num(DECISIONS / seconds), us(percentile(all, 50)), us(percentile(all, 90)), us(percentile(all, 99)), us(percentile(all, 99.9)), us(Math.max(...all)),
]]);
console.log('');
printTable(['action', 'share', 'allowed'], [...byAction.entries()].map(([a, s]) => [a, `${((100 * s.n) / DECISIONS).toFixed(0)} %`, `${((100 * s.allowed) / s.n).toFixed(0)} %`]));
if (sink < 0) console.log(sink);
