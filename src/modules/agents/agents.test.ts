import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { addAgentToTeam, insertTeam } from './agents.queries.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('agents and teams', () => {
  it('lists teams with how many agents are in each', async () => {
    const agent = await t.agent('agent');
    const colleague = await t.agent('agent');
    const support = await insertTeam(t.database.db, 'Support');
    await insertTeam(t.database.db, 'Returns');
    await addAgentToTeam(t.database.db, agent.id, support.id);
    await addAgentToTeam(t.database.db, colleague.id, support.id);
    await addAgentToTeam(t.database.db, colleague.id, support.id);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: expect.any(String), name: 'Returns', member_count: 0 },
      { id: support.id, name: 'Support', member_count: 2 },
    ]);
    const agents = (await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: agent.headers })).json().items;
    expect(agents.find((a: { id: string }) => a.id === colleague.id).team_ids).toEqual([support.id]);
  });

  it('refuses an agent with a short password or a bad email, naming the field', async () => {
    const admin = await t.agent('admin');
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: admin.headers, payload: { email: 'short@test.storedesk.dev', role: 'agent', password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('password');
    const email = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: admin.headers, payload: { email: 'not-an-email', role: 'agent' } });
    expect(email.statusCode).toBe(400);
    expect(email.json().errors[0].field).toBe('email');
    const role = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: admin.headers, payload: { email: 'role@test.storedesk.dev', role: 'owner' } });
    expect(role.statusCode).toBe(400);
    expect(role.json().errors).toEqual([{ field: 'role', message: 'must be one of: agent, manager, admin' }]);
  });

  it('an admin changes a role, resets a password and deactivates an agent, who is signed out everywhere', async () => {
    const admin = await t.agent('admin');
    const sam = await t.agent('agent', 'Sam');
    const me = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: sam.cookie } });
    expect((await me()).statusCode).toBe(200);

    const promoted = await t.app.inject({ method: 'PATCH', url: `/api/v1/agents/${sam.id}`, headers: admin.headers, payload: { role: 'manager', name: 'Sam Rivera' } });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'manager', name: 'Sam Rivera', is_active: true });

    const reset = await t.app.inject({ method: 'PATCH', url: `/api/v1/agents/${sam.id}`, headers: admin.headers, payload: { password: 'a brand new passphrase' } });
    expect(reset.statusCode).toBe(200);
    expect((await me()).statusCode).toBe(401);
    const oldLogin = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: sam.email, password: sam.password } });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: sam.email, password: 'a brand new passphrase' } });
    expect(newLogin.statusCode).toBe(200);

    const off = await t.app.inject({ method: 'PATCH', url: `/api/v1/agents/${sam.id}`, headers: admin.headers, payload: { is_active: false } });
    expect(off.json().is_active).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: sam.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: sam.email, password: 'a brand new passphrase' } })).statusCode).toBe(401);

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'data']).where('subject_id', '=', sam.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['agent.updated', 'agent.updated', 'agent.updated']);
    expect(audit[0]?.data).toMatchObject({ role: ['agent', 'manager'], name: ['Sam', 'Sam Rivera'] });
    expect(audit[1]?.data).toEqual({ password: 'reset' });
  });

  it('keeps an active admin: the last one cannot be demoted or deactivated, and nobody deactivates themselves', async () => {
    const solo = await createTestApp();
    try {
      const admin = await solo.agent('admin');
      const agent = await solo.agent('agent');
      const demote = await solo.app.inject({ method: 'PATCH', url: `/api/v1/agents/${admin.id}`, headers: admin.headers, payload: { role: 'agent' } });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().detail).toContain('only active admin');
      const self = await solo.app.inject({ method: 'PATCH', url: `/api/v1/agents/${admin.id}`, headers: admin.headers, payload: { is_active: false } });
      expect(self.statusCode).toBe(409);
      const byAgent = await solo.app.inject({ method: 'PATCH', url: `/api/v1/agents/${admin.id}`, headers: agent.headers, payload: { name: 'Hacked' } });
      expect(byAgent.statusCode).toBe(403);
      const second = await solo.app.inject({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, headers: admin.headers, payload: { role: 'admin' } });
      expect(second.statusCode).toBe(200);
      expect((await solo.app.inject({ method: 'PATCH', url: `/api/v1/agents/${admin.id}`, headers: agent.headers, payload: { role: 'agent' } })).statusCode).toBe(200);
    } finally {
      await solo.close();
    }
  });
});
