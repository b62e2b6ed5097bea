/**
 * The demo store's catalogue and orders: Northwind Outfitters, outdoor clothing sold in euros
 * from the Netherlands, with orders for the demo's customers in every state an agent meets —
 * placed, paid, shipped, delivered, late, cancelled, refunded and returned — with carriers,
 * tracking numbers and links. Deterministic for the same customers and `now`, so the demo tells
 * the same story every time. The demo module calls it; it writes through the built-in store.
 */
import { inTransaction, type Ctx } from '../../../../shared/context.ts';
import { AppError } from '../../../../shared/errors.ts';
import type { ShopAddress } from '../../../../db/schema.ts';
import type { Money } from '../../money.ts';
import { recordOrderEvents } from '../../order-feed.service.ts';
import { upsertStoreConnection } from '../../stores.queries.ts';
import { planAction } from '../action-planner.ts';
import { trackingUrlFor } from '../carriers.ts';
import { forgetConnector, loadStoreInfo } from '../connector-registry.ts';
import type { OrderChangeEvent } from '../connector.ts';
import { storeReadCache } from '../read-cache.ts';
import { BUILTIN_CAPABILITIES, toStoreOrder } from './builtin.connector.ts';
import * as q from './builtin.queries.ts';
import { upsertProducts, writeOrder, type OrderInput, type ProductInput } from './builtin.service.ts';

/** Every state the demo's orders are in. */
export type DemoOrderState = 'placed' | 'paid' | 'shipped' | 'delivered' | 'late' | 'cancelled' | 'refunded' | 'returned';

/** The states in the order the first orders take them, so that any four customers see them all. */
export const DEMO_ORDER_STATES: readonly DemoOrderState[] = ['late', 'delivered', 'shipped', 'returned', 'paid', 'cancelled', 'refunded', 'placed'];

/** One order the demo made, for writing tickets about it ("Where is NW-10042?"). */
export interface DemoOrder {
  customerId: string;
  email: string;
  number: string;
  state: DemoOrderState;
  placedAt: Date;
  total: Money;
  /** "Trail Jacket (M / Navy)" per line. */
  items: string[];
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
}

/** What the demo catalogue made. */
export interface DemoCatalogue {
  products: number;
  variants: number;
  orders: DemoOrder[];
}

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

type Sizes = readonly string[];
const APPAREL: Sizes = ['S', 'M', 'L', 'XL'];

/** The catalogue: product, category, tags, colours × sizes, price in cents (VAT included). */
const PRODUCTS: readonly { handle: string; title: string; category: string; tags: string[]; code: string; colours: string[]; sizes: Sizes; price: number }[] = [
  { handle: 'stormline-3l-jacket', title: 'Stormline 3L Jacket', category: 'Jackets', tags: ['waterproof', 'shell'], code: 'SL3', colours: ['Navy', 'Moss'], sizes: APPAREL, price: 24_900 },
  { handle: 'trail-softshell-jacket', title: 'Trail Softshell Jacket', category: 'Jackets', tags: ['windproof'], code: 'TSJ', colours: ['Black', 'Rust'], sizes: APPAREL, price: 14_900 },
  { handle: 'alpine-down-parka', title: 'Alpine Down Parka', category: 'Jackets', tags: ['insulated', 'winter'], code: 'ADP', colours: ['Black', 'Sand'], sizes: APPAREL, price: 32_900 },
  { handle: 'ridge-fleece', title: 'Ridge Fleece Pullover', category: 'Fleece & mid-layers', tags: ['recycled'], code: 'RFP', colours: ['Heather Grey', 'Forest'], sizes: APPAREL, price: 7_995 },
  { handle: 'summit-synthetic-vest', title: 'Summit Synthetic Vest', category: 'Fleece & mid-layers', tags: ['insulated'], code: 'SSV', colours: ['Navy'], sizes: APPAREL, price: 8_995 },
  { handle: 'merino-150-tee', title: 'Merino 150 Base Tee', category: 'Base layers', tags: ['merino'], code: 'M15', colours: ['Charcoal', 'Sky'], sizes: APPAREL, price: 5_995 },
  { handle: 'merino-250-longsleeve', title: 'Merino 250 Long Sleeve', category: 'Base layers', tags: ['merino', 'winter'], code: 'M25', colours: ['Black'], sizes: APPAREL, price: 7_495 },
  { handle: 'fjell-hiking-trousers', title: 'Fjell Hiking Trousers', category: 'Trousers', tags: ['stretch'], code: 'FHT', colours: ['Olive', 'Graphite'], sizes: ['46', '48', '50', '52'], price: 9_995 },
  { handle: 'waterproof-overtrousers', title: 'Waterproof Overtrousers', category: 'Trousers', tags: ['waterproof'], code: 'WOT', colours: ['Black'], sizes: APPAREL, price: 6_995 },
  { handle: 'canyon-gtx-boots', title: 'Canyon GTX Hiking Boots', category: 'Footwear', tags: ['waterproof', 'boots'], code: 'CGB', colours: ['Brown'], sizes: ['40', '41', '42', '43', '44', '45'], price: 18_995 },
  { handle: 'trailrunner-shoes', title: 'Trailrunner Shoes', category: 'Footwear', tags: ['running'], code: 'TRS', colours: ['Blue/Lime'], sizes: ['40', '41', '42', '43', '44'], price: 12_995 },
  { handle: 'merino-hiking-socks', title: 'Merino Hiking Socks (2-pack)', category: 'Accessories', tags: ['merino', 'hygiene'], code: 'MHS', colours: ['Grey'], sizes: ['36-38', '39-42', '43-46'], price: 2_495 },
  { handle: 'beanie-cable-knit', title: 'Cable Knit Beanie', category: 'Accessories', tags: ['winter'], code: 'CKB', colours: ['Rust', 'Navy'], sizes: ['One size'], price: 2_995 },
  { handle: 'touchscreen-gloves', title: 'Touchscreen Liner Gloves', category: 'Accessories', tags: ['winter'], code: 'TLG', colours: ['Black'], sizes: ['S/M', 'L/XL'], price: 2_495 },
  { handle: 'daypack-28', title: 'Daypack 28L', category: 'Packs', tags: ['bags'], code: 'DP28', colours: ['Black', 'Ochre'], sizes: ['One size'], price: 8_995 },
  { handle: 'trekking-poles', title: 'Carbon Trekking Poles (pair)', category: 'Equipment', tags: ['final-sale'], code: 'CTP', colours: ['Black'], sizes: ['One size'], price: 11_995 },
  { handle: 'insulated-bottle', title: 'Insulated Bottle 750 ml', category: 'Equipment', tags: ['gift'], code: 'IB75', colours: ['Steel', 'Forest'], sizes: ['One size'], price: 3_495 },
];

const skuOf = (code: string, colour: string, size: string) =>
  [code, colour.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase(), size.replace(/[^A-Za-z0-9]/g, '').toUpperCase()].join('-');

/** The catalogue as the built-in store takes it. */
export function demoProducts(): ProductInput[] {
  return PRODUCTS.map((p) => ({
    handle: p.handle, title: p.title, category: p.category, tags: p.tags,
    description: `${p.title} from Northwind Outfitters.`,
    variants: p.colours.flatMap((colour) => p.sizes.map((size) => ({
      sku: skuOf(p.code, colour, size), title: size === 'One size' ? colour : `${size} / ${colour}`, options: { colour, size }, price: p.price, inventory: 25,
    }))),
  }));
}

const CITIES: readonly { city: string; postal: string; country: string; street: string }[] = [
  { city: 'Amsterdam', postal: '1016 GV', country: 'NL', street: 'Prinsengracht' },
  { city: 'Utrecht', postal: '3511 LK', country: 'NL', street: 'Oudegracht' },
  { city: 'Rotterdam', postal: '3011 AD', country: 'NL', street: 'Witte de Withstraat' },
  { city: 'Groningen', postal: '9712 HV', country: 'NL', street: 'Herestraat' },
  { city: 'Antwerpen', postal: '2000', country: 'BE', street: 'Meir' },
  { city: 'Gent', postal: '9000', country: 'BE', street: 'Veldstraat' },
  { city: 'Köln', postal: '50667', country: 'DE', street: 'Hohe Straße' },
  { city: 'Hamburg', postal: '20095', country: 'DE', street: 'Mönckebergstraße' },
];

const PAYMENTS: readonly { method: string; detail: string }[] = [
  { method: 'card', detail: 'Visa •••• 4242' },
  { method: 'ideal', detail: 'iDEAL (ING)' },
  { method: 'paypal', detail: 'PayPal' },
  { method: 'card', detail: 'Mastercard •••• 5454' },
  { method: 'klarna', detail: 'Klarna Pay later' },
  { method: 'ideal', detail: 'iDEAL (Rabobank)' },
];

/** A small deterministic generator (mulberry32) seeded from text. */
function rng(seedText: string): () => number {
  let seed = 0x9e3779b9;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let x = seed;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Orders from this subtotal (minor units) ship free. */
const FREE_SHIPPING_FROM = 7_500;

/** Carrier and a tracking number of its real shape for the n-th parcel. */
function parcelFor(n: number, country: string, random: () => number): { carrier: string; service: string; trackingNumber: string } {
  const digits = (len: number) => Array.from({ length: len }, () => Math.floor(random() * 10)).join('');
  if (country === 'DE') return { carrier: 'DHL', service: 'DHL Paket', trackingNumber: `JJD${digits(16)}` };
  if (country === 'BE') return { carrier: 'DPD', service: 'DPD Classic', trackingNumber: `0${digits(13)}` };
  if (n % 3 === 0) return { carrier: 'DHL', service: 'DHL Parcel', trackingNumber: `JVGL${digits(14)}` };
  if (n % 3 === 1) return { carrier: 'PostNL', service: 'PostNL Pakket', trackingNumber: `3SNWOF${digits(9)}` };
  return { carrier: 'UPS', service: 'UPS Standard', trackingNumber: `1Z${'NW4R7'}${digits(11)}` };
}

interface Planned {
  customer: { id: string; email: string; name: string | null };
  state: DemoOrderState;
  placedAt: Date;
  random: () => number;
}

/**
 * Loads the catalogue and orders for the given customers into a built-in store (EUR, numbers
 * NW-10001 and up, 21% VAT included). The store becomes a built-in store with the NW- prefix.
 */
export async function seedDemoCatalogue(
  ctx: Ctx,
  options: { storeId: string; customers: { id: string; email: string; name: string | null }[]; now: Date },
): Promise<DemoCatalogue> {
  const before = await loadStoreInfo(ctx, options.storeId);
  if (before.platform !== 'builtin') throw new AppError('conflict', `The store "${before.name}" is served by ${before.platform}; the demo catalogue is for the built-in store.`);
  await upsertStoreConnection(ctx.db, { storeId: before.id, platform: 'builtin', orderNumberPrefix: 'NW-', orderNumberPattern: null, settings: { ...before.settings, tax_rate_bp: 2100 } });
  forgetConnector(before.id);
  const store = await loadStoreInfo(ctx, options.storeId);
  const now = options.now.getTime();
  const catalogue = demoProducts();
  const variants = catalogue.flatMap((p) => p.variants.map((v) => ({ sku: v.sku, product: p })));

  // Which orders: the first ones cover every state, then most customers get an older delivered one.
  const planned: Planned[] = [];
  options.customers.forEach((customer, i) => {
    const random = rng(`${customer.id}:${customer.email}`);
    const first = DEMO_ORDER_STATES[i % DEMO_ORDER_STATES.length] ?? 'delivered';
    const states: DemoOrderState[] = [first];
    if (i >= DEMO_ORDER_STATES.length || random() < 0.6) states.push(random() < 0.85 ? 'delivered' : 'refunded');
    if (random() < 0.25) states.push('delivered');
    for (const state of states) {
      const ageDays =
        state === 'placed' ? 0.1 + random() * 0.3
        : state === 'paid' ? 0.6 + random()
        : state === 'shipped' ? 2 + random()
        : state === 'late' ? 9 + random() * 3
        : state === 'cancelled' ? 4 + random() * 6
        : state === 'returned' ? 25 + random() * 20
        : 14 + random() * 150;
      planned.push({ customer, state, placedAt: new Date(now - ageDays * DAY), random });
    }
  });
  planned.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());

  const result = await inTransaction(ctx, async (tx) => {
    const written = await upsertProducts(tx, store.id, catalogue);
    const first = Math.max(10_000, await q.maxOrderSequence(tx.db, store.id)) + 1;
    const orders: DemoOrder[] = [];
    const events: OrderChangeEvent[] = [];
    for (const [i, p] of planned.entries()) {
      const r = p.random;
      const place = CITIES[Math.floor(r() * CITIES.length)] ?? CITIES[0];
      const pay = PAYMENTS[Math.floor(r() * PAYMENTS.length)] ?? PAYMENTS[0];
      if (!place || !pay) continue;
      const address: ShopAddress = { name: p.customer.name ?? p.customer.email.split('@')[0] ?? 'Customer', line1: `${place.street} ${1 + Math.floor(r() * 240)}`, postal_code: place.postal, city: place.city, country: place.country };
      // A late parcel is one small item that paid for its shipping: the demo's late-parcel story
      // ends with the agent refunding that shipping, which a free-shipping order could not show.
      const late = p.state === 'late';
      const choices = late ? variants.filter((v) => (v.product.variants.find((x) => x.sku === v.sku)?.price ?? 0) < FREE_SHIPPING_FROM) : variants;
      const lineCount = late ? 1 : 1 + Math.floor(r() * 3);
      const picked = new Map<string, number>();
      while (picked.size < lineCount) {
        const v = choices[Math.floor(r() * choices.length)];
        if (v) picked.set(v.sku, !late && r() < 0.15 ? 2 : 1);
      }
      const subtotal = [...picked.entries()].reduce((s, [sku, qty]) => s + (variants.find((v) => v.sku === sku)?.product.variants.find((x) => x.sku === sku)?.price ?? 0) * qty, 0);
      const shipping = subtotal >= FREE_SHIPPING_FROM ? 0 : 495;
      const parcel = parcelFor(i, place.country, r);
      const shippedAt = new Date(p.placedAt.getTime() + (10 + r() * 14) * HOUR);
      const transitDays = place.country === 'NL' ? 1 : 2;
      const input: OrderInput = {
        number: `NW-${first + i}`,
        placedAt: p.placedAt,
        customer: { email: p.customer.email, name: p.customer.name },
        lines: [...picked.entries()].map(([sku, quantity]) => ({ sku, quantity })),
        shipping: { method: parcel.service, amount: shipping, address },
        expectedDeliveryAt: new Date(p.placedAt.getTime() + (transitDays + 2) * DAY),
        payment: { method: pay.method, methodDetail: pay.detail, status: p.state === 'placed' ? (pay.method === 'klarna' ? 'authorized' : 'pending') : 'captured' },
      };
      let trackingNumber: string | null = null;
      if (p.state === 'shipped' || p.state === 'late') {
        trackingNumber = parcel.trackingNumber;
        const eta = p.state === 'late' ? new Date(p.placedAt.getTime() + (transitDays + 1) * DAY) : new Date(now + DAY);
        input.fulfillments = [{ carrier: parcel.carrier, service: parcel.service, trackingNumber, status: 'in_transit', shippedAt, estimatedDeliveryAt: eta }];
        if (p.state === 'shipped') input.expectedDeliveryAt = new Date(now + DAY);
      } else if (p.state === 'delivered' || p.state === 'refunded' || p.state === 'returned') {
        trackingNumber = parcel.trackingNumber;
        const deliveredAt = new Date(shippedAt.getTime() + (transitDays + r()) * DAY);
        input.fulfillments = [{ carrier: parcel.carrier, service: parcel.service, trackingNumber, status: 'delivered', shippedAt, deliveredAt: deliveredAt.getTime() < now ? deliveredAt : new Date(now - HOUR) }];
      }
      const w = await writeOrder(tx, store, input);
      if ('errors' in w) throw new AppError('internal_error', `demo order ${input.number}: ${w.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
      events.push(...w.events);
      const row = await q.findFullOrder(tx.db, store.id, w.number);
      if (!row) continue;
      const order = toStoreOrder(row);
      const plan = (request: Parameters<typeof planAction>[1]) => {
        const res = planAction(order, request, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES });
        return res.ok && res.plan.action === 'refund' ? res.plan : null;
      };
      const ev = (type: OrderChangeEvent['type'], source: string, at: Date, data: Record<string, unknown>) =>
        events.push({ sourceId: `builtin:${source}`, type, orderNumber: order.number, customerEmail: p.customer.email.toLowerCase(), occurredAt: at, data });

      if (p.state === 'cancelled') {
        const at = new Date(p.placedAt.getTime() + (1 + r() * 5) * HOUR);
        const refund = plan({ action: 'refund', scope: 'order' });
        await q.cancelOrderRow(tx.db, order.externalId, 'Customer changed their mind', at);
        if (refund) {
          const payment = await q.findCapturedPayment(tx.db, order.externalId);
          const made = await q.insertRefund(tx.db, { orderId: order.externalId, paymentId: payment?.id ?? null, amount: refund.amount, shipping: refund.shipping, destination: 'original_payment', reason: 'Order cancelled', createdBy: 'Morgan Lee', lines: refund.lines, at });
          ev('order.refunded', `refund:${made.id}`, at, { amount: refund.amount, currency: order.currency, reason: 'cancelled' });
        }
        ev('order.cancelled', `cancel:${order.externalId}`, at, { reason: 'Customer changed their mind' });
      }
      const delivered = order.fulfillments[0]?.deliveredAt ?? null;
      if (p.state === 'refunded' && delivered) {
        const at = new Date(Math.min(now - HOUR, delivered.getTime() + (2 + r() * 5) * DAY));
        const refund = plan({ action: 'refund', scope: 'order' });
        if (refund) {
          const payment = await q.findCapturedPayment(tx.db, order.externalId);
          const made = await q.insertRefund(tx.db, { orderId: order.externalId, paymentId: payment?.id ?? null, amount: refund.amount, shipping: refund.shipping, destination: 'original_payment', reason: 'Faulty zip, not repairable', createdBy: 'Sam Rivera', lines: refund.lines, at });
          ev('order.refunded', `refund:${made.id}`, at, { amount: refund.amount, currency: order.currency });
        }
      }
      if (p.state === 'returned' && delivered) {
        const first = order.lines[0];
        if (first) {
          const requested = new Date(delivered.getTime() + (1 + r() * 4) * DAY);
          const received = new Date(Math.min(now - 2 * HOUR, requested.getTime() + 4 * DAY));
          const ret = await q.insertReturn(tx.db, {
            orderId: order.externalId, rmaNumber: `${order.number}-R1`, kind: 'return', status: 'received', reason: 'Too small', at: requested, receivedAt: received,
            lines: [{ lineId: first.id, quantity: first.quantity, reason: 'Too small', replacementVariantId: null, replacementSku: null }],
          });
          ev('order.returned', `returned:${ret.id}`, received, { rma_number: ret.rma_number });
          const refund = plan({ action: 'refund', scope: 'lines', lines: [{ lineId: first.id, quantity: first.quantity }] });
          if (refund) {
            const payment = await q.findCapturedPayment(tx.db, order.externalId);
            const at = new Date(received.getTime() + HOUR);
            const made = await q.insertRefund(tx.db, { orderId: order.externalId, paymentId: payment?.id ?? null, amount: refund.amount, shipping: 0, destination: 'original_payment', reason: 'Returned: too small', createdBy: 'Sam Rivera', lines: refund.lines, at });
            ev('order.refunded', `refund:${made.id}`, at, { amount: refund.amount, currency: order.currency });
          }
        }
      }
      orders.push({
        customerId: p.customer.id, email: p.customer.email, number: order.number, state: p.state, placedAt: order.placedAt,
        total: { amount: order.total, currency: order.currency },
        items: order.lines.map((l) => (l.variantTitle ? `${l.productTitle} (${l.variantTitle})` : l.productTitle)),
        carrier: trackingNumber ? parcel.carrier : null, trackingNumber,
        trackingUrl: trackingNumber ? trackingUrlFor(parcel.carrier, trackingNumber, address.postal_code, address.country) : null,
      });
    }
    await recordOrderEvents(tx, store.id, events);
    return { products: written.products, variants: written.variants, orders };
  });
  storeReadCache.invalidateStore(store.id);
  return result;
}
