import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { createGoodwillStore, type GoodwillStore } from '../../../test/goodwill-fixture.ts';

let t: TestApp;
let s: GoodwillStore;
let admin: TestAgent;
let manager: TestAgent;
let sam: TestAgent;
let kim: TestAgent;

const limits = (per_action: number | null, per_ticket: number | null = null, per_day: number | null = null, per_month: number | null = null) => ({ per_action, per_ticket, per_day, per_month });
const refund = (amount: number, extra: Record<string, unknown> = {}) => ({ action: 'refund', params: { scope: 'amount', amount, currency: 'EUR', reason: 'Goodwill' }, ...extra });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin', 'Alex Admin');
  manager = await t.agent('manager', 'Mia Manager');
  sam = await t.agent('agent', 'Sam Rivera');
  kim = await t.agent('agent', 'Kim Lee');
  s = await createGoodwillStore(t, admin, 'northwind-authority');
  // Agents: €50.00 per action, €150.00 per ticket, €200.00 per day on refunds.
  const set = await t.app.inject({
    method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers,
    payload: { role: 'agent', limits: { refund: limits(5_000, 15_000, 20_000), store_credit: limits(5_000) } },
  });
  expect(set.statusCode, set.body).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('authority limits', () => {
  it('an agent refunds within their limit at once', async () => {
    await s.order({ number: 'NW-30001', email: 'ann@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'ann@example.com' });
    const res = await s.act(sam, ticket.id, { order_number: 'NW-30001', ...refund(3_000), idempotency_key: s.key() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'succeeded', amount: { amount: 3_000 }, approval: null });
    expect(await s.refunded('NW-30001', sam)).toBe(3_000);
  });

  it('above the limit the store is not asked: 202 with an approval request, the timeline and the customer are told', async () => {
    await s.order({ number: 'NW-30002', email: 'ben@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'ben@example.com' });
    const preview = await s.act(sam, ticket.id, { order_number: 'NW-30002', ...refund(8_000), dry_run: true });
    expect(preview.json().policy).toMatchObject({ outcome: 'needs_approval', message: 'Your refund limit is €50.00 per action; this refund is €80.00.' });

    const k = s.key();
    const res = await s.act(sam, ticket.id, { order_number: 'NW-30002', ...refund(8_000), idempotency_key: k });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'awaiting_approval', amount: { amount: 8_000, currency: 'EUR' }, actor: { name: 'Sam Rivera' },
      approval: { status: 'pending', requested_by: { name: 'Sam Rivera' }, decided_by: null, reasons: [{ kind: 'limit', remedy: 'refund', period: 'action', limit: { amount: 5_000 }, requested: { amount: 8_000 } }] },
    });
    expect(body.approval.reasons[0].message).toBe('Your refund limit is €50.00 per action; this refund is €80.00.');
    expect(await s.refunded('NW-30002', sam)).toBe(0);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: sam.headers })).json();
    const requested = detail.events.find((e: { type: string }) => e.type === 'order.approval_requested');
    expect(requested.data).toMatchObject({ order_number: 'NW-30002', amount: 8_000, reasons: ['Your refund limit is €50.00 per action; this refund is €80.00.'] });
    const notice = detail.messages.find((m: { kind: string; body_text?: string; body?: string }) => m.kind === 'outbound');
    expect(JSON.stringify(notice)).toContain('asked a manager to review the refund of €80.00 for order NW-30002');

    // Sending the same key again answers with the request, and asks nobody twice.
    const again = await s.act(sam, ticket.id, { order_number: 'NW-30002', ...refund(8_000), idempotency_key: k });
    expect(again.json()).toMatchObject({ status: 'awaiting_approval', replayed: true, approval: { id: body.approval.id } });
    const pending = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: manager.headers })).json().items;
    expect(pending.filter((a: { order_number: string }) => a.order_number === 'NW-30002')).toHaveLength(1);
  });

  it('a manager sees the request with the customer beside it and approves it in one call; the store acts once', async () => {
    await s.order({ number: 'NW-30003', email: 'cat@example.com', deliveredDaysAgo: 3 });
    await s.order({ number: 'NW-30004', email: 'cat@example.com', deliveredDaysAgo: 20, placedDaysAgo: 30, jackets: 1 });
    const ticket = await s.ticket({ email: 'cat@example.com' });
    expect((await s.act(sam, ticket.id, { order_number: 'NW-30004', action: 'store_credit', params: { amount: 1_000 }, idempotency_key: s.key() })).statusCode).toBe(201);
    const k = s.key();
    const requested = await s.act(sam, ticket.id, { order_number: 'NW-30003', ...refund(8_000), idempotency_key: k });
    expect(requested.statusCode).toBe(202);
    const approvalId = requested.json().approval.id;

    const count = await t.app.inject({ method: 'GET', url: '/api/v1/approvals/count', headers: manager.headers });
    expect(count.json().pending).toBeGreaterThanOrEqual(1);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: manager.headers })).json().items;
    const mine = list.find((a: { id: string }) => a.id === approvalId);
    expect(mine).toMatchObject({
      status: 'pending', order_number: 'NW-30003', amount: { amount: 8_000 }, ticket: { id: ticket.id, number: ticket.number },
      requested_by: { name: 'Sam Rivera' }, reasons: [{ message: 'Your refund limit is €50.00 per action; this refund is €80.00.' }],
      customer: { id: ticket.customerId, order_count: 2, lifetime_value: { amount: 2 * 12_900 + 495 + 12_900 + 495, currency: 'EUR' } },
    });
    expect(mine.customer.previous_remedies).toEqual([expect.objectContaining({ action: 'store_credit', amount: { amount: 1_000, currency: 'EUR' }, order_number: 'NW-30004' })]);

    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      decided_now: true,
      approval: { status: 'approved', decided_by: { name: 'Mia Manager' } },
      action: { status: 'succeeded', idempotency_key: k, actor: { name: 'Sam Rivera' }, amount: { amount: 8_000 }, approval: { status: 'approved', decided_by: { name: 'Mia Manager' } } },
    });
    expect(await s.refunded('NW-30003', sam)).toBe(8_000);

    // Approve clicked twice, or retried: answered with the action as it stands, never a second refund.
    const twice = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers }),
      t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: admin.headers }),
    ]);
    for (const r of twice) expect(r.json()).toMatchObject({ decided_now: false, action: { status: 'succeeded' } });
    expect(await s.refunded('NW-30003', sam)).toBe(8_000);
    const refunds = await t.ctx.db.selectFrom('shop_refunds').innerJoin('shop_orders', 'shop_orders.id', 'shop_refunds.order_id').select('shop_refunds.id').where('shop_orders.number', '=', 'NW-30003').execute();
    expect(refunds).toHaveLength(1);

    // The agent repeating the original request gets the result.
    const replay = await s.act(sam, ticket.id, { order_number: 'NW-30003', ...refund(8_000), idempotency_key: k });
    expect(replay.json()).toMatchObject({ status: 'succeeded', replayed: true });
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: sam.headers })).json().events;
    expect(events.filter((e: { type: string }) => e.type === 'order.refunded')).toEqual([expect.objectContaining({ data: expect.objectContaining({ requested_by: 'Sam Rivera', approved_by: 'Mia Manager' }) })]);
    expect(events.map((e: { type: string }) => e.type)).toContain('order.approval_approved');
  });

  it('two managers approving the same request at the same instant refund once', async () => {
    await s.order({ number: 'NW-30012', email: 'kai@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'kai@example.com' });
    // A fresh agent asks: an approved refund counts towards the requester's day, and other tests count Sam's and Kim's.
    const ray = await t.agent('agent', 'Ray Quinn');
    const approvalId = (await s.act(ray, ticket.id, { order_number: 'NW-30012', ...refund(7_000), idempotency_key: s.key() })).json().approval.id;
    const answers = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers }),
      t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: admin.headers }),
    ]);
    for (const r of answers) expect(r.statusCode, r.body).toBe(200);
    expect(answers.filter((r) => r.json().decided_now)).toHaveLength(1);
    expect(await s.refunded('NW-30012', ray)).toBe(7_000);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers });
    expect(again.json()).toMatchObject({ decided_now: false, action: { status: 'succeeded' } });
    expect(await s.refunded('NW-30012', ray)).toBe(7_000);
  });

  it('a refusal tells the agent why on the timeline and never acts', async () => {
    await s.order({ number: 'NW-30005', email: 'dan@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'dan@example.com' });
    const requested = await s.act(sam, ticket.id, { order_number: 'NW-30005', ...refund(9_000), idempotency_key: s.key() });
    const approvalId = requested.json().approval.id;
    const byAgent = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: kim.headers });
    expect(byAgent.statusCode).toBe(403);
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/refuse`, headers: manager.headers, payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/refuse`, headers: manager.headers, payload: { reason: 'A €20 voucher is enough here.' } });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ decided_now: true, approval: { status: 'refused', decision_reason: 'A €20 voucher is enough here.' }, action: { status: 'refused' } });
    expect(refused.json().action.outcome.refusal.message).toBe('Not approved by Mia Manager: A €20 voucher is enough here.');
    const events = (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: sam.headers })).json().events;
    expect(events.find((e: { type: string }) => e.type === 'order.approval_refused')).toMatchObject({ data: { reason: 'A €20 voucher is enough here.', refused_by: 'Mia Manager' } });
    const late = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers });
    expect(late.statusCode).toBe(409);
    expect(await s.refunded('NW-30005', sam)).toBe(0);
  });

  it('counts what was given on the ticket against the per-ticket limit', async () => {
    await s.order({ number: 'NW-30006', email: 'eve@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'eve@example.com' });
    for (const amount of [4_000, 4_000, 4_000]) {
      expect((await s.act(kim, ticket.id, { order_number: 'NW-30006', ...refund(amount), idempotency_key: s.key() })).statusCode).toBe(201);
    }
    const res = await s.act(kim, ticket.id, { order_number: 'NW-30006', ...refund(4_000), idempotency_key: s.key() });
    expect(res.statusCode).toBe(202);
    expect(res.json().approval.reasons).toEqual([
      expect.objectContaining({ period: 'ticket', used: { amount: 12_000, currency: 'EUR' }, message: 'Your refund limit is €150.00 per ticket; €120.00 has been refunded on this ticket already and this refund is €40.00.' }),
    ]);
  });

  it('counts the agent’s refunds today against the per-day limit', async () => {
    const day = await t.agent('agent', 'Dee Day');
    await s.order({ number: 'NW-30007', email: 'fay@example.com', deliveredDaysAgo: 3 });
    await s.order({ number: 'NW-30008', email: 'gus@example.com', deliveredDaysAgo: 3 });
    const t1 = await s.ticket({ email: 'fay@example.com' });
    const t2 = await s.ticket({ email: 'gus@example.com' });
    for (const [ticket, number] of [[t1, 'NW-30007'], [t1, 'NW-30007'], [t2, 'NW-30008'], [t2, 'NW-30008']] as const) {
      expect((await s.act(day, ticket.id, { order_number: number, ...refund(5_000), idempotency_key: s.key() })).statusCode).toBe(201);
    }
    const res = await s.act(day, t2.id, { order_number: 'NW-30008', ...refund(1_000), idempotency_key: s.key() });
    expect(res.statusCode).toBe(202);
    expect(res.json().approval.reasons[0]).toMatchObject({ period: 'day', message: 'Your refund limit is €200.00 per day; you have refunded €200.00 today and this refund is €10.00.' });
  });

  it('an agent’s override wins over their role’s default', async () => {
    const trusted = await t.agent('agent', 'Tess Trusted');
    const set = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers, payload: { agent_id: trusted.id, limits: { refund: limits(20_000) } } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().agents).toEqual([expect.objectContaining({ agent_id: trusted.id, remedy: 'refund', limits: limits(20_000) })]);
    await s.order({ number: 'NW-30009', email: 'hal@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'hal@example.com' });
    const res = await s.act(trusted, ticket.id, { order_number: 'NW-30009', ...refund(8_000), idempotency_key: s.key() });
    expect(res.statusCode, res.body).toBe(201);
    const other = await s.act(kim, ticket.id, { order_number: 'NW-30009', ...refund(8_000), idempotency_key: s.key() });
    expect(other.statusCode).toBe(202);
  });

  it('an agent who calls the API directly to exceed a limit without approval gets 403 naming the limit', async () => {
    await s.order({ number: 'NW-30010', email: 'ivy@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'ivy@example.com' });
    const res = await s.act(sam, ticket.id, { order_number: 'NW-30010', ...refund(8_000), request_approval: false, idempotency_key: s.key() });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 403, code: 'authority_limit_exceeded', detail: 'Your refund limit is €50.00 per action; this refund is €80.00.',
      limit: { remedy: 'refund', period: 'action', amount: { amount: 5_000, currency: 'EUR' }, requested: { amount: 8_000, currency: 'EUR' } },
    });
    expect(await s.refunded('NW-30010', sam)).toBe(0);
    const pending = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: manager.headers })).json().items;
    expect(pending.some((a: { order_number: string }) => a.order_number === 'NW-30010')).toBe(false);
  });
});

describe('the goodwill budget', () => {
  it('warns before the month’s budget runs out and sends what would exceed it to a manager', async () => {
    const set = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/budgets`, headers: manager.headers, payload: { budgets: { discount: { monthly: 10_000, warn_at_percent: 80 } } } });
    expect(set.statusCode, set.body).toBe(200);
    await s.order({ number: 'NW-30011', email: 'jo@example.com', deliveredDaysAgo: 3 });
    const ticket = await s.ticket({ email: 'jo@example.com' });
    const discount = (amount: number) => ({ order_number: 'NW-30011', action: 'discount_code', params: { discount_type: 'fixed_amount', amount, currency: 'EUR' } });
    expect((await s.act(sam, ticket.id, { ...discount(4_000), idempotency_key: s.key() })).statusCode).toBe(201);
    expect((await s.act(kim, ticket.id, { ...discount(3_500), idempotency_key: s.key() })).statusCode).toBe(201);

    const preview = await s.act(sam, ticket.id, { ...discount(1_500), dry_run: true });
    expect(preview.json()).toMatchObject({ ok: true, policy: { outcome: 'allow' } });
    expect(preview.json().policy.notes).toContainEqual(expect.stringMatching(/^This takes the discount budget for \w+ to 90% \(€90\.00 of €100\.00\)\.$/));
    const quiet = await s.act(sam, ticket.id, { ...discount(100), dry_run: true });
    expect(quiet.json().policy.notes ?? []).toEqual([]);

    const over = await s.act(sam, ticket.id, { ...discount(3_000), idempotency_key: s.key() });
    expect(over.statusCode).toBe(202);
    expect(over.json().approval.reasons[0]).toMatchObject({ kind: 'budget', remedy: 'discount', limit: { amount: 10_000 }, used: { amount: 7_500 } });
    const refused = await s.act(sam, ticket.id, { ...discount(3_000), request_approval: false, idempotency_key: s.key() });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('budget_exceeded');
    expect(refused.json().detail).toMatch(/^The discount budget for \w+ is €100\.00; €75\.00 is spent and this discount is €30\.00\.$/);

    const settings = (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${s.storeId}/authority`, headers: manager.headers })).json();
    expect(settings.budgets.find((b: { remedy: string }) => b.remedy === 'discount')).toMatchObject({ monthly: { amount: 10_000, currency: 'EUR' }, spent: { amount: 7_500 }, warn_at_percent: 80 });
  });
});

describe('who may change authority', () => {
  it('agents cannot approve, list approvals or edit limits; managers cannot raise managers’ or their own authority', async () => {
    const asAgent = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: sam.headers, payload: { role: 'agent', limits: { refund: limits(null) } } });
    expect(asAgent.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: sam.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/budgets`, headers: sam.headers, payload: { budgets: { refund: { monthly: 1 } } } })).statusCode).toBe(403);
    const managers = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers, payload: { role: 'manager', limits: { refund: limits(null) } } });
    expect(managers.statusCode).toBe(403);
    const own = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers, payload: { agent_id: manager.id, limits: { refund: limits(null) } } });
    expect(own.statusCode).toBe(403);
    const byAdmin = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: admin.headers, payload: { role: 'manager', limits: { refund: limits(50_000) } } });
    expect(byAdmin.statusCode).toBe(200);
  });

  it('documents the 202, the 403 and every authority, playbook and report route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/stores/{storeId}/authority', '/api/v1/stores/{storeId}/authority/limits', '/api/v1/stores/{storeId}/authority/budgets', '/api/v1/approvals', '/api/v1/approvals/{id}/approve', '/api/v1/approvals/{id}/refuse', '/api/v1/stores/{storeId}/playbooks', '/api/v1/tickets/{id}/playbooks', '/api/v1/reports/consistency']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const action = doc.paths['/api/v1/tickets/{id}/order-actions'].post;
    expect(Object.keys(action.responses)).toContain('202');
    expect(action.description).toContain('authority_limit_exceeded');
  });

  it('keeps every grant, request, approval and refusal in the audit log', async () => {
    const audit = (await t.app.inject({ method: 'GET', url: `/api/v1/authority/audit?store_id=${s.storeId}&limit=500`, headers: manager.headers })).json().items;
    const actions = new Set(audit.map((a: { action: string }) => a.action));
    for (const a of ['authority.limit_set', 'budget.set', 'approval.requested', 'approval.approved', 'approval.refused']) expect(actions).toContain(a);
    expect(audit.find((a: { action: string }) => a.action === 'approval.refused')).toMatchObject({ actor: { name: 'Mia Manager' }, data: { reason: 'A €20 voucher is enough here.' } });
  });
});

describe('percentage discount codes count what they are worth', () => {
  it('a 20% code on a €300.00 order counts €60.00 against a €50.00 limit: it needs approval, the request and the audit show €60.00, and the budget’s spend grows by it', async () => {
    const p = await createGoodwillStore(t, admin, 'northwind-percent');
    const lim = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${p.storeId}/authority/limits`, headers: manager.headers, payload: { role: 'agent', limits: { discount: limits(5_000) } } });
    expect(lim.statusCode, lim.body).toBe(200);
    const bud = await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${p.storeId}/authority/budgets`, headers: manager.headers, payload: { budgets: { discount: { monthly: 50_000, warn_at_percent: 90 } } } });
    expect(bud.statusCode, bud.body).toBe(200);
    // Two jackets at €150.00: a €300.00 merchandise subtotal (shipping €4.95 is not part of it).
    const order = await t.app.inject({
      method: 'POST', url: `/api/v1/stores/${p.storeId}/orders`, headers: admin.headers,
      payload: {
        number: 'NW-31001', placed_at: new Date(Date.now() - 5 * 86_400_000).toISOString(), customer: { email: 'pia@example.com', name: 'Pia Percent' },
        lines: [{ sku: 'TJ-M', quantity: 2, unit_price: 15_000 }], shipping: { method: 'DHL Parcel', amount: 495, address: { name: 'Pia Percent', line1: 'Damrak 1', postal_code: '1012 LG', city: 'Amsterdam', country: 'NL' } },
        payment: { method: 'card', method_detail: 'Visa •••• 4242' },
      },
    });
    expect(order.statusCode, order.body).toBe(201);
    const ticket = await p.ticket({ email: 'pia@example.com' });
    const code = (percentage: number) => ({ order_number: 'NW-31001', action: 'discount_code', params: { discount_type: 'percentage', percentage, reason_code: 'late_delivery' } });
    const message = 'Your discount limit is €50.00 per action; this discount is €60.00 (20% of the €300.00 merchandise subtotal of NW-31001).';

    const preview = await p.act(sam, ticket.id, { ...code(20), dry_run: true });
    expect(preview.json().policy).toMatchObject({ outcome: 'needs_approval', message });
    const refused = await p.act(sam, ticket.id, { ...code(20), request_approval: false, idempotency_key: p.key() });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'authority_limit_exceeded', limit: { amount: { amount: 5_000 }, requested: { amount: 6_000 } } });

    const asked = await p.act(sam, ticket.id, { ...code(20), idempotency_key: p.key() });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({
      status: 'awaiting_approval', amount: { amount: 6_000, currency: 'EUR' },
      approval: { status: 'pending', reasons: [{ kind: 'limit', remedy: 'discount', period: 'action', limit: { amount: 5_000 }, requested: { amount: 6_000 }, message }] },
    });
    const approvalId: string = asked.json().approval.id;
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: manager.headers })).json().items.find((a: { id: string }) => a.id === approvalId);
    expect(listed).toMatchObject({ amount: { amount: 6_000, currency: 'EUR' } });
    expect(listed.summary).toContain('counted as €60.00 (20% of the €300.00 merchandise subtotal of NW-31001)');
    const audit = (await t.app.inject({ method: 'GET', url: `/api/v1/authority/audit?store_id=${p.storeId}&limit=100`, headers: manager.headers })).json().items;
    expect(audit.find((a: { action: string }) => a.action === 'approval.requested')).toMatchObject({ data: { amount: 6_000, counted_as: '20% of the €300.00 merchandise subtotal of NW-31001' } });

    const spent = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${p.storeId}/authority`, headers: manager.headers })).json().budgets.find((b: { remedy: string }) => b.remedy === 'discount').spent.amount as number;
    expect(await spent()).toBe(0);
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approvalId}/approve`, headers: manager.headers });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ action: { status: 'succeeded', amount: { amount: 6_000 } } });
    expect(await spent()).toBe(6_000);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/authority/audit?store_id=${p.storeId}&limit=100`, headers: manager.headers })).json().items.find((a: { action: string }) => a.action === 'approval.approved')).toMatchObject({ data: { amount: 6_000 } });

    // Within the limit it goes through at once and counts too: 10% is €30.00.
    const small = await p.act(sam, ticket.id, { ...code(10), idempotency_key: p.key() });
    expect(small.statusCode, small.body).toBe(201);
    expect(small.json()).toMatchObject({ status: 'succeeded', amount: { amount: 3_000 } });
    expect(await spent()).toBe(9_000);
  });
});
