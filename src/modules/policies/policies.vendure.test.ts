/**
 * The store policy on a real Vendure store (started by .ci/setup-vendure.sh): a store connected
 * through the API with its credentials, orders placed and delivered through Vendure's own API,
 * and the same eligibility answers as on the built-in store — the 30-day window at its boundary
 * in the store's time zone, a final-sale exception by SKU prefix, a defect within warranty — and
 * an action the policy refuses is never sent to Vendure, while one it allows really refunds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { createVendureClient } from '../stores/connectors/vendure/vendure.client.ts';
import { createVendureConnector } from '../stores/connectors/vendure/vendure.connector.ts';
import { seedContractFixture, vendureTestStore } from '../stores/connectors/vendure/testing/vendure-seed.ts';
import type { SeededFixture } from '../stores/connectors/contract/connector-contract.ts';
import { refundedAmount } from '../stores/connectors/order-math.ts';
import { defaultPolicy, type PolicyDocument } from './policy-document.ts';
import { localDayNumber } from './eligibility.ts';

const env = {
  url: process.env.STOREDESK_TEST_VENDURE_URL ?? '',
  user: process.env.STOREDESK_TEST_VENDURE_USER ?? '',
  pass: process.env.STOREDESK_TEST_VENDURE_PASS ?? '',
};
if (process.env.CI && !env.url) throw new Error('CI must run .ci/setup-vendure.sh: STOREDESK_TEST_VENDURE_URL is not set');

const TZ = 'Europe/Amsterdam';
const DAY = 24 * 3600_000;

interface Reason { clause: string; ok: boolean; text: string }
interface CheckAnswer {
  eligibility: { allowed: boolean; allowed_amount: { amount: number } | null; reasons: Reason[] } | null;
  plan_refusal: { code: string; message: string } | null;
}

describe.runIf(Boolean(env.url))('store policy on a real Vendure store', () => {
  let t: TestApp;
  let admin: TestAgent;
  let agent: TestAgent;
  let storeId = '';
  let seeded: SeededFixture;

  const policy = (): PolicyDocument => ({
    ...defaultPolicy(),
    returns: { ...defaultPolicy().returns, enabled: true, window_days: 30, from: 'delivery', seasonal: [] },
    refunds: { destination: 'original_payment', require_return_after_delivery: false },
    exceptions: [{ id: 'final-sale', name: 'Clearance socks', match: { sku_prefixes: ['CT-SOCKS'] }, effect: 'final_sale' }],
    warranty: { months: 24, categories: [] },
  });

  const readOrder = (number: string) => createVendureConnector(vendureTestStore(env.url), { username: env.user, password: env.pass }).getOrder(t.ctx, number);

  async function lineId(number: string, sku: string): Promise<string> {
    const line = (await readOrder(number))?.lines.find((l) => l.sku === sku);
    if (!line) throw new Error(`${number} has no ${sku}`);
    return line.id;
  }

  async function check(number: string, action: string, params: Record<string, unknown>, at: Date): Promise<CheckAnswer> {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/policy/check`, headers: agent.headers, payload: { order_number: number, action, params, at: at.toISOString() } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<CheckAnswer>();
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.agent('admin');
    agent = await t.agent('agent');
    const connected = await t.app.inject({
      method: 'POST', url: '/api/v1/stores', headers: admin.headers,
      payload: { name: 'Vendure Outfitters', currency: 'EUR', timezone: TZ, platform: 'vendure', settings: { api_url: env.url }, credentials: { username: env.user, password: env.pass } },
    });
    expect(connected.statusCode, connected.body).toBe(201);
    storeId = connected.json().id;
    const tested = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${storeId}/connection/test`, headers: admin.headers });
    expect(tested.statusCode, tested.body).toBe(200);
    const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${storeId}/policy`, headers: admin.headers, payload: { document: policy(), change_note: 'Vendure test policy' } });
    expect(saved.statusCode, saved.body).toBe(201);
    seeded = await seedContractFixture(createVendureClient({ apiUrl: env.url, auth: { kind: 'password', username: env.user, password: env.pass } }));
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('counts the return window in calendar days of the store’s time zone from Vendure’s delivery date: day 30 allowed, day 31 refused', async () => {
    const number = seeded.orders.delivered.number;
    const order = await readOrder(number);
    const deliveredAt = order?.fulfillments.find((f) => f.deliveredAt)?.deliveredAt;
    if (!deliveredAt) throw new Error('the delivered fixture order has no delivery date in Vendure');
    const jacket = await lineId(number, 'CT-JACKET-M');
    // Noon in the store's zone, 30 and 31 local days after delivery.
    const deliveredDay = localDayNumber(deliveredAt, TZ);
    const at = (days: number) => {
      let guess = new Date(deliveredAt.getTime() + days * DAY);
      while (localDayNumber(guess, TZ) - deliveredDay < days) guess = new Date(guess.getTime() + 3600_000);
      while (localDayNumber(guess, TZ) - deliveredDay > days) guess = new Date(guess.getTime() - 3600_000);
      return guess;
    };
    const params = { scope: 'lines', lines: [{ line_id: jacket, quantity: 1 }], reason: 'changed my mind' };
    const day30 = await check(number, 'refund', params, at(30));
    expect(day30.plan_refusal).toBeNull();
    expect(day30.eligibility?.allowed).toBe(true);
    expect(day30.eligibility?.reasons.map((r) => r.text)).toContain('Returns are accepted within 30 days of delivery; this order was delivered 30 days ago.');
    const day31 = await check(number, 'refund', params, at(31));
    expect(day31.eligibility?.allowed).toBe(false);
    expect(day31.eligibility?.reasons.find((r) => !r.ok)?.text).toBe('Returns are accepted within 30 days of delivery; this order was delivered 31 days ago.');
  });

  it('a final-sale exception by SKU prefix refuses a change of mind but not a defect within warranty', async () => {
    const number = seeded.orders.delivered.number;
    const socks = await lineId(number, 'CT-SOCKS');
    const now = new Date();
    const mind = await check(number, 'refund', { scope: 'lines', lines: [{ line_id: socks, quantity: 1 }], reason: 'changed my mind' }, now);
    expect(mind.eligibility?.allowed).toBe(false);
    expect(mind.eligibility?.reasons.find((r) => !r.ok)?.text).toMatch(/^Clearance socks .*final sale/);
    const defect = await check(number, 'refund', { scope: 'lines', lines: [{ line_id: socks, quantity: 1 }], reason: 'defective: the seam came apart' }, now);
    expect(defect.eligibility?.allowed).toBe(true);
    expect(defect.eligibility?.reasons.map((r) => r.text)).toContain('Defective items are covered by a 24-month warranty; Contract Socks (One size) was delivered today.');
  });

  it('an action the policy refuses never reaches Vendure; one it allows really refunds there', async () => {
    const number = seeded.orders.delivered.number;
    const socks = await lineId(number, 'CT-SOCKS');
    const before = await readOrder(number);
    if (!before) throw new Error('order missing');
    const ticket = await t.ticket({ storeId });
    const act = (params: Record<string, unknown>, key: string) => t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${ticket.id}/order-actions`, headers: agent.headers,
      payload: { store_id: storeId, order_number: number, action: 'refund', params, idempotency_key: `${key}-${Date.now()}` },
    });
    const refused = await act({ scope: 'lines', lines: [{ line_id: socks, quantity: 1 }], reason: 'changed my mind' }, 'policy-refused');
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused' });
    expect(JSON.stringify(refused.json())).toContain('final sale');
    expect(refundedAmount((await readOrder(number))!)).toBe(refundedAmount(before));

    const allowed = await act({ scope: 'lines', lines: [{ line_id: socks, quantity: 1 }], reason: 'defective: the seam came apart' }, 'policy-allowed');
    expect(allowed.statusCode, allowed.body).toBe(201);
    expect(allowed.json()).toMatchObject({ status: 'succeeded' });
    const line = before.lines.find((l) => l.id === socks);
    expect(refundedAmount((await readOrder(number))!)).toBe(refundedAmount(before) + (line?.total ?? NaN));
  });
});
