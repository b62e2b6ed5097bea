import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { createGoodwillStore, type GoodwillStore } from '../../../test/goodwill-fixture.ts';

let t: TestApp;
let s: GoodwillStore;
let admin: TestAgent;
let manager: TestAgent;
let agent: TestAgent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.agent('admin', 'Alex Admin');
  manager = await t.agent('manager', 'Mia Manager');
  agent = await t.agent('agent', 'Sam Rivera');
  s = await createGoodwillStore(t, admin, 'northwind-playbooks');
  await s.order({ number: 'NW-40001', email: 'lena@example.com', daysLate: 8, placedDaysAgo: 14 });
  await s.order({ number: 'NW-40002', email: 'lena@example.com', daysLate: 2, placedDaysAgo: 6 });
  await s.order({ number: 'NW-40003', email: 'lena@example.com', daysLate: 9, placedDaysAgo: 15 });
});

afterAll(async () => {
  await t?.close();
});

const suggest = (ticket: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket}/playbooks${query}`, headers: agent.headers });

describe('playbooks', () => {
  it('gives a store sensible default playbooks that only managers change', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/stores/${s.storeId}/playbooks`, headers: agent.headers });
    expect(list.statusCode).toBe(200);
    const kinds = list.json().items.map((p: { problem_kind: string }) => p.problem_kind);
    expect(kinds).toEqual(['late_delivery', 'damaged_in_transit', 'wrong_item', 'missing_item', 'defective_warranty', 'price_drop']);
    const damaged = list.json().items.find((p: { problem_kind: string }) => p.problem_kind === 'damaged_in_transit');
    expect(damaged).toMatchObject({ conditions: { delivered: true, max_order_value: 5_000 }, return_required: false, remedies: [{ action: 'reship' }, { action: 'refund', scope: 'order' }] });

    const body = { ...damaged, id: undefined, store_id: undefined, updated_at: undefined, conditions: { delivered: true, max_order_value: 7_500 } };
    delete body.id; delete body.store_id; delete body.updated_at;
    const byAgent = await t.app.inject({ method: 'PUT', url: `/api/v1/playbooks/${damaged.id}`, headers: agent.headers, payload: body });
    expect(byAgent.statusCode).toBe(403);
    const byManager = await t.app.inject({ method: 'PUT', url: `/api/v1/playbooks/${damaged.id}`, headers: manager.headers, payload: body });
    expect(byManager.statusCode, byManager.body).toBe(200);
    expect(byManager.json().conditions).toEqual({ delivered: true, max_order_value: 7_500 });
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/stores/${s.storeId}/playbooks`, headers: manager.headers, payload: { problem_kind: 'x', name: 'No remedy', remedies: [] } });
    expect(bad.statusCode).toBe(400);
  });

  it('suggests the late-delivery playbook for a late order, with the remedy ready for the action dialog', async () => {
    const ticket = await s.ticket({ email: 'lena@example.com', subject: 'Where is my parcel?' });
    const res = await suggest(ticket.id, '?order_number=NW-40001');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.order_number).toBe('NW-40001');
    expect(body.problems).toEqual([{ kind: 'late_delivery', source: 'subject' }]);
    expect(body.suggestions[0]).toMatchObject({
      playbook: { problem_kind: 'late_delivery', name: 'Late delivery (more than 5 days)' },
      fits: true, unmet: [], met: ['Not delivered, 8 days past the promised date (more than 5).'],
      remedies: [
        { action: 'refund', label: 'Refund the shipping', prefill: { action: 'refund', params: { scope: 'shipping', reason_code: 'late_delivery' } } },
        { action: 'discount_code', prefill: { action: 'discount_code', params: { discount_type: 'percentage', percentage: 10, reason_code: 'late_delivery' } } },
      ],
    });
    // Two days late does not meet "more than 5 days", and says so.
    const early = (await suggest(ticket.id, '?order_number=NW-40002')).json();
    expect(early.suggestions[0]).toMatchObject({ fits: false, unmet: ['2 days past the promised date; the playbook applies after 5.'] });
  });

  it('reads the problem from a tag, from the order itself, or from the agent’s choice', async () => {
    const tagged = await s.ticket({ email: 'lena@example.com', subject: 'Hello', tags: ['damaged'] });
    expect((await suggest(tagged.id, '?order_number=NW-40001')).json().problems).toEqual([{ kind: 'damaged_in_transit', source: 'tag' }]);
    const silent = await s.ticket({ email: 'lena@example.com', subject: 'Question' });
    expect((await suggest(silent.id, '?order_number=NW-40001')).json().problems).toEqual([{ kind: 'late_delivery', source: 'order' }]);
    const chosen = (await suggest(silent.id, '?order_number=NW-40001&problem=damaged_in_transit')).json();
    expect(chosen.suggestions[0]).toMatchObject({ playbook: { problem_kind: 'damaged_in_transit' }, fits: false, unmet: expect.arrayContaining(['The order has not been delivered yet.']) });
  });

  it('records the standard remedy, and refuses a deviation without a reason with 422 naming the field', async () => {
    const ticket = await s.ticket({ email: 'lena@example.com', subject: 'My order is late' });
    const playbookId = (await suggest(ticket.id, '?order_number=NW-40001')).json().suggestions[0].playbook.id;
    const standard = await s.act(agent, ticket.id, { order_number: 'NW-40001', action: 'refund', params: { scope: 'shipping' }, playbook_id: playbookId, idempotency_key: s.key() });
    expect(standard.statusCode, standard.body).toBe(201);
    expect(standard.json().playbook).toEqual({ id: playbookId, problem_kind: 'late_delivery', standard: true, deviation_reason: null });

    const credit = { order_number: 'NW-40001', action: 'store_credit', params: { amount: 1_500 }, playbook_id: playbookId };
    const preview = await s.act(agent, ticket.id, { ...credit, dry_run: true });
    expect(preview.json().playbook).toMatchObject({ id: playbookId, standard: false });
    const before = await t.ctx.db.selectFrom('order_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const missing = await s.act(agent, ticket.id, { ...credit, idempotency_key: s.key() });
    expect(missing.statusCode).toBe(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'deviation_reason_required', errors: [{ field: 'deviation_reason' }] });
    expect(missing.json().detail).toContain('Late delivery (more than 5 days)');
    const after = await t.ctx.db.selectFrom('order_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    const deviated = await s.act(agent, ticket.id, { ...credit, deviation_reason: 'Second late order this month', idempotency_key: s.key() });
    expect(deviated.statusCode, deviated.body).toBe(201);
    expect(deviated.json().playbook).toEqual({ id: playbookId, problem_kind: 'late_delivery', standard: false, deviation_reason: 'Second late order this month' });
  });

  it('does not suggest refunding the shipping again once it was refunded: it says who gave it and when, and offers what is left', async () => {
    const ticket = await s.ticket({ email: 'lena@example.com', subject: 'Still not arrived' });
    const before = (await suggest(ticket.id, '?order_number=NW-40003')).json();
    expect(before.suggestions[0].remedies.map((r: { standing: { state: string } }) => r.standing.state)).toEqual(['available', 'available']);

    const playbookId = before.suggestions[0].playbook.id;
    const refund = await s.act(agent, ticket.id, { order_number: 'NW-40003', action: 'refund', params: { scope: 'shipping' }, playbook_id: playbookId, idempotency_key: s.key() });
    expect(refund.statusCode, refund.body).toBe(201);

    const after = (await suggest(ticket.id, '?order_number=NW-40003')).json();
    const [shipping, discount] = after.suggestions[0].remedies;
    expect(shipping).toMatchObject({ action: 'refund', scope: 'shipping', standing: { state: 'given', by: { name: 'Sam Rivera' } } });
    expect(shipping.standing.note).toMatch(/^The shipping \(€4\.95\) was refunded already by Sam Rivera on \d{1,2} [A-Z][a-z]{2}\.$/);
    expect(discount).toMatchObject({ action: 'discount_code', standing: { state: 'available', note: null, by: null }, prefill: { params: { percentage: 10 } } });

    // Once the discount was given too, the playbook's standard remedy has been given in full.
    const code = await s.act(agent, ticket.id, { order_number: 'NW-40003', action: 'discount_code', params: { discount_type: 'percentage', percentage: 10 }, playbook_id: playbookId, idempotency_key: s.key() });
    expect(code.statusCode, code.body).toBe(201);
    const done = (await suggest(ticket.id, '?order_number=NW-40003')).json();
    expect(done.suggestions[0].remedies.map((r: { standing: { state: string } }) => r.standing.state)).toEqual(['given', 'given']);
    expect(done.suggestions[0].remedies[1].standing.note).toContain('A discount code was given for NW-40003 already by Sam Rivera');

    // Another playbook's full refund is offered for what is left, saying what was refunded before.
    const damaged = (await suggest(ticket.id, '?order_number=NW-40003&problem=damaged_in_transit')).json();
    expect(damaged.suggestions[0].remedies[1]).toMatchObject({
      action: 'refund', scope: 'order', prefill: { params: { scope: 'order' } },
      standing: { state: 'partial', note: expect.stringMatching(/^€4\.95 was refunded already by Sam Rivera on .+; this refunds the €258\.00 left\.$/) },
    });
  });

  it('refuses a playbook of another store', async () => {
    const other = await createGoodwillStore(t, admin, 'southwind-playbooks');
    const foreign = (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${other.storeId}/playbooks`, headers: agent.headers })).json().items[0].id;
    const ticket = await s.ticket({ email: 'lena@example.com' });
    const res = await s.act(agent, ticket.id, { order_number: 'NW-40001', action: 'refund', params: { scope: 'shipping' }, playbook_id: foreign, idempotency_key: s.key() });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('playbook_id');
  });
});
