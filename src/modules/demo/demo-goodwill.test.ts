import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { DEMO_PASSWORD } from './demo.service.ts';
import { seedDemo } from './demo-seed.ts';

let t: TestApp;
let manager = '';
let agent = '';

async function signIn(email: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  const raw = res.headers['set-cookie'];
  return ((Array.isArray(raw) ? raw[0] : raw) ?? '').split(';')[0] ?? '';
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.ctx);
  manager = await signIn('manager@demo.storedesk.dev');
  agent = await signIn('agent@demo.storedesk.dev');
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the demo’s authority, budget and playbooks', () => {
  it('limits agents to €50.00 per action, has a budget and playbooks, and one refund waits for a manager', async () => {
    const store = await t.ctx.db.selectFrom('stores').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    const settings = (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/authority`, headers: { cookie: manager } })).json();
    expect(settings.roles.find((r: { role: string; remedy: string }) => r.role === 'agent' && r.remedy === 'refund').limits.per_action).toBe(5_000);
    expect(settings.budgets.find((b: { remedy: string }) => b.remedy === 'refund').monthly).toEqual({ amount: 150_000, currency: 'EUR' });
    const playbooks = (await t.app.inject({ method: 'GET', url: `/api/v1/stores/${store.id}/playbooks`, headers: { cookie: agent } })).json().items;
    expect(playbooks.length).toBeGreaterThanOrEqual(6);

    const count = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals/count', headers: { cookie: manager } })).json();
    expect(count.pending).toBe(1);
    const [pending] = (await t.app.inject({ method: 'GET', url: '/api/v1/approvals', headers: { cookie: manager } })).json().items;
    expect(pending).toMatchObject({
      status: 'pending', amount: { amount: 8_000, currency: 'EUR' }, requested_by: { name: 'Sam Rivera' },
      reasons: [{ message: 'Your refund limit is €50.00 per action; this refund is €80.00.' }],
    });
    expect(pending.customer.order_count).toBeGreaterThanOrEqual(1);
  });
});
