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
});
