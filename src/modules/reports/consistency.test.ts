import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { createGoodwillStore, type GoodwillStore } from '../../../test/goodwill-fixture.ts';

let t: TestApp;
let s: GoodwillStore;
let admin: TestAgent;
let manager: TestAgent;
let sam: TestAgent;
let kim: TestAgent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin', 'Alex Admin');
  manager = await t.agent('manager', 'Mia Manager');
  sam = await t.agent('agent', 'Sam Rivera');
  kim = await t.agent('agent', 'Kim Lee');
  s = await createGoodwillStore(t, admin, 'northwind-report');
  await t.app.inject({ method: 'PUT', url: `/api/v1/stores/${s.storeId}/authority/limits`, headers: manager.headers, payload: { role: 'agent', limits: { refund: { per_action: 5_000, per_ticket: null, per_day: null, per_month: null } } } });
});

afterAll(async () => {
  await t?.close();
});

describe('the consistency report', () => {
  it('shows standard remedies vs deviations per problem, spend by agent, remedy type and reason, and approval turnaround', async () => {
    // Two late orders get the standard remedy (shipping refunded, €4.95 each), one gets store credit instead, with a reason.
    const playbooks = (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${s.storeId}/playbooks`, headers: sam.headers })).json().items;
    const late = playbooks.find((p: { problem_kind: string }) => p.problem_kind === 'late_delivery').id;
    for (const n of ['NW-50001', 'NW-50002', 'NW-50003']) {
      await s.order({ number: n, email: `${n.toLowerCase()}@example.com`, daysLate: 7 });
    }
    const t1 = await s.ticket({ email: 'nw-50001@example.com', subject: 'Late parcel' });
    const t2 = await s.ticket({ email: 'nw-50002@example.com', subject: 'Late parcel' });
    const t3 = await s.ticket({ email: 'nw-50003@example.com', subject: 'Late parcel' });
    const ok = async (res: Awaited<ReturnType<GoodwillStore['act']>>, status = 201) => expect(res.statusCode, res.body).toBe(status);
    await ok(await s.act(sam, t1.id, { order_number: 'NW-50001', action: 'refund', params: { scope: 'shipping' }, playbook_id: late, idempotency_key: s.key() }));
    await ok(await s.act(kim, t2.id, { order_number: 'NW-50002', action: 'refund', params: { scope: 'shipping' }, playbook_id: late, idempotency_key: s.key() }));
    await ok(await s.act(kim, t3.id, { order_number: 'NW-50003', action: 'store_credit', params: { amount: 2_000 }, playbook_id: late, deviation_reason: 'Regular customer', idempotency_key: s.key() }));
    // A refund above Sam's limit approved, one refused; no playbook.
    const a1 = (await s.act(sam, t1.id, { order_number: 'NW-50001', action: 'refund', params: { scope: 'amount', amount: 7_000, reason: 'Gift for a birthday', reason_code: 'damaged' }, idempotency_key: s.key() })).json().approval.id;
    const a2 = (await s.act(sam, t1.id, { order_number: 'NW-50001', action: 'refund', params: { scope: 'amount', amount: 9_000 }, idempotency_key: s.key() })).json().approval.id;
    await ok(await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${a1}/approve`, headers: manager.headers }), 200);
    await ok(await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${a2}/refuse`, headers: manager.headers, payload: { reason: 'Too much' } }), 200);
    // Decided 10 and 30 minutes after they were asked.
    for (const [id, minutes] of [[a1, 10], [a2, 30]] as const) {
      const row = await t.ctx.db.selectFrom('approval_requests').select('decided_at').where('id', '=', id).executeTakeFirstOrThrow();
      await t.ctx.db.updateTable('approval_requests').set({ created_at: new Date((row.decided_at ?? new Date()).getTime() - minutes * 60_000) }).where('id', '=', id).execute();
    }

    const denied = await t.app.inject({ method: 'GET', url: `/api/v1/reports/consistency?store_id=${s.storeId}`, headers: sam.headers });
    expect(denied.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/reports/consistency?store_id=${s.storeId}`, headers: manager.headers });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.problems).toEqual([{
      problem_kind: 'late_delivery', playbook_name: 'Late delivery (more than 5 days)', total: 3, standard: 2, deviations: 1, standard_rate: 0.667,
      reasons: [{ reason: 'Regular customer', action: 'store_credit', count: 1 }],
    }]);
    expect(r.spend_by_agent).toEqual([
      { agent_id: sam.id, name: 'Sam Rivera', spent: { amount: 495 + 7_000, currency: 'EUR' }, count: 2 },
      { agent_id: kim.id, name: 'Kim Lee', spent: { amount: 495 + 2_000, currency: 'EUR' }, count: 2 },
    ]);
    expect(r.spend_by_remedy).toEqual([
      { remedy: 'refund', spent: { amount: 495 + 495 + 7_000, currency: 'EUR' }, count: 3 },
      { remedy: 'store_credit', spent: { amount: 2_000, currency: 'EUR' }, count: 1 },
    ]);
    expect(r.spend_by_reason).toEqual([
      // Grouped by the reason code the agent chose; the words they typed stay on the remedy below.
      { reason: 'damaged', spent: { amount: 7_000, currency: 'EUR' }, count: 1 },
      { reason: 'late_delivery', spent: { amount: 495 + 495 + 2_000, currency: 'EUR' }, count: 3 },
    ]);
    expect(r.approvals).toEqual({ total: 2, pending: 0, approved: 1, refused: 1, median_seconds: 1_200, p90_seconds: 1_680 });
    // The remedies behind the numbers: which ticket got what, from whom, and who approved it.
    expect(r.remedies.map((x: { ticket_number: number; amount: unknown; agent_name: string; approved_by: string | null; reason: string | null }) =>
      [x.ticket_number, x.amount, x.agent_name, x.approved_by, x.reason])).toEqual([
      [t1.number, { amount: 7_000, currency: 'EUR' }, 'Sam Rivera', 'Mia Manager', 'Gift for a birthday'],
      [t3.number, { amount: 2_000, currency: 'EUR' }, 'Kim Lee', null, null],
      [t2.number, { amount: 495, currency: 'EUR' }, 'Kim Lee', null, null],
      [t1.number, { amount: 495, currency: 'EUR' }, 'Sam Rivera', null, null],
    ]);

    // A range before any of it is empty.
    const empty = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/consistency?store_id=${s.storeId}&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`, headers: manager.headers })).json();
    expect(empty).toMatchObject({ problems: [], spend_by_agent: [], remedies: [], approvals: { total: 0, median_seconds: null } });
  });
});
