/**
 * Store policies on real built-in store orders: the policy saved through the API, orders pushed
 * into the built-in store with their purchase and delivery dates, and every rule asked through
 * the check endpoint (and the order-action preview) with the exact sentences customers get.
 * The store is in Europe/Amsterdam, so some cases fall on a different date than in UTC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { insertStore, upsertStoreConnection } from '../stores/stores.queries.ts';
import { loadStoreInfo } from '../stores/connectors/connector-registry.ts';
import { createBuiltinConnector } from '../stores/connectors/builtin/builtin.connector.ts';
import { pushOrder, upsertProducts, type OrderInput } from '../stores/connectors/builtin/builtin.service.ts';
import { planAction } from '../stores/connectors/action-planner.ts';
import type { StoreInfo, StoreOrder } from '../stores/connectors/connector.ts';
import { decideEligibility, localDayNumber } from './eligibility.ts';
import { productFactsFor } from './product-facts.ts';
import { defaultPolicy, type PolicyDocument } from './policy-document.ts';

const DAY = 86_400_000;
const TZ = 'Europe/Amsterdam';

/** The policy under test: a realistic one exercising every clause. */
function testPolicy(): PolicyDocument {
  return {
    ...defaultPolicy(),
    returns: {
      enabled: true,
      window_days: 30,
      from: 'delivery',
      seasonal: [{ name: 'Holiday returns', placed_from: '11-01', placed_until: '12-24', return_until: '01-31' }],
      restocking_fee: { percent: 0, categories: [{ category: 'Equipment', percent: 15 }], waived_for: ['defective', 'damaged', 'wrong_item'] },
      return_shipping: { paid_by: 'customer', fee: 595, free_for: ['defective', 'damaged', 'wrong_item'], free_above: 20_000 },
    },
    exchanges: { enabled: true, window_days: 30, from: 'delivery', same_product_only: true, max_value: 'equal_or_lower' },
    refunds: { destination: 'customer_choice', require_return_after_delivery: true },
    exceptions: [
      { id: 'final-sale', name: 'Clearance items', match: { tags: ['final-sale'] }, effect: 'final_sale' },
      { id: 'hygiene', name: 'Hygiene items', match: { tags: ['hygiene'] }, effect: 'no_returns' },
      { id: 'home-trial', name: 'Home trial products', match: { sku_prefixes: ['PAD-'] }, effect: 'extended_window', window_days: 60, from: 'delivery' },
    ],
    warranty: { months: 24, categories: [{ category: 'Footwear', months: 12 }] },
    price_protection: { enabled: true, days: 14 },
    no_receipt: { enabled: true, lookback_days: 365 },
  };
}

let t: TestApp;
let store: StoreInfo;
let agent: TestAgent;
let manager: TestAgent;
const orders: Record<string, string> = {};

const address = { name: 'Casey Policy', line1: 'Keizersgracht 1', postal_code: '1015 CJ', city: 'Amsterdam', country: 'NL' };
const payment = { method: 'card', methodDetail: 'Visa •••• 4242', status: 'captured' as const };

async function place(key: string, input: { email?: string; placedAt: Date; lines: OrderInput['lines']; shipping?: number; shippedAt?: Date | null; deliveredAt?: Date | null }) {
  const created = await pushOrder(t.ctx, store.id, {
    placedAt: input.placedAt,
    customer: { email: input.email ?? 'casey.policy@example.com', name: 'Casey Policy' },
    lines: input.lines,
    shipping: { method: 'Standard', amount: input.shipping ?? 495, address },
    payment,
    fulfillments: input.shippedAt
      ? [{ carrier: 'DHL', trackingNumber: `JVGL${Math.floor(Math.random() * 1e10)}`, shippedAt: input.shippedAt, deliveredAt: input.deliveredAt ?? null, status: input.deliveredAt ? 'delivered' : 'in_transit' }]
      : undefined,
  });
  orders[key] = created.number;
  return created.number;
}

async function readOrder(number: string): Promise<StoreOrder> {
  const order = await createBuiltinConnector(store).getOrder(t.ctx, number);
  if (!order) throw new Error(`no order ${number}`);
  return order;
}

async function lineId(number: string, sku: string): Promise<string> {
  const line = (await readOrder(number)).lines.find((l) => l.sku === sku);
  if (!line) throw new Error(`${number} has no ${sku}`);
  return line.id;
}

interface Reason { clause: string; ok: boolean; text: string }
interface CheckAnswer {
  eligibility: { allowed: boolean; allowed_amount: { amount: number } | null; requested_amount: { amount: number }; reasons: Reason[]; fees: { restocking: { amount: number }; return_shipping: { amount: number } } } | null;
  plan_refusal: { code: string; message: string } | null;
  policy_version: number;
}

async function check(key: string, action: string, params: Record<string, unknown>, at: string, who: TestAgent = agent): Promise<CheckAnswer> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${store.id}/policy/check`, headers: who.headers, payload: { order_number: orders[key], action, params, at } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CheckAnswer>();
}

const texts = (a: CheckAnswer) => a.eligibility?.reasons.map((r) => r.text) ?? [];
const refusal = (a: CheckAnswer) => a.eligibility?.reasons.find((r) => !r.ok)?.text;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent', 'Ari Agent');
  manager = await t.agent('manager', 'Mia Manager');
  const row = await insertStore(t.ctx.db, { name: 'Policy Outfitters', slug: 'policy', currency: 'EUR', timezone: TZ });
  await upsertStoreConnection(t.ctx.db, { storeId: row.id, platform: 'builtin', orderNumberPrefix: 'PO-', orderNumberPattern: null, settings: { tax_rate_bp: 2100 } });
  store = await loadStoreInfo(t.ctx, row.id);
  await upsertProducts(t.ctx, store.id, [
    { handle: 'trail-jacket', title: 'Trail Jacket', category: 'Jackets', variants: [{ sku: 'TJ-S', title: 'S', price: 14_900 }, { sku: 'TJ-M', title: 'M', price: 14_900 }, { sku: 'TJ-L', title: 'L', price: 14_900 }] },
    { handle: 'summit-jacket', title: 'Summit Jacket', category: 'Jackets', variants: [{ sku: 'SJ-M', title: 'M', price: 19_900 }] },
    { handle: 'ridge-fleece', title: 'Ridge Fleece', category: 'Fleece', variants: [{ sku: 'FL-M', title: 'M', price: 7_900 }] },
    { handle: 'hiking-socks', title: 'Hiking Socks', category: 'Accessories', tags: ['hygiene'], variants: [{ sku: 'SOCK-1', title: 'One size', price: 1_495 }] },
    { handle: 'trekking-poles', title: 'Trekking Poles', category: 'Equipment', tags: ['final-sale'], variants: [{ sku: 'POLE-1', title: 'Pair', price: 11_995 }] },
    { handle: 'sleeping-pad', title: 'Sleeping Pad', category: 'Equipment', variants: [{ sku: 'PAD-1', title: 'Regular', price: 8_995 }] },
    { handle: 'canyon-boots', title: 'Canyon Boots', category: 'Footwear', variants: [{ sku: 'BOOT-42', title: '42', price: 18_995 }] },
  ]);

  await place('main', {
    placedAt: new Date('2026-02-01T10:00:00Z'), shippedAt: new Date('2026-02-02T10:00:00Z'), deliveredAt: new Date('2026-02-03T10:00:00Z'),
    lines: [{ sku: 'TJ-M', quantity: 1 }, { sku: 'POLE-1', quantity: 1 }, { sku: 'SOCK-1', quantity: 1 }, { sku: 'PAD-1', quantity: 1 }],
  });
  await place('pad', {
    email: 'dana.policy@example.com', placedAt: new Date('2026-02-01T10:00:00Z'), shippedAt: new Date('2026-02-02T10:00:00Z'), deliveredAt: new Date('2026-02-03T10:00:00Z'),
    lines: [{ sku: 'PAD-1', quantity: 1 }],
  });
  await place('holiday', {
    placedAt: new Date('2025-12-10T12:00:00Z'), shippedAt: new Date('2025-12-11T12:00:00Z'), deliveredAt: new Date('2025-12-12T12:00:00Z'),
    lines: [{ sku: 'TJ-M', quantity: 1 }],
  });
  // Delivered at 23:30 UTC on 1 January: already 2 January in Amsterdam.
  await place('midnight', {
    placedAt: new Date('2025-12-28T12:00:00Z'), shippedAt: new Date('2025-12-30T12:00:00Z'), deliveredAt: new Date('2026-01-01T23:30:00Z'),
    lines: [{ sku: 'TJ-L', quantity: 1 }],
  });
  await place('old', {
    placedAt: new Date('2025-01-08T12:00:00Z'), shippedAt: new Date('2025-01-09T12:00:00Z'), deliveredAt: new Date('2025-01-10T12:00:00Z'),
    lines: [{ sku: 'BOOT-42', quantity: 1 }, { sku: 'TJ-M', quantity: 1 }],
  });
  await place('cheaper-earlier', { placedAt: new Date('2026-01-15T12:00:00Z'), lines: [{ sku: 'TJ-M', quantity: 1, unitPrice: 12_900 }] });
  await place('unshipped', { placedAt: new Date('2026-03-01T10:00:00Z'), lines: [{ sku: 'TJ-S', quantity: 1 }] });
  await place('in-transit', { placedAt: new Date('2026-03-01T10:00:00Z'), shippedAt: new Date('2026-03-02T10:00:00Z'), lines: [{ sku: 'FL-M', quantity: 1 }] });
  // The price of TJ-S drops after the order above.
  await upsertProducts(t.ctx, store.id, [{ handle: 'trail-jacket', title: 'Trail Jacket', category: 'Jackets', variants: [{ sku: 'TJ-S', title: 'S', price: 11_900 }] }]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the policy as versioned data', () => {
  it('a store that never saved a policy has the default: 30-day returns from delivery, cancel before shipping', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/policy`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ version: number; is_default: boolean; summary: { text: string }[] }>();
    expect(body).toMatchObject({ version: 0, is_default: true });
    expect(body.summary.map((s) => s.text)).toEqual(expect.arrayContaining([
      'Orders can be cancelled until the order ships.',
      'Returns are accepted once the order has been delivered.',
      'Returns are accepted within 30 days of delivery.',
    ]));
  });

  it('an agent cannot change the policy (403 problem+json); a manager can read the history, an agent cannot', async () => {
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: agent.headers, payload: { document: testPolicy(), change_note: 'mine' } });
    expect(put.statusCode).toBe(403);
    expect(put.headers['content-type']).toContain('application/problem+json');
    expect(put.json()).toMatchObject({ code: 'forbidden' });
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/policy/versions`, headers: agent.headers });
    expect(history.statusCode).toBe(403);
  });

  it('refuses an invalid document with problem+json naming each field', async () => {
    const doc = testPolicy();
    const bad = { ...doc, returns: { ...doc.returns, window_days: -1, seasonal: [{ ...doc.returns.seasonal[0], placed_from: '13-01' }] } };
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers, payload: { document: bad, change_note: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json<{ code: string; errors: { field: string; message: string }[]; detail: string }>();
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual(expect.arrayContaining([
      { field: 'document.returns.window_days', message: 'must be >= 0' },
      { field: 'document.returns.seasonal[0].placed_from', message: 'must be a date as MM-DD' },
    ]));
    expect(body.detail).toContain('document.returns.window_days');

    const impossible = { ...doc, returns: { ...doc.returns, seasonal: [{ ...doc.returns.seasonal[0], return_until: '02-30' }] }, exceptions: [{ id: 'x', name: 'Nothing', match: {}, effect: 'final_sale' }], surprise: true };
    const res2 = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers, payload: { document: impossible, change_note: 'x' } });
    expect(res2.statusCode).toBe(400);
    expect(res2.json<{ errors: unknown[] }>().errors).toEqual([{ field: 'document.surprise', message: 'is not a known field' }]);
    const { surprise: _ignored, ...rest } = impossible;
    const res3 = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers, payload: { document: rest, change_note: 'x' } });
    expect(res3.json<{ errors: unknown[] }>().errors).toEqual([
      { field: 'document.returns.seasonal[0].return_until', message: '02-30 is not a day of the year' },
      { field: 'document.exceptions[0].match', message: 'must name at least one SKU, SKU prefix, product id, tag or category' },
    ]);
  });

  it('a manager saves versions; the history says who, when, why and what changed; a stale save is refused', async () => {
    const preview = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${store.id}/policy/preview`, headers: manager.headers, payload: { document: testPolicy() } });
    expect(preview.statusCode).toBe(200);
    expect(preview.json<{ summary: { text: string }[] }>().summary.map((s) => s.text)).toContain(
      'Holiday returns: orders placed between 1 November and 24 December can be returned until 31 January.',
    );

    const first = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers, payload: { document: testPolicy(), change_note: 'Holiday returns and final sale', base_version: 0 } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ version: 1, is_default: false, change_note: 'Holiday returns and final sale', created_by: { id: manager.id, name: 'Mia Manager' } });

    const stale = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers, payload: { document: testPolicy(), change_note: 'again', base_version: 0 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ detail: string }>().detail).toContain('changed by Mia Manager (version 1)');

    const history = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/policy/versions`, headers: manager.headers });
    const items = history.json<{ items: { version: number; changes: string[]; created_by: { name: string } }[] }>().items;
    expect(items.map((i) => i.version)).toEqual([1]);
    expect(items[0]?.changes).toEqual(['First version of the policy.']);

    const current = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/policy`, headers: agent.headers });
    expect(current.json()).toMatchObject({ version: 1, is_default: false });
  });
});

describe('eligibility on real orders', () => {
  it('return windows count calendar days from delivery: day 30 allowed, day 31 refused', async () => {
    const line = await lineId(orders.main ?? '', 'TJ-M');
    const day30 = await check('main', 'create_return', { lines: [{ line_id: line, quantity: 1 }] }, '2026-03-05T10:00:00Z');
    expect(day30.eligibility?.allowed).toBe(true);
    expect(texts(day30)).toContain('Returns are accepted within 30 days of delivery; this order was delivered 30 days ago.');
    const day31 = await check('main', 'create_return', { lines: [{ line_id: line, quantity: 1 }] }, '2026-03-06T10:00:00Z');
    expect(day31.eligibility?.allowed).toBe(false);
    expect(refusal(day31)).toBe('Returns are accepted within 30 days of delivery; this order was delivered 31 days ago.');
  });

  it('counts days in the store’s time zone, where UTC would say otherwise', async () => {
    const line = await lineId(orders.midnight ?? '', 'TJ-L');
    const answer = await check('midnight', 'create_return', { lines: [{ line_id: line, quantity: 1 }] }, '2026-02-01T12:00:00Z');
    expect(answer.eligibility?.allowed).toBe(true);
    expect(texts(answer)).toContain('Returns are accepted within 30 days of delivery; this order was delivered 30 days ago.');

    // The same order and moment counted in UTC: delivered 1 January there, so day 31.
    const order = await readOrder(orders.midnight ?? '');
    const plan = planAction(order, { action: 'create_return', lines: [{ lineId: line, quantity: 1 }] }, { platform: 'builtin', capabilities: createBuiltinConnector(store).capabilities });
    if (!plan.ok) throw new Error(plan.refusal.message);
    const products = await productFactsFor(t.ctx, store, ['TJ-L']);
    const inUtc = decideEligibility({ policy: testPolicy(), order, plan: plan.plan, products, at: new Date('2026-02-01T12:00:00Z'), timeZone: 'UTC' });
    expect(inUtc.allowed).toBe(false);
    expect(inUtc.reasons[0]?.text).toBe('Returns are accepted within 30 days of delivery; this order was delivered 31 days ago.');
  });

  it('orders placed in the holiday season may be returned until 31 January (the store’s 31 January)', async () => {
    const line = await lineId(orders.holiday ?? '', 'TJ-M');
    const season = 'Holiday returns: orders placed between 1 November and 24 December can be returned until 31 January; this order was placed on 10 December';
    const january = await check('holiday', 'create_return', { lines: [{ line_id: line, quantity: 1 }] }, '2026-01-31T12:00:00Z');
    expect(january.eligibility?.allowed).toBe(true);
    expect(texts(january)).toContain(`${season}.`);
    // 22:30 UTC on 31 January is already 1 February in Amsterdam.
    const late = await check('holiday', 'create_return', { lines: [{ line_id: line, quantity: 1 }] }, '2026-01-31T23:30:00Z');
    expect(late.eligibility?.allowed).toBe(false);
    expect(texts(late)).toEqual([
      'Returns are accepted within 30 days of delivery; this order was delivered 51 days ago.',
      `${season}, and that date has passed.`,
    ]);
  });

  it('product exceptions: final sale and hygiene items are refused, a defective one is covered, the home trial allows longer', async () => {
    const n = orders.main ?? '';
    const poles = await check('main', 'create_return', { lines: [{ line_id: await lineId(n, 'POLE-1'), quantity: 1 }] }, '2026-02-10T10:00:00Z');
    expect(poles.eligibility?.allowed).toBe(false);
    expect(refusal(poles)).toBe('Clearance items are final sale and cannot be returned or exchanged unless defective; Trekking Poles (Pair) is one of them.');
    expect(poles.eligibility?.reasons[0]?.clause).toBe('exceptions.final-sale');

    const broken = await check('main', 'create_return', { lines: [{ line_id: await lineId(n, 'POLE-1'), quantity: 1, reason: 'Defective: the lock broke' }] }, '2026-02-10T10:00:00Z');
    expect(broken.eligibility?.allowed).toBe(true);
    expect(texts(broken)).toContain('Defective items are covered by a 24-month warranty; Trekking Poles (Pair) was delivered 7 days ago.');
    expect(texts(broken)).toContain('No restocking fee for Trekking Poles (Pair): it is defective.');
    expect(broken.eligibility?.allowed_amount?.amount).toBe(11_995);

    const socks = await check('main', 'exchange', { lines: [{ line_id: await lineId(n, 'SOCK-1'), quantity: 1, replacement_sku: 'SOCK-1' }] }, '2026-02-10T10:00:00Z');
    expect(refusal(socks)).toBe('Hygiene items cannot be returned or exchanged once delivered, unless defective; Hiking Socks (One size) is one of them.');

    const pad = await check('main', 'create_return', { lines: [{ line_id: await lineId(n, 'PAD-1'), quantity: 1 }] }, '2026-03-20T10:00:00Z');
    expect(pad.eligibility?.allowed).toBe(true);
    expect(texts(pad)).toContain('Home trial products can be returned within 60 days of delivery; this order was delivered 45 days ago.');
    const padLate = await check('main', 'create_return', { lines: [{ line_id: await lineId(n, 'PAD-1'), quantity: 1 }] }, '2026-04-04T10:00:00Z');
    expect(padLate.eligibility?.allowed).toBe(true);
    expect(texts(padLate)).toContain('Home trial products can be returned within 60 days of delivery; this order was delivered 60 days ago.');
    const padLater = await check('main', 'create_return', { lines: [{ line_id: await lineId(n, 'PAD-1'), quantity: 1 }] }, '2026-04-05T10:00:00Z');
    expect(refusal(padLater)).toBe('Home trial products can be returned within 60 days of delivery; this order was delivered 61 days ago.');
  });

  it('warranty length per category: 12 months on footwear, 24 months otherwise', async () => {
    const n = orders.old ?? '';
    const boots = await check('old', 'create_return', { lines: [{ line_id: await lineId(n, 'BOOT-42'), quantity: 1 }], reason: 'defective' }, '2026-03-02T12:00:00Z');
    expect(boots.eligibility?.allowed).toBe(false);
    expect(refusal(boots)).toBe('Defective items are covered by a 12-month warranty on Footwear; Canyon Boots (42) was delivered 416 days ago, so the warranty ended on 10 January.');
    const jacket = await check('old', 'create_return', { lines: [{ line_id: await lineId(n, 'TJ-M'), quantity: 1 }], reason: 'defective' }, '2026-03-02T12:00:00Z');
    expect(jacket.eligibility?.allowed).toBe(true);
    expect(texts(jacket)).toContain('Defective items are covered by a 24-month warranty; Trail Jacket (M) was delivered 416 days ago.');
    const changedMind = await check('old', 'create_return', { lines: [{ line_id: await lineId(n, 'TJ-M'), quantity: 1 }], reason: 'changed my mind' }, '2026-03-02T12:00:00Z');
    expect(refusal(changedMind)).toBe('Returns are accepted within 30 days of delivery; this order was delivered 416 days ago.');
  });

  it('partial refunds: the restocking fee and return shipping are deducted, free return shipping above the order value', async () => {
    const pad = await check('pad', 'create_return', { lines: [{ line_id: await lineId(orders.pad ?? '', 'PAD-1'), quantity: 1 }] }, '2026-02-10T10:00:00Z');
    expect(pad.eligibility).toMatchObject({ allowed: true, allowed_amount: { amount: 8_995 - 1_349 - 595 }, fees: { restocking: { amount: 1_349 }, return_shipping: { amount: 595 } } });
    expect(texts(pad)).toEqual(expect.arrayContaining([
      'A restocking fee of 15% on Equipment applies to Sleeping Pad (Regular): €13.49.',
      'Return shipping costs €5.95, deducted from the refund.',
      'When the items come back, €70.51 is refunded (€89.95 paid, less fees).',
    ]));
    // The main order is over €200: return shipping is free, the fee still applies.
    const big = await check('main', 'create_return', { lines: [{ line_id: await lineId(orders.main ?? '', 'PAD-1'), quantity: 1 }] }, '2026-02-10T10:00:00Z');
    expect(big.eligibility).toMatchObject({ allowed: true, allowed_amount: { amount: 8_995 - 1_349 } });
    expect(texts(big)).toContain('Return shipping is free for orders of €200.00 or more.');
  });

  it('delivered items are refunded once returned, unless defective', async () => {
    const line = await lineId(orders.main ?? '', 'TJ-M');
    const plain = await check('main', 'refund', { scope: 'lines', lines: [{ line_id: line, quantity: 1 }] }, '2026-02-10T10:00:00Z');
    expect(refusal(plain)).toBe('Delivered items are refunded once they are returned, unless they arrived damaged, defective or wrong; Trail Jacket (M) has not been returned. Create a return first.');
    const damaged = await check('main', 'refund', { scope: 'lines', lines: [{ line_id: line, quantity: 1, reason: 'Arrived damaged' }] }, '2026-02-10T10:00:00Z');
    expect(damaged.eligibility).toMatchObject({ allowed: true, allowed_amount: { amount: 14_900 } });
    expect(texts(damaged)).toContain('Items that arrived damaged are covered by a 24-month warranty; Trail Jacket (M) was delivered 7 days ago.');
  });

  it('price protection refunds the drop within 14 days of purchase, and no more', async () => {
    const within = await check('unshipped', 'refund', { scope: 'amount', amount: 3_000, reason: 'price_protection' }, '2026-03-06T10:00:00Z');
    expect(within.eligibility).toMatchObject({ allowed: true, allowed_amount: { amount: 3_000 } });
    expect(texts(within)).toEqual([
      'Price protection: within 14 days of purchase, a lower price for the same item refunds the difference; this order was placed 5 days ago, and Trail Jacket (S) now costs €119.00 (€149.00 paid): €30.00.',
    ]);
    const more = await check('unshipped', 'refund', { scope: 'amount', amount: 3_500, reason: 'Price drop' }, '2026-03-06T10:00:00Z');
    expect(refusal(more)).toBe('The policy allows at most €30.00 here; this would be €35.00.');
    const late = await check('unshipped', 'refund', { scope: 'amount', amount: 3_000, reason: 'price_protection' }, '2026-03-21T10:00:00Z');
    expect(refusal(late)).toBe('Price protection: within 14 days of purchase, a lower price for the same item refunds the difference; this order was placed 20 days ago.');
  });

  it('exchanges: only another variant of the same product, of equal or lower value', async () => {
    const line = await lineId(orders.main ?? '', 'TJ-M');
    const size = await check('main', 'exchange', { lines: [{ line_id: line, quantity: 1, replacement_sku: 'TJ-L' }] }, '2026-02-10T10:00:00Z');
    expect(size.eligibility?.allowed).toBe(true);
    expect(texts(size)).toEqual(expect.arrayContaining([
      'Exchanges are accepted within 30 days of delivery; this order was delivered 7 days ago.',
      'Exchanges are for another size or colour of the same product; Trail Jacket (L) is a variant of Trail Jacket.',
    ]));
    const pricier = await check('main', 'exchange', { lines: [{ line_id: line, quantity: 1, replacement_sku: 'SJ-M' }] }, '2026-02-10T10:00:00Z');
    expect(pricier.eligibility?.reasons.filter((r) => !r.ok).map((r) => r.text)).toEqual([
      'Exchanges are only for another size or colour of the same product; Summit Jacket (M) is not a variant of Trail Jacket.',
      'Exchanges are only for items of equal or lower value; Summit Jacket (M) costs €199.00, more than the €149.00 of Trail Jacket (M).',
    ]);
    const cheaper = await check('main', 'exchange', { lines: [{ line_id: line, quantity: 1, replacement_sku: 'FL-M' }] }, '2026-02-10T10:00:00Z');
    expect(cheaper.eligibility?.reasons.filter((r) => !r.ok).map((r) => r.clause)).toEqual(['exchanges.same_product']);
  });

  it('which stage allows which action: no return before delivery, no cancel after shipping', async () => {
    const transit = await check('in-transit', 'create_return', { lines: [{ line_id: await lineId(orders['in-transit'] ?? '', 'FL-M'), quantity: 1 }] }, '2026-03-04T10:00:00Z');
    expect(refusal(transit)).toBe(`Returns are accepted once the order has been delivered; ${orders['in-transit']} is on its way (shipped 2 March).`);
    const cancelShipped = await check('in-transit', 'cancel', {}, '2026-03-04T10:00:00Z');
    expect(cancelShipped.eligibility).toBeNull();
    expect(cancelShipped.plan_refusal?.code).toBe('already_shipped');
    const cancelPaid = await check('unshipped', 'cancel', {}, '2026-03-04T10:00:00Z');
    expect(cancelPaid.eligibility?.allowed).toBe(true);
  });

  it('a new version takes effect at once (the cached policy is replaced)', async () => {
    const doc = testPolicy();
    const res = await t.app.inject({
      method: 'PUT', url: `/api/v1/stores/${store.id}/policy`, headers: manager.headers,
      payload: { document: { ...doc, stages: { ...doc.stages, cancel: ['placed'] } }, change_note: 'Cancel only before payment', base_version: 1 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ changes: string[] }>().changes).toEqual(['Changed: Orders can be cancelled until the order is paid. (was: Orders can be cancelled until the order ships.)']);
    const cancelPaid = await check('unshipped', 'cancel', {}, '2026-03-04T10:00:00Z');
    expect(cancelPaid.policy_version).toBe(2);
    expect(refusal(cancelPaid)).toBe(`Orders can be cancelled until the order is paid; ${orders.unshipped} is paid and has not shipped yet.`);
  });

  it('returns without a receipt: store credit at the lowest price paid, found in the order history', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${store.id}/policy/check-no-receipt`, headers: agent.headers,
      payload: { customer_email: 'casey.policy@example.com', sku: 'tj-m', quantity: 1, at: '2026-03-06T10:00:00Z' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ eligibility: { allowed: boolean; allowed_amount: { amount: number }; destination: string; reasons: Reason[] }; found_on: string[] }>();
    expect(body.eligibility).toMatchObject({ allowed: true, allowed_amount: { amount: 12_900 }, destination: 'store_credit' });
    expect(body.found_on.sort()).toEqual([orders.main, orders.holiday, orders['cheaper-earlier']].sort());
    expect(body.eligibility.reasons[0]?.text).toMatch(/^Returns without a receipt are accepted as store credit at the lowest price paid, when the customer’s account shows the purchase in the last 365 days; Trail Jacket \(M\) was bought on .+, for as little as €129\.00: €129\.00 in store credit\.$/);

    const none = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${store.id}/policy/check-no-receipt`, headers: agent.headers,
      payload: { customer_email: 'dana.policy@example.com', sku: 'BOOT-42', quantity: 1, at: '2026-03-06T10:00:00Z' },
    });
    expect(none.json<{ eligibility: { allowed: boolean; reasons: Reason[] } }>().eligibility.reasons[0]?.text).toBe(
      'Returns without a receipt are accepted as store credit at the lowest price paid, when the customer’s account shows the purchase in the last 365 days; no purchase of BOOT-42 was found.',
    );
  });
});

describe('the policy in front of order actions', () => {
  it('the preview shows the reasons; a return on day 41 is refused with the reason, the fees cap a refund', async () => {
    const now = new Date();
    const ticket = await t.ticket({ storeId: store.id });
    const delivered41 = new Date(now.getTime() - 41 * DAY);
    const late = await place('day41', { placedAt: new Date(delivered41.getTime() - 2 * DAY), shippedAt: new Date(delivered41.getTime() - DAY), deliveredAt: delivered41, lines: [{ sku: 'TJ-M', quantity: 1 }] });
    const days = localDayNumber(now, TZ) - localDayNumber(delivered41, TZ);
    const act = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/order-actions`, headers: agent.headers, payload: { store_id: store.id, ...payload } });

    const refused = await act({ order_number: late, action: 'create_return', params: { lines: [{ line_id: await lineId(late, 'TJ-M'), quantity: 1 }] }, dry_run: true });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({
      ok: false,
      refusal: { code: 'policy', message: `Returns are accepted within 30 days of delivery; this order was delivered ${days} days ago.` },
      policy: { outcome: 'refuse', clause: 'returns.window' },
    });

    const delivered5 = new Date(now.getTime() - 5 * DAY);
    const recent = await place('recent-pad', { email: 'erin.policy@example.com', placedAt: new Date(delivered5.getTime() - 2 * DAY), shippedAt: new Date(delivered5.getTime() - DAY), deliveredAt: delivered5, lines: [{ sku: 'PAD-1', quantity: 1 }] });
    const padLine = await lineId(recent, 'PAD-1');
    const preview = await act({ order_number: recent, action: 'create_return', params: { lines: [{ line_id: padLine, quantity: 1 }] }, dry_run: true });
    const body = preview.json<{ ok: boolean; policy: { outcome: string; notes?: string[] } }>();
    expect(body.ok).toBe(true);
    expect(body.policy.notes).toEqual(expect.arrayContaining(['Return shipping costs €5.95, deducted from the refund.', 'When the items come back, €70.51 is refunded (€89.95 paid, less fees).']));

    const created = await act({ order_number: recent, action: 'create_return', params: { lines: [{ line_id: padLine, quantity: 1 }] }, idempotency_key: `policy-return-${Date.now()}` });
    expect(created.statusCode, created.body).toBe(201);
    const fullRefund = await act({ order_number: recent, action: 'refund', params: { scope: 'lines', lines: [{ line_id: padLine, quantity: 1 }] }, dry_run: true });
    expect(fullRefund.json()).toMatchObject({
      ok: false,
      refusal: { code: 'policy', message: 'The policy allows at most €70.51 here (after €13.49 restocking fee and €5.95 return shipping); this would be €89.95.' },
    });
  });

  it('a German reason with reason_code defective gets the defect rule (the warranty) in the preview, the action and the check; without the code it falls back to the English words', async () => {
    const now = new Date();
    const ticket = await t.ticket({ storeId: store.id });
    const delivered60 = new Date(now.getTime() - 60 * DAY);
    const number = await place('german', { email: 'jonas.policy@example.com', placedAt: new Date(delivered60.getTime() - 2 * DAY), shippedAt: new Date(delivered60.getTime() - DAY), deliveredAt: delivered60, lines: [{ sku: 'TJ-M', quantity: 1 }] });
    const days = localDayNumber(now, TZ) - localDayNumber(delivered60, TZ);
    const lines = [{ line_id: await lineId(number, 'TJ-M'), quantity: 1 }];
    const act = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/order-actions`, headers: agent.headers, payload: { store_id: store.id, order_number: number, action: 'create_return', ...payload } });
    const german = 'Der Reißverschluss ist nach zwei Wochen kaputtgegangen';
    const warranty = `Defective items are covered by a 24-month warranty; Trail Jacket (M) was delivered ${days} days ago.`;

    const withCode = await act({ params: { lines, reason: german, reason_code: 'defective' }, dry_run: true });
    expect(withCode.statusCode, withCode.body).toBe(200);
    expect(withCode.json()).toMatchObject({ ok: true, policy: { outcome: 'allow' } });
    expect(withCode.json<{ policy: { notes: string[] } }>().policy.notes).toEqual(expect.arrayContaining([warranty, 'Return shipping is free: the item is defective.']));

    const textOnly = await act({ params: { lines, reason: german }, dry_run: true });
    expect(textOnly.json()).toMatchObject({ ok: false, policy: { outcome: 'refuse', clause: 'returns.window' } });

    const checked = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${store.id}/policy/check`, headers: agent.headers,
      payload: { order_number: number, action: 'create_return', params: { lines, reason: german, reason_code: 'defective' } },
    });
    expect(checked.json<CheckAnswer>().eligibility?.allowed).toBe(true);

    const created = await act({ params: { lines, reason: german, reason_code: 'defective' }, idempotency_key: `policy-german-${Date.now()}` });
    expect(created.statusCode, created.body).toBe(201);

    const unknown = await act({ params: { lines, reason_code: 'broken' }, dry_run: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'validation_failed' });
    const onCancel = await act({ action: 'cancel', params: { reason_code: 'defective' }, dry_run: true });
    expect(onCancel.statusCode).toBe(400);
    expect(onCancel.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'params.reason_code' }] });
  });
});
