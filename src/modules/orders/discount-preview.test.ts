import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { createGoodwillStore, type GoodwillStore } from '../../../test/goodwill-fixture.ts';

let t: TestApp;
let s: GoodwillStore;
let manager: TestAgent;
let sam: TestAgent;
let ticketId: string;

const ORDER = 'NW-32001';
const percentCode = (percentage: number) => ({ order_number: ORDER, action: 'discount_code', params: { discount_type: 'percentage', percentage, reason_code: 'late_delivery' } });

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.agent('admin', 'Alex Admin');
  manager = await t.agent('manager', 'Mia Manager');
  sam = await t.agent('agent', 'Sam Rivera');
  s = await createGoodwillStore(t, admin, 'northwind-discount-preview');
  // Agents may give €15.00 of discount per action.
  const lim = await t.app.inject({
    method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers,
    payload: { role: 'agent', limits: { discount: { per_action: 1_500, per_ticket: null, per_day: null, per_month: null } } },
  });
  expect(lim.statusCode, lim.body).toBe(200);
  // One jacket at €120.00: a €120.00 merchandise subtotal (the €4.95 shipping is not part of it).
  const order = await t.app.inject({
    method: 'POST', url: `/api/v1/stores/${s.storeId}/orders`, headers: admin.headers,
    payload: {
      number: ORDER, placed_at: new Date(Date.now() - 5 * 86_400_000).toISOString(), customer: { email: 'dora@example.com', name: 'Dora Discount' },
      lines: [{ sku: 'TJ-M', quantity: 1, unit_price: 12_000 }],
      shipping: { method: 'DHL Parcel', amount: 495, address: { name: 'Dora Discount', line1: 'Damrak 1', postal_code: '1012 LG', city: 'Amsterdam', country: 'NL' } },
      payment: { method: 'card', method_detail: 'Visa •••• 4242' },
    },
  });
  expect(order.statusCode, order.body).toBe(201);
  ticketId = (await s.ticket({ email: 'dora@example.com' })).id;
});

afterAll(async () => {
  await t?.close();
});

describe('the preview of a discount code shows what it is worth', () => {
  it('a 15% code on a €120.00 order previews as worth €18.00, and above a €15.00 limit needs approval for that same €18.00', async () => {
    const preview = await s.act(sam, ticketId, { ...percentCode(15), dry_run: true });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json();
    expect(body.ok).toBe(true);
    // What leaves the store now stays nothing; the worth is a separate figure.
    expect(body.plan.amount).toEqual({ amount: 0, currency: 'EUR' });
    expect(body.plan.value).toEqual({
      amount: { amount: 1_800, currency: 'EUR' },
      basis: `15% of the €120.00 merchandise subtotal of ${ORDER}`,
      share: { percent: 15, of: { amount: 12_000, currency: 'EUR' } },
    });
    expect(body.policy).toMatchObject({
      outcome: 'needs_approval',
      message: `Your discount limit is €15.00 per action; this discount is €18.00 (15% of the €120.00 merchandise subtotal of ${ORDER}).`,
      reasons: [{ kind: 'limit', remedy: 'discount', period: 'action', limit: { amount: 1_500 }, requested: { amount: body.plan.value.amount.amount } }],
    });

    // Confirming asks a manager for exactly the value the preview showed.
    const asked = await s.act(sam, ticketId, { ...percentCode(15), idempotency_key: s.key() });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({
      status: 'awaiting_approval', amount: body.plan.value.amount,
      approval: { status: 'pending', reasons: [{ requested: { amount: 1_800 } }] },
    });
  });

  it('a code within the limit previews its worth and is allowed', async () => {
    const body = (await s.act(sam, ticketId, { ...percentCode(10), dry_run: true })).json();
    expect(body.policy).toEqual({ outcome: 'allow' });
    expect(body.plan.value).toMatchObject({ amount: { amount: 1_200 }, share: { percent: 10, of: { amount: 12_000 } } });
  });

  it('a fixed-amount code keeps its amount, and is worth that amount', async () => {
    const body = (await s.act(sam, ticketId, { order_number: ORDER, action: 'discount_code', params: { discount_type: 'fixed_amount', amount: 1_000, currency: 'EUR', reason_code: 'late_delivery' }, dry_run: true })).json();
    expect(body.plan.amount).toEqual({ amount: 1_000, currency: 'EUR' });
    expect(body.plan.value).toEqual({ amount: { amount: 1_000, currency: 'EUR' }, basis: null, share: null });
  });

  it('an action that gives nothing away carries no value', async () => {
    const body = (await s.act(sam, ticketId, { order_number: ORDER, action: 'add_note', params: { note: 'Customer asked about a discount.' }, dry_run: true })).json();
    expect(body.plan.value).toBeNull();
  });

  it('documents the value in the OpenAPI document, apart from the amount', async () => {
    const doc = JSON.stringify((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths['/api/v1/tickets/{id}/order-actions'].post.responses);
    expect(doc).toContain('What this gives away as limits, approvals and budgets count it');
    expect(doc).toContain('For a percentage discount code: the percentage and the subtotal it is a share of');
  });
});
