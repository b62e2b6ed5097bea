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
import type { OrderChangeEvent, StoreInfo } from '../connector.ts';
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
  /** The numbers of the orders written as told. */
  told: string[];
}

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

type Sizes = readonly string[];
const CLOTHING: Sizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const SHOES: Sizes = ['38', '39', '40', '41', '42', '43', '44', '45', '46'];
const ONE: Sizes = ['One size'];

/**
 * The catalogue: product, category, tags, colours × sizes, price in cents (VAT included). The
 * same products, prices and sizes the demo's customers write about (demo-data.ts DEMO_ITEMS).
 */
const PRODUCTS: readonly { handle: string; title: string; category: string; tags: string[]; code: string; colours: string[]; sizes: Sizes; price: number }[] = [
  { handle: 'fjell-3l-shell-jacket', title: 'Fjell 3L Shell Jacket', category: 'Jackets', tags: ['waterproof', 'shell'], code: 'F3L', colours: ['Navy', 'Moss'], sizes: CLOTHING, price: 28_900 },
  { handle: 'lofoten-rain-jacket', title: 'Lofoten Rain Jacket', category: 'Jackets', tags: ['waterproof', 'shell'], code: 'LRJ', colours: ['Yellow', 'Navy'], sizes: CLOTHING, price: 14_995 },
  { handle: 'skarven-softshell-jacket', title: 'Skarven Softshell Jacket', category: 'Jackets', tags: ['windproof', 'shell'], code: 'SSJ', colours: ['Black', 'Rust'], sizes: CLOTHING, price: 17_900 },
  { handle: 'nordkapp-down-parka', title: 'Nordkapp Down Parka', category: 'Jackets', tags: ['insulated', 'winter'], code: 'NDP', colours: ['Black', 'Sand'], sizes: CLOTHING, price: 34_900 },
  { handle: 'kestrel-down-vest', title: 'Kestrel Down Vest', category: 'Fleece & mid-layers', tags: ['insulated'], code: 'KDV', colours: ['Navy', 'Olive'], sizes: CLOTHING, price: 12_995 },
  { handle: 'polar-down-sleeping-bag', title: 'Polar -10°C Down Sleeping Bag', category: 'Sleeping', tags: ['insulated', 'winter'], code: 'PSB', colours: ['Blue', 'Graphite'], sizes: ONE, price: 29_900 },
  { handle: 'alpine-fleece-hoodie', title: 'Alpine Fleece Hoodie', category: 'Fleece & mid-layers', tags: ['recycled'], code: 'AFH', colours: ['Heather Grey', 'Forest'], sizes: CLOTHING, price: 8_995 },
  { handle: 'merino-200-crew', title: 'Merino 200 Base Layer Crew', category: 'Base layers', tags: ['merino'], code: 'M2C', colours: ['Charcoal', 'Sky'], sizes: CLOTHING, price: 6_995 },
  { handle: 'granite-softshell-trousers', title: 'Granite Softshell Trousers', category: 'Trousers', tags: ['stretch'], code: 'GST', colours: ['Graphite', 'Olive'], sizes: CLOTHING, price: 11_995 },
  { handle: 'ridge-hiking-trousers', title: 'Ridge Hiking Trousers', category: 'Trousers', tags: ['stretch'], code: 'RHT', colours: ['Olive', 'Sand'], sizes: CLOTHING, price: 9_995 },
  { handle: 'tundra-flannel-shirt', title: 'Tundra Flannel Shirt', category: 'Shirts', tags: ['cotton'], code: 'TFS', colours: ['Red Check', 'Green Check'], sizes: CLOTHING, price: 5_995 },
  { handle: 'sarek-mid-gtx-boots', title: 'Sarek Mid GTX Hiking Boots', category: 'Footwear', tags: ['waterproof', 'boots'], code: 'SGB', colours: ['Brown', 'Grey'], sizes: SHOES, price: 19_900 },
  { handle: 'moss-trail-runners', title: 'Moss Trail Runners', category: 'Footwear', tags: ['running'], code: 'MTR', colours: ['Blue/Lime', 'Black'], sizes: SHOES, price: 13_995 },
  { handle: 'trailhead-30l-daypack', title: 'Trailhead 30L Daypack', category: 'Packs', tags: ['bags'], code: 'TD30', colours: ['Black', 'Ochre'], sizes: ONE, price: 10_995 },
  { handle: 'vidda-65l-trekking-pack', title: 'Vidda 65L Trekking Pack', category: 'Packs', tags: ['bags'], code: 'VP65', colours: ['Black', 'Forest'], sizes: ONE, price: 23_900 },
  { handle: 'birch-2-person-tent', title: 'Birch 2-Person Tent', category: 'Tents', tags: ['3-season'], code: 'B2T', colours: ['Green', 'Sand'], sizes: ONE, price: 37_900 },
  { handle: 'ridge-carbon-trekking-poles', title: 'Ridge Carbon Trekking Poles', category: 'Equipment', tags: ['final-sale'], code: 'RCP', colours: ['Black', 'Titanium'], sizes: ONE, price: 12_900 },
  { handle: 'ember-camp-stove', title: 'Ember Camp Stove', category: 'Equipment', tags: ['cooking'], code: 'ECS', colours: ['Steel', 'Black'], sizes: ONE, price: 6_995 },
  { handle: 'fjord-insulated-bottle', title: 'Fjord Insulated Bottle 750 ml', category: 'Equipment', tags: ['gift'], code: 'FB75', colours: ['Steel', 'Forest'], sizes: ONE, price: 3_495 },
  { handle: 'wool-hiking-socks', title: 'Wool Hiking Socks (3-pack)', category: 'Accessories', tags: ['merino', 'hygiene'], code: 'WHS', colours: ['Grey', 'Navy'], sizes: ['36-38', '39-42', '43-46'], price: 2_995 },
  { handle: 'summit-merino-beanie', title: 'Summit Merino Beanie', category: 'Accessories', tags: ['merino', 'winter'], code: 'SMB', colours: ['Rust', 'Navy'], sizes: ONE, price: 2_495 },
  { handle: 'glacier-insulated-gloves', title: 'Glacier Insulated Gloves', category: 'Accessories', tags: ['winter'], code: 'GIG', colours: ['Black', 'Blue'], sizes: ['S', 'M', 'L', 'XL'], price: 4_995 },
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
export const FREE_SHIPPING_FROM = 7_500;
/** Standard shipping below FREE_SHIPPING_FROM, and express shipping (always charged). */
export const SHIPPING_PRICE = { standard: 495, express: 695 } as const;

/** The carrier's name for its standard and express services. */
function serviceOf(carrier: string, express = false): string {
  if (express) return `${carrier} Express`;
  return ({ PostNL: 'PostNL Pakket', DHL: 'DHL Parcel', DPD: 'DPD Classic', GLS: 'GLS BusinessParcel', UPS: 'UPS Standard' } as Record<string, string>)[carrier] ?? `${carrier} Standard`;
}

/** A tracking number of the carrier's real shape. */
function trackingFor(carrier: string, random: () => number): string {
  const digits = (len: number) => Array.from({ length: len }, () => Math.floor(random() * 10)).join('');
  switch (carrier) {
    case 'PostNL': return `3SNWOF${digits(9)}`;
    case 'DHL': return `JVGL05${digits(12)}`;
    case 'UPS': return `1ZNW4R7${digits(11)}`;
    case 'DPD': return `0${digits(13)}`;
    default: return digits(11);
  }
}

/** Carrier and a tracking number of its real shape for the n-th parcel. */
function parcelFor(n: number, country: string, random: () => number, carriers?: readonly string[]): { carrier: string; service: string; trackingNumber: string } {
  if (carriers?.length) {
    const carrier = carriers[n % carriers.length] ?? 'DHL';
    return { carrier, service: serviceOf(carrier), trackingNumber: trackingFor(carrier, random) };
  }
  const digits = (len: number) => Array.from({ length: len }, () => Math.floor(random() * 10)).join('');
  if (country === 'DE') return { carrier: 'DHL', service: 'DHL Paket', trackingNumber: `JJD${digits(16)}` };
  if (country === 'BE') return { carrier: 'DPD', service: 'DPD Classic', trackingNumber: `0${digits(13)}` };
  if (n % 3 === 0) return { carrier: 'DHL', service: 'DHL Parcel', trackingNumber: `JVGL${digits(14)}` };
  if (n % 3 === 1) return { carrier: 'PostNL', service: 'PostNL Pakket', trackingNumber: `3SNWOF${digits(9)}` };
  return { carrier: 'UPS', service: 'UPS Standard', trackingNumber: `1Z${'NW4R7'}${digits(11)}` };
}

/** A demo customer: who they are in the helpdesk, and where the store ships to them when known. */
export interface DemoCatalogueCustomer {
  id: string;
  email: string;
  name: string | null;
  /** Their own address; orders go to a demo city when absent. */
  address?: ShopAddress | undefined;
  /** The carriers that deliver to them, when known. */
  carriers?: readonly string[] | undefined;
}

/** One item of a told order: a catalogue product by title, in a size and colour (picked when absent). */
export interface DemoItemPick {
  product: string;
  size?: string | undefined;
  colour?: string | undefined;
  quantity?: number | undefined;
}

/** A parcel of a told order. */
export interface DemoParcel {
  /** A first shipment, a free reship (replacement, missing part) or an exchange's new item. */
  kind: 'shipment' | 'reship' | 'exchange';
  /** Which of the order's items it holds (indexes); all when absent. */
  items?: number[] | undefined;
  /** Units of each item when not the whole line (a big order in two boxes). */
  quantity?: number | undefined;
  /** What a reship holds when it is a part rather than the item ("Lower section, …"). */
  part?: string | undefined;
  /** What an exchange parcel holds: the order's first item in another size or colour. */
  replacement?: DemoItemPick | undefined;
  carrier: string;
  trackingNumber: string;
  express?: boolean | undefined;
  shippedAt: Date;
  estimatedDeliveryAt: Date;
  status: 'in_transit' | 'delivered' | 'exception' | 'returned_to_sender';
  deliveredAt?: Date | undefined;
}

/**
 * An order exactly as a demo conversation tells it: its number, items, parcels with the tracking
 * numbers quoted, and what happened to it since (cancelled, returned, refunded, reshipped), each
 * at the moment the conversation says. Everything dated before the load's `now`.
 */
export interface DemoToldOrder {
  number: string;
  customer: { email: string; name: string };
  placedAt: Date;
  items: DemoItemPick[];
  address: ShopAddress;
  /** The carrier the customer chose at checkout (parcels name their own). */
  carrier: string;
  /** Express shipping is charged even above FREE_SHIPPING_FROM. */
  express?: boolean | undefined;
  /** Percent off the items: a group discount, or 100 for a free replacement (no payment, no shipping). */
  discountPercent?: number | undefined;
  /** How it was paid; `pending` for pay-by-invoice. Absent for a free replacement. */
  payment?: { method: string; detail: string; status?: 'captured' | 'pending' | undefined } | undefined;
  /** When the payment provider captured the same amount a second time. */
  duplicatePaymentAt?: Date | undefined;
  expectedDeliveryAt: Date;
  parcels: DemoParcel[];
  cancelled?: { at: Date; reason: string } | undefined;
  returns?: { kind: 'return' | 'exchange'; at: Date; status: 'requested' | 'in_transit' | 'received'; receivedAt?: Date | undefined; items: number[]; reason: string; replacement?: DemoItemPick | undefined }[] | undefined;
  refunds?: { at: Date; what: 'order' | 'shipping' | 'duplicate_payment' | { items: number[] }; reason: string; by: string }[] | undefined;
  notes?: { at: Date; body: string; author: string }[] | undefined;
}

interface Planned {
  customer: DemoCatalogueCustomer;
  state: DemoOrderState;
  placedAt: Date;
  random: () => number;
  number?: string;
}

/** The plain digits of an order number, for ordering numbers (NW-10234 → 10234). */
const sequenceOf = (number: string) => Number(number.replace(/\D/g, '')) || 0;

/**
 * Loads the catalogue and orders for the given customers into a built-in store (EUR, 21% VAT
 * included; the store becomes a built-in store with the NW- prefix): first the `told` orders,
 * exactly as given, then a history in every state for the customers, numbered in the order they
 * were placed from NW-10001 on, around the told orders' numbers.
 */
export async function seedDemoCatalogue(
  ctx: Ctx,
  options: { storeId: string; customers: DemoCatalogueCustomer[]; now: Date; told?: readonly DemoToldOrder[] },
): Promise<DemoCatalogue> {
  const before = await loadStoreInfo(ctx, options.storeId);
  if (before.platform !== 'builtin') throw new AppError('conflict', `The store "${before.name}" is served by ${before.platform}; the demo catalogue is for the built-in store.`);
  await upsertStoreConnection(ctx.db, { storeId: before.id, platform: 'builtin', orderNumberPrefix: 'NW-', orderNumberPattern: null, settings: { ...before.settings, tax_rate_bp: 2100 } });
  forgetConnector(before.id);
  const store = await loadStoreInfo(ctx, options.storeId);
  const now = options.now.getTime();
  const told = options.told ?? [];
  const catalogue = demoProducts();
  const variants = catalogue.flatMap((p) => p.variants.map((v) => ({ sku: v.sku, product: p })));

  // Which orders: the first customers' cover every state, then everyone gets older delivered ones.
  const planned: Planned[] = [];
  options.customers.forEach((customer, i) => {
    const random = rng(`${customer.id}:${customer.email}`);
    const states: DemoOrderState[] = [DEMO_ORDER_STATES[i] ?? 'delivered'];
    if (random() < 0.6) states.push(random() < 0.85 ? 'delivered' : 'refunded');
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
    const existing = await q.maxOrderSequence(tx.db, store.id);
    const events: OrderChangeEvent[] = [];
    for (const order of told) events.push(...(await writeToldOrder(tx, store, order)));

    // History numbers follow the order in which orders were placed, stepping over the told ones.
    const taken = new Set(told.map((o) => o.number));
    const toldByTime = told.filter((o) => /^NW-1\d{4,}$/.test(o.number)).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
    let next = Math.max(10_000, existing) + 1;
    let k = 0;
    for (const p of planned) {
      for (; k < toldByTime.length && (toldByTime[k]?.placedAt.getTime() ?? 0) <= p.placedAt.getTime(); k++) next = Math.max(next, sequenceOf(toldByTime[k]?.number ?? '') + 1);
      while (taken.has(`NW-${next}`)) next++;
      p.number = `NW-${next++}`;
    }

    const orders: DemoOrder[] = [];
    for (const [i, p] of planned.entries()) {
      const r = p.random;
      const place = CITIES[Math.floor(r() * CITIES.length)] ?? CITIES[0];
      const pay = PAYMENTS[Math.floor(r() * PAYMENTS.length)] ?? PAYMENTS[0];
      if (!place || !pay) continue;
      const street = 1 + Math.floor(r() * 240);
      const address: ShopAddress = p.customer.address ?? { name: p.customer.name ?? p.customer.email.split('@')[0] ?? 'Customer', line1: `${place.street} ${street}`, postal_code: place.postal, city: place.city, country: place.country };
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
      const shipping = subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING_PRICE.standard;
      const parcel = parcelFor(i, address.country, r, p.customer.carriers);
      const shippedAt = new Date(p.placedAt.getTime() + (10 + r() * 14) * HOUR);
      const transitDays = address.country === 'NL' ? 1 : 2;
      const input: OrderInput = {
        number: p.number,
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
      if ('errors' in w) throw new AppError('internal_error', `demo order ${input.number ?? ''}: ${w.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
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
    return { products: written.products, variants: written.variants, orders, told: told.map((o) => o.number) };
  });
  storeReadCache.invalidateStore(store.id);
  return result;
}

/** The catalogue product and variant of an item; a size or colour not given is picked from the order number. */
function variantOf(item: DemoItemPick, seed: string): { sku: string; title: string; price: number } {
  const product = PRODUCTS.find((p) => p.title === item.product);
  if (!product) throw new AppError('internal_error', `demo: "${item.product}" is not in the catalogue`);
  const random = rng(`${seed}:${item.product}`);
  const size = item.size ?? product.sizes[Math.min(product.sizes.length - 1, Math.floor(product.sizes.length / 2 - 0.5 + random() * 2))] ?? 'One size';
  const colour = item.colour ?? product.colours[Math.floor(random() * product.colours.length)] ?? 'Black';
  if (!product.sizes.includes(size)) throw new AppError('internal_error', `demo: "${item.product}" comes in ${product.sizes.join(', ')}, not ${size}`);
  if (!product.colours.includes(colour)) throw new AppError('internal_error', `demo: "${item.product}" comes in ${product.colours.join(', ')}, not ${colour}`);
  return { sku: skuOf(product.code, colour, size), title: size === 'One size' ? colour : `${size} / ${colour}`, price: product.price };
}

/** The colours a catalogue product comes in (empty for a product it does not sell). */
export function demoColours(product: string): readonly string[] {
  return PRODUCTS.find((p) => p.title === product)?.colours ?? [];
}

/** Writes one told order with everything that happened to it; returns its change-feed events. */
async function writeToldOrder(tx: Ctx, store: StoreInfo, o: DemoToldOrder): Promise<OrderChangeEvent[]> {
  const picks = o.items.map((item) => variantOf(item, o.number));
  const subtotal = picks.reduce((s, v, i) => s + v.price * (o.items[i]?.quantity ?? 1), 0);
  const free = o.discountPercent === 100;
  const shipping = free ? 0 : o.express ? SHIPPING_PRICE.express : subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING_PRICE.standard;
  const input: OrderInput = {
    number: o.number,
    placedAt: o.placedAt,
    customer: o.customer,
    lines: picks.map((v, i) => ({ sku: v.sku, quantity: o.items[i]?.quantity ?? 1 })),
    ...(o.discountPercent ? { discount: Math.round((subtotal * o.discountPercent) / 100) } : {}),
    shipping: { method: serviceOf(o.carrier, o.express), amount: shipping, address: o.address },
    expectedDeliveryAt: o.expectedDeliveryAt,
    ...(o.payment ? { payment: { method: o.payment.method, methodDetail: o.payment.detail, status: o.payment.status ?? 'captured' } } : {}),
  };
  const w = await writeOrder(tx, store, input);
  if ('errors' in w) throw new AppError('internal_error', `demo order ${o.number}: ${w.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  const events = [...w.events];
  const email = o.customer.email.toLowerCase();
  const ev = (type: OrderChangeEvent['type'], source: string, at: Date, data: Record<string, unknown>) =>
    events.push({ sourceId: `builtin:${source}`, type, orderNumber: o.number, customerEmail: email, occurredAt: at, data });
  /** The order as the connector shows it, read again after each change that a refund plan depends on. */
  const load = async () => {
    const row = await q.findFullOrder(tx.db, store.id, o.number);
    if (!row) throw new AppError('internal_error', `demo order ${o.number} was not written`);
    return toStoreOrder(row);
  };
  const lines = await tx.db.selectFrom('shop_order_lines').select(['id', 'variant_id', 'sku', 'product_title', 'variant_title', 'quantity']).where('order_id', '=', w.id).orderBy('position').execute();
  const lineOf = (i: number) => {
    const line = lines[i];
    if (!line) throw new AppError('internal_error', `demo order ${o.number} has no item ${i + 1}`);
    return line;
  };

  if (o.duplicatePaymentAt && o.payment) {
    const total = (await tx.db.selectFrom('shop_orders').select('total_minor').where('id', '=', w.id).executeTakeFirstOrThrow()).total_minor;
    const paid = await q.insertPayment(tx.db, { orderId: w.id, method: o.payment.method, methodDetail: o.payment.detail, amount: total, status: 'captured', at: o.duplicatePaymentAt });
    ev('order.paid', `paid:${paid.id}`, o.duplicatePaymentAt, { amount: total, currency: store.currency, method: o.payment.detail });
  }
  for (const p of o.parcels) {
    const replacement = p.replacement ? variantOf(p.replacement, `${o.number}:exchange`) : null;
    const parcelLines = replacement
      ? [{ lineId: null, variantId: (await q.findVariantsBySku(tx.db, store.id, [replacement.sku]))[0]?.id ?? null, sku: replacement.sku, title: `${p.replacement?.product ?? ''} (${replacement.title})`, quantity: 1 }]
      : p.part
        ? [{ lineId: null, variantId: null, sku: null, title: p.part, quantity: 1 }]
        : (p.items ?? o.items.map((_, i) => i)).map((i) => {
          const line = lineOf(i);
          return { lineId: line.id, variantId: line.variant_id, sku: line.sku, title: line.variant_title ? `${line.product_title} (${line.variant_title})` : line.product_title, quantity: p.quantity ?? line.quantity };
        });
    const deliveredAt = p.status === 'delivered' ? p.deliveredAt ?? p.estimatedDeliveryAt : null;
    const row = await q.insertFulfillment(tx.db, {
      orderId: w.id, kind: p.kind, status: p.status, carrier: p.carrier, service: serviceOf(p.carrier, p.express), trackingNumber: p.trackingNumber,
      trackingUrl: trackingUrlFor(p.carrier, p.trackingNumber, o.address.postal_code, o.address.country), shippedAt: p.shippedAt, estimatedDeliveryAt: p.estimatedDeliveryAt,
      deliveredAt, lines: parcelLines, at: p.shippedAt,
    });
    const data = { carrier: p.carrier, tracking_number: p.trackingNumber, fulfillment_id: row.id };
    ev('order.shipped', `shipped:${row.id}`, p.shippedAt, data);
    if (deliveredAt) ev('order.delivered', `delivered:${row.id}`, deliveredAt, data);
  }
  for (const [n, r] of (o.returns ?? []).entries()) {
    const replacement = r.replacement ? variantOf(r.replacement, `${o.number}:exchange`) : null;
    const replacementId = replacement ? (await q.findVariantsBySku(tx.db, store.id, [replacement.sku]))[0]?.id ?? null : null;
    const ret = await q.insertReturn(tx.db, {
      orderId: w.id, rmaNumber: `${o.number}-R${n + 1}`, kind: r.kind, status: r.status, reason: r.reason, at: r.at, receivedAt: r.receivedAt ?? null,
      lines: r.items.map((i) => ({ lineId: lineOf(i).id, quantity: lineOf(i).quantity, reason: r.reason, replacementVariantId: replacementId, replacementSku: replacement?.sku ?? null })),
    });
    if (r.status === 'received' && r.receivedAt) ev('order.returned', `returned:${ret.id}`, r.receivedAt, { rma_number: ret.rma_number });
  }
  for (const note of o.notes ?? []) await q.insertOrderNote(tx.db, { orderId: w.id, body: note.body, author: note.author, at: note.at });
  if (o.cancelled) {
    const order = await load();
    const plan = planAction(order, { action: 'refund', scope: 'order' }, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES });
    await q.cancelOrderRow(tx.db, order.externalId, o.cancelled.reason, o.cancelled.at);
    if (plan.ok && plan.plan.action === 'refund') {
      const payment = await q.findCapturedPayment(tx.db, order.externalId);
      const made = await q.insertRefund(tx.db, { orderId: order.externalId, paymentId: payment?.id ?? null, amount: plan.plan.amount, shipping: plan.plan.shipping, destination: 'original_payment', reason: 'Order cancelled', createdBy: 'Northwind Outfitters', lines: plan.plan.lines, at: o.cancelled.at });
      ev('order.refunded', `refund:${made.id}`, o.cancelled.at, { amount: plan.plan.amount, currency: order.currency, reason: 'cancelled' });
    }
    ev('order.cancelled', `cancel:${order.externalId}`, o.cancelled.at, { reason: o.cancelled.reason });
  }
  for (const r of o.refunds ?? []) {
    const order = await load();
    const payments = await tx.db.selectFrom('shop_payments').select('id').where('order_id', '=', order.externalId).where('status', '=', 'captured').orderBy('created_at').execute();
    let refund: { amount: number; shipping: number; lines: { lineId: string; quantity: number; amount: number }[] } | null = null;
    if (r.what === 'duplicate_payment') refund = { amount: order.total, shipping: 0, lines: [] };
    else {
      const request = r.what === 'order' ? { action: 'refund' as const, scope: 'order' as const }
        : r.what === 'shipping' ? { action: 'refund' as const, scope: 'shipping' as const }
        : { action: 'refund' as const, scope: 'lines' as const, lines: r.what.items.map((i) => ({ lineId: lineOf(i).id, quantity: lineOf(i).quantity })) };
      const plan = planAction(order, request, { platform: 'builtin', capabilities: BUILTIN_CAPABILITIES });
      if (plan.ok && plan.plan.action === 'refund') refund = { amount: plan.plan.amount, shipping: plan.plan.shipping, lines: r.what === 'shipping' ? [] : plan.plan.lines };
    }
    if (!refund || refund.amount <= 0) continue;
    const paymentId = (r.what === 'duplicate_payment' ? payments[1] : payments[0])?.id ?? null;
    const made = await q.insertRefund(tx.db, { orderId: order.externalId, paymentId, amount: refund.amount, shipping: refund.shipping, destination: 'original_payment', reason: r.reason, createdBy: r.by, lines: refund.lines, at: r.at });
    ev('order.refunded', `refund:${made.id}`, r.at, { amount: refund.amount, currency: order.currency, reason: r.reason });
  }
  return events;
}
